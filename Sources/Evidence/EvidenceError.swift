/// The one error type of the Evidence layer: what went wrong, with which
/// evidence file, at which byte offset, and what the underlying library said.
public struct EvidenceError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The file (or a segment it needs) does not exist.
        case notFound
        /// The file exists but cannot be opened or read (permissions, I/O error).
        case unreadable
        /// The content is not a format we can open (zero bytes, unknown container).
        case unsupportedFormat
        /// The content claims a format but is damaged (truncated E01, bad header).
        case corrupt
        /// A segment of a multi-segment image is missing.
        case missingSegment
        /// A read at a given offset failed.
        case readFailed
    }

    public var code: Code
    /// The evidence file concerned (the first segment when the image has several).
    public var path: String
    /// Byte offset in the image (media offset), when the problem has one.
    public var offset: Int64?
    public var message: String
    /// Message of the C library (libewf) or the system (`strerror`), when there is one.
    public var underlying: String?

    public init(_ code: Code, path: String, offset: Int64? = nil, _ message: String, underlying: String? = nil) {
        self.code = code
        self.path = path
        self.offset = offset
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        var text = "\(path)"
        if let offset { text += " at byte offset \(offset)" }
        text += ": \(message)"
        if let underlying, !underlying.isEmpty { text += " (\(underlying))" }
        return text
    }
}
