#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SleuthKit

/// ISO 8601 UTC formatting of TSK timestamps, without Foundation's date types
/// (they round to microseconds and are slow in hot loops).
public enum TimeFormat {
    /// `2004-06-01T15:00:00Z`, or with a fraction when the time has one
    /// (`…:00.123456789Z`, trailing zeros trimmed to 3, 6 or 9 digits).
    public static func iso8601(_ t: Timestamp) -> String {
        var seconds = time_t(t.seconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var text = "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
        text += "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))"
        if t.nanoseconds > 0 {
            var fraction = pad(Int(t.nanoseconds % 1_000_000_000), 9)
            while fraction.count > 3, fraction.hasSuffix("000") { fraction.removeLast(3) }
            text += "." + fraction
        }
        return text + "Z"
    }

    /// The time or nil when TSK reported it unset (0).
    public static func iso8601OrNil(_ t: Timestamp) -> String? {
        t.isSet ? iso8601(t) : nil
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` with optional `Z`, or a
    /// number of seconds since 1970; UTC.
    public static func parse(_ text: String) -> Timestamp? {
        if let seconds = Int64(text) { return Timestamp(seconds: seconds) }
        var s = text
        if s.hasSuffix("Z") { s.removeLast() }
        let dateTime = s.split(whereSeparator: { $0 == "T" || $0 == " " })
        guard let datePart = dateTime.first else { return nil }
        let d = datePart.split(separator: "-").compactMap { Int($0) }
        guard d.count == 3 else { return nil }
        var hms = [0, 0, 0]
        if dateTime.count > 1 {
            let parts = dateTime[1].split(separator: ":").compactMap { Int($0) }
            guard (2...3).contains(parts.count) else { return nil }
            for (i, p) in parts.enumerated() { hms[i] = p }
        }
        var parts = tm()
        parts.tm_year = Int32(d[0] - 1900)
        parts.tm_mon = Int32(d[1] - 1)
        parts.tm_mday = Int32(d[2])
        parts.tm_hour = Int32(hms[0])
        parts.tm_min = Int32(hms[1])
        parts.tm_sec = Int32(hms[2])
        return Timestamp(seconds: Int64(timegm(&parts)))
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
