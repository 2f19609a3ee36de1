#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What an index holds, as written or as opened.
public struct HashSetIndexSummary: Sendable, Hashable {
    public var name: String
    public var kind: HashSetKind
    public var sourceName: String
    /// Seconds since 1970.
    public var created: Int64
    public var records: Int
    public var md5Count: Int
    public var sha1Count: Int
    public var sha256Count: Int
    /// Size of the index file in bytes.
    public var bytes: Int
}

/// Builds a ``HashSetIndex`` file: collects the entries of one set, sorts each
/// digest table and writes the file once (see `IndexLayout` for the format).
///
/// Memory: everything is held until ``write(to:created:)``: 24 bytes per MD5,
/// 24 per SHA-1 and 40 per SHA-256 entry, 8 per record, plus the file names and
/// distinct categories (4 bytes + their UTF-8 each), and sorting needs up to
/// half a table again. A 50-million-entry MD5-only set with short names needs
/// about 50M × (24 + 8 + ~24) ≈ 2.8 GB, plus ~0.6 GB while sorting; that fits
/// the 24 GiB machines. Records are numbered with 32 bits (at most 4,294,967,295),
/// and the string pool is capped at 4 GiB: past that, file names are dropped
/// (categories are kept).
///
/// Not `Sendable`: one importer fills it on one thread.
public final class HashSetIndexWriter {
    public let name: String
    public let kind: HashSetKind
    public let sourceName: String

    private var md5: [MD5Key] = []
    private var sha1: [SHA1Key] = []
    private var sha256: [SHA256Key] = []
    /// Per record: category string id, file-name string id.
    private var records: [(category: UInt32, name: UInt32)] = []
    private var pool: [UInt8] = []
    private var categoryIDs: [String: UInt32] = [:]
    private var namesDropped = false
    private let poolLimit: Int

    /// A writer for set `name`, of `kind`, imported from `sourceName` (a file name).
    public convenience init(name: String, kind: HashSetKind, sourceName: String) {
        self.init(name: name, kind: kind, sourceName: sourceName, poolLimit: Int(UInt32.max) - 1)
    }

    init(name: String, kind: HashSetKind, sourceName: String, poolLimit: Int) {
        self.name = name
        self.kind = kind
        self.sourceName = sourceName
        self.poolLimit = poolLimit
    }

    /// Records added so far (entries without any digest are not counted).
    public var recordCount: Int { records.count }

    /// True when the string pool overflowed and later file names were left out.
    public var droppedFileNames: Bool { namesDropped }

    /// Adds one entry; entries without a digest are ignored. Returns whether it was added.
    @discardableResult
    public func add(_ entry: KnownHash) -> Bool {
        guard entry.hasDigest, records.count < Int(UInt32.max) else { return false }
        let record = UInt32(records.count)
        if let d = entry.md5 { md5.append(MD5Key(d, record: record)) }
        if let d = entry.sha1 { sha1.append(SHA1Key(d, record: record)) }
        if let d = entry.sha256 { sha256.append(SHA256Key(d, record: record)) }
        var categoryID = IndexLayout.noString
        if let category = entry.category {
            if let known = categoryIDs[category] {
                categoryID = known
            } else if let id = intern(category, limit: Int(UInt32.max) - 1) {
                categoryIDs[category] = id
                categoryID = id
            }
        }
        var nameID = IndexLayout.noString
        if let fileName = entry.fileName, !namesDropped {
            if let id = intern(fileName, limit: poolLimit) { nameID = id } else { namesDropped = true }
        }
        records.append((categoryID, nameID))
        return true
    }

    /// Adds every entry `reader` yields; returns how many were added.
    @discardableResult
    public func add(contentsOf reader: any HashSetReader) throws -> Int {
        var added = 0
        try reader.forEach { entry in
            if add(entry) { added += 1 }
        }
        return added
    }

    /// Appends a string to the pool (at most 64 KiB of it); nil when the pool is full.
    private func intern(_ text: String, limit: Int) -> UInt32? {
        let utf8 = text.utf8.prefix(65_536)
        guard pool.count + 4 + utf8.count <= limit else { return nil }
        let id = UInt32(pool.count)
        withUnsafeBytes(of: UInt32(utf8.count).littleEndian) { pool.append(contentsOf: $0) }
        pool.append(contentsOf: utf8)
        return id
    }

    /// Sorts a table and drops repeats of a digest whose category is already there.
    private func sortedUnique<K: IndexKey>(_ keys: inout [K]) {
        keys.sort()
        guard keys.count > 1 else { return }
        var kept = 0
        var runStart = 0
        for i in 0..<keys.count {
            let key = keys[i]
            if kept > 0, keys[kept - 1].sameDigest(as: key) {
                let category = records[Int(key.record)].category
                var duplicate = false
                for j in runStart..<kept where records[Int(keys[j].record)].category == category {
                    duplicate = true
                    break
                }
                if duplicate { continue }
            } else {
                runStart = kept
            }
            keys[kept] = key
            kept += 1
        }
        keys.removeLast(keys.count - kept)
    }

