import Carving
import Evidence
import Foundation
import Hashing

/// The carver's thread of a scan's stream: each extent found is read and hashed
/// at once, while its bytes are in the window, unless it is a deleted file's
/// twin (``CarvedTwins``). Once the carver is done and the files are read, the
/// twins whose file was not read cleanly are hashed from their own bytes in the
/// same session: results still go one way, into the ``ResultSink``.
final class CarvingPhase: @unchecked Sendable {
    private let opened: OpenedImage
    private let carver: Carver?
    private let regions: [CarveRegion]
    private let session: ContentPipeline.Session?
    private let cursor: MediaStream.Cursor?
    private let sink: ResultSink
    private let thread = ResultThread<[Issue]>()

    init(_ opened: OpenedImage, listing: ScanListing, pipeline: ContentPipeline, cursor: MediaStream.Cursor?,
         sink: ResultSink, exporter: ContentExporter?) throws {
        self.opened = opened
        self.cursor = cursor
        self.sink = sink
        regions = listing.regions
        carver = try listing.rules.map { rules throws in try Carver(exam: opened.exam, rules: rules, source: cursor) }
        session = carver == nil ? nil : try pipeline.start(exporter: exporter, deliver: sink.record)
    }

    /// Starts carving; twins left over are hashed once `files` are all read.
    func start(after files: FileReading, clock: PhaseClock) {
        guard let carver, let session, let cursor else { return }
        thread.start { [self] in
            let result = carver.carve(regions, stop: { [sink] in sink.failed }, found: { [self] extent in
                let item = ContentItem(sequence: 0, carved: extent, image: opened.exam.source.path)
                guard opened.unrecorded(item), !sink.recordTwin(of: item) else { return }
                session.add(item, from: cursor)
            })
            cursor.finish()
            clock.mark("carved")
            files.wait()
            for item in sink.unadoptedTwins() { session.add(item) }
            session.finish()
            return result.issues
        }
    }

    /// The carver's problems, once it is done (none when it did not run).
    func wait() -> [Issue] { thread.wait() ?? [] }
}

/// The image's own digests, taken from every stripe of the stream on the
/// scan's thread: MD5 as `ewfverify` computes it by default; SHA-1 only when it
/// is the one digest stored (a SHA-1 over 1 GB costs half a second).
struct ImageDigest {
    var md5: String
    var sha1: String?

    static func read(_ stream: MediaStream, of exam: Examination, sink: ResultSink, clock: PhaseClock,
                     progress: (Int64, Int64) -> Void) -> ImageDigest {
        let stored = exam.source.acquisition
        var md5 = MD5Lane()
        var sha1 = stored?.storedMD5 == nil && stored?.storedSHA1 != nil ? SHALane(sha256: false) : nil
        var lastReport = 0.0
        clock.mark("stream started")
        stream.run { offset, bytes in
            if sink.failed { stream.cancel() }
            md5.update(bytes)
            sha1?.update(bytes)
            let now = Date().timeIntervalSinceReferenceDate
            if now - lastReport > 0.1 {
                lastReport = now
                progress(offset + Int64(bytes.count), stream.size)
            }
        }
        clock.mark("image hashed")
        return ImageDigest(md5: Digests.hex(md5.finalize()), sha1: sha1.map { Digests.hex($0.finalize().sha1) })
    }
}
