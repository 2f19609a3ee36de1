/// Told how far a long step has got: bytes done of a total (a progress bar).
public typealias ProgressReport = @Sendable (_ done: Int64, _ total: Int64) -> Void

/// Called by a job when the step it reports on begins (the bar's clock starts
/// there); returns where to report.
public typealias ProgressStart = () -> ProgressReport
