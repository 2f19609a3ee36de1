import Foundation
internal import GRDB

/// Reads NSRL RDS v3: an SQLite database whose `FILE` table has the columns
/// `sha256, sha1, md5, crc32, file_name, file_size, package_id`. Columns are
/// found by name (case-insensitive); `crc32`, `package_id` and any other
/// column are kept in `extra`. Rows are streamed through a GRDB cursor
/// (`sqlite3_step` one row at a time), never loaded as a whole.
public struct NSRLSQLiteReader: HashSetReader {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The query that finds the `FILE` table, named in its errors.
    static let tableQuery = "SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ? COLLATE NOCASE"
    static let rowQuery = "SELECT * FROM FILE"

    public func forEach(_ body: (KnownHash) throws -> Void) throws {
        let probe = try FileInput(path: path)  // a clear "no such file" before SQLite creates nothing
        _ = probe
        let queue = try open()
        try queue.inDatabase { db in
            guard try hasFileTable(db) else {
                throw HashSetError(.database, path: path, "no FILE table: not an NSRL RDS v3 database")
            }
            let statement: Statement
            do {
                statement = try db.makeStatement(sql: Self.rowQuery)
            } catch let error as DatabaseError {
                throw prepareError(Self.rowQuery, error)
            }
            let columns = try FileColumns(statement.columnNames, path: path)
            // A UTF-16 database's text is read as SQLite converts it (`sqlite3_column_text`),
            // a UTF-8 one's as its stored bytes (the same bytes, NULs included).
            let utf8 = (try? String.fetchOne(db, sql: "PRAGMA encoding"))?.hasPrefix("UTF-16") != true
            let rows = try Row.fetchCursor(statement)
            var row = 0
            while let values = try next(rows) {
                row += 1
                try body(try columns.entry(values, row: row, path: path, utf8: utf8))
            }
        }
    }

    /// The database, read-only (`sqlite3_open_v2` with `SQLITE_OPEN_READONLY`).
    private func open() throws(HashSetError) -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.foreignKeysEnabled = false
        do {
            return try DatabaseQueue(path: path, configuration: configuration)
        } catch let error as DatabaseError {
            // GRDB reads the schema as it opens, so a file that is not a database fails
            // here, with the first statement; before, the FILE-table query failed on it.
            if error.sql != nil { throw prepareError(Self.tableQuery, error) }
            throw HashSetError(.database, path: path, "cannot open the SQLite database", underlying: error.message)
        } catch {
            throw HashSetError(.database, path: path, "cannot open the SQLite database", underlying: "\(error)")
        }
    }

    /// True when the schema holds a table or view named FILE (case-insensitive, as SQLite compares names).
    private func hasFileTable(_ db: Database) throws(HashSetError) -> Bool {
        do {
            return try Row.fetchOne(db, sql: Self.tableQuery, arguments: ["FILE"]) != nil
        } catch let error as DatabaseError {
            throw prepareError(Self.tableQuery, error)
        } catch {
            throw HashSetError(.database, path: path, "cannot prepare: \(Self.tableQuery.prefix(80))", underlying: "\(error)")
        }
    }

    /// The next row (`sqlite3_step`), nil at the end.
    private func next(_ rows: RowCursor) throws(HashSetError) -> Row? {
        do {
            return try rows.next()
        } catch {
            let message = (error as? DatabaseError)?.message ?? "\(error)"
            throw HashSetError(.database, path: path, "reading the database failed", underlying: message)
        }
    }

    private func prepareError(_ sql: String, _ error: DatabaseError) -> HashSetError {
        HashSetError(.database, path: path, "cannot prepare: \(sql.prefix(80))", underlying: error.message)
    }
}

/// Where the `FILE` table keeps what a ``KnownHash`` holds, found once from its column names.
private struct FileColumns {
    var digests: [(index: Int, kind: DigestKind, name: String)] = []
    var name: Int?
    var size: Int?
    var others: [(index: Int, name: String)] = []

    init(_ names: [String], path: String) throws(HashSetError) {
        for (i, original) in names.enumerated() {
            let column = original.lowercased()
            if let kind = DigestKind(name: column) {
                digests.append((i, kind, column))
                continue
            }
            switch column {
            case "file_name": name = i
            case "file_size": size = i
            default: others.append((i, column))
            }
        }
        guard !digests.isEmpty else {
            throw HashSetError(.database, path: path, "the FILE table has no sha256, sha1 or md5 column")
        }
    }

    /// One row's entry; a row without any digest is an error naming the row.
    func entry(_ values: Row, row: Int, path: String, utf8: Bool) throws -> KnownHash {
        var entry = KnownHash()
        for (i, kind, column) in digests {
            let digest = try Self.withBytes(values, i, utf8: utf8) { (text) throws(HashSetError) in
                try DigestField.parse(text, expected: kind, name: column, path: path, row: row)
            }
            if let digest = digest ?? nil { entry.set(digest) }
        }
        guard entry.hasDigest else {
            throw HashSetError(.malformed, path: path, row: row, "FILE row has no digest")
        }
        if let name { entry.fileName = try Self.text(values, name, utf8: utf8) }
        // `sqlite3_column_int64`: SQLite's own conversion of text or real values.
        if let size { entry.size = try values.decode(Int64?.self, atIndex: size) }
        for (i, column) in others {
            if let value = try Self.text(values, i, utf8: utf8) { entry.extra[column] = value }
        }
        return entry
    }

    /// Calls `body` with the column's text as bytes, or returns nil for NULL. Integers and
    /// reals come as SQLite writes them (`sqlite3_column_blob` converts them as
    /// `sqlite3_column_text` does); the bytes are SQLite's, valid during the call.
    static func withBytes<R>(_ values: Row, _ index: Int, utf8: Bool,
                             _ body: (UnsafeBufferPointer<UInt8>) throws(HashSetError) -> R) throws -> R? {
        if !utf8 {
            guard var text = try values.decode(String?.self, atIndex: index) else { return nil }
            return try text.withUTF8 { (bytes) throws(HashSetError) in try body(bytes) }
        }
        return try values.withUnsafeData(atIndex: index) { data in
            try data.map { data in
                try data.withUnsafeBytes { raw in try body(raw.assumingMemoryBound(to: UInt8.self)) }
            }
        }
    }

    static func text(_ values: Row, _ index: Int, utf8: Bool) throws -> String? {
        try withBytes(values, index, utf8: utf8) { String(decoding: $0, as: UTF8.self) }
    }
}
