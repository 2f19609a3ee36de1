#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Retries `call` while it fails with `EINTR`; its non-negative result, or the captured
/// `errno` of a real failure (every wrapped call returns -1 on failure).
@inline(__always)
func retryingEINTR<T: BinaryInteger>(_ call: () -> T) -> Result<T, Errno> {
    while true {
        let result = call()
        if result >= 0 { return .success(result) }
        let code = errno
        if code != EINTR { return .failure(Errno(code)) }
    }
}

/// A captured `errno` value (captured at once: the next libc call may change it).
struct Errno: Error, Equatable {
    var code: Int32
    init(_ code: Int32) { self.code = code }
}

/// Closes `fd`, ignoring `EINTR` (on Linux the descriptor is released even then);
/// returns the `errno` of a real failure, e.g. a delayed `ENOSPC` on a network file system.
@discardableResult
func closeDescriptor(_ fd: Int32) -> Int32? {
    if close(fd) == 0 { return nil }
    let code = errno
    return code == EINTR ? nil : code
}

/// `write(2)` under a name that does not clash with the `write` methods of this module.
@inline(__always)
func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}
