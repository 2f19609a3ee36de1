/// Reads the legacy NSRL RDS `NSRLFile.txt` (RDS 2.x):
/// `"SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode","SpecialCode"`,
/// quoted, comma-separated. Columns are found by name; `CRC32`, `ProductCode`,
/// `OpSystemCode`, `SpecialCode` and any other column are kept in `extra`.
public struct NSRLLegacyReader: HashSetReader {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func forEach(_ body: (KnownHash) throws -> Void) throws {
        let table = HeaderedTable(path: path, separator: UInt8(ascii: ","), formatName: "NSRLFile.txt")
        var sha1 = -1, md5 = -1, name = -1, size = -1
        var others: [(Int, String)] = []
        try table.forEachRow(header: { columns, number in
            for (i, column) in columns.enumerated() {
                switch column {
                case "sha-1", "sha1": sha1 = i
                case "md5": md5 = i
                case "filename": name = i
                case "filesize": size = i
                default: others.append((i, column))
                }
            }
            guard sha1 >= 0 || md5 >= 0 else {
                throw HashSetError(.malformed, path: path, line: number,
                                   "NSRLFile.txt header has no \"SHA-1\" or \"MD5\" column")
            }
        }, row: { fields, number in
            var entry = KnownHash()
            entry.sha1 = try DigestField.parse(fields.bytes(sha1), expected: .sha1, name: "SHA-1", path: path, line: number)
            entry.md5 = try DigestField.parse(fields.bytes(md5), expected: .md5, name: "MD5", path: path, line: number)
            guard entry.hasDigest else {
                throw HashSetError(.malformed, path: path, line: number, "row has neither SHA-1 nor MD5")
            }
            entry.fileName = fields.string(name)
            if let text = fields.string(size) {
                guard let value = Int64(text), value >= 0 else {
                    throw HashSetError(.malformed, path: path, line: number, "FileSize: '\(text)' is not a byte count")
                }
                entry.size = value
            }
            for (i, column) in others {
                if let value = fields.string(i) { entry.extra[column] = value }
            }
            try body(entry)
        })
    }
}
