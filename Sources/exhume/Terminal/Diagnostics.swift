import ArgumentParser
import ExhumeKit
#if canImport(Glibc)
import Glibc
#endif

/// Messages for the analyst on standard error, and how a command ends.
enum Diagnostics {
    static func print(_ message: String) {
        writeStderr(message + "\n")
    }

    static func report(_ issues: [Issue]) {
        for issue in issues { print("exhume: \(issue)") }
    }

    /// Says `error` on stderr; returns the exit status that ends the command with it.
    static func fail(_ error: ExhumeError) -> ExitCode {
        print("exhume: error: \(error.message)")
        return ExitStatus(error.code).exitCode
    }

    /// Exit status for work that finished: 2 when warnings were reported.
    static func finish(_ issues: [Issue]) throws {
        report(issues)
        if issues.contains(where: { $0.severity == .warning }) { throw ExitStatus.finishedWithProblems.exitCode }
    }

    /// Prints a job's summary on stdout, then ends as ``finish(_:)``; a summary that
    /// cannot be written ends the command before the problems are said.
    static func finish(printing outcome: JobOutcome) throws {
        let sink = OutputSink()
        for line in outcome.lines { sink.line(line) }
        try sink.flush()
        try finish(outcome.issues)
    }

    /// Prints the summary of an export with a manifest (`recover`, `carve`), then ends
    /// with its error (or the summary's own failure) when there is one, else as
    /// ``finish(_:)``. When the summary cannot be printed the problems are still
    /// said, before the error.
    static func conclude(printing outcome: JobOutcome) throws {
        let sink = OutputSink()
        for line in outcome.lines { sink.line(line) }
        var failure = outcome.error
        do { try sink.flush() } catch { failure = failure ?? error }
        if let failure {
            report(outcome.issues)
            throw failure
        }
        try finish(outcome.issues)
    }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }
}

/// The exit statuses the README documents; the one place they are numbered.
enum ExitStatus: Int32 {
    case success = 0
    /// `verify`: a stored hash does not match, chunks failed their checksum, or reads failed.
    case mismatch = 1
    /// Finished with problems: output was written but part of the evidence could not be read,
    /// or some items could not be exported.
    case finishedWithProblems = 2
    case usage = 64
    /// The image cannot be read or holds nothing TSK recognises.
    case badInput = 65
    /// The image file does not exist.
    case missingInput = 66
    /// The output cannot be written, or an output folder is refused.
    case outputFailed = 74

    /// The status of a command that `code` ended.
    init(_ code: ExhumeError.Code) {
        self = switch code {
        case .missingInput: .missingInput
        case .badInput: .badInput
        case .outputFailed: .outputFailed
        case .usage: .usage
        }
    }

    var exitCode: ExitCode { ExitCode(rawValue) }
}

/// A one-line progress bar on stderr, redrawn at most a few times a second;
/// only on a terminal.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let start = Clock.now()
    private var lastDraw = 0.0
    private let terminal: Bool

    /// On a terminal the bar is redrawn in place a few times a second; otherwise
    /// (a log file, a pipe) a plain line is written every 10 seconds.
    init(label: String, terminal: Bool = Diagnostics.stderrIsTerminal) {
        self.label = label
        self.terminal = terminal
    }

    func update(done: Int64, total: Int64, detail: String? = nil) {
        let now = Clock.now()
        let interval = terminal ? 0.2 : 10
        guard now - lastDraw >= interval || (terminal && done == total) else { return }
        if !terminal && lastDraw == 0 && now - start < interval { return }
        lastDraw = now
        let elapsed = max(now - start, 0.001)
        let rate = Double(done) / elapsed / 1e6
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let eta = rate > 0 ? Double(max(0, total - done)) / (rate * 1e6) : 0
        let numbers = "\(Int(fraction * 100))%  \(done / 1_000_000)/\(total / 1_000_000) MB  \(String(format1: rate)) MB/s  ETA \(Int(eta))s"
            + (detail.map { "  \($0)" } ?? "")
        if terminal {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            writeStderr("\r\(label) [\(bar)] \(numbers) ")
            if done == total { writeStderr("\n") }
        } else {
            writeStderr("\(label): \(numbers)\n")
        }
    }
}

extension ProgressBar {
    /// Starts a bar labelled `label` when a job's step begins (see ``ProgressStart``).
    static func start(_ label: String) -> ProgressStart {
        {
            let bar = ProgressBar(label: label)
            return { bar.update(done: $0, total: $1) }
        }
    }
}

/// Unbuffered write to file descriptor 2.
func writeStderr(_ text: String) {
    StandardError.write(text)
}

enum Clock {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

extension String {
    init(format1 value: Double) {
        let scaled = Int((value * 10).rounded())
        self = "\(scaled / 10).\(abs(scaled % 10))"
    }
}
