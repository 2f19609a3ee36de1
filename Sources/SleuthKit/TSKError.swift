internal import CSleuthKit

/// An error reported by The Sleuth Kit, with TSK's own message.
public struct TSKError: Error, Sendable, CustomStringConvertible {
    /// The TSK function that failed.
    public var function: String
    /// TSK's message (`tsk_error_get`), captured on the failing thread.
    public var message: String
    /// Where it happened: the image and, when relevant, the partition byte offset.
    public var context: String

    public init(function: String, message: String, context: String) {
        self.function = function
        self.message = message
        self.context = context
    }

    /// Captures TSK's thread-local error state right after `function` failed,
    /// then clears it (`tsk_error_get`, `tsk_error_reset`).
    static func capture(function: String, context: String) -> TSKError {
        let text: String
        if let cText = exhume_tsk_error_message() {
            text = String(cString: cText).trimmingWhitespace()
        } else {
            text = "unknown error"
        }
        tsk_error_reset()
        return TSKError(function: function, message: text.isEmpty ? "unknown error" : text, context: context)
    }

    public var description: String { "\(context): \(message)" }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        // TSK joins its two messages with "(" … ")" on new lines; keep one line.
        return scalars.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
