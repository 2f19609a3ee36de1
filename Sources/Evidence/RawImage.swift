#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemCalls

/// A raw image: one file, or split raw segments read as one media.
///
/// Files are opened read-only (`open(2)` with `O_RDONLY`) and read with
/// `pread(2)`, which has no shared file offset, so reads from several threads
/// need no lock.
public final class RawImage: ImageSource {
    public let format: ImageFormat
    public let files: [String]
    public let size: Int64
    public let sectorSize: Int

    private let descriptors: [Int32]
    /// Start offset of each segment in the media; `starts[i] + lengths[i] == starts[i+1]`.
    private let starts: [Int64]
    private let lengths: [Int64]

    /// Opens `path` as raw. If its name looks like the first segment of a split
    /// image (`.000`, `.001`, `.aa`), the following segments are opened too.
    public convenience init(path: String, sectorSize: Int = 512) throws(EvidenceError) {
        try self.init(segments: SplitRawNaming.segments(startingAt: path), sectorSize: sectorSize)
    }

    /// Opens the given files as consecutive segments of one media.
    public init(segments: [String], sectorSize: Int = 512) throws(EvidenceError) {
        precondition(!segments.isEmpty, "a raw image needs at least one file")
        var fds: [Int32] = []
        var starts: [Int64] = []
        var lengths: [Int64] = []
        var total: Int64 = 0
        for file in segments {
            let fd = open(file, O_RDONLY | O_CLOEXEC)
            if fd < 0 {
                let err = errno
                for opened in fds { close(opened) }
                throw EvidenceError(err == ENOENT ? .notFound : .unreadable, path: file,
                                    "cannot open evidence file", underlying: String(cString: strerror(err)))
            }
            var info = stat()
            guard fstat(fd, &info) == 0 else {
                let err = errno
                close(fd)
                for opened in fds { close(opened) }
                throw EvidenceError(.unreadable, path: file, "cannot stat evidence file",
                                    underlying: String(cString: strerror(err)))
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                for opened in fds { close(opened) }
                throw EvidenceError(.unsupportedFormat, path: file, "is a directory, not an image file")
            }
            var length = Int64(info.st_size)
            if (info.st_mode & S_IFMT) == S_IFBLK {
                // A block device reports size 0 in stat; ask for its end instead.
                length = Int64(lseek(fd, 0, SEEK_END))
            }
            fds.append(fd)
            starts.append(total)
            lengths.append(length)
            total += length
        }
        self.descriptors = fds
        self.starts = starts
        self.lengths = lengths
        self.files = segments
        self.size = total
        self.sectorSize = sectorSize
        self.format = segments.count > 1 ? .splitRaw : .raw
    }

    deinit {
        for fd in descriptors { close(fd) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(EvidenceError) -> Int {
        guard offset >= 0 else {
            throw EvidenceError(.readFailed, path: path, offset: offset, "negative read offset")
        }
        guard offset < size, buffer.count > 0 else { return 0 }
        var done = 0
        var position = offset
        let wanted = Int(min(Int64(buffer.count), size - offset))
        var segment = segmentIndex(containing: position)
        while done < wanted && segment < descriptors.count {
            let inSegment = position - starts[segment]
            let available = lengths[segment] - inSegment
            if available <= 0 { segment += 1; continue }
            let chunk = Int(min(Int64(wanted - done), available))
            let n: Int
            do {
                n = try valueOrErrno { pread(descriptors[segment], buffer.baseAddress! + done, chunk, off_t(inSegment)) }.get()
            } catch {
                throw EvidenceError(.readFailed, path: files[segment], offset: position,
                                    "read failed", underlying: error.description)
            }
            if n == 0 {
                // The file shrank under us: report what we have as the end.
                throw EvidenceError(.readFailed, path: files[segment], offset: position,
                                    "unexpected end of file (the evidence file is shorter than when it was opened)")
            }
            done += n
            position += Int64(n)
            if position - starts[segment] >= lengths[segment] { segment += 1 }
        }
        return done
    }

    private func segmentIndex(containing offset: Int64) -> Int {
        // Few segments in practice; binary search keeps hundreds cheap too.
        var low = 0
        var high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }
}

/// The naming schemes of split raw images.
public enum SplitRawNaming {
    /// The segments of the split image whose first file is `path`, in order;
    /// just `[path]` when the name is not a split-raw first segment.
    ///
    /// Recognised: `NAME.000`/`NAME.001` followed by consecutive numbers of the
    /// same width, and `NAME.aa` followed by `.ab`, `.ac`…
    public static func segments(startingAt path: String) -> [String] {
        guard let dot = path.lastIndex(of: "."), path[dot...].count > 1 else { return [path] }
        let base = String(path[..<dot])
        let suffix = String(path[path.index(after: dot)...])
        var result = [path]
        if suffix.count >= 2, suffix.allSatisfy({ $0.isASCII && $0.isNumber }), let first = Int(suffix), first <= 1 {
            var next = first + 1
            while true {
                var digits = String(next)
                if digits.count < suffix.count {
                    digits = String(repeating: "0", count: suffix.count - digits.count) + digits
                }
                let candidate = base + "." + digits
                guard fileExists(candidate) else { break }
                result.append(candidate)
                next += 1
            }
        } else if suffix == "aa" {
            var letters = Array("aa".utf8)
            while true {
                guard increment(&letters) else { break }
                let candidate = base + "." + String(decoding: letters, as: UTF8.self)
                guard fileExists(candidate) else { break }
                result.append(candidate)
            }
        }
        return result
    }

    private static func increment(_ letters: inout [UInt8]) -> Bool {
        var i = letters.count - 1
        while i >= 0 {
            if letters[i] < UInt8(ascii: "z") {
                letters[i] += 1
                return true
            }
            letters[i] = UInt8(ascii: "a")
            i -= 1
        }
        return false
    }

    static func fileExists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}
