#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How an export with a manifest (`recover`, `carve`) ended, told on stderr: a full disk
/// is one warning saying what was written, what was not, and where each item's line is
/// (exit 2); a manifest that could not be written for another reason, or lines that
/// reached neither the manifest nor standard output, are an error (exit 74).
struct ExportReport {
    /// Warnings, said at the end of the run (exit status 2).
    var issues: [Issue] = []
    /// Set when the output failed beyond a full disk.
    var error: ExhumeError?

    init(_ export: ManifestedExporter, manifest: ManifestWriter.Summary, image: String) {
        let root = export.exporter.exporter.rootPath
        // The full disk is told here, with the manifest's state; the exporter tells the rest.
        let others = RecoveryExporter.otherFailureIssues(of: [export.exporter])
        var text: [String] = []
        if let code = export.stoppedByErrno {
            // ENOSPC says what the message says; EDQUOT (over quota) is worth naming.
            let reason = code == ENOSPC ? "" : " (\(String(cString: strerror(code))))"
            var stopped = "export stopped: no space left on \(root)\(reason) after \(export.written) files; "
                + "\(export.notWrittenForSpace) items not exported"
            if manifest.isComplete {
                stopped += "; every item is listed in \(manifest.path), those not written with their hashes and export_error"
            }
            text.append(stopped)
        }
        if !manifest.isComplete {
            text.append(Self.manifestState(manifest, exportStopped: export.stoppedByErrno != nil, written: export.written))
        }
        if !text.isEmpty {
            let message = text.joined(separator: ". ")
            if manifest.wasFull && manifest.overflowFailure == nil && manifest.cutFailure == nil {
                issues.append(Issue(severity: .warning, image: image, partition: nil, sectorOffset: nil, message: message))
            } else {
                error = ExhumeError(.outputFailed, message)
            }
        }
        issues += others
    }

    /// The manifest's lines that are not all in it, whole.
    private static func manifestState(_ manifest: ManifestWriter.Summary, exportStopped: Bool, written: Int) -> String {
        var state: String
        if manifest.wasFull {
            state = "\(manifest.path) is full\(exportStopped ? " too" : ""): it lists \(manifest.lines) items"
        } else {
            let reason = String(cString: strerror(manifest.failure ?? EIO))
            state = "\(manifest.path) could not be written (\(reason)): it lists \(manifest.lines) items"
        }
        if manifest.overflowedWritten == 0 && written > 0 { state += " (every written file among them)" }
        if manifest.cutFailure == nil {
            state += " and ends with a whole line"
        } else {
            state += "; its last line may be cut short (ftruncate: \(String(cString: strerror(manifest.cutFailure!))))"
        }
        if manifest.overflowed > 0 {
            if let overflowFailure = manifest.overflowFailure {
                state += "; the lines of the other \(manifest.overflowed) items could not be printed on standard output either "
                    + "(\(overflowFailure)): their hashes are lost"
            } else {
                state += "; the lines of the other \(manifest.overflowed) items (hashes and all) are on standard output"
            }
            if manifest.overflowedWritten > 0 {
                state += " (\(manifest.overflowedWritten) of them for files that were written)"
            }
        }
        return state
    }
}
