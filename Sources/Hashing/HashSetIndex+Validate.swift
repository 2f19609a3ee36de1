/// Checking a mapped index before any lookup trusts it.
extension HashSetIndex {
    struct Layout {
        var summary: HashSetIndexSummary
        var tables: [Table]
        var recordsAt: Int
        var stringsAt: Int
        var stringsSize: Int
    }

    /// Validates the header and the bounds of every section of a mapped file of `size` bytes.
    static func validate(base: UnsafeRawPointer, size: Int, path: String) throws(HashSetError) -> Layout {
        func corrupt(_ message: String, at offset: Int? = nil) -> HashSetError {
            HashSetError(.corruptIndex, path: path, offset: offset.map(Int64.init), message)
        }
        func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        /// A header count or offset as an Int no larger than the file.
        func bounded(_ at: Int, _ what: String) throws(HashSetError) -> Int {
            let value = u64(at)
            guard value <= UInt64(size) else { throw corrupt("\(what) \(value) is beyond the end of the \(size)-byte file", at: at) }
            return Int(value)
        }

        let magic = UnsafeRawBufferPointer(start: base, count: IndexLayout.magic.count)
        guard magic.elementsEqual(IndexLayout.magic) else {
            throw corrupt("not a hash-set index (no EXHIDX1 magic)", at: 0)
        }
        let version = u32(IndexLayout.versionAt)
        guard version == IndexLayout.version else {
            throw HashSetError(.corruptIndex, path: path, offset: Int64(IndexLayout.versionAt),
                               "index format version \(version); this Exhume reads version \(IndexLayout.version)")
        }
        guard u32(IndexLayout.headerSizeAt) == UInt32(IndexLayout.headerSize) else {
            throw corrupt("header size \(u32(IndexLayout.headerSizeAt)), expected \(IndexLayout.headerSize)", at: IndexLayout.headerSizeAt)
        }
        let sum = IndexLayout.checksum(UnsafeRawBufferPointer(start: base, count: IndexLayout.checksummedBytes))
        guard sum == u64(IndexLayout.checksumAt) else {
            throw corrupt("header checksum mismatch: the header is damaged", at: IndexLayout.checksumAt)
        }
        let declared = u64(IndexLayout.fileSizeAt)
        guard declared == UInt64(size) else {
            throw corrupt(declared > UInt64(size)
                ? "truncated: the header says \(declared) bytes, the file has \(size)"
                : "the header says \(declared) bytes, the file has \(size) (trailing data)")
        }
        guard let kind = HashSetKind(code: base.load(fromByteOffset: IndexLayout.kindAt, as: UInt8.self)) else {
            throw corrupt("unknown set kind", at: IndexLayout.kindAt)
        }
        let created = Int64(littleEndian: base.loadUnaligned(fromByteOffset: IndexLayout.createdAt, as: Int64.self))
        let recordCount = try bounded(IndexLayout.recordCountAt, "record count")
        guard recordCount <= Int(UInt32.max) else { throw corrupt("record count \(recordCount) exceeds 32 bits") }

        /// A section [offset, offset + count × size) inside the file, after the header.
        func section(offset: Int, count: Int, elementSize: Int, _ what: String) throws(HashSetError) {
            let (bytes, overflow) = count.multipliedReportingOverflow(by: elementSize)
            guard !overflow, offset >= IndexLayout.headerSize, offset <= size, bytes <= size - offset else {
                throw corrupt("\(what) (\(count) × \(elementSize) bytes at offset \(offset)) does not fit in the \(size)-byte file")
            }
        }

        var tables: [Table] = []
        for digestKind in [DigestKind.md5, .sha1, .sha256] {
            let at = IndexLayout.tableAt(digestKind)
            let count = try bounded(at, "\(digestKind.rawValue) count")
            let offset = try bounded(at + 8, "\(digestKind.rawValue) offset")
            guard count <= recordCount else {
                throw corrupt("\(digestKind.rawValue) table has \(count) entries for \(recordCount) records", at: at)
            }
            let entrySize = IndexLayout.entrySize(digestKind)
            try section(offset: offset, count: count, elementSize: entrySize, "\(digestKind.rawValue) table")
            tables.append(Table(kind: digestKind, offset: offset, count: count, entrySize: entrySize))
        }
        let recordsAt = try bounded(IndexLayout.recordsAt, "record table offset")
        try section(offset: recordsAt, count: recordCount, elementSize: IndexLayout.recordSize, "record table")
        let stringsAt = try bounded(IndexLayout.stringsAt, "string pool offset")
        let stringsSize = try bounded(IndexLayout.stringsSizeAt, "string pool size")
        try section(offset: stringsAt, count: stringsSize, elementSize: 1, "string pool")

        let nameID = u32(IndexLayout.nameAt)
        let sourceID = u32(IndexLayout.sourceAt)
        let name = string(nameID, base: base, stringsAt: stringsAt, stringsSize: stringsSize)
        let source = string(sourceID, base: base, stringsAt: stringsAt, stringsSize: stringsSize)
        guard let name else { throw corrupt("the set name is outside the string pool", at: IndexLayout.nameAt) }

        let summary = HashSetIndexSummary(name: name, kind: kind, sourceName: source ?? "", created: created,
                                          records: recordCount, md5Count: tables[0].count, sha1Count: tables[1].count,
                                          sha256Count: tables[2].count, bytes: size)
        return Layout(summary: summary, tables: tables, recordsAt: recordsAt, stringsAt: stringsAt, stringsSize: stringsSize)
    }
}
