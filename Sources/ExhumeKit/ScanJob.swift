import CaseStore
import Carving
import Evidence
import Foundation
import Hashing
import SleuthKit
import Synchronization

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
        public var rescan = false
        /// Items per database transaction.
        public var batchSize = 1000
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
    }

    private let folder: URL
    private let options: Options
    private let database: CaseDatabase

    /// Opens (creating) the case folder and its database.
    public init(caseFolder: URL, options: Options) throws {
        self.folder = caseFolder
        self.options = options
        self.database = try CaseDatabase(folder: caseFolder)
    }

    /// Scans `images` in order under one `scan` row.
    public func run(images: [String], toolVersion: String, commandLine: String,
                    progress: (@Sendable (Progress) -> Void)? = nil) throws -> [ImageSummary] {
        let scanID = try database.beginScan(toolVersion: toolVersion, commandLine: commandLine)
        var summaries: [ImageSummary] = []
        do {
            for path in images {
                summaries.append(try scan(path, progress: progress))
            }
        } catch {
            try? database.finishScan(scanID, status: "failed")
            throw error
        }
        try database.finishScan(scanID, status: "complete")
        return summaries
    }

    private func scan(_ path: String, progress: (@Sendable (Progress) -> Void)?) throws -> ImageSummary {
        let exam = try Examination(path: path, requireFileSystem: false)
        var summary = ImageSummary(path: path)
        summary.issues = exam.issues
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path

        // An image already in the case: resume an interrupted scan, refuse a finished one.
        let imageID: Int64
        var known = Set<String>()
        if let existing = try database.image(path: absolute), let id = existing.id {
            if existing.status == "complete" && !options.rescan {
                throw ExhumeError(.usage, "\(path) was already scanned into this case; use --rescan to scan it again")
            }
            imageID = id
            // Resume: skip what is recorded. --rescan reads everything again; what is
            // already recorded stays as it is, new items (new rules, new data) are added.
            if existing.status != "complete" {
                known = try database.itemKeys(image: id)
                summary.resumedFrom = known.count
            }
        } else {
            imageID = try database.addImage(ScanRecords.image(exam, path: absolute))
            for volume in ScanRecords.volumes(exam, image: imageID) { try database.addVolume(volume) }
            for fileSystem in ScanRecords.fileSystems(exam, image: imageID) { _ = try database.addFileSystem(fileSystem) }
        }

        var pipelineOptions = ContentPipeline.Options()
        pipelineOptions.hashSets = options.hashSets
        let pipeline = ContentPipeline(exam: exam, options: pipelineOptions)
        var (items, walkIssues) = pipeline.items(ItemSelection(allocation: .all))
        summary.issues += walkIssues
        items = items.filter { !known.contains(ScanRecords.key(of: $0, in: exam)) }
        for index in items.indices { items[index].sequence = index }

        // Carving runs on its own thread with its own reader (for E01 a second libewf
        // handle) while the files are hashed, so both inflate and read at once.
        let carving = CarvingTask()
        if options.carve {
            var rules = try CarvingRuleSet.load()
            if !options.carveTypes.isEmpty { rules = rules.restricted(to: options.carveTypes) }
            let (regions, regionIssues) = exam.carveRegions()   // TSK, so on this thread
            summary.issues += regionIssues
            let reader: any ImageSource = try (exam.source as? EWFImage)?.clone() ?? exam.source
            let carver = try Carver(exam: exam, rules: rules, source: reader)
            carving.reader = reader
            carving.start { carver.carve(regions) }
        }
        let exporter: RecoveryExporter?
        switch options.export {
        case .all, .media:
            exporter = try RecoveryExporter(exam: exam, outputFolder: exportFolder(imageID).path,
                                            force: true, mediaOnly: options.export == .media)
        case .none, .hits:
            exporter = nil
        }

        let writer = BatchWriter(database: database, image: imageID, exam: exam, batchSize: options.batchSize)
        let tally = Mutex(summary)
        let hitItems = Mutex([ContentItem]())
        let deliver: @Sendable (ItemResult) -> Void = { result in
            writer.add(result)
            tally.withLock {
                $0.items += 1
                $0.bySource[result.item.source, default: 0] += 1
                $0.bytes += result.bytesRead
                if !result.hits.isEmpty { $0.hits += 1 }
                if result.type?.extensionMismatch == true { $0.mismatches += 1 }
                if result.exported != nil { $0.exported += 1 }
            }
            if !result.hits.isEmpty { hitItems.withLock { $0.append(result.item) } }
        }
        let fileBytes = items.reduce(Int64(0)) { $0 + max(0, $1.size) }
        let report: @Sendable (Int64, Int64) -> Void = { done, total in
            progress?(Progress(image: path, done: done, total: total, counts: tally.withLock { $0.bySource }))
        }
        try pipeline.run(items, exporter: exporter, progress: { report($0, fileBytes) }, deliver: deliver)
        if let (carved, carveIssues, _) = carving.wait() {
            tally.withLock {
                $0.issues += carveIssues
                $0.carved = carved.count
            }
            var carvedItems = carved.map { ContentItem(sequence: 0, carved: $0) }
                .filter { !known.contains(ScanRecords.key(of: $0, in: exam)) }
            for index in carvedItems.indices { carvedItems[index].sequence = index }
            let grandTotal = fileBytes + carvedItems.reduce(Int64(0)) { $0 + $1.size }
            try pipeline.run(carvedItems, exporter: exporter, progress: { report(fileBytes + $0, grandTotal) },
                             deliver: deliver)
        }
        try writer.finish()
        summary = tally.withLock { $0 }

        // --export hits: only now are the hits known; read just those items again to write them.
        if options.export == .hits {
            var again = hitItems.withLock { $0 }
            for index in again.indices { again[index].sequence = index }
            if !again.isEmpty {
                let hitsExporter = try RecoveryExporter(exam: exam, outputFolder: exportFolder(imageID).path, force: true)
                let exportedPaths = Mutex([String: String]())
                try pipeline.run(again, exporter: hitsExporter) { result in
                    if let exported = result.exported {
                        exportedPaths.withLock { $0[ScanRecords.key(of: result.item, in: exam)] = exported }
                    }
                }
                let paths = exportedPaths.withLock { $0 }
                try database.setExported(image: imageID, paths: paths.mapValues { "export/img\(imageID)/\($0)" })
                summary.exported = paths.count
            }
        }
        // Chunks that failed their checksum while the image was read: the scan went on (their
        // bytes are what libewf returned), and the image's status says so.
        var status = "complete"
        if let ewf = exam.source as? EWFImage {
            let errors = Set(ewf.checksumErrors() + carving.checksumErrors()).sorted { $0.start < $1.start }
            if !errors.isEmpty {
                status = "complete-with-errors"
                let ranges = errors.map { "\($0.start)–\($0.start + $0.count - 1)" }.joined(separator: ", ")
                summary.issues.append(Issue(severity: .warning, image: path, partition: nil, sectorOffset: nil,
                                            message: "EWF chunks failed their checksum at sectors \(ranges); their bytes were read as libewf returned them"))
            }
        }
        try database.setImageStatus(imageID, status: status, computedMD5: nil, computedSHA1: nil)
        return summary
    }

    /// Takes the case's scan lock (`flock` on `case.lock`): a second scan of
    /// the same case fails at once with a clear message.
    public static func lock(caseFolder: URL) throws -> AnyObject {
        try FileManager.default.createDirectory(at: caseFolder, withIntermediateDirectories: true)
        return try CaseDatabase.acquireScanLock(folder: caseFolder)
    }

    private func exportFolder(_ image: Int64) -> URL {
        folder.appendingPathComponent("export/img\(image)")
    }
}

