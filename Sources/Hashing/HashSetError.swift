/// The one error type of the hash-set layer: what went wrong, in which file,
/// where in it (line, row or byte offset), and what the library said.
public struct HashSetError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable {
        /// The file does not exist.
        case notFound
        /// The file cannot be opened or read (permissions, I/O error).
        case unreadable
        /// The content is not a hash-set format we know.
        case unsupportedFormat
        /// A line, row or JSON value is not what the format says (bad syntax,
        /// missing column, truncated file).
        case malformed
        /// A digest field is not hex or has the wrong length.
        case badDigest
        /// An index file is truncated, damaged or not an index.
        case corruptIndex
        /// The index cannot be written.
        case writeFailed
        /// SQLite refused (not a database, no `FILE` table…).
        case database
    }

    public var code: Code
    /// The file concerned.
    public var path: String
    /// 1-based line of a text file, when the problem has one.
    public var line: Int?
    /// 1-based row of a database table, when the problem has one.
    public var row: Int?
    /// Byte offset in the file (JSON values, index sections), when known.
    public var offset: Int64?
    public var message: String
    /// The system's (`strerror`) or SQLite's (`sqlite3_errmsg`) own message.
    public var underlying: String?

    public init(_ code: Code, path: String, line: Int? = nil, row: Int? = nil, offset: Int64? = nil,
                _ message: String, underlying: String? = nil) {
        self.code = code
        self.path = path
        self.line = line
        self.row = row
        self.offset = offset
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        var text = path
        var place: [String] = []
        if let line { place.append("line \(line)") }
        if let row { place.append("row \(row)") }
        if let offset { place.append("byte offset \(offset)") }
        if !place.isEmpty { text += " (" + place.joined(separator: ", ") + ")" }
        text += ": \(message)"
        if let underlying, !underlying.isEmpty { text += " (\(underlying))" }
        return text
    }

    /// The wording for a digest field that is not a digest.
    static func digestMessage(_ problem: Digest.HexProblem, field: String) -> String {
        switch problem {
        case .length(let n):
            "\(field): wrong hash length \(n) (expected 32, 40 or 64 hex digits)"
        case .character(let i):
            "\(field): not a hex digit at position \(i + 1)"
        }
    }
}
