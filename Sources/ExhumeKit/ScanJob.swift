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
        /// Also carve file slack (`carve --slack`).
        public var carveSlack = false
        /// Carve the whole image, allocated space too (`carve --all-space`).
        public var carveAllSpace = false
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
        /// The media's digests, computed during the scan, against those stored in it.
        public var verification: MediaVerification?
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
        // TSK reads through a router: straight from the evidence while the file
        // systems are listed, from the media stream while contents are read.
        nonisolated(unsafe) var routed: RoutedSource?
        let exam = try Examination(path: path, requireFileSystem: false, readThrough: { source in
            let router = RoutedSource(source)
            routed = router
            return router
        })
        guard let router = routed else { preconditionFailure("Examination did not open its image through the router") }
        let phases = PhaseClock()
        var summary = ImageSummary(path: path)
        summary.issues = exam.issues
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path

        // An image already in the case: resume an interrupted scan, refuse a finished one.
        let imageID: Int64
        var known = RecordedKeys()
        var exportedBefore = RecordedKeys()
        if let existing = try database.image(path: absolute), let id = existing.id {
            if existing.status == .complete && !options.rescan {
                throw ExhumeError(.usage, "\(path) was already scanned into this case; use --rescan to scan it again")
            }
            imageID = id
            // Resume: skip what is recorded. --rescan reads everything again; what is
            // already recorded stays as it is, new items (new rules, new data) are added.
            // Files a previous run exported are not written again: a rescan after the export
            // disk filled up writes just the rest.
            exportedBefore = try RecordedKeys(database, image: id, exportedOnly: true)
            if existing.status != .complete {
                known = try RecordedKeys(database, image: id, exportedOnly: false)
                summary.resumedFrom = known.count
                // Files the interrupted run wrote for items it had not committed yet are
                // written again now: remove them, or they would stay unrecorded beside `name~2`.
                try removeUnrecordedExports(image: id)
            }
        } else {
            imageID = try database.addImage(ScanRecords.image(exam, path: absolute))
            for volume in ScanRecords.volumes(exam, image: imageID) { try database.addVolume(volume) }
            for fileSystem in ScanRecords.fileSystems(exam, image: imageID) { _ = try database.addFileSystem(fileSystem) }
        }

        var pipelineOptions = ContentPipeline.Options()
        pipelineOptions.hashSets = options.hashSets
        // Three sessions (two for files, one for carved items) already type on three lanes.
        pipelineOptions.typeLanes = 1

        let pipeline = ContentPipeline(exam: exam, options: pipelineOptions)

        var rules: CarvingRuleSet?
        var regions: [CarveRegion] = []
        if options.carve {
            var set = try CarvingRuleSet.load()
            if !options.carveTypes.isEmpty { set = set.restricted(to: options.carveTypes) }
            rules = set
            let (found, regionIssues) = exam.carveRegions(allSpace: options.carveAllSpace, slack: options.carveSlack)   // TSK: before the stream starts
            regions = found
            summary.issues += regionIssues
        }
        phases.mark("regions")

        // FAT finds orphan entries by reading every unallocated cluster (TSK's walk of the
        // unallocated directory entries): half of a typical image, on one thread, before the
        // stream could start. Those file systems are listed without `$OrphanFiles` here;
        // their orphans are searched during the stream, on a second TSK handle reading
        // through a cursor of its own, and read after the files.
        let searchOrphans = Set(exam.fileSystems.indices.filter { ScanJob.findsOrphansByReading(exam.fileSystems[$0]) })
        // On resume, items already recorded are skipped.
        let recorded = known
        let unrecorded: @Sendable (ContentItem) -> Bool = { recorded.isEmpty || !recorded.contains(ScanRecords.key(of: $0, in: exam)) }
        // A carved item that is exactly a deleted file's content takes the file's digests
        // (not when exporting: its own copy is written from its own bytes); the deleted
        // files that can have one are noted while the listing is made.
        let findTwins = options.carve && (options.export == .none || options.export == .hits)
        var twinCandidates = CarvedTwins.Candidates()
        // In a file of the case folder beyond 32 MiB of records: memory does not grow with the number of files.
        let (items, walkIssues) = pipeline.spool(ItemSelection(allocation: .all), withoutOrphans: searchOrphans,
                                                 directory: folder) { item in
            if findTwins, item.source == .deleted, unrecorded(item) { twinCandidates.consider(item, in: exam) }
        }
        summary.issues += walkIssues
        phases.mark("listed")

        // One read of the media: readers (one libewf handle each for E01, so chunks
        // inflate on both cores) fill a window of stripes in image order; the
        // image digests take every stripe, TSK reads file contents through one
        // cursor, the carver scans and reads carved items through another.
        let readers: [any ImageSource]
        if let ewf = exam.source as? EWFImage {
            readers = [try ewf.clone(), try ewf.clone()]
        } else {
            readers = [exam.source, exam.source]
        }
        let stream = MediaStream(readers: readers, fallback: exam.source)
        let contentCursor = stream.cursor(advancingReads: 256 << 10)
        let carveCursor = rules == nil ? nil : stream.cursor()
        // The orphan search first walks the directories (reads here and there), then reads
        // the unallocated clusters forward in TSK's 64 KiB blocks: only runs of those move its mark.
        let orphanCursor = searchOrphans.isEmpty ? nil : stream.cursor(advancingRuns: 1 << 20)
        let carver = try rules.map { rules throws in try Carver(exam: exam, rules: rules, source: carveCursor) }

        let writer = BatchWriter(database: database, image: imageID, exam: exam, batchSize: options.batchSize)
        let tally = Mutex(summary)
        let hitItems = Mutex([ContentItem]())
        let record: @Sendable (ItemResult) -> Void = { result in
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
            if !result.hits.isEmpty { hitItems.withLock { $0.append(result.item) } }
        }
        let twins = findTwins ? UncheckedBox(CarvedTwins(twinCandidates)) : nil
        let deliver: @Sendable (ItemResult) -> Void = { result in
            record(result)
            twins?.value.fileDone(result, in: exam, deliver: record)
        }
        // Files and carved items are exported from two lanes into one folder; the
        // first full disk stops both.
        let halt = ExportHalt()
        var exporters: [RecoveryExporter] = []
        func exporter() throws -> RecoveryExporter? {
            guard options.export == .all || options.export == .media else { return nil }
            let exporter = try RecoveryExporter(exam: exam, outputFolder: exportFolder(imageID).path,
                                                force: true, mediaOnly: options.export == .media, sharing: halt)
            exporter.alreadyExported = exportedBefore
            exporters.append(exporter)
            return exporter
        }

        // Every session exists before any thread starts, so nothing can throw while a
        // thread waits on the stream; TSK reads through the content cursor from now on.
        let carvedSession = carver == nil ? nil : try pipeline.start(exporter: try exporter(), deliver: deliver)
        router.route(to: contentCursor)

        // Orphans: searched on a thread of their own, through their own cursor.
        let orphans = ResultThread<(items: [ContentItem], issues: [Issue])>()
        if let orphanCursor {
            let search = UncheckedBox((pipeline: pipeline, indexes: searchOrphans.sorted()))
            orphans.start {
                defer { orphanCursor.finish() }
                return ScanJob.orphanItems(search.value.pipeline, exam: exam, of: search.value.indexes, through: orphanCursor)
            }
        }

        // Files: TSK reads them in first-block order through the content cursor.
        // Two sets of lanes take the files in turn (balanced by size), so their digests
        // run beside each other: two more MD5 streams for the engine to interleave.
        let files = UncheckedBox((sessions: try (0..<2).map { _ in try pipeline.start(exporter: try exporter(), deliver: deliver) },
                                  items: items, cursor: contentCursor))
        let filesDone = ResultThread<Void>()
        filesDone.start {
            defer { files.value.cursor.finish() }
            let sessions = files.value.sessions
            var queued = [Int64](repeating: 0, count: sessions.count)
            func add(_ item: ContentItem) {
                let lane = queued.indices.min { queued[$0] < queued[$1] }!
                queued[lane] += max(0, item.size) + 4096
                sessions[lane].add(item)
            }
            for item in files.value.items where unrecorded(item) {
                if writer.failed.load(ordering: .acquiring) { break }   // the case cannot take more
                if let offset = ScanJob.imageOffset(of: item, in: exam) { files.value.cursor.advance(to: offset) }
                add(item)
            }
            // Orphans last: the window no longer waits for this reader while their search
            // goes on; their bytes, mostly behind the window by now, come from the image.
            files.value.cursor.finish()
            phases.mark("files queued")
            let orphanList = orphans.wait()?.items ?? []
            phases.mark("orphans found \(orphanList.count)")
            for item in orphanList where unrecorded(item) {
                if writer.failed.load(ordering: .acquiring) { break }
                add(item)
            }
            for session in sessions { session.finish() }
            phases.mark("files hashed")
        }
        // Carving: each extent found is read and hashed at once, while its bytes are in the window.
        let carving = ResultThread<(extents: [CarvedExtent], issues: [Issue], statistics: Carver.Statistics)>()
        if let carver, let session = carvedSession, let cursor = carveCursor {
            let carved = UncheckedBox((carver: carver, session: session, regions: regions, known: known))
            carving.start {
                defer { cursor.finish() }
                let (carver, session, regions, known) = carved.value
                let result = carver.carve(regions, stop: { writer.failed.load(ordering: .acquiring) }, found: { extent in
                    let item = ContentItem(sequence: 0, carved: extent)
                    guard !known.contains(ScanRecords.key(of: item, in: exam)) else { return }
                    if twins?.value.adopt(item, deliver: record) == true { return }
                    session.add(item, from: cursor)
                })
                session.finish()
                phases.mark("carved")
                return result
            }
        }

        let size = stream.size
        // MD5 of the whole media, as ewfverify computes by default; SHA-1 only when
        // it is the one digest stored (a SHA-1 over 1 GB costs half a second).
        let storedDigests = (exam.source as? EWFImage)?.metadata
        var imageMD5 = MD5Lane()
        var imageSHA1 = storedDigests?.storedMD5 == nil && storedDigests?.storedSHA1 != nil ? SHALane() : nil
        var lastReport = 0.0
        phases.mark("stream started")
        stream.run { offset, bytes in
            if writer.failed.load(ordering: .acquiring) { stream.cancel() }
            imageMD5.update(bytes)
            imageSHA1?.update(bytes)
            let now = Date().timeIntervalSinceReferenceDate
            if now - lastReport > 0.1 {
                lastReport = now
                progress?(Progress(image: path, done: offset + Int64(bytes.count), total: size,
                                   counts: tally.withLock { $0.bySource }))
            }
        }
        phases.mark("image hashed")
        _ = filesDone.wait()
        let carveResult = carving.wait()
        // Diagnostics for tuning (README, Benchmark): how the stream and the MD5 engine spent their time.
        if ProcessInfo.processInfo.environment["EXHUME_STREAM_STATS"] != nil {
            let c = stream.counts
            func ms(_ seconds: Double) -> String { "\(Int(seconds * 1000)) ms" }
            let holders = c.blockedBy.sorted { $0.key < $1.key }
                .map { "\($0.key == 0 ? "image digest" : $0.key == 1 ? "files" : "carver") \(ms($0.value))" }
            let lines = [
                "stream: \(c.windowBytes >> 20) MiB read from the window, \(c.fallbackBytes >> 20) MiB straight from the image",
                "stream: readers waited \(ms(c.readersBlocked)) for room (held by: \(holders.joined(separator: ", "))), "
                    + "the image digest \(ms(c.inOrderWaiting)) for stripes, the files' reader \(ms(c.waitingByCursor[1] ?? 0)) "
                + "and the carver \(ms(c.waitingByCursor[2] ?? 0)) for stripes",
                "lanes: the files' reader waited \(ms(files.value.sessions.reduce(0) { $0 + $1.waitedForLanes })) for chunks to come back",
                "md5 engine: idle \(ms(PairedMD5.shared.idle)), on a core \(ms(PairedMD5.shared.cpu)); MiB hashed alone / in pairs: "
                    + PairedMD5.shared.bytesByWidth.map { "\($0 >> 20)" }.joined(separator: " / "),
                "carved twins of deleted files (digests taken from the file): \(twins?.value.adopted ?? 0)",
                "chunks inflated by libdeflate so far: \(Inflate.calls)",
            ]
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        router.route(to: nil)
        progress?(Progress(image: path, done: size, total: size, counts: tally.withLock { $0.bySource }))
        if let (_, carveIssues, _) = carveResult {
            tally.withLock { $0.issues += carveIssues }
        }
        if let orphanIssues = orphans.wait()?.issues {
            tally.withLock { $0.issues += orphanIssues }
        }
        tally.withLock { $0.issues += items.issues(image: path) }
        // Twins whose file could not be read cleanly after all: hashed from their own bytes.
        if let leftovers = twins?.value.leftovers(), !leftovers.isEmpty {
            try pipeline.run(leftovers, deliver: record)
        }
        try writer.finish()
        phases.mark("recorded")
        phases.report()
        summary = tally.withLock { $0 }
        // A full export disk stops the export (once, not per item); say so once.
        summary.issues += RecoveryExporter.issues(of: exporters,
                                                  whenFull: "; make room and run the scan again with --rescan to export the rest")

        // --export hits: only now are the hits known; read just those items again to write them.
        if options.export == .hits {
            let again = hitItems.withLock { $0 }
            if !again.isEmpty {
                let hitsExporter = try RecoveryExporter(exam: exam, outputFolder: exportFolder(imageID).path, force: true)
                hitsExporter.alreadyExported = exportedBefore
                let exportedPaths = Mutex([String: String]())
                try pipeline.run(again, exporter: hitsExporter) { result in
                    if let exported = result.exported {
                        exportedPaths.withLock { $0[ScanRecords.key(of: result.item, in: exam)] = exported }
                    }
                }
                summary.issues += hitsExporter.issues
                let paths = exportedPaths.withLock { $0 }
                try database.setExported(image: imageID, paths: paths.mapValues { "export/img\(imageID)/\($0)" })
                summary.exported = paths.count
            }
        }

        let md5 = Digests.hex(imageMD5.finalize())
        let sha1 = imageSHA1.map { Digests.hex($0.finalize().sha1) }
        let (verification, status, problems) = judge(exam, readers: readers, md5: md5, sha1: sha1,
                                                     readFailures: stream.readFailures)
        summary.verification = verification
        summary.issues += problems
        try database.setImageStatus(imageID, status: status, computedMD5: md5, computedSHA1: sha1,
                                    verification: verification.verdict.rawValue)
        return summary
    }

    /// The media's own digests against those stored at acquisition, the image's
    /// status, and what to tell the analyst. Chunks that failed their checksum
    /// while the image was read did not stop the scan (their bytes are what libewf
    /// returned): the status says `complete-with-errors`.
    private func judge(_ exam: Examination, readers: [any ImageSource], md5: String, sha1: String?,
                       readFailures: [MediaVerification.ReadFailure]) -> (MediaVerification, String, [Issue]) {
        let path = exam.source.path
        var checksumErrors: [SectorRange] = []
        if let ewf = exam.source as? EWFImage {
            checksumErrors = ewf.checksumErrors()
            for reader in readers { checksumErrors += (reader as? EWFImage)?.checksumErrors() ?? [] }
            checksumErrors = SectorRange.merged(checksumErrors)
        }
        let stored = (exam.source as? EWFImage)?.metadata
        let verification = MediaVerification(computedMD5: md5, computedSHA1: sha1, storedMD5: stored?.storedMD5,
                                             storedSHA1: sha1 == nil ? nil : stored?.storedSHA1, bytesRead: exam.source.size,
                                             checksumErrors: checksumErrors, readErrors: readFailures)
        var issues: [Issue] = []
        func warn(_ message: String) {
            issues.append(Issue(severity: .warning, image: path, partition: nil, sectorOffset: nil, message: message))
        }
        var status = "complete"
        if !checksumErrors.isEmpty {
            status = "complete-with-errors"
            let ranges = checksumErrors.map { "\($0.start)–\($0.start + $0.count - 1)" }.joined(separator: ", ")
            warn("EWF chunks failed their checksum at sectors \(ranges); their bytes were read as libewf returned them")
        }
        for failure in verification.readErrors {
            warn("cannot read bytes \(failure.offset)…\(failure.offset + Int64(failure.length)): \(failure.message)")
        }
        if verification.verdict == .mismatch, checksumErrors.isEmpty, verification.readErrors.isEmpty {
            warn("the image's computed hash (MD5 \(md5)) differs from the one stored at acquisition (MD5 \(stored?.storedMD5 ?? "none"))")
        }
        return (verification, status, issues)
    }

    /// Where an item's first block lies in the image, when TSK says (not for
    /// resident contents or pool volumes).
    static func imageOffset(of item: ContentItem, in exam: Examination) -> Int64? {
        guard case .file(let index, _, let ref) = item.origin, let block = ref.firstBlock else { return nil }
        let mounted = exam.fileSystems[index]
        guard mounted.poolVolume == nil else { return nil }
        return mounted.info.byteOffset + Int64(block) * Int64(mounted.info.blockSize)
    }

    /// FAT (and exFAT) find orphan entries by reading all unallocated clusters;
    /// other file systems find them in their metadata tables, which is cheap.
    static func findsOrphansByReading(_ mounted: MountedFileSystem) -> Bool {
        mounted.poolVolume == nil && (mounted.info.type.hasPrefix("fat") || mounted.info.type == "exfat")
    }

    /// The orphans of the file systems `indexes`, searched on a second TSK
    /// handle that reads through `source` (a stream cursor).
    static func orphanItems(_ pipeline: ContentPipeline, exam: Examination, of indexes: [Int],
                            through source: any ImageSource) -> (items: [ContentItem], issues: [Issue]) {
        var items: [ContentItem] = []
        var issues: [Issue] = []
        func problem(_ index: Int?, _ message: String) {
            let mounted = index.map { exam.fileSystems[$0] }
            issues.append(Issue(severity: .warning, image: exam.source.path, partition: mounted?.partition?.slot,
                                sectorOffset: mounted?.info.sectorOffset, message: message))
        }
        let view: DiskImage
        do {
            view = try DiskImage(source: source)
        } catch {
            problem(nil, "orphan files were not searched: \(error.message)")
            return ([], issues)
        }
        for index in indexes {
            do {
                let fileSystem = try FileSystem(image: view, sectorOffset: exam.fileSystems[index].info.sectorOffset)
                let (found, problems) = pipeline.orphanItems(ItemSelection(allocation: .all), of: index, through: fileSystem)
                items += found
                issues += problems
            } catch {
                problem(index, "orphan files were not searched: \(error.message)")
            }
        }
        items.sort { $0.sortKey < $1.sortKey }
        return (items, issues)
    }

    /// Takes the case's scan lock (`flock` on `case.lock`): a second scan of
    /// the same case fails at once with a clear message.
    public static func lock(caseFolder: URL) throws -> AnyObject {
        try FileManager.default.createDirectory(at: caseFolder, withIntermediateDirectories: true)
        return try CaseDatabase.acquireScanLock(folder: caseFolder)
    }

    /// Deletes files under `export/img<N>/` that no item of the case points to.
    /// Only the scan writes there, so such a file is a leftover of an interrupted run.
    private func removeUnrecordedExports(image: Int64) throws {
        let root = exportFolder(image)
        guard FileManager.default.fileExists(atPath: root.path) else { return }
        let recorded = try database.exportedPaths(image: image)
        let prefix = "export/img\(image)/"
        let rootPath = root.standardizedFileURL.path + "/"
        guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey]) else { return }
        for case let url as URL in walk {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(rootPath),
                  (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) != true else { continue }
            if !recorded.contains(prefix + path.dropFirst(rootPath.count)) {
                try FileManager.default.removeItem(at: url)
            }
        }
    }

    private func exportFolder(_ image: Int64) -> URL {
        folder.appendingPathComponent("export/img\(image)")
    }
}

