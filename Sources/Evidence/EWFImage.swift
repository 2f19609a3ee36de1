internal import CEWF
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// An Expert Witness Format image (EnCase `.E01`, `.E02`…), read through libewf.
///
/// A libewf handle is not thread-safe: each `EWFImage` owns one handle and
/// serialises reads on it with a mutex. Code that wants to inflate chunks on
/// several cores opens a second image with ``clone()``.
public final class EWFImage: ImageSource {
    public let format: ImageFormat = .ewf
    public let files: [String]
    public let size: Int64
    public let sectorSize: Int
    /// Acquisition metadata and stored digests, read once when the image is opened.
    public let metadata: EWFMetadata
    /// Damage found when opening that does not stop reading (a truncated last
    /// segment): the media beyond it will not read.
    public let integrityProblems: [EvidenceError]

    private let handle: Mutex<EWFHandle>

    /// Opens the segment set that `path` belongs to (`libewf_glob` finds
    /// `.E02`… from `.E01`), read-only (`libewf_handle_open`).
    public init(path: String) throws(EvidenceError) {
        let segments = try EWFImage.segments(for: path)
        let owned = try EWFHandle(opening: segments, reportedAs: path)
        self.files = segments
        self.size = try owned.mediaSize()
        self.sectorSize = Int(try owned.bytesPerSector())
        self.metadata = owned.readMetadata()
        self.handle = Mutex(owned)
        self.integrityProblems = EWFNaming.truncation(of: segments.last ?? path).map { [$0] } ?? []
    }

    private init(files: [String], size: Int64, sectorSize: Int, metadata: EWFMetadata, handle: EWFHandle) {
        self.integrityProblems = []
        self.files = files
        self.size = size
        self.sectorSize = sectorSize
        self.metadata = metadata
        self.handle = Mutex(handle)
    }

    /// A second, independent reader of the same segment files
    /// (`libewf_handle_open` again), for reading on another thread.
    public func parallelReader() throws(EvidenceError) -> any ImageSource { try clone() }
    public var acquisition: EWFMetadata? { metadata }

    public func clone() throws(EvidenceError) -> EWFImage {
        let owned = try EWFHandle(opening: files, reportedAs: path)
        return EWFImage(files: files, size: size, sectorSize: sectorSize, metadata: metadata, handle: owned)
    }

    /// Reads media bytes (`libewf_handle_read_random`). A chunk whose checksum
    /// does not match is still returned (libewf hands back what it could read)
    /// and recorded; see ``checksumErrors()``.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(EvidenceError) -> Int {
        guard offset >= 0 else {
            throw EvidenceError(.readFailed, path: path, offset: offset, "negative read offset")
        }
        guard offset < size, buffer.count > 0 else { return 0 }
        let wanted = Int(min(Int64(buffer.count), size - offset))
        let result: Result<Int, EvidenceError> = handle.withLock { owned in
            var error: UnsafeMutablePointer<Int>? = nil
            let n = libewf_handle_read_random(owned.raw, buffer.baseAddress, wanted, offset, &error)
            if n < 0 {
                return .failure(EvidenceError(.readFailed, path: path, offset: offset,
                                              "cannot read EWF media", underlying: EWFHandle.message(consuming: &error)))
            }
            return .success(n)
        }
        return try result.get()
    }

    /// Ranges of sectors whose chunk failed its checksum so far
    /// (`libewf_handle_get_checksum_error`); grows as the media is read.
    public func checksumErrors() -> [SectorRange] {
        handle.withLock { owned in owned.checksumErrors() }
    }

    /// The segment files of the set `path` belongs to, in order.
    ///
    /// `libewf_glob` stops at the first missing segment; a later segment that
    /// exists beyond the gap means the set is incomplete, which we report
    /// instead of silently reading a shorter image.
    static func segments(for path: String) throws(EvidenceError) -> [String] {
        var error: UnsafeMutablePointer<Int>? = nil
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        var count: Int32 = 0
        let globbed = path.withCString { cPath in
            libewf_glob(cPath, strlen(cPath), UInt8(LIBEWF_FORMAT_UNKNOWN.rawValue), &names, &count, &error)
        }
        guard globbed == 1, let names else {
            throw EvidenceError(.unreadable, path: path, "cannot find the EWF segment files",
                                underlying: EWFHandle.message(consuming: &error))
        }
        defer {
            var cleanup: UnsafeMutablePointer<Int>? = nil
            libewf_glob_free(names, count, &cleanup)
            libewf_error_free(&cleanup)
        }
        var segments: [String] = []
        for i in 0..<Int(count) {
            if let name = names[i] { segments.append(String(cString: name)) }
        }
        if let last = segments.last, let gap = EWFNaming.segmentAfterGap(following: last) {
            throw EvidenceError(.missingSegment, path: path,
                                "segment \(EWFNaming.name(after: last) ?? "?") is missing, but \(gap) exists: the segment set is incomplete")
        }
        if let last = segments.last, EWFNaming.endsWithNextSection(last) {
            throw EvidenceError(.missingSegment, path: path,
                                "the segment set continues after \(last) (it ends with a \"next\" section) but \(EWFNaming.name(after: last) ?? "the next segment") is missing")
        }
        return segments
    }
}

