import Evidence
import Foundation
import SleuthKit

/// The files' thread of a scan's stream: TSK reads them in first-block order
/// through the content cursor, into two sets of lanes that take the files in
/// turn (balanced by size), so their digests run beside each other: two more
/// MD5 streams for the engine to interleave. The orphans come last.
final class FileReading: @unchecked Sendable {
    private let opened: OpenedImage
    private let cursor: MediaStream.Cursor
    private let sink: ResultSink
    private let sessions: [ContentPipeline.Session]
    private let thread = ResultThread<Void>()
    private let clock: PhaseClock

    init(_ opened: OpenedImage, pipeline: ContentPipeline, cursor: MediaStream.Cursor, sink: ResultSink,
         exporters: [ContentExporter?], clock: PhaseClock) throws {
        self.opened = opened
        self.cursor = cursor
        self.sink = sink
        self.clock = clock
        sessions = try exporters.map { try pipeline.start(exporter: $0, deliver: sink.recordFile) }
    }

    /// Starts reading `items`, then the orphans `search` finds.
    func start(_ items: ItemSpool, then search: OrphanSearch) {
        let work = UncheckedBox(items)
        thread.start { [self] in
            defer { cursor.finish() }
            var queued = [Int64](repeating: 0, count: sessions.count)
            func add(_ item: ContentItem) {
                let lane = queued.indices.min { queued[$0] < queued[$1] }!
                queued[lane] += max(0, item.size) + 4096
                sessions[lane].add(item)
            }
            for item in work.value where opened.unrecorded(item) {
                if sink.failed { break }   // the case cannot take more
                if let offset = Self.imageOffset(of: item, in: opened.exam) { cursor.willNotRead(before: offset) }
                add(item)
            }
            // Orphans last: the window no longer waits for this reader while their search
            // goes on; their bytes, mostly behind the window by now, come from the image.
            cursor.finish()
            clock.mark("files queued")
            let orphans = search.items
            clock.mark("orphans found \(orphans.count)")
            for item in orphans where opened.unrecorded(item) {
                if sink.failed { break }
                add(item)
            }
            for session in sessions { session.finish() }
            clock.mark("files hashed")
        }
    }

    /// Waits until every file's result is delivered.
    func wait() { _ = thread.wait() }

    /// Seconds the reader waited for chunks to come back from the lanes (diagnostics).
    var waitedForLanes: Double { sessions.reduce(0) { $0 + $1.waitedForLanes } }

    /// Where an item's first block lies in the image, when TSK says (not for
    /// resident contents or pool volumes).
    static func imageOffset(of item: ContentItem, in exam: Examination) -> Int64? {
        guard case .file(let index, _, let ref) = item.origin, let block = ref.firstBlock else { return nil }
        let mounted = exam.fileSystems[index]
        guard mounted.poolVolume == nil else { return nil }
        return mounted.info.byteOffset + Int64(block) * Int64(mounted.info.blockSize)
    }
}

/// The orphan search of a scan's stream. FAT (and exFAT) find orphan entries by
/// reading all unallocated clusters; other file systems find them in their
/// metadata tables, which is cheap, while they are listed. A FAT's search runs
/// on a thread of its own, on a second TSK handle reading through its own cursor.
final class OrphanSearch: @unchecked Sendable {
    private let thread = ResultThread<(items: [ContentItem], issues: [Issue])>()

    static func findsOrphansByReading(_ mounted: MountedFileSystem) -> Bool {
        mounted.poolVolume == nil && mounted.info.kind.isFAT
    }

    /// Starts searching the file systems `indexes` through `cursor` (nothing when there are none).
    static func start(_ exam: Examination, pipeline: ContentPipeline, of indexes: [Int],
                      through cursor: MediaStream.Cursor?) -> OrphanSearch {
        let search = OrphanSearch()
        guard let cursor, !indexes.isEmpty else { return search }
        let work = UncheckedBox(pipeline)
        search.thread.start {
            defer { cursor.finish() }
            return search.search(work.value, exam: exam, of: indexes, through: cursor)
        }
        return search
    }

    /// The orphans found, sorted in read order (waits for the search).
    var items: [ContentItem] { thread.wait()?.items ?? [] }
    /// What the search could not read.
    var issues: [Issue] { thread.wait()?.issues ?? [] }

    private func search(_ pipeline: ContentPipeline, exam: Examination, of indexes: [Int],
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
}
