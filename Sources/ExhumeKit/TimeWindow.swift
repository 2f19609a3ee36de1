import SleuthKit
import Timeline

/// The times a timeline keeps (`--from`, `--to`), inclusive; open on a side not given.
public struct TimeWindow: Sendable {
    public var from: Timestamp?
    public var to: Timestamp?

    /// Whether `text` is a date `--from` and `--to` accept: `YYYY-MM-DD[THH:MM[:SS]]`
    /// (UTC) or seconds since 1970.
    public static func isDate(_ text: String) -> Bool {
        TimeFormat.parse(text) != nil
    }

    /// The window between the dates `from` and `to` (a date that does not read is
    /// left open: check them with ``isDate(_:)`` first). With `wholeLastDay`, a bare
    /// `to` date includes that whole day.
    public init(from: String?, to: String?, wholeLastDay: Bool) {
        self.from = from.flatMap(TimeFormat.parse)
        self.to = to.flatMap(TimeFormat.parse)
        if wholeLastDay, let text = to, !text.contains("T"), !text.contains(" "), let day = self.to, Int64(text) == nil {
            self.to = Timestamp(seconds: day.seconds + 86_399)
        }
    }
}
