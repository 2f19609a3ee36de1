#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An `errno` value, captured at once after the failing call (the next libc
/// call may change it).
public struct Errno: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The raw value (`ENOSPC`, `EBADF`, …).
    public var code: Int32

    public init(_ code: Int32) {
        self.code = code
    }

    /// The value of `errno` now.
    public static var current: Errno { Errno(errno) }

    /// The system's message for the value (`strerror`).
    public var description: String { String(cString: strerror(code)) }
}
