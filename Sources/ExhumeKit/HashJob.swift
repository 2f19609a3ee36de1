import Hashing
import Synchronization

/// `exhume hash`: reads the content of every selected item once (MD5, SHA-1,
/// SHA-256, content type, hash-set hits) and writes one line per item; nothing
/// is written to disk but the spilled list of items.
public struct HashJob {
    public enum Format: String, Sendable, CaseIterable {
        case hashdeep, md5sum, json
    }

    public var format: Format = .hashdeep
    /// Only deleted files, orphans and their streams.
    public var deletedOnly = false
    /// Type each item with libmagic (MIME type, description, extension check).
    public var identify = true
    /// `--hashset PATH[:good|:bad]` specs.
    public var hashSets: [String] = []
    /// The image as named on the command line, for the hashdeep header.
    public var imageArgument: String

    public init(imageArgument: String) {
        self.imageArgument = imageArgument
    }

    /// What the run leaves to say: the summary line for standard error and the problems met.
    public struct Outcome: Sendable {
        public var summary: String
        public var issues: [Issue]
    }

    /// Hashes the items of `exam`, writing their lines to `out` in read order.
    public func run(_ exam: Examination, to out: OutputSink, progress: ProgressStart) throws(ExhumeError) -> Outcome {
        var options = ContentPipeline.Options()
        options.identify = identify
        options.hashSets = try HashSetLibrary.load(specs: hashSets)
        let pipeline = ContentPipeline(exam: exam, options: options)
        let (items, walkIssues) = pipeline.spool(ItemSelection(allocation: deletedOnly ? .deletedOnly : .all),
                                                 directory: ItemSpool.temporaryFolder)
        if format == .hashdeep {
            for line in ItemRecord.hashdeepHeader { out.line(line) }
            out.line("## Invoked from: exhume hash \(imageArgument)")
            out.line("##")
        }
        let state = Mutex(RunTally())
        let box = SinkBox(out)
        let total = items.totalSize
        let report = progress()
        let format = self.format
        do {
            try pipeline.run(items, progress: { report(min($0, total), total) }) { result in
                state.withLock { $0.add(result) }
                switch format {
                case .hashdeep: box.sink.line(ItemRecord.hashdeep(result, in: exam))
                case .md5sum: box.sink.line(ItemRecord.md5sum(result, in: exam))
                case .json: box.sink.line(ItemRecord.json(result, in: exam))
                }
            }
        } catch {
            throw ExhumeError(error, during: .processing)
        }
        report(total, total)
        let tally = state.withLock { $0 }
        let summary = "exhume: hashed \(tally.items) items, \(tally.bytes) bytes; \(tally.readErrors) read incompletely, "
            + "\(tally.mismatches) extension mismatches, \(tally.hits) known-hash hits"
        return Outcome(summary: summary, issues: exam.issues + walkIssues + items.issues(image: exam.source.path))
    }
}
