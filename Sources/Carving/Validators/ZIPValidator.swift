/// ZIP and ZIP-based documents (DOCX/XLSX/PPTX, ODF, JAR, APK, EPUB).
///
/// Local file headers are walked while their sizes are known; then the central directory
/// (0x02014b50 entries), the ZIP64 end record and locator, and the End Of Central Directory
/// (0x06054b50), whose offsets must agree with where the directory was found. When a local entry's
/// sizes are deferred to a data descriptor (flag bit 3), or something else sits before the
/// directory (an APK signing block), the EOCD is searched for instead and accepted only when its
/// directory offset + size lands exactly on it. The file ends at EOCD + 22 + comment length.
/// Offsets are relative to the candidate's first byte, so self-extracting archives are not handled.
public struct ZIPValidator: StructureValidator {
    public let name = "zip"
    public init() {}

    static let local: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    static let central: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
    static let zip64End: [UInt8] = [0x50, 0x4B, 0x06, 0x06]
    static let zip64Locator: [UInt8] = [0x50, 0x4B, 0x06, 0x07]
    static let end: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
    static let methods: Set<UInt16> = [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 14, 18, 19, 20, 93, 94, 95, 96, 97, 98, 99]

    public func validate(_ input: CarveInput, maxSize: Int64) -> Verdict {
        ByteCursor(input, maxSize: maxSize).run { c throws(ValidationStop) in
            let startsLocal = try c.matches(Self.local).orEnd()
            let startsEnd = try c.matches(Self.end).orEnd()
            try require(startsLocal || startsEnd, "no local file header")
            var at: Int64 = 0
            var entries = 0
            while try c.matches(Self.local, at: at).orEnd() {
                c.position = at + 4
                let version = try c.u16le().orEnd()
                let flags = try c.u16le().orEnd()
                let method = try c.u16le().orEnd()
                try c.skip(8).orEnd()    // time, date, crc
                var compressed = Int64(try c.u32le().orEnd())
                try c.skip(4).orEnd()
                let nameLength = Int64(try c.u16le().orEnd())
                let extraLength = Int64(try c.u16le().orEnd())
                try require((version & 0xFF) <= 100, "version needed \(version)")
                try require(Self.methods.contains(method), "compression method \(method)")
                try require(nameLength > 0, "empty entry name")
                let extraAt = c.position + nameLength
                if compressed == 0xFFFF_FFFF, let size = zip64Size(c, extraAt: extraAt, extraLength: extraLength) {
                    compressed = size
                }
                entries += 1
                if flags & 0x08 != 0 && compressed == 0 {
                    return try searchEnd(c, from: extraAt + extraLength)   // sizes follow the data
                }
                let (next, overflow) = (extraAt + extraLength).addingReportingOverflow(compressed)
                try require(!overflow && next <= maxSize, "entry past maxSize")
                at = next
                // An optional data descriptor (signed or not) after the data.
                if flags & 0x08 != 0 {
                    if try c.matches([0x50, 0x4B, 0x07, 0x08], at: at).orEnd() { at += 16 } else { at += 12 }
                    if c.matches(Self.local, at: at) == false && c.matches(Self.central, at: at) == false {
                        at += 8   // ZIP64 descriptor: sizes are 8 bytes each
                    }
                }
            }
            if try c.matches(Self.central, at: at).orEnd() {
                return try directory(c, at: at, foundAt: at)
            }
            if try c.matches(Self.end, at: at).orEnd(), entries == 0 {
                return try endRecord(c, at: at, directoryAt: at, directorySize: 0)
            }
            return try searchEnd(c, from: at)
        }
    }

    /// The 8-byte compressed size from a ZIP64 extra field, if present.
    private func zip64Size(_ c: ByteCursor, extraAt: Int64, extraLength: Int64) -> Int64? {
        var at = extraAt
        while at + 4 <= extraAt + extraLength {
            c.position = at
            guard let id = c.u16le(), let size = c.u16le() else { return nil }
            if id == 0x0001 && size >= 16 {
                c.position = at + 4 + 8
                return c.u64le().flatMap { $0 <= UInt64(Int64.max / 2) ? Int64($0) : nil }
            }
            at += 4 + Int64(size)
        }
        return nil
    }

