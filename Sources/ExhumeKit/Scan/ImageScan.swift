import Evidence
import Foundation
import Synchronization

/// One image's scan, phase by phase, top to bottom:
///
/// 1. **open**: the image, TSK reading through a router; its rows in the case,
///    or what an interrupted run recorded (``OpenedImage``);
/// 2. **list**: the file systems' items spooled in read order, the carving
///    regions, the deleted files that can have a carved twin (``ScanListing``);
/// 3. **stream**: the media read once (``ScanStream``) while three threads read
///    through its window: the files (``FileReading``), the FAT orphan search
///    (``OrphanSearch``) and the carver (``CarvingPhase``); this thread digests
///    every stripe (``ImageDigest``);
/// 4. **finish**: every result recorded (``ResultSink``; with `--export hits`,
///    each hit written from the bytes its lane held, ``HitExport``);
/// 5. **verify**: the media's digests against those stored at acquisition.
///
/// Results flow one way: lanes → ``ResultSink`` → the case's ``BatchWriter``.
struct ImageScan {
    let path: String
    let context: ScanContext
    let progress: (@Sendable (ScanJob.Progress) -> Void)?

    func run() throws -> ScanJob.ImageSummary {
        let phases = PhaseClock()
        context.observer?.began(.open, image: path)
        let opened = try OpenedImage.open(path, in: context)
        context.observer?.began(.list, image: path)
        let pipeline = ContentPipeline(exam: opened.exam, options: pipelineOptions)
        let listing = try ScanListing.make(opened, pipeline: pipeline, context: context)
        phases.mark("listed")

        context.observer?.began(.stream, image: path)
        let media = try ScanStream(opened.exam, carving: listing.rules != nil, orphans: !listing.searchOrphans.isEmpty)
        let exports = ScanExports(opened, context: context)
        let sink = ResultSink(opened, context: context, twins: listing.twins, hitExport: exports.hits,
                              summary: opened.summary(issues: listing.issues))
        // Every session exists before any thread starts, so nothing can throw while a
        // thread waits on the stream; TSK reads through the content cursor from now on.
        let carving = try CarvingPhase(opened, listing: listing, pipeline: pipeline, cursor: media.carving,
                                       sink: sink, exporter: listing.rules == nil ? nil : try exports.make())
        let files = try FileReading(opened, pipeline: pipeline, cursor: media.content, sink: sink,
                                    exporters: [try exports.make(), try exports.make()], clock: phases)
        opened.router.route(to: media.content)
        let orphans = OrphanSearch.start(opened.exam, pipeline: pipeline, of: listing.searchOrphans, through: media.orphans)
        files.start(listing.items, then: orphans)
        carving.start(after: files, clock: phases)
        let digest = ImageDigest.read(media.stream, of: opened.exam, sink: sink, clock: phases) { done, total in
            progress?(ScanJob.Progress(image: path, done: done, total: total, counts: sink.countsBySource))
        }
        files.wait()
        let carved = carving.wait()
        StreamStatistics.report(media.stream, files: files, twins: listing.twins)
        opened.router.route(to: nil)
        progress?(ScanJob.Progress(image: path, done: media.stream.size, total: media.stream.size,
                                   counts: sink.countsBySource))

        context.observer?.began(.finish, image: path)
        var summary = try sink.finish(issues: carved + orphans.issues + listing.items.issues(image: path))
        phases.mark("recorded")
        phases.report()
        summary.issues += exports.issues()
        try exports.hits?.finish(pipeline, into: &summary)

        context.observer?.began(.verify, image: path)
        try ImageVerdict.judge(opened, digest: digest, readers: media.readers, readFailures: media.stream.readFailures,
                               context: context, into: &summary)
        return summary
    }

    /// Three sessions (two for files, one for carved items) already type on three lanes.
    private var pipelineOptions: ContentPipeline.Options {
        var options = ContentPipeline.Options()
        options.hashSets = context.options.hashSets
        options.typeLanes = 1
        return options
    }
}
