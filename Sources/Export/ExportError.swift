#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one error of the `Export` module: what went wrong (`code`), the output path it
/// concerns, and the underlying `errno` with its `strerror` text when a system call failed.
public struct ExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; callers map these to exit codes.
    public enum Code: String, Sendable, Equatable {
        /// The output folder is the evidence's folder or inside it (`realpath` comparison).
        case outputInsideEvidence
        /// The output folder exists and holds entries, and `force` was not given.
        case outputNotEmpty
        /// The output root, or a directory needed below it, exists as something that is not
        /// a directory (a device, a FIFO, a socket; or a file where the root should be).
        case notADirectory
        /// A symbolic link sits where the exporter needs a directory: it is never followed.
        case symlinkInPath
        /// The path given to `create(components:)` has no components.
        case emptyPath
        /// The disk is full (`ENOSPC`) or over quota (`EDQUOT`); the partial file was removed.
        case noSpace
        /// Any other failing system call (`open`, `openat`, `mkdirat`, `write`, `close`…).
        case systemCall
        /// `write`/`finish` on a file already finished or abandoned.
        case fileClosed
    }

    /// What kind of failure this is.
    public var code: Code
    /// The output path concerned (the root joined with the relative path built so far).
    public var path: String
    /// What the exporter was doing, e.g. `"openat(O_DIRECTORY|O_NOFOLLOW)"`.
    public var message: String
    /// The `errno` of the failing call, when there was one.
    public var errno: Int32?

    /// Makes an error; `errno` is the code reported by the failing call, if any.
    public init(_ code: Code, path: String, message: String, errno: Int32? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.errno = errno
    }

    /// `strerror(errno)`, or nil when no system call failed.
    public var reason: String? {
        guard let errno else { return nil }
        return String(cString: strerror(errno))
    }

    /// `PATH: OPERATION: REASON`, one line.
    public var description: String {
        var text = "\(path): \(message)"
        if let reason { text += ": \(reason)" }
        return text
    }
}
