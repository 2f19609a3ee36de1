import Foundation

/// The one error type of the case store: a code, a message naming the case file, and the
/// underlying SQLite or system error when there is one.
public struct CaseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        /// Another process (or another handle in this one) holds `case.lock`.
        case scanRunning
        /// `case.sqlite` exists but is not a readable SQLite database.
        case corruptDatabase
        /// A file-system call on the case folder failed.
        case io
        /// The disk holding the case is full (`SQLITE_FULL`): the transaction was rolled back,
        /// what was committed before is kept.
        case noSpace
        /// `addImage` was given a path that is already in the case.
        case duplicateImage
        /// An id passed in does not name a row.
        case notFound
    }

    public let code: Code
    public let message: String
    /// The SQLite message or `strerror` text that caused this error, if any.
    public let underlying: String?

    public init(_ code: Code, _ message: String, underlying: String? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        if let underlying { return "\(message) (\(underlying))" }
        return message
    }
}