/// When each step of an image's scan ended, for EXHUME_STREAM_STATS (phases
/// run on several threads: files and carving end while the image is hashed).
final class PhaseClock: @unchecked Sendable {
    private let start = DispatchTime.now()
    private let marks = Mutex<[(String, UInt64)]>([])
    static let enabled = ProcessInfo.processInfo.environment["EXHUME_STREAM_STATS"] != nil

    func mark(_ name: String) {
        guard PhaseClock.enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds
        marks.withLock { $0.append((name, now)) }
    }

    /// Prints the marks so far on stderr, after how long the process ran before the clock started.
    func report() {
        guard PhaseClock.enabled else { return }
        let line = marks.withLock { $0 }.map { "\($0.0) \($0.1 / 1_000_000) ms" }.joined(separator: ", ")
        let before = PhaseClock.processAge(at: start).map { "image opened \(Int($0 * 1000)) ms after the process started; " } ?? ""
        FileHandle.standardError.write(Data("phases: \(before)\(line)\n".utf8))
    }

    /// Seconds from the process's start to `time` (Linux: /proc/self/stat counts in clock ticks).
    private static func processAge(at time: DispatchTime) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // Field 22 (starttime); `fields` begins at field 3.
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        var boot = timespec()
        clock_gettime(CLOCK_BOOTTIME, &boot)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - time.uptimeNanoseconds) / 1e9
        let now = Double(boot.tv_sec) + Double(boot.tv_nsec) / 1e9
        return now - elapsed - ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
