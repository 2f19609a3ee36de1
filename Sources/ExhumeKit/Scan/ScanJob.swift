import CaseStore
import Evidence
import Hashing
import Foundation

/// `exhume scan`: every allocated, deleted, orphan, stream and carved item of
/// each image, read once, typed, hashed, matched and recorded in a case
/// database, with optional export. Interrupted scans resume: items already
/// committed are recognised by their provenance key and not read again.
public final class ScanJob {
    public enum ExportPolicy: String, Sendable, CaseIterable {
        case none, hits, media, all
    }

    public struct Options: Sendable {
        public var hashSets = HashSetLibrary()
        public var export: ExportPolicy = .none
        public var carve = true
        public var carveTypes: [String] = []
        /// Also carve file slack (`carve --slack`).
        public var carveSlack = false
        /// Carve the whole image, allocated space too (`carve --all-space`).
        public var carveAllSpace = false
        public var rescan = false
        /// Items per database transaction.
        public var batchSize = 1000
        /// `--export hits`: bytes of items in flight the export lanes may hold until
        /// their hits are known (``HitExport``); hits bigger are read again after the stream.
        var hitHoldBytes = 64 << 20
        public init() {}
    }

    /// Where a scan is: bytes of the current image read so far, and items recorded per source.
    public struct Progress: Sendable {
        public var image: String
        public var done: Int64
        public var total: Int64
        public var counts: [ItemSource: Int]

        /// `allocated 120, deleted 8, carved 3`
        public var countsText: String {
            ItemSource.allCases.compactMap { source in counts[source].map { "\(source.rawValue) \($0)" } }.joined(separator: ", ")
        }
    }

    /// What one image's scan added.
    public struct ImageSummary: Sendable {
        public var path: String
        public var items = 0
        public var resumedFrom = 0
        public var carved = 0
        public var hits = 0
        public var mismatches = 0
        public var exported = 0
        public var bytes: Int64 = 0
        public var issues: [Issue] = []
        public var bySource: [ItemSource: Int] = [:]
        /// The media's digests, computed during the scan, against those stored in it.
        public var verification: MediaVerification?
        /// `--export hits`: hits whose bytes were read a second time, after the stream (tests).
        var hitsReadAgain = 0
    }

    private let context: ScanContext

    /// Opens (creating) the case folder and its database. `observer` sees the
    /// scan's phases and commits (tests inject kill points through it).
    public init(caseFolder: URL, options: Options, observer: (any ScanObserver)? = nil) throws {
        context = ScanContext(folder: caseFolder, options: options, database: try CaseDatabase(folder: caseFolder),
                              observer: observer)
    }

    /// Scans `images` in order under one `scan` row.
    public func run(images: [String], toolVersion: String, commandLine: String,
                    progress: (@Sendable (Progress) -> Void)? = nil) throws -> [ImageSummary] {
        let database = context.database
        let scanID = try database.beginScan(toolVersion: toolVersion, commandLine: commandLine)
        var summaries: [ImageSummary] = []
        do {
            for path in images {
                summaries.append(try ImageScan(path: path, context: context, progress: progress).run())
            }
        } catch {
            try? database.finishScan(scanID, status: .failed)
            throw error
        }
        try database.finishScan(scanID, status: .complete)
        return summaries
    }

    /// Takes the case's scan lock (`flock` on `case.lock`): a second scan of
    /// the same case fails at once with a clear message.
    public static func lock(caseFolder: URL) throws -> AnyObject {
        try FileManager.default.createDirectory(at: caseFolder, withIntermediateDirectories: true)
        return try CaseDatabase.acquireScanLock(folder: caseFolder)
    }
}

/// The phases of an image's scan, in order; an observer hears each begin.
public enum ScanPhase: String, Sendable, CaseIterable {
    /// The image opened and its place in the case found (resume state).
    case open
    /// The file systems listed, the carving regions found.
    case list
    /// The media read once: files, orphans and carved items through the window.
    case stream
    /// Every result recorded; `--export hits` written.
    case finish
    /// The media's digests judged against those stored at acquisition.
    case verify
}

/// Sees a scan as it goes. Called on the scan's threads: implementations are
/// quick and thread-safe. Tests implement it to stop the process at a given
/// point, as a crash or `kill -9` would.
public protocol ScanObserver: Sendable {
    /// `phase` of the scan of `image` begins.
    func began(_ phase: ScanPhase, image: String)
    /// A batch of items was committed to the case: the `count`th of this image.
    func committed(batch count: Int)
}

/// What every phase of a scan shares: the case and the run's options.
struct ScanContext: @unchecked Sendable {
    let folder: URL
    let options: ScanJob.Options
    let database: CaseDatabase
    let observer: (any ScanObserver)?

    func exportFolder(_ image: Int64) -> URL {
        folder.appendingPathComponent("export/img\(image)")
    }
}
