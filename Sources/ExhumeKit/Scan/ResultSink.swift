import Foundation
import Synchronization

/// Where a scan's results go, one way: into the case (``BatchWriter``) and the
/// image's summary. Called from the lanes' delivery queues of every session.
final class ResultSink: Sendable {
    private let writer: BatchWriter
    private let tally: Mutex<ScanJob.ImageSummary>
    private let exam: Examination
    private let twins: UncheckedBox<CarvedTwins>?
    private let hitExport: HitExport?

    init(_ opened: OpenedImage, context: ScanContext, twins: CarvedTwins?, hitExport: HitExport?,
         summary: ScanJob.ImageSummary) {
        writer = BatchWriter(database: context.database, image: opened.imageID, exam: opened.exam,
                             batchSize: context.options.batchSize, observer: context.observer)
        tally = Mutex(summary)
        exam = opened.exam
        self.twins = twins.map(UncheckedBox.init)
        self.hitExport = hitExport
    }

    /// A commit failed (the case disk is full): the scan stops reading.
    var failed: Bool { writer.failed.load(ordering: .acquiring) }

    /// Items recorded so far, by source (progress).
    var countsBySource: [ItemSource: Int] { tally.withLock { $0.bySource } }

    /// Records `result` (a hit is exported first, with `--export hits`).
    func record(_ result: ItemResult) {
        var result = result
        hitExport?.resolve(&result)
        writer.add(result)
        tally.withLock {
            $0.items += 1
            $0.bySource[result.item.source, default: 0] += 1
            $0.bytes += result.bytesRead
            if result.item.source == .carved { $0.carved += 1 }
            if !result.hits.isEmpty { $0.hits += 1 }
            if result.type?.extensionMismatch == true { $0.mismatches += 1 }
            if result.exported != nil { $0.exported += 1 }
        }
    }

    /// Records a file's result, and the carved twin waiting for its digests, if any.
    func recordFile(_ result: ItemResult) {
        record(result)
        twins?.value.fileDone(result, in: exam, deliver: record)
    }

    /// Records a carved item: its twin's digests when it is a deleted file's
    /// content (now or once the file is read: true), else false: hash it.
    func recordTwin(of carved: ContentItem) -> Bool {
        twins?.value.adopt(carved, deliver: record) == true
    }

    /// Carved twins whose file was not read cleanly after all: hashed from their own bytes.
    func unadoptedTwins() -> [ContentItem] {
        twins?.value.leftovers() ?? []
    }

    /// Carved items that took their twin's digests (diagnostics).
    var adoptedTwins: Int { twins?.value.adopted ?? 0 }

    /// Commits what is pending; the summary, with `issues` added.
    func finish(issues: [Issue]) throws -> ScanJob.ImageSummary {
        tally.withLock { $0.issues += issues }
        try writer.finish()
        return tally.withLock { $0 }
    }
}

/// The scan's exporters: files and carved items are exported from three lanes
/// into one folder (`--export all|media`), the first full disk stops all; or
/// the lanes hold items' bytes until their hits are known (`--export hits`).
final class ScanExports {
    private let opened: OpenedImage
    private let context: ScanContext
    private let halt = ExportHalt()
    private var exporters: [RecoveryExporter] = []
    /// With `--export hits`.
    let hits: HitExport?

    init(_ opened: OpenedImage, context: ScanContext) {
        self.opened = opened
        self.context = context
        hits = context.options.export == .hits ? HitExport(opened, context: context) : nil
    }

    /// A new exporter for one lane, or nil when the scan exports nothing as it reads.
    func make() throws -> ContentExporter? {
        if let hits { return hits.holder() }
        let policy = context.options.export
        guard policy == .all || policy == .media else { return nil }
        let exporter = try RecoveryExporter(exam: opened.exam, outputFolder: context.exportFolder(opened.imageID).path,
                                            force: true, mediaOnly: policy == .media, sharing: halt)
        exporter.alreadyExported = opened.exportedBefore
        exporters.append(exporter)
        return exporter
    }

    /// A full export disk stops the export (once, not per item): said once.
    func issues() -> [Issue] {
        RecoveryExporter.issues(of: exporters, whenFull: "; make room and run the scan again with --rescan to export the rest")
    }
}
