import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Disk space set aside for a file ahead of its end.
public enum FileSpace {
    /// `fallocate(fd, FALLOC_FL_KEEP_SIZE, offset, length)`: allocates the blocks of
    /// `offset..<offset+length` without changing the file's size, so that writes there
    /// cannot fail for want of space, and a crash leaves no zeros after the last byte
    /// written (as `posix_fallocate` would). `ftruncate` to the file's size gives the
    /// blocks past it back.
    ///
    /// Returns nil when the space is held, else the `errno`: `ENOSPC`/`EDQUOT` when the
    /// disk has no such room, `EOPNOTSUPP` where the file system cannot do it, `ENOSYS`
    /// where the C library has no `fallocate` (it is Linux's).
    public static func reserve(_ fd: Int32, from offset: Int64, length: Int64) -> Int32? {
        guard let fallocate = Self.fallocate else { return ENOSYS }
        switch valueOrErrno({ fallocate(fd, keepSize, offset, length) }) {
        case .success: return nil
        case .failure(let error): return error.code
        }
    }

    /// `FALLOC_FL_KEEP_SIZE` of `<linux/falloc.h>`.
    private static let keepSize: Int32 = 0x01

    private typealias Fallocate = @convention(c) (Int32, Int32, Int64, Int64) -> Int32

    /// glibc declares `fallocate` only under `_GNU_SOURCE`, which Swift's Glibc module is
    /// not built with, so the symbol (the 64-bit `off_t` one) is looked up by name once.
    private static let fallocate: Fallocate? = {
        #if os(Linux)
        guard let symbol = dlsym(nil, "fallocate64") else { return nil }
        return unsafeBitCast(symbol, to: Fallocate.self)
        #else
        return nil
        #endif
    }()
}
