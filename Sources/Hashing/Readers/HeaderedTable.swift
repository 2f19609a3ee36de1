/// A delimited text file whose first line names its columns (NSRLFile.txt,
/// ICSE and HashKeeper exports): finds columns by name, case-insensitively,
/// and streams the rows through one reused ``FieldSplitter``.
struct HeaderedTable {
    let path: String
    let separator: UInt8
    /// What the format is called in error messages.
    let formatName: String

    /// Calls `body` with the header's column names (lower-cased, trimmed), once,
    /// then with each row. Blank lines are skipped.
    func forEachRow(header: ([String], Int) throws -> Void,
                    row: (FieldSplitter, Int) throws -> Void) throws {
        let input = try FileInput(path: path)
        var splitter = FieldSplitter(separator: separator)
        var columnCount: Int?
        try input.forEachLine { line, number in
            if Trim.blanks(ArraySlice(line)).isEmpty { return }
            guard splitter.split(line) else {
                throw HashSetError(.malformed, path: path, line: number, "a quoted field is not closed")
            }
            if let expected = columnCount {
                guard splitter.count == expected else {
                    throw HashSetError(.malformed, path: path, line: number,
                                       "\(splitter.count) fields where the \(formatName) header names \(expected)")
                }
                try row(splitter, number)
            } else {
                let names = (0..<splitter.count).map { (splitter.string($0) ?? "").lowercased() }
                columnCount = names.count
                try header(names, number)
            }
        }
        if columnCount == nil {
            throw HashSetError(.malformed, path: path, "empty file: no \(formatName) header line")
        }
    }
}
