#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a crash test stops a process abruptly, as `kill -9` or a power cut
/// would: no cleanup, no flush, no `atexit`. The only `_exit` of the package;
/// production code reaches it only through a test's ``ExhumeKit/ScanObserver``.
public enum KillPoint {
    /// The exit status of a process ended here (as the shell reports a SIGKILL).
    public static let status: Int32 = 137

    public static func crash() -> Never {
        _exit(status)
    }
}
