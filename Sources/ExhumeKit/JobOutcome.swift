/// What a finished job leaves to say: its summary for standard output, the
/// problems met for standard error, and the output error that ends the command
/// once both are said, if there is one.
public struct JobOutcome: Sendable {
    public var lines: [String]
    public var issues: [Issue]
    public var error: ExhumeError?

    public init(lines: [String], issues: [Issue], error: ExhumeError? = nil) {
        self.lines = lines
        self.issues = issues
        self.error = error
    }
}
