import ArgumentParser
import Export
import ExhumeKit
import Synchronization

extension Exhume {
    struct Recover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write deleted (or all) files under an output folder, hashed on the way, with a manifest.",
            discussion: """
                Files go to DIR/[vol_SECTOR/]path as tsk_recover lays them out (NTFS streams as name:stream), \
                names sanitized so nothing can escape DIR, nothing overwritten. DIR/manifest.jsonl has one \
                object per item: the fields of `hash --format json` plus `exported` (path relative to DIR), \
                written as items complete.

                When the output disk fills up, the export stops at the first file that does not fit (its \
                partial file is removed) and no more files are tried; every item is still hashed and listed, \
                those not written with export_error. Room for each file's manifest line is set aside before \
                the file is written, so every file on disk is in the manifest. Lines of unwritten items that \
                find no room in it are printed on standard output instead (the same JSON objects, before the \
                summary); the manifest always ends with a whole line. One warning says so; exit status 2.
                """)

        @OptionGroup var image: ImageOptions
        @OptionGroup var offset: OffsetOption
        @OptionGroup var hashSets: HashSetOptions

        @Option(name: .customLong("out"), help: ArgumentHelp("Output folder (created; must be empty and outside the evidence folder unless --force).", valueName: "DIR"))
        var out: String

        @Flag(help: "Allocated and deleted files (tsk_recover -e).")
        var all = false

        @Flag(name: .customLong("deleted-only"), help: "Deleted files and orphans (the default, as tsk_recover).")
        var deletedOnly = false

        @Flag(name: .customLong("allocated-only"), help: "Only allocated files.")
        var allocatedOnly = false

        @Flag(name: .customLong("media-only"), help: "Only write pictures, video and audio (by content, not name); everything is still hashed and listed.")
        var mediaOnly = false

        @Flag(help: "Accept an output folder that is not empty or lies in the evidence folder.")
        var force = false

        func validate() throws {
            if [all, deletedOnly, allocatedOnly].filter({ $0 }).count > 1 {
                throw ValidationError("--all, --deleted-only and --allocated-only exclude each other")
            }
        }

        func run() throws {
            let exam = try image.examine(sectorOffset: offset.offset)
            let exporter: RecoveryExporter
            let manifest: ManifestWriter
            do {
                exporter = try RecoveryExporter(exam: exam, outputFolder: out, force: force, mediaOnly: mediaOnly)
                manifest = try ManifestWriter(in: exporter, image: exam.source.path)
            } catch let error as ExhumeError {
                throw Diagnostics.fail(error)
            } catch {
                throw Diagnostics.fail(ExhumeError(.outputFailed, "\(error)"))
            }
            let export = ManifestedExporter(exporter, manifest: manifest, mediaOnly: mediaOnly)
            var options = ContentPipeline.Options()
            options.hashSets = try hashSets.library()
            let pipeline = ContentPipeline(exam: exam, options: options)
            let allocation: ItemSelection.Allocation = all ? .all : (allocatedOnly ? .allocatedOnly : .deletedOnly)
            let (items, walkIssues) = pipeline.spool(ItemSelection(allocation: allocation, skipEmpty: true),
                                                     directory: ItemSpool.temporaryFolder)
            let total = items.totalSize
            let bar = ProgressBar(label: "recover")
            let tally = Mutex(RunTally())
            do {
                try pipeline.run(items, exporter: export, progress: { bar.update(done: min($0, total), total: total) }) { result in
                    tally.withLock { $0.add(result) }
                    manifest.append(result, line: ItemRecord.json(result, in: exam, exported: true))
                }
            } catch {
                manifest.close()
                throw Diagnostics.fail(ExhumeError(.badInput, "\(error)"))
            }
            bar.update(done: total, total: total)
            // Lines the manifest had no room for are printed here, before the summary.
            let written = manifest.close()
            let report = ExportReport(export, manifest: written, image: exam.source.path)
            let result = tally.withLock { $0 }
            let outSink = OutputSink()
            outSink.line("Recovered \(result.exported) of \(result.items) items (\(result.bytes) bytes) into \(out)")
            if result.readErrors > 0 { outSink.line("Read incompletely: \(result.readErrors) (content TSK could not fully recover; see read_error in the manifest)") }
            if result.exportErrors > 0 { outSink.line("Not written: \(result.exportErrors) (see export_error in \(written.overflowed > 0 ? "the manifest and the lines above" : "the manifest"))") }
            if result.hits > 0 { outSink.line("Known-hash hits: \(result.hits)") }
            if result.mismatches > 0 { outSink.line("Extension mismatches: \(result.mismatches)") }
            outSink.line("Manifest: \(written.path)\(written.overflowed > 0 ? " (\(written.lines) items; the other \(written.overflowed) above)" : "")")
            let issues = exam.issues + walkIssues + items.issues(image: exam.source.path) + report.issues
            try Diagnostics.conclude(flushing: outSink, issues: issues, error: report.error)
        }
    }
}