/// A carving pass on a thread of its own; `wait` returns its result (nil when none was started).
final class CarvingTask: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: (extents: [CarvedExtent], issues: [Issue], statistics: Carver.Statistics)?
    private var started = false
    /// The carving reader, to ask it for checksum errors afterwards.
    var reader: (any ImageSource)?

    func checksumErrors() -> [SectorRange] {
        (reader as? EWFImage)?.checksumErrors() ?? []
    }

    func start(_ work: @escaping () -> (extents: [CarvedExtent], issues: [Issue], statistics: Carver.Statistics)) {
        started = true
        let box = UncheckedBox(work)
        Thread.detachNewThread { [self] in
            result = box.value()
            done.signal()
        }
    }

    func wait() -> (extents: [CarvedExtent], issues: [Issue], statistics: Carver.Statistics)? {
        guard started else { return nil }
        done.wait()
        return result
    }
}

/// Moves a non-Sendable value to the thread that alone uses it.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// Collects results on the pipeline's delivery queue and commits them in
/// batches, one transaction each: after a crash, what was committed stays,
/// and the resumed scan skips exactly those items.
final class BatchWriter: @unchecked Sendable {
    private let database: CaseDatabase
    private let image: Int64
    private let exam: Examination
    private let batchSize: Int
    private var pending: [CaseStore.ItemRecord] = []
    private var failure: Error?
    private var batches = 0
    /// Test hook: `EXHUME_TEST_CRASH_AFTER_BATCHES=N` ends the process abruptly
    /// (`_exit`, no cleanup) after N committed batches, as a kill -9 would.
    private let crashAfter = ProcessInfo.processInfo.environment["EXHUME_TEST_CRASH_AFTER_BATCHES"].flatMap(Int.init)

    init(database: CaseDatabase, image: Int64, exam: Examination, batchSize: Int) {
        self.database = database
        self.image = image
        self.exam = exam
        self.batchSize = max(1, batchSize)
    }

    func add(_ result: ItemResult) {
        var record = ScanRecords.item(result, image: image, exam: exam)
        record.exportedPath = record.exportedPath.map { "export/img\(image)/\($0)" }
        pending.append(record)
        if pending.count >= batchSize { commit() }
    }

    private func commit() {
        guard failure == nil, !pending.isEmpty else { return }
        do {
            try database.insert(pending)
            pending.removeAll(keepingCapacity: true)
            batches += 1
            if let crashAfter, batches >= crashAfter { _exit(137) }
        } catch {
            failure = error
        }
    }

    func finish() throws {
        commit()
        if let failure { throw failure }
    }
}
