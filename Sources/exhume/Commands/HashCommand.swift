import ArgumentParser
import ExhumeKit
import Synchronization

extension Exhume {
    struct HashCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hash",
            abstract: "Hash every file's content (allocated, deleted, orphan, NTFS streams): MD5, SHA-1 and SHA-256 in one read, with content type and known-hash matches.",
            discussion: "Nothing is written anywhere. Files are read in image order; reading, MD5 and SHA-1/SHA-256/libmagic run on separate threads.")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case hashdeep, md5sum, json
        }

        @OptionGroup var image: ImageOptions
        @OptionGroup var offset: OffsetOption
        @OptionGroup var hashSets: HashSetOptions

        @Flag(name: .customLong("deleted-only"), help: "Only deleted files, orphans and their streams.")
        var deletedOnly = false

        @Option(help: "hashdeep, md5sum or json (JSON lines).")
        var format: Format = .hashdeep

        @Flag(name: .customLong("no-identify"), help: "Skip libmagic (no MIME type, no extension check).")
        var noIdentify = false

        func run() throws {
            let exam = try image.examine(sectorOffset: offset.offset)
            var options = ContentPipeline.Options()
            options.identify = !noIdentify
            options.hashSets = try hashSets.library()
            let pipeline = ContentPipeline(exam: exam, options: options)
            let (items, walkIssues) = pipeline.spool(ItemSelection(allocation: deletedOnly ? .deletedOnly : .all),
                                                     directory: ItemSpool.temporaryFolder)
            let out = OutputSink()
            if format == .hashdeep {
                for line in ItemRecord.hashdeepHeader { out.line(line) }
                out.line("## Invoked from: exhume hash \(image.image)")
                out.line("##")
            }
            let state = Mutex(RunTally())
            let box = SinkBox(out)
            let total = items.totalSize
            let bar = ProgressBar(label: "hash")
            let format = self.format
            do {
                try pipeline.run(items, progress: { bar.update(done: min($0, total), total: total) }) { result in
                    state.withLock { $0.add(result) }
                    switch format {
                    case .hashdeep: box.sink.line(ItemRecord.hashdeep(result, in: exam))
                    case .md5sum: box.sink.line(ItemRecord.md5sum(result, in: exam))
                    case .json: box.sink.line(ItemRecord.json(result, in: exam))
                    }
                }
            } catch {
                throw Diagnostics.fail(ExhumeError(.badInput, "\(error)"))
            }
            bar.update(done: total, total: total)
            do { try out.flush() } catch { throw Diagnostics.fail(error) }
            let tally = state.withLock { $0 }
            Diagnostics.print("exhume: hashed \(tally.items) items, \(tally.bytes) bytes; \(tally.readErrors) read incompletely, \(tally.mismatches) extension mismatches, \(tally.hits) known-hash hits")
            try Diagnostics.finish(exam.issues + walkIssues + items.issues(image: exam.source.path))
        }
    }
}

/// Counts for the closing summary.
struct RunTally: Sendable {
    var items = 0
    var bytes: Int64 = 0
    var readErrors = 0
    var mismatches = 0
    var hits = 0
    var exported = 0
    var exportErrors = 0

    mutating func add(_ result: ItemResult) {
        items += 1
        bytes += result.bytesRead
        if result.readError != nil { readErrors += 1 }
        if result.type?.extensionMismatch == true { mismatches += 1 }
        if !result.hits.isEmpty { hits += 1 }
        if result.exported != nil { exported += 1 }
        if result.exportError != nil { exportErrors += 1 }
    }
}

/// The output sink, used only from the pipeline's delivery queue.
final class SinkBox: @unchecked Sendable {
    let sink: OutputSink
    init(_ sink: OutputSink) { self.sink = sink }
}
