import ArgumentParser
import CaseStore
import ExhumeKit
import Export
import Foundation

extension Exhume {
    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scan images into a case: every allocated, deleted, orphan, stream and carved item, typed, hashed and matched, in one read.",
            discussion: """
                The case folder holds case.sqlite (see the README for its schema) and export/. An interrupted \
                scan (kill, crash, power loss) continues where it stopped when the same command is run again; \
                items committed before are kept and not read again. A finished image is not scanned twice \
                unless --rescan. Only one scan runs on a case at a time. When the export disk fills up \
                the export stops there (one message at the end, exit 2) and every item is still \
                recorded; when the disk under case.sqlite fills up the scan stops (exit 74) and the \
                same command continues it once there is room.
                """)

        @Argument(help: "One or more images (.E01, raw, split raw).")
        var images: [String]

        @Option(name: .customLong("case"), help: ArgumentHelp("The case folder (created).", valueName: "DIR"))
        var caseFolder: String

        @OptionGroup var hashSets: HashSetOptions

        @Option(help: "Which items to copy into DIR/export: none, hits (known-bad or known-good hits), media or all.")
        var export: String = "none"

        @Flag(inversion: .prefixedNo, help: "Carve unallocated and unpartitioned space (default on).")
        var carve = true

        @Option(help: ArgumentHelp("Carve only these types (jpg,png,…).", valueName: "TYPES"))
        var types: String?

        @Flag(help: "Also carve file slack (the end of allocated files' last blocks).")
        var slack = false

        @Flag(name: .customLong("all-space"), help: "Carve the whole image, allocated space too (finds files embedded in other files).")
        var allSpace = false

        @Flag(help: "Scan an image again even if the case already holds a finished scan of it (after the export disk filled up, this writes the rest).")
        var rescan = false

        @Option(name: .customLong("batch-size"), help: ArgumentHelp("Items per database transaction.", visibility: .hidden))
        var batchSize: Int = 1000

        @Option(name: .customLong("fs-timezone"), help: ArgumentHelp("Time zone of the seized machine (FAT local times).", valueName: "ZONE"))
        var fsTimezone: String = "UTC"

        func validate() throws {
            if ScanJob.ExportPolicy(rawValue: export) == nil {
                throw ValidationError("--export must be none, hits, media or all")
            }
        }

        func run() throws {
            setenv("TZ", fsTimezone, 1)
            tzset()
            let folder = URL(fileURLWithPath: caseFolder)
            let lock: AnyObject
            do {
                lock = try ScanJob.lock(caseFolder: folder)
            } catch {
                throw Diagnostics.fail(ExhumeError(.usage, "\(caseFolder): \(error)"))
            }
            var options = ScanJob.Options()
            options.hashSets = try hashSets.library()
            options.export = ScanJob.ExportPolicy(rawValue: export) ?? .none
            options.carve = carve
            options.carveTypes = types.map { $0.split(separator: ",").map { $0.lowercased() } } ?? []
            options.rescan = rescan
            options.carveSlack = slack
            options.carveAllSpace = allSpace
            options.batchSize = batchSize
            let bar = ProgressBar(label: "scan")
            let summaries: [ScanJob.ImageSummary]
            do {
                let job = try ScanJob(caseFolder: folder, options: options)
                summaries = try job.run(images: images, toolVersion: Exhume.configuration.version,
                                        commandLine: CommandLine.arguments.joined(separator: " ")) { progress in
                    bar.update(done: min(progress.done, progress.total), total: progress.total, detail: progress.countsText)
                }
            } catch let error as ExhumeError {
                throw Diagnostics.fail(error)
            } catch let error as CaseError where error.code == .noSpace {
                // The batch that did not fit was rolled back; everything before it is in the case.
                throw Diagnostics.fail(ExhumeError(.outputFailed, "\(error); what was recorded before is kept: make room and run the same command again to continue"))
            } catch let error as CaseError where error.code == .io {
                throw Diagnostics.fail(ExhumeError(.outputFailed, "\(error)"))
            } catch let error as ExportError {
                // The export folder cannot even be opened (a full disk while the scan goes on is
                // not this: it stops the export and is reported at the end).
                throw Diagnostics.fail(ExhumeError(.outputFailed, "\(error)"))
            } catch {
                throw Diagnostics.fail(ExhumeError(.badInput, "\(error)"))
            }
            withExtendedLifetime(lock) {}
            let sink = OutputSink()
            for s in summaries {
                var line = "\(s.path): \(s.items) items"
                if s.resumedFrom > 0 { line += " (resumed; \(s.resumedFrom) were already recorded)" }
                line += ", \(s.carved) carved, \(s.hits) with hash-set hits, \(s.mismatches) extension mismatches, \(s.exported) exported"
                sink.line(line)
                if let v = s.verification {
                    switch v.verdict {
                    case .verified:
                        sink.line("  image verified: computed MD5 \(v.computedMD5) equals the one stored at acquisition")
                    case .mismatch:
                        sink.line("  image NOT verified: computed MD5 \(v.computedMD5), stored \(v.storedMD5 ?? v.storedSHA1 ?? "none")"
                                  + (v.checksumErrors.isEmpty && v.readErrors.isEmpty ? "" : " (damaged chunks or unreadable bytes)"))
                    case .noStoredHash:
                        sink.line("  image MD5 \(v.computedMD5) (no hash stored in the image to compare with)")
                    }
                }
            }
            sink.line("Case: \(folder.appendingPathComponent("case.sqlite").path)")
            do { try sink.flush() } catch { throw Diagnostics.fail(error) }
            try Diagnostics.finish(summaries.flatMap(\.issues).filter { $0.severity == .warning })
        }
    }
}
