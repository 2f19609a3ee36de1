#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
