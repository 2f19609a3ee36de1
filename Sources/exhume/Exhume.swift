import ArgumentParser
import ExhumeKit

@main
struct Exhume: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exhume",
        abstract: "Open disk images, list allocated and deleted files, build timelines, recover and hash files.",
        discussion: """
            Evidence is opened read-only. Data goes to standard output; progress, notes and errors to standard \
            error.

            Exit codes: 0 success, 1 verification mismatch, 2 finished with problems (some data unreadable; see \
            stderr), 64 usage error, 65 unreadable or unrecognised image, 66 image file missing, 74 cannot write \
            output.
            """,
        version: "0.1.0",
        subcommands: [Info.self, Verify.self, Ls.self, TimelineCommand.self, HashCommand.self, Recover.self, Carve.self, HashSetCommand.self, Scan.self, Report.self]
    )

    /// Runs the command the arguments name. An ``ExhumeError`` thrown by a command
    /// ends here: its message goes to standard error and its code becomes the exit
    /// status (``ExitStatus``). Everything else is the argument parser's to report.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as ExhumeError {
            exit(withError: Diagnostics.fail(error))
        } catch {
            exit(withError: error)
        }
    }
}