    /// Sorts the tables and writes the index to `path` (through a temporary file
    /// renamed into place, so a reader never sees half an index). `created` is in
    /// seconds since 1970 (now by default).
    @discardableResult
    public func write(to path: String, created: Int64? = nil) throws(HashSetError) -> HashSetIndexSummary {
        sortedUnique(&md5)
        sortedUnique(&sha1)
        sortedUnique(&sha256)
        // The set's own name and source go in the pool too.
        let nameID = intern(name, limit: Int(UInt32.max)) ?? IndexLayout.noString
        let sourceID = intern(sourceName, limit: Int(UInt32.max)) ?? IndexLayout.noString
        let createdAt = created ?? Int64(time(nil))

        var offset = IndexLayout.headerSize
        func place(_ count: Int, _ size: Int) -> Int {
            let at = offset
            offset = IndexLayout.align8(offset + count * size)
            return at
        }
        let md5At = place(md5.count, IndexLayout.entrySize(.md5))
        let sha1At = place(sha1.count, IndexLayout.entrySize(.sha1))
        let sha256At = place(sha256.count, IndexLayout.entrySize(.sha256))
        let recordsAt = place(records.count, IndexLayout.recordSize)
        let stringsAt = place(pool.count, 1)
        let fileSize = stringsAt + pool.count

        var header = [UInt8](repeating: 0, count: IndexLayout.headerSize)
        header.withUnsafeMutableBytes { raw in
            guard let p = raw.baseAddress else { return }
            for (i, b) in IndexLayout.magic.enumerated() { p.storeBytes(of: b, toByteOffset: i, as: UInt8.self) }
            p.storeLittleEndian(IndexLayout.version, at: IndexLayout.versionAt)
            p.storeLittleEndian(UInt32(IndexLayout.headerSize), at: IndexLayout.headerSizeAt)
            p.storeBytes(of: kind.code, toByteOffset: IndexLayout.kindAt, as: UInt8.self)
            p.storeLittleEndian(createdAt, at: IndexLayout.createdAt)
            p.storeLittleEndian(UInt64(fileSize), at: IndexLayout.fileSizeAt)
            p.storeLittleEndian(UInt64(records.count), at: IndexLayout.recordCountAt)
            for (kind, count, at) in [(DigestKind.md5, md5.count, md5At), (.sha1, sha1.count, sha1At), (.sha256, sha256.count, sha256At)] {
                p.storeLittleEndian(UInt64(count), at: IndexLayout.tableAt(kind))
                p.storeLittleEndian(UInt64(at), at: IndexLayout.tableAt(kind) + 8)
            }
            p.storeLittleEndian(UInt64(recordsAt), at: IndexLayout.recordsAt)
            p.storeLittleEndian(UInt64(stringsAt), at: IndexLayout.stringsAt)
            p.storeLittleEndian(UInt64(pool.count), at: IndexLayout.stringsSizeAt)
            p.storeLittleEndian(nameID, at: IndexLayout.nameAt)
            p.storeLittleEndian(sourceID, at: IndexLayout.sourceAt)
            let sum = IndexLayout.checksum(UnsafeRawBufferPointer(start: p, count: IndexLayout.checksummedBytes))
            p.storeLittleEndian(sum, at: IndexLayout.checksumAt)
        }

        let temporary = path + ".partial"
        do throws(HashSetError) {
            let out = try FileOutput(path: temporary)
            try out.append(header)
            try writeTable(md5, to: out)
            try writeTable(sha1, to: out)
            try writeTable(sha256, to: out)
            for record in records {
                try out.append(count: IndexLayout.recordSize) { p in
                    p.storeLittleEndian(record.category, at: 0)
                    p.storeLittleEndian(record.name, at: 4)
                }
            }
            try out.pad8()
            try out.append(pool)
            try out.sync()
            guard out.written == fileSize else {
                throw HashSetError(.writeFailed, path: path, "wrote \(out.written) bytes, expected \(fileSize)")
            }
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw HashSetError(.writeFailed, path: path, "cannot move the index into place", underlying: reason)
        }
        return HashSetIndexSummary(name: name, kind: kind, sourceName: sourceName, created: createdAt,
                                   records: records.count, md5Count: md5.count, sha1Count: sha1.count,
                                   sha256Count: sha256.count, bytes: fileSize)
    }

    private func writeTable<K: IndexKey>(_ keys: [K], to out: FileOutput) throws(HashSetError) {
        let size = IndexLayout.entrySize(K.kind)
        for key in keys {
            try out.append(count: size) { key.store(into: $0) }
        }
        try out.pad8()
    }
}
