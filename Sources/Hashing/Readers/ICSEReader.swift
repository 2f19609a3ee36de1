/// Reads INTERPOL ICSE CSV exports: `;`-separated, a header line such as
/// `MD5;SHA1;PhotoDNA;Image ID;…`. Columns are found by name, case-insensitively:
/// `MD5`, `SHA1`/`SHA-1`, `SHA256`, a `Category` column if present, a file name
/// (`File Name`/`FileName`/`Name`), a size (`File Size`/`Size`). Everything else
/// (`PhotoDNA`, `Image ID`, …) is kept in `extra`. Rows without any digest (a
/// PhotoDNA-only row) are skipped.
public struct ICSEReader: HashSetReader {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func forEach(_ body: (KnownHash) throws -> Void) throws {
        let table = HeaderedTable(path: path, separator: UInt8(ascii: ";"), formatName: "ICSE")
        var digestColumns: [(Int, DigestKind, String)] = []
        var category = -1, name = -1, size = -1
        var others: [(Int, String)] = []
        try table.forEachRow(header: { columns, number in
            for (i, column) in columns.enumerated() {
                if let kind = DigestKind(name: column) {
                    digestColumns.append((i, kind, column))
                    continue
                }
                switch column {
                case "category", "category id", "categoryid": category = i
                case "file name", "filename", "name": name = i
                case "file size", "filesize", "size": size = i
                default: others.append((i, column))
                }
            }
            guard !digestColumns.isEmpty else {
                throw HashSetError(.malformed, path: path, line: number, "ICSE header has no MD5, SHA1 or SHA256 column")
            }
        }, row: { fields, number in
            var entry = KnownHash()
            for (i, kind, column) in digestColumns {
                if let digest = try DigestField.parse(fields.bytes(i), expected: kind, name: column.uppercased(),
                                                      path: path, line: number) {
                    entry.set(digest)
                }
            }
            guard entry.hasDigest else { return }
            entry.category = fields.string(category)
            entry.fileName = fields.string(name)
            if let text = fields.string(size) { entry.size = Int64(text) }
            for (i, column) in others {
                if let value = fields.string(i) { entry.extra[column] = value }
            }
            try body(entry)
        })
    }
}
