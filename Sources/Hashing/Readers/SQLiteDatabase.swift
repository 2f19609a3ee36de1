internal import CSQLite

/// The one owner of a `sqlite3*` connection: opened in `init`
/// (`sqlite3_open_v2`), closed in `deinit` (`sqlite3_close_v2`).
///
/// Not `Sendable`: a connection and its statements are used by one reader on
/// one thread.
final class SQLiteDatabase {
    let path: String
    private let db: OpaquePointer

    /// `sqlite3_open_v2` read-only (or read-write-create for tests that build a database).
    init(path: String, readOnly: Bool = true) throws(HashSetError) {
        self.path = path
        var handle: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let handle { sqlite3_close_v2(handle) }
            throw HashSetError(.database, path: path, "cannot open the SQLite database", underlying: message)
        }
        self.db = handle
    }

    deinit {
        sqlite3_close_v2(db)
    }

    /// The connection's last error (`sqlite3_errmsg`).
    var lastMessage: String { String(cString: sqlite3_errmsg(db)) }

    /// Runs SQL that returns no rows (`sqlite3_exec`).
    func execute(_ sql: String) throws(HashSetError) {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw HashSetError(.database, path: path, "SQL failed: \(sql.prefix(80))", underlying: lastMessage)
        }
    }

    /// True when the schema holds a table of that name (case-insensitive, as SQLite compares names).
    func hasTable(_ name: String) throws(HashSetError) -> Bool {
        let statement = try SQLiteStatement(self, "SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ? COLLATE NOCASE")
        statement.bind(1, name)
        return try statement.step()
    }

    /// `sqlite3_prepare_v2`, for ``SQLiteStatement``.
    fileprivate func prepare(_ sql: String) throws(HashSetError) -> OpaquePointer {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw HashSetError(.database, path: path, "cannot prepare: \(sql.prefix(80))", underlying: lastMessage)
        }
        return statement
    }
}

/// The one owner of a `sqlite3_stmt*` (`sqlite3_finalize` in `deinit`); keeps its
/// connection alive.
final class SQLiteStatement {
    private let database: SQLiteDatabase
    private let statement: OpaquePointer

    init(_ database: SQLiteDatabase, _ sql: String) throws(HashSetError) {
        self.database = database
        self.statement = try database.prepare(sql)
    }

    deinit {
        sqlite3_finalize(statement)
    }

    /// `sqlite3_bind_text` (the text is copied: `SQLITE_TRANSIENT`).
    func bind(_ index: Int32, _ text: String) {
        sqlite3_bind_text(statement, index, text, -1, exhume_sqlite_transient())
    }

    /// `sqlite3_bind_int64`.
    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(statement, index, value)
    }

    /// `sqlite3_bind_null`.
    func bindNull(_ index: Int32) {
        sqlite3_bind_null(statement, index)
    }

    /// `sqlite3_step`: true while there is a row, false when done.
    func step() throws(HashSetError) -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            throw HashSetError(.database, path: database.path, "reading the database failed",
                               underlying: database.lastMessage)
        }
    }

    /// `sqlite3_reset` + `sqlite3_clear_bindings`, to run the statement again.
    func reset() {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
    }

    /// `sqlite3_column_count`.
    var columnCount: Int32 { sqlite3_column_count(statement) }

    /// `sqlite3_column_name`.
    func columnName(_ index: Int32) -> String {
        sqlite3_column_name(statement, index).map { String(cString: $0) } ?? ""
    }

    /// True when the column of the current row is NULL (`sqlite3_column_type`).
    func isNull(_ index: Int32) -> Bool {
        sqlite3_column_type(statement, index) == SQLITE_NULL
    }

    /// The column's bytes as text (`sqlite3_column_text` + `sqlite3_column_bytes`),
    /// handed to `body` while SQLite owns them; nil for NULL.
    func withText<R>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws(HashSetError) -> R) throws(HashSetError) -> R? {
        guard let text = sqlite3_column_text(statement, index) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, index))
        return try body(UnsafeBufferPointer(start: text, count: count))
    }

    /// The column as text (copied), nil for NULL.
    func text(_ index: Int32) -> String? {
        guard let text = sqlite3_column_text(statement, index) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, index))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// `sqlite3_column_int64`, nil for NULL.
    func int64(_ index: Int32) -> Int64? {
        isNull(index) ? nil : sqlite3_column_int64(statement, index)
    }
}
