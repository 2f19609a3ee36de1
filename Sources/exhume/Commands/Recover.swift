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
                object per item: the fields of `hash --format json` plus `exported` (path relative to DIR).
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
            let manifest: ExportedFile
            do {
                exporter = try RecoveryExporter(exam: exam, outputFolder: out, force: force, mediaOnly: mediaOnly)
                manifest = try exporter.createReservedFile("manifest.jsonl")
            } catch {
                throw Diagnostics.fail(ExhumeError(.outputFailed, "\(error)"))
            }
            var options = ContentPipeline.Options()
            options.hashSets = try hashSets.library()
            let pipeline = ContentPipeline(exam: exam, options: options)
            let allocation: ItemSelection.Allocation = all ? .all : (allocatedOnly ? .allocatedOnly : .deletedOnly)
            let (items, walkIssues) = pipeline.items(ItemSelection(allocation: allocation, skipEmpty: true))
            let total = items.reduce(Int64(0)) { $0 + max(0, $1.size) }
            let bar = ProgressBar(label: "recover")
            let tally = Mutex(RunTally())
            let writer = ManifestWriter(manifest)
            do {
                try pipeline.run(items, exporter: exporter, progress: { bar.update(done: min($0, total), total: total) }) { result in
                    tally.withLock { $0.add(result) }
                    writer.append(ItemRecord.json(result, in: exam, exported: true))
                }
            } catch {
                throw Diagnostics.fail(ExhumeError(.badInput, "\(error)"))
            }
            bar.update(done: total, total: total)
            if let failure = writer.finish() {
                throw Diagnostics.fail(ExhumeError(.outputFailed, "cannot write the manifest: \(failure)"))
            }
            let result = tally.withLock { $0 }
            let outSink = OutputSink()
            outSink.line("Recovered \(result.exported) of \(result.items) items (\(result.bytes) bytes) into \(out)")
            if result.readErrors > 0 { outSink.line("Read incompletely: \(result.readErrors) (content TSK could not fully recover; see read_error in the manifest)") }
            if result.exportErrors > 0 { outSink.line("Not written: \(result.exportErrors) (see export_error in the manifest)") }
            if result.hits > 0 { outSink.line("Known-hash hits: \(result.hits)") }
            if result.mismatches > 0 { outSink.line("Extension mismatches: \(result.mismatches)") }
            outSink.line("Manifest: \(out)/manifest.jsonl")
            do { try outSink.flush() } catch { throw Diagnostics.fail(error) }
            var issues = exam.issues + walkIssues
            if result.exportErrors > 0 {
                issues.append(Issue(severity: .warning, image: exam.source.path, partition: nil, sectorOffset: nil,
                                    message: "\(result.exportErrors) items could not be written"))
            }
            try Diagnostics.finish(issues)
        }
    }
}

/// Appends manifest lines from the delivery queue; remembers the first write error.
final class ManifestWriter: @unchecked Sendable {
    private let file: ExportedFile
    private var buffer: [UInt8] = []
    private var failure: String?

    init(_ file: ExportedFile) { self.file = file }

    func append(_ line: [UInt8]) {
        buffer += line
        buffer.append(0x0A)
        if buffer.count >= 64 << 10 { drain() }
    }

    private func drain() {
        guard failure == nil, !buffer.isEmpty else { return }
        do {
            try buffer.withUnsafeBytes { try file.write($0) }
        } catch {
            failure = "\(error)"
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func finish() -> String? {
        drain()
        if failure == nil {
            do { _ = try file.finish() } catch { failure = error.description }
        }
        return failure
    }
}
