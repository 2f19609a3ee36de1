/// Reads HashKeeper CSV: `"file_id","hashset_id","file_name","directory","hash",
/// "file_size","date_modified","time_modified","time_zone","comments",
/// "date_accessed","time_accessed"`, where `hash` is an MD5. Columns are found by
/// name; `hashset_id`, `directory` and the rest are kept in `extra`.
public struct HashKeeperReader: HashSetReader {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func forEach(_ body: (KnownHash) throws -> Void) throws {
        let table = HeaderedTable(path: path, separator: UInt8(ascii: ","), formatName: "HashKeeper")
        var hash = -1, name = -1, size = -1
        var others: [(Int, String)] = []
        try table.forEachRow(header: { columns, number in
            for (i, column) in columns.enumerated() {
                switch column {
                case "hash", "md5": hash = i
                case "file_name": name = i
                case "file_size": size = i
                default: others.append((i, column))
                }
            }
            guard hash >= 0 else {
                throw HashSetError(.malformed, path: path, line: number, "HashKeeper header has no \"hash\" column")
            }
        }, row: { fields, number in
            var entry = KnownHash()
            guard let md5 = try DigestField.parse(fields.bytes(hash), expected: .md5, name: "hash",
                                                  path: path, line: number) else {
                throw HashSetError(.malformed, path: path, line: number, "hash: empty")
            }
            entry.md5 = md5
            entry.fileName = fields.string(name)
            if let text = fields.string(size) {
                guard let value = Int64(text), value >= 0 else {
                    throw HashSetError(.malformed, path: path, line: number, "file_size: '\(text)' is not a byte count")
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
