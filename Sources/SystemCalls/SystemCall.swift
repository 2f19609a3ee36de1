#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `call`, a system call that returns -1 and sets `errno` on failure,
/// again while it fails with `EINTR` (a signal arrived while it was blocked,
/// and the handler was installed without `SA_RESTART`): its result, or the
/// `errno` of the failure. After swift-system's `valueOrErrno(retryOnInterrupt:_:)`.
///
/// Only for calls that may simply be made again after `EINTR` (`read`,
/// `write`, `pread`, `open`, `wait4`…); not for `close`, whose descriptor
/// Linux releases even then.
@inlinable
public func valueOrErrno<Value: FixedWidthInteger>(retryOnInterrupt: Bool = true,
                                                   _ call: () -> Value) -> Result<Value, Errno> {
    while true {
        let value = call()
        if value != -1 { return .success(value) }
        let error = Errno.current
        if !retryOnInterrupt || error.code != EINTR { return .failure(error) }
    }
}

/// Closes `fd` once: not retried after `EINTR`, since Linux releases the
/// descriptor even then (a retry could close another thread's new one). The
/// `errno` of a real failure, e.g. a delayed `ENOSPC` on a network file system,
/// or nil.
@discardableResult
public func closeDescriptor(_ fd: Int32) -> Errno? {
    if close(fd) == 0 { return nil }
    let error = Errno.current
    return error.code == EINTR ? nil : error
}
