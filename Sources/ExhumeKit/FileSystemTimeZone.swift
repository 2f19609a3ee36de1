#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The time zone of the seized machine, for file systems that store local time (FAT).
public enum FileSystemTimeZone {
    /// Makes `zone` the process time zone (`TZ`, `tzset`): TSK converts FAT's local
    /// times with it, as its `-z` flag does. Output stays UTC.
    public static func use(_ zone: String) {
        setenv("TZ", zone, 1)
        tzset()
    }
}