/// A run of sectors, as libewf reports checksum and acquisition errors.
public struct SectorRange: Sendable, Hashable, Codable {
    public var start: UInt64
    public var count: UInt64
    public init(start: UInt64, count: UInt64) {
        self.start = start
        self.count = count
    }

    /// The union of `ranges` as sorted, disjoint ranges: several libewf handles
    /// report the same bad chunk, one whole, another piece by piece.
    public static func merged(_ ranges: [SectorRange]) -> [SectorRange] {
        var out: [SectorRange] = []
        for range in ranges.sorted(by: { ($0.start, $0.count) < ($1.start, $1.count) }) where range.count > 0 {
            if let last = out.last, range.start <= last.start + last.count {
                out[out.count - 1].count = max(last.start + last.count, range.start + range.count) - last.start
            } else {
                out.append(range)
            }
        }
        return out
    }
}

/// What the examiner typed and what the acquisition software recorded in an E01.
public struct EWFMetadata: Sendable, Codable, Equatable {
    public var caseNumber: String?
    public var evidenceNumber: String?
    public var examiner: String?
    public var description: String?
    public var notes: String?
    public var acquisitionDate: String?
    public var systemDate: String?
    public var acquisitionOS: String?
    public var acquisitionSoftware: String?
    public var model: String?
    public var serialNumber: String?
    /// MD5 of the media as stored by the acquisition tool (lower-case hex).
    public var storedMD5: String?
    /// SHA-1 of the media as stored, when the tool stored one.
    public var storedSHA1: String?
    public var chunkSize: Int?
    public var compression: String?

    public init() {}
}

/// Naming of EWF segment files: `.E01`…`.E99`, then `.EAA`…`.EZZ` (and the
/// lower-case and `.s01`/`.L01` families).
enum EWFNaming {
    /// The name of the segment after `path`, or nil when the scheme ends.
    static func name(after path: String) -> String? {
        guard let dot = path.lastIndex(of: "."), path[dot...].count == 4 else { return nil }
        let ext = Array(path[path.index(after: dot)...].utf8)
        let base = String(path[...dot])
        var chars = ext
        // E01..E99 then EAA..EZZ: the last two characters count in base 10 then base 26.
        let isDigit: (UInt8) -> Bool = { $0 >= 48 && $0 <= 57 }
        if isDigit(chars[1]) && isDigit(chars[2]) {
            let number = Int(chars[1] - 48) * 10 + Int(chars[2] - 48)
            if number < 99 {
                let next = number + 1
                chars[1] = UInt8(48 + next / 10)
                chars[2] = UInt8(48 + next % 10)
            } else {
                let upper = chars[0] >= 65 && chars[0] <= 90
                chars[1] = upper ? 65 : 97
                chars[2] = upper ? 65 : 97
            }
        } else {
            let a: UInt8 = (chars[2] >= 97) ? 97 : 65
            if chars[2] < a + 25 {
                chars[2] += 1
            } else if chars[1] < a + 25 {
                chars[1] += 1
                chars[2] = a
            } else {
                return nil
            }
        }
        return base + String(decoding: chars, as: UTF8.self)
    }

    /// Whether an EWF segment file ends with a `next` section: more segments
    /// follow it. The last segment of a complete set ends with `done`.
    /// (EWF1 section header: 16-byte type, then offsets; 76 bytes.)
    static func endsWithNextSection(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size >= 76 else { return false }
        var header = [UInt8](repeating: 0, count: 16)
        let n = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 16, off_t(info.st_size - 76)) }
        guard n == 16 else { return false }
        return header.starts(with: Array("next".utf8)) && header[4...].allSatisfy { $0 == 0 }
    }

    /// A problem when the last segment does not end with a `done` or `next`
    /// section, which every EWF writer puts last: the file was cut short.
    static func truncation(of path: String) -> EvidenceError? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        var header = [UInt8](repeating: 0, count: 16)
        let n = info.st_size >= 76
            ? header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 16, off_t(info.st_size - 76)) } : 0
        if n == 16, header[4...].allSatisfy({ $0 == 0 }),
           header.starts(with: Array("done".utf8)) || header.starts(with: Array("next".utf8)) {
            return nil
        }
        return EvidenceError(.corrupt, path: path, offset: Int64(info.st_size),
                             "the segment file is truncated (it does not end with a \"done\" section): media stored beyond this point cannot be read")
    }

    /// When the segment after `last` is missing but one of the next few exists,
    /// the name of that later segment (the set has a hole).
    static func segmentAfterGap(following last: String) -> String? {
        guard let missing = name(after: last) else { return nil }
        var candidate = missing
        for _ in 0..<8 {
            guard let next = name(after: candidate) else { return nil }
            if SplitRawNaming.fileExists(next) { return next }
            candidate = next
        }
        return nil
    }
}
