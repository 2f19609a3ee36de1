/// Reads NSRL RDS v3: an SQLite database whose `FILE` table has the columns
/// `sha256, sha1, md5, crc32, file_name, file_size, package_id`. Columns are
/// found by name (case-insensitive); `crc32`, `package_id` and any other
/// column are kept in `extra`. Rows are streamed with `sqlite3_step`.
public struct NSRLSQLiteReader: HashSetReader {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func forEach(_ body: (KnownHash) throws -> Void) throws {
        let probe = try FileInput(path: path)  // a clear "no such file" before SQLite creates nothing
        _ = probe
        let database = try SQLiteDatabase(path: path, readOnly: true)
        guard try database.hasTable("FILE") else {
            throw HashSetError(.database, path: path, "no FILE table: not an NSRL RDS v3 database")
        }
        let statement = try SQLiteStatement(database, "SELECT * FROM FILE")
        var digestColumns: [(Int32, DigestKind, String)] = []
        var name: Int32 = -1, size: Int32 = -1
        var others: [(Int32, String)] = []
        for i in 0..<statement.columnCount {
            let column = statement.columnName(i).lowercased()
            if let kind = DigestKind(name: column) {
                digestColumns.append((i, kind, column))
                continue
            }
            switch column {
            case "file_name": name = i
            case "file_size": size = i
            default: others.append((i, column))
            }
        }
        guard !digestColumns.isEmpty else {
            throw HashSetError(.database, path: path, "the FILE table has no sha256, sha1 or md5 column")
        }
        var row = 0
        while try statement.step() {
            row += 1
            var entry = KnownHash()
            for (i, kind, column) in digestColumns {
                let parsed = try statement.withText(i) { (text) throws(HashSetError) -> Digest? in
                    try DigestField.parse(ArraySlice(text), expected: kind, name: column, path: path, row: row)
                }
                if let digest = parsed ?? nil { entry.set(digest) }
            }
            guard entry.hasDigest else {
                throw HashSetError(.malformed, path: path, row: row, "FILE row has no digest")
            }
            if name >= 0 { entry.fileName = statement.text(name) }
            if size >= 0 { entry.size = statement.int64(size) }
            for (i, column) in others {
                if let value = statement.text(i) { entry.extra[column] = value }
            }
            try body(entry)
        }
    }
}