    /// Walks the central directory at `at`, then the (ZIP64) end records.
    private func directory(_ c: ByteCursor, at start: Int64, foundAt: Int64) throws(ValidationStop) -> Verdict {
        var at = start
        var count = 0
        while try c.matches(Self.central, at: at).orEnd() {
            c.position = at + 28
            let n = Int64(try c.u16le().orEnd()), m = Int64(try c.u16le().orEnd()), k = Int64(try c.u16le().orEnd())
            at += 46 + n + m + k
            count += 1
            try require(count <= 1 << 22, "too many directory entries")
        }
        if try c.matches(Self.zip64End, at: at).orEnd() {
            c.position = at + 4
            let size = try c.u64le().orEnd()
            try require(size >= 44 && size < 1 << 20, "ZIP64 end record size \(size)")
            at += 12 + Int64(size)
        }
        if try c.matches(Self.zip64Locator, at: at).orEnd() { at += 20 }
        try require(try c.matches(Self.end, at: at).orEnd(), "no end of central directory after it")
        return try endRecord(c, at: at, directoryAt: start, directorySize: nil, entries: count)
    }

    /// Checks the EOCD at `at` against where the directory is, and ends the file after its comment.
    private func endRecord(_ c: ByteCursor, at: Int64, directoryAt: Int64, directorySize: Int64?,
                           entries: Int? = nil) throws(ValidationStop) -> Verdict {
        c.position = at + 10
        let total = try c.u16le().orEnd()
        let size = Int64(try c.u32le().orEnd())
        let offset = Int64(try c.u32le().orEnd())
        let comment = Int64(try c.u16le().orEnd())
        if offset != 0xFFFF_FFFF {
            try require(offset == directoryAt, "directory offset \(offset) ≠ \(directoryAt)")
        }
        if let entries, total != 0xFFFF {
            try require(Int(total) == entries & 0xFFFF, "entry count \(total) ≠ \(entries)")
        }
        if let directorySize, size != 0xFFFF_FFFF {
            try require(size == directorySize, "directory size")
        }
        return .complete(length: at + 22 + comment)
    }

    /// Looks for an EOCD whose directory offset + size land on it (or on its ZIP64 records).
    private func searchEnd(_ c: ByteCursor, from: Int64) throws(ValidationStop) -> Verdict {
        var from = from
        while let at = c.find(Self.end, from: from) {
            from = at + 1
            c.position = at + 12
            guard let size32 = c.u32le(), let offset32 = c.u32le() else { throw .outOfData }
            let size = Int64(size32), offset = Int64(offset32)
            var directoryEnd = at
            if c.matches(Self.zip64Locator, at: at - 20) == true { directoryEnd = at - 20 }
            if offset32 == 0xFFFF_FFFF || size32 == 0xFFFF_FFFF {
                // ZIP64: the locator points to the ZIP64 end record, which holds the real values.
                guard directoryEnd == at - 20 else { continue }
                c.position = at - 20 + 8
                guard let record = c.u64le(), record < UInt64(at), c.matches(Self.zip64End, at: Int64(record)) == true
                else { continue }
                c.position = Int64(record) + 4 + 8 + 2 + 2 + 4 + 4 + 8 + 8
                guard let size64 = c.u64le(), let offset64 = c.u64le(),
                      size64 < UInt64(at), offset64 < UInt64(at), offset64 + size64 == record,
                      c.matches(Self.central, at: Int64(offset64)) == true
                else { continue }
                c.position = at + 20
                guard let comment = c.u16le() else { throw .outOfData }
                return .complete(length: at + 22 + Int64(comment))
            }
            var expected = at
            if c.matches(Self.zip64End, at: offset + size) == true { expected = offset + size }
            guard offset + size == expected || offset + size == directoryEnd,
                  size == 0 || c.matches(Self.central, at: offset) == true
            else { continue }
            c.position = at + 20
            guard let comment = c.u16le() else { throw .outOfData }
            return .complete(length: at + 22 + Int64(comment))
        }
        throw .outOfData
    }
}
