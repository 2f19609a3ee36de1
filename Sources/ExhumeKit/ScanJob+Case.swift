import Foundation
import Hashing

extension ScanJob {
    /// `exhume scan`: takes the case folder's scan lock (a second scan of the case is
    /// refused), opens the hash sets, scans `images` in order into the case, and says
    /// what each image added. `progress` is called once the scan is about to begin.
    public static func scan(_ images: [String], caseFolder: String, options: Options, hashSets: [String],
                            toolVersion: String, commandLine: String,
                            progress: () -> @Sendable (Progress) -> Void) throws(ExhumeError) -> JobOutcome {
        let folder = URL(fileURLWithPath: caseFolder)
        let lock: AnyObject
        do {
            lock = try ScanJob.lock(caseFolder: folder)
        } catch {
            throw ExhumeError(error, during: .lockingCase(folder: caseFolder))
        }
        defer { withExtendedLifetime(lock) {} }
        var options = options
        options.hashSets = try HashSetLibrary.load(specs: hashSets)
        let report = progress()
        let summaries: [ImageSummary]
        do {
            let job = try ScanJob(caseFolder: folder, options: options)
            summaries = try job.run(images: images, toolVersion: toolVersion, commandLine: commandLine, progress: report)
        } catch {
            throw ExhumeError(error, during: .scanning)
        }
        let lines = summaries.flatMap(\.lines) + ["Case: \(folder.appendingPathComponent("case.sqlite").path)"]
        return JobOutcome(lines: lines, issues: summaries.flatMap(\.issues).filter { $0.severity == .warning })
    }
}

extension ScanJob.ImageSummary {
    /// What the scan of the image added, and how its media's digests compare with the stored ones.
    var lines: [String] {
        var line = "\(path): \(items) items"
        if resumedFrom > 0 { line += " (resumed; \(resumedFrom) were already recorded)" }
        line += ", \(carved) carved, \(hits) with hash-set hits, \(mismatches) extension mismatches, \(exported) exported"
        guard let v = verification else { return [line] }
        switch v.verdict {
        case .verified:
            return [line, "  image verified: computed MD5 \(v.computedMD5) equals the one stored at acquisition"]
        case .mismatch:
            return [line, "  image NOT verified: computed MD5 \(v.computedMD5), stored \(v.storedMD5 ?? v.storedSHA1 ?? "none")"
                        + (v.checksumErrors.isEmpty && v.readErrors.isEmpty ? "" : " (damaged chunks or unreadable bytes)")]
        case .noStoredHash:
            return [line, "  image MD5 \(v.computedMD5) (no hash stored in the image to compare with)"]
        }
    }
}
