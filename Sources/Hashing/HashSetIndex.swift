#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hash-set index opened read-only with `mmap(2)`: lookups by MD5, SHA-1 or
/// SHA-256 search the sorted tables in place, without loading them.
///
/// `Sendable`: the mapping is read-only and never changes after `init`; it is
/// unmapped (`munmap`) only in `deinit`, when no lookup can be running. Any
/// number of threads may look up at once.
public final class HashSetIndex: @unchecked Sendable {
    public let path: String
    /// Name, kind, source, creation time and counts, from the header.
    public let summary: HashSetIndexSummary

    let base: UnsafeRawPointer
    private let length: Int
    let tables: [Table]  // indexed by Table.slot(kind)
    private let recordsAt: Int
    private let recordCount: Int
    private let stringsAt: Int
    private let stringsSize: Int

    struct Table {
        let kind: DigestKind
        let offset: Int
        let count: Int
        let entrySize: Int

        static func slot(_ kind: DigestKind) -> Int {
            switch kind {
            case .md5: 0
            case .sha1: 1
            case .sha256: 2
            }
        }
    }

    public var name: String { summary.name }
    public var kind: HashSetKind { summary.kind }

    /// Opens and validates an index (`open`, `fstat`, `mmap` with `PROT_READ`,
    /// `madvise(MADV_RANDOM)`): magic, version, header checksum, file size and
    /// the bounds of every section. A truncated or damaged file fails with a
    /// ``HashSetError`` of code `corruptIndex`.
    public init(path: String) throws(HashSetError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let err = errno
            throw HashSetError(err == ENOENT ? .notFound : .unreadable, path: path,
                               err == ENOENT ? "no such index file" : "cannot open the index",
                               underlying: String(cString: strerror(err)))
        }
        defer { close(fd) }  // the mapping outlives the descriptor
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw HashSetError(.unreadable, path: path, "cannot stat the index", underlying: String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw HashSetError(.unreadable, path: path, "not a regular file")
        }
        let size = Int(info.st_size)
        guard size >= IndexLayout.headerSize else {
            throw HashSetError(.corruptIndex, path: path, offset: Int64(size),
                               size == 0 ? "empty file: not a hash-set index"
                                         : "truncated: \(size) bytes, shorter than the \(IndexLayout.headerSize)-byte index header")
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw HashSetError(.unreadable, path: path, "cannot map the index", underlying: String(cString: strerror(errno)))
        }
        _ = madvise(mapped, size, MADV_RANDOM)
        let base = UnsafeRawPointer(mapped)
        do {
            let layout = try Self.validate(base: base, size: size, path: path)
            self.base = base
            self.length = size
            self.summary = layout.summary
            self.tables = layout.tables
            self.recordsAt = layout.recordsAt
            self.recordCount = layout.summary.records
            self.stringsAt = layout.stringsAt
            self.stringsSize = layout.stringsSize
        } catch {
            munmap(mapped, size)
            throw error
        }
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), length)
    }

    /// Entries in the table of `kind`.
    public func count(of kind: DigestKind) -> Int {
        tables[Table.slot(kind)].count
    }

    /// True when the set holds `digest`.
    public func contains(_ digest: Digest) -> Bool {
        let table = tables[Table.slot(digest.kind)]
        return Self.search(table, base: base, key: digest, strategy: .interpolation) != nil
    }

    /// Every entry of the set whose digest is `digest`.
    public func lookup(_ digest: Digest) -> [HashHit] {
        recordNumbers(matching: digest).map { hit(record: $0, matched: digest.kind, kind: summary.kind) }
    }

    /// Every entry matching any of the digests given; an entry found by two of
    /// them is reported once (with the first digest that matched).
    public func lookup(md5: Digest? = nil, sha1: Digest? = nil, sha256: Digest? = nil) -> [HashHit] {
        hits(md5: md5, sha1: sha1, sha256: sha256, kind: summary.kind)
    }

    func hits(md5: Digest?, sha1: Digest?, sha256: Digest?, kind: HashSetKind) -> [HashHit] {
        var seen: [UInt32] = []
        var out: [HashHit] = []
        for digest in [md5, sha1, sha256] {
            guard let digest else { continue }
            for record in recordNumbers(matching: digest) where !seen.contains(record) {
                seen.append(record)
                out.append(hit(record: record, matched: digest.kind, kind: kind))
            }
        }
        return out
    }

    /// Record numbers of every table entry equal to `digest`.
    func recordNumbers(matching digest: Digest) -> [UInt32] {
        let table = tables[Table.slot(digest.kind)]
        guard var i = Self.search(table, base: base, key: digest, strategy: .interpolation) else { return [] }
        var out: [UInt32] = []
        while i < table.count, Self.compare(table, base: base, at: i, with: digest) == 0 {
            let entry = base + table.offset + i * table.entrySize
            let record = UInt32(littleEndian: entry.loadUnaligned(fromByteOffset: table.kind.byteCount, as: UInt32.self))
            if Int(record) < recordCount { out.append(record) }
            i += 1
        }
        return out
    }

    /// The hit for record `record` (category and name from the string pool).
    func hit(record: UInt32, matched: DigestKind, kind: HashSetKind) -> HashHit {
        let at = recordsAt + Int(record) * IndexLayout.recordSize
        let category = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt32.self))
        let name = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: at + 4, as: UInt32.self))
        return HashHit(setName: summary.name, kind: kind, category: string(category), fileName: string(name), matched: matched)
    }

    /// String `id` of the pool; nil for "none" or an id out of bounds.
    func string(_ id: UInt32) -> String? {
        Self.string(id, base: base, stringsAt: stringsAt, stringsSize: stringsSize)
    }

    static func string(_ id: UInt32, base: UnsafeRawPointer, stringsAt: Int, stringsSize: Int) -> String? {
        guard id != IndexLayout.noString, Int(id) + 4 <= stringsSize else { return nil }
        let at = stringsAt + Int(id)
        let count = Int(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
        guard count <= stringsSize - Int(id) - 4 else { return nil }
        let bytes = UnsafeRawBufferPointer(start: base + at + 4, count: count)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Walks every table to check it is sorted and that its record numbers and
    /// string ids are in bounds (reads the whole file: for `hashset info --verify`).
    public func verify() throws(HashSetError) {
        for table in tables where table.count > 0 {
            for i in 0..<table.count {
                let entry = base + table.offset + i * table.entrySize
                let record = UInt32(littleEndian: entry.loadUnaligned(fromByteOffset: table.kind.byteCount, as: UInt32.self))
                guard Int(record) < recordCount else {
                    throw HashSetError(.corruptIndex, path: path, offset: Int64(table.offset + i * table.entrySize),
                                       "\(table.kind.rawValue) entry \(i) names record \(record) of \(recordCount)")
                }
                if i > 0, memcmp(entry - table.entrySize, entry, table.kind.byteCount) > 0 {
                    throw HashSetError(.corruptIndex, path: path, offset: Int64(table.offset + i * table.entrySize),
                                       "\(table.kind.rawValue) table is not sorted at entry \(i)")
                }
            }
        }
        for record in 0..<recordCount {
            let at = recordsAt + record * IndexLayout.recordSize
            for field in 0..<2 {
                let id = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: at + 4 * field, as: UInt32.self))
                if id != IndexLayout.noString, string(id) == nil {
                    throw HashSetError(.corruptIndex, path: path, offset: Int64(at),
                                       "record \(record) names string \(id) outside the string pool")
                }
            }
        }
    }
}
