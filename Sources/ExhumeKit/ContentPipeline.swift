import Carving
import Evidence
import Foundation
import Hashing
import SleuthKit
import Synchronization

/// What the pipeline learned about one item.
public struct ItemResult: Sendable {
    public var item: ContentItem
    /// Bytes TSK delivered (can be short of the size when content is gone).
    public var bytesRead: Int64
    public var digests: Digests
    /// Nil when identification is off.
    public var type: ContentType?
    /// TSK's complaint when the content could not be read completely.
    public var readError: String?
    /// Where the export put it, relative to the output folder; nil when not exported.
    public var exported: String?
    /// Why the export failed, if it did.
    public var exportError: String?
    /// Matches in the known-hash sets.
    public var hits: [HashHit] = []
}

/// Receives each item's bytes for writing somewhere (the `recover` command).
/// Called on one thread, in item order.
public protocol ContentExporter: AnyObject {
    /// Starts an item, given its first bytes; returns false to skip exporting it.
    func begin(_ item: ContentItem, head: UnsafeRawBufferPointer) -> Bool
    func write(_ bytes: UnsafeRawBufferPointer)
    /// Ends the item; returns the relative path written, or throws why not.
    func finish(readComplete: Bool) throws -> String
}

/// Reads items' content once, in image order, and hands every chunk to all
/// consumers while it is in memory: MD5 (and export) on one lane, SHA-1,
/// SHA-256 and libmagic on another, so TSK's reading and both lanes keep
/// the two cores busy. Memory is a fixed pool of chunk buffers.
///
/// Contents of small consecutive items share a chunk, so the cost per item is
/// a few hundred bytes of bookkeeping, not a thread hand-off.
public final class ContentPipeline: @unchecked Sendable {
    public struct Options: Sendable {
        public var identify = true
        /// Known-hash sets every item is looked up in.
        public var hashSets = HashSetLibrary()
        public var chunkSize = 1 << 20
        public var chunks = 8
        /// Lanes typing items with libmagic (each holds two libmagic cookies, ~10 MB).
        public var typeLanes = 2
        public init() {}
    }

    private let exam: Examination
    private let options: Options

    public init(exam: Examination, options: Options = Options()) {
        self.exam = exam
        self.options = options
    }

    /// The items of every file system that `selection` accepts, sorted by
    /// their first block so the image is read mostly sequentially; the orphans
    /// of the file systems in `withoutOrphans` (indexes) are left out (see
    /// ``orphanItems(_:of:through:)``). In memory: for listings of any size, use
    /// ``spool(_:withoutOrphans:directory:)``.
    public func items(_ selection: ItemSelection, withoutOrphans: Set<Int> = []) -> (items: [ContentItem], issues: [Issue]) {
        var items: [ContentItem] = []
        var issues: [Issue] = []
        for index in exam.fileSystems.indices {
            issues += walk(exam.fileSystems[index].fileSystem, of: index, selection, orphans: !withoutOrphans.contains(index),
                           only: { _ in true }, incomplete: "listing may be incomplete") { items.append($0) }
        }
        items.sort { $0.sortKey < $1.sortKey }
        for index in items.indices { items[index].sequence = index }
        return (items, issues)
    }

    /// The same items as ``items(_:withoutOrphans:)``, in the same order, in an
    /// ``ItemSpool``: encoded as they are found, in a temporary file in
    /// `directory` once they outgrow `spillAbove` bytes, so that memory does not
    /// grow with the number of files. `found` sees each item as the walk finds
    /// it (walk order), for what a caller gathers without reading the list again.
    public func spool(_ selection: ItemSelection, withoutOrphans: Set<Int> = [], directory: URL?,
                      spillAbove: Int = 32 << 20,
                      found: (ContentItem) -> Void = { _ in }) -> (items: ItemSpool, issues: [Issue]) {
        let spool = ItemSpool(directory: directory, places: exam.places, spillAbove: spillAbove)
        var issues: [Issue] = []
        for index in exam.fileSystems.indices {
            issues += walk(exam.fileSystems[index].fileSystem, of: index, selection, orphans: !withoutOrphans.contains(index),
                           only: { _ in true }, incomplete: "listing may be incomplete") { item in
                spool.append(item)
                found(item)
            }
        }
        spool.finishListing()
        return (spool, issues)
    }

    /// The orphans (`$OrphanFiles`) of file system `index` that `selection`
    /// accepts, found through `view`, another TSK handle of the same file
    /// system (so that the search can run on its own thread, reading through
    /// its own source), in walk order, to be read with the examination's own handle.
    public func orphanItems(_ selection: ItemSelection, of index: Int,
                            through view: FileSystem) -> (items: [ContentItem], issues: [Issue]) {
        var items: [ContentItem] = []
        let issues = walk(view, of: index, selection, orphans: true, only: \.isOrphan,
                          incomplete: "listing of orphan files may be incomplete") { items.append($0) }
        return (items, issues)
    }

    /// One walk of `fileSystem` (file system `index` of the examination, or
    /// another handle of it): the entries that `only` and `selection` accept go
    /// to `found` as items (their provenance made here); returns the walk's problems.
    private func walk(_ fileSystem: FileSystem, of index: Int, _ selection: ItemSelection, orphans: Bool,
                      only: (FileEntry) -> Bool, incomplete: String, found: (ContentItem) -> Void) -> [Issue] {
        let mounted = exam.fileSystems[index]
        let place = mounted.place(image: exam.source.path)
        let error = fileSystem.walk(locatingContent: true, orphans: orphans) { entry in
            guard only(entry), selection.accepts(entry, in: mounted.info.kind), let ref = entry.content else { return true }
            found(ContentItem(sequence: 0, fileSystem: index, place: place, entry: entry, ref: ref,
                              source: ItemSelection.source(of: entry)))
            return true
        }
        return error.map {
            [Issue(severity: .warning, image: exam.source.path, partition: mounted.partition?.slot,
                   sectorOffset: mounted.info.sectorOffset, message: "\(incomplete): \($0.message)")]
        } ?? []
    }

    /// Reads `items` and calls `deliver` once per item, in item order, on one
    /// thread (not the caller's). `progress` gets bytes read so far.
    public func run(_ items: some Sequence<ContentItem>, exporter: ContentExporter? = nil,
                    progress: (@Sendable (Int64) -> Void)? = nil,
                    deliver: @escaping @Sendable (ItemResult) -> Void) throws(IdentificationError) {
        let session = try start(exporter: exporter, progress: progress, deliver: deliver)
        for item in items { session.add(item) }
        session.finish()
    }

    /// Starts the lanes for items pushed one at a time with ``Session/add(_:from:)``
    /// (a scan adds carved items as the carver finds them).
    public func start(exporter: ContentExporter? = nil,
                      progress: (@Sendable (Int64) -> Void)? = nil,
                      deliver: @escaping @Sendable (ItemResult) -> Void) throws(IdentificationError) -> Session {
        try Session(exam: exam, options: options, exporter: exporter, progress: progress, deliver: deliver)
    }

    /// Items on their way through the lanes. `add` and `finish` are called
    /// from one thread at a time (the reader); results arrive on another.
    public final class Session {
        private let exam: Examination
        private let pool: ChunkPool
        private let joiner: ResultJoiner
        private let md5Lane: MD5Worker
        private let shaLane: SHAWorker
        /// libmagic, on two lanes taking chunks in turn: with small files typing is
        /// most of the work (~0.2 ms an item), and an item's head is in one chunk.
        private let typeLanes: [TypeWorker]
        private var dispatched = 0
        private let headBytes: Int
        private let progress: (@Sendable (Int64) -> Void)?
        private var chunk: Chunk
        private var total: Int64 = 0
        private var next = 0
        private var finished = false
        static let itemsPerChunk = 64

        init(exam: Examination, options: Options, exporter: ContentExporter?,
             progress: (@Sendable (Int64) -> Void)?,
             deliver: @escaping @Sendable (ItemResult) -> Void) throws(IdentificationError) {
            self.exam = exam
            self.progress = progress
            let pool = ChunkPool(count: options.chunks, size: options.chunkSize)
            let joiner = ResultJoiner(hashSets: options.hashSets, deliver: deliver)
            self.pool = pool
            self.joiner = joiner
            md5Lane = MD5Worker(joiner: joiner, pool: pool, exporter: exporter.map(ExporterBox.init))
            shaLane = SHAWorker(joiner: joiner, pool: pool)
            typeLanes = options.identify
                ? try (0..<max(1, options.typeLanes)).map { _ throws(IdentificationError) in try TypeWorker(joiner: joiner, pool: pool) } : []
            joiner.identifying = options.identify
            headBytes = options.identify ? TypeIdentifier.headBytes : 0
            chunk = pool.take()
        }

        deinit {
            if !finished { finish() }
            readBuffer.deallocate()
        }

        private func dispatch() {
            chunk.refs.store(typeLanes.isEmpty ? 2 : 3, ordering: .releasing)
            let full = chunk
            md5Lane.submit(full)
            shaLane.submit(full)
            if !typeLanes.isEmpty { typeLanes[dispatched % typeLanes.count].submit(full) }
            dispatched += 1
            chunk = pool.take()
            progress?(total)
        }

        /// Reads `item` into the lanes; its result is delivered in the order
        /// items were added. A carved item is read from `source` (default: the
        /// examination's image), straight, not through TSK.
        public func add(_ item: ContentItem, from source: (any ImageSource)? = nil) {
            var item = item
            item.sequence = next
            next += 1
            joiner.register(item)
            // Keep an item's head in one chunk so libmagic sees its first bytes together.
            let wantedHead = Int(min(Int64(headBytes), max(0, item.size)))
            // A chunk also goes when it holds many items: with small files, typing them
            // (libmagic, ~0.2 ms an item) is the work, and it must not wait for 1 MiB of them.
            if chunk.room < wantedHead || chunk.segments.count >= Session.itemsPerChunk { dispatch() }
            chunk.open(item.sequence)
            let consume: (UnsafeRawBufferPointer) -> Bool = { [self] bytes in
                var rest = bytes
                while !rest.isEmpty {
                    let n = chunk.append(rest)
                    rest = UnsafeRawBufferPointer(rebasing: rest[n...])
                    total += Int64(n)
                    if chunk.room == 0 {
                        chunk.closeSegment(last: false, outcome: nil)
                        dispatch()
                        chunk.open(item.sequence, continuing: true)
                    }
                }
                return true
            }
            let outcome: ContentReadOutcome
            switch item.origin {
            case .file(let index, _, let ref):
                outcome = exam.fileSystems[index].fileSystem.readContent(ref, scratch: readBuffer, chunk: consume)
            case .carved(let extent):
                outcome = read(extent, from: source ?? exam.source, into: consume)
            }
            chunk.closeSegment(last: true, outcome: outcome)
        }

        /// Seconds the reader waited for the lanes to give a chunk back (diagnostics).
        public var waitedForLanes: Double { pool.waited }

        /// Waits until every added item has been delivered.
        public func finish() {
            guard !finished else { return }
            finished = true
            dispatch()
            md5Lane.drain()
            shaLane.drain()
            for lane in typeLanes { lane.drain() }
            joiner.drain()
            pool.give(chunk)
        }

        /// Where carved ranges and files' runs are read, made once for the session
        /// (a scan reads thousands of items: no fresh megabyte, and its page
        /// faults, for each).
        private let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096)

        /// Reads a carved range straight from the image, in 1 MiB pieces.
        private func read(_ extent: CarvedExtent, from source: any ImageSource,
                          into consume: (UnsafeRawBufferPointer) -> Bool) -> ContentReadOutcome {
            let buffer = readBuffer
            let piece = buffer.count
            var done: Int64 = 0
            while done < extent.length {
                let wanted = Int(min(Int64(piece), extent.length - done))
                do {
                    let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]),
                                            at: extent.offset + done)
                    guard n > 0 else { break }
                    _ = consume(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                    done += Int64(n)
                } catch {
                    return ContentReadOutcome(bytes: done, error: TSKError(function: "read", message: error.description,
                                                                           context: source.path), stopped: false)
                }
            }
            return ContentReadOutcome(bytes: done, error: nil, stopped: false)
        }
    }
}

// MARK: - Chunks

/// A piece of an item's content inside a chunk.
struct Segment {
    var item: Int
    var range: Range<Int>
    var first: Bool
    var last: Bool
    var outcome: ContentReadOutcome?
}

/// A buffer of the pool, filled by the reader, then read by both lanes.
final class Chunk: @unchecked Sendable {
    let buffer: UnsafeMutableRawBufferPointer
    var count = 0
    var segments: [Segment] = []
    /// Lanes still reading it; the last one gives it back to the pool.
    let refs = Atomic<Int>(0)
    private var openItem: Int?
    private var openStart = 0
    private var openFirst = false

    init(size: Int) {
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 4096)
    }

    deinit { buffer.deallocate() }

    var room: Int { buffer.count - count }

    func reset() {
        count = 0
        segments.removeAll(keepingCapacity: true)
        openItem = nil
    }

    func open(_ item: Int, continuing: Bool = false) {
        openItem = item
        openStart = count
        openFirst = !continuing
    }

    func append(_ bytes: UnsafeRawBufferPointer) -> Int {
        let n = min(room, bytes.count)
        if n > 0 { (buffer.baseAddress! + count).copyMemory(from: bytes.baseAddress!, byteCount: n) }
        count += n
        return n
    }

    func closeSegment(last: Bool, outcome: ContentReadOutcome?) {
        guard let item = openItem else { return }
        segments.append(Segment(item: item, range: openStart..<count, first: openFirst, last: last, outcome: outcome))
        openItem = nil
    }

    func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[range])
    }
}

/// A fixed set of chunks; `take` waits for a free one, so memory is bounded.
final class ChunkPool: @unchecked Sendable {
    private let condition = NSCondition()
    private var free: [Chunk]

    init(count: Int, size: Int) {
        free = (0..<max(3, count)).map { _ in Chunk(size: size) }
    }

    /// Seconds `take` waited for a chunk to come back from the lanes (diagnostics).
    private(set) var waited = 0.0

    func take() -> Chunk {
        condition.lock()
        if free.isEmpty {
            let start = DispatchTime.now()
            while free.isEmpty { condition.wait() }
            waited += Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        }
        let chunk = free.removeLast()
        condition.unlock()
        chunk.reset()
        return chunk
    }

    func give(_ chunk: Chunk) {
        condition.lock()
        free.append(chunk)
        condition.signal()
        condition.unlock()
    }

    /// Called by each lane when done with a chunk; the last one returns it.
    func release(_ chunk: Chunk) {
        if chunk.refs.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { give(chunk) }
    }
}

// MARK: - Lanes

/// A serial worker thread fed chunks in order.
class Lane: @unchecked Sendable {
    private let queue: DispatchQueue
    let pool: ChunkPool

    init(label: String, pool: ChunkPool) {
        queue = DispatchQueue(label: label)
        self.pool = pool
    }

    func submit(_ chunk: Chunk) {
        queue.async { [self] in
            process(chunk)
            pool.release(chunk)
        }
    }

    func process(_ chunk: Chunk) {}

    func drain() { queue.sync {} }
}

/// Wraps an exporter for the lane that owns it (only that lane touches it).
final class ExporterBox: @unchecked Sendable {
    let exporter: ContentExporter
    init(_ exporter: ContentExporter) { self.exporter = exporter }
}

/// MD5 of each item, and its export.
final class MD5Worker: Lane, @unchecked Sendable {
    private let joiner: ResultJoiner
    private let exporter: ExporterBox?
    private var digest = MD5Lane()
    private var exporting = false

    init(joiner: ResultJoiner, pool: ChunkPool, exporter: ExporterBox?) {
        self.joiner = joiner
        self.exporter = exporter
        super.init(label: "exhume.md5", pool: pool)
    }

    override func process(_ chunk: Chunk) {
        for segment in chunk.segments {
            if segment.first {
                digest = MD5Lane()
                exporting = exporter?.exporter.begin(joiner.item(segment.item), head: chunk.bytes(segment.range)) ?? false
            }
            let bytes = chunk.bytes(segment.range)
            digest.update(bytes)
            if exporting { exporter?.exporter.write(bytes) }
            if segment.last {
                var exported: String?
                var exportError: String?
                if exporting, let exporter {
                    do {
                        exported = try exporter.exporter.finish(readComplete: segment.outcome?.error == nil)
                    } catch {
                        exportError = "\(error)"
                    }
                }
                joiner.md5Done(segment.item, md5: digest.finalize(), outcome: segment.outcome,
                               exported: exported, exportError: exportError)
            }
        }
    }
}

/// SHA-1 and SHA-256 of each item.
final class SHAWorker: Lane, @unchecked Sendable {
    private let joiner: ResultJoiner
    private var digest = SHALane()

    init(joiner: ResultJoiner, pool: ChunkPool) {
        self.joiner = joiner
        super.init(label: "exhume.sha", pool: pool)
    }

    override func process(_ chunk: Chunk) {
        for segment in chunk.segments {
            if segment.first { digest = SHALane() }
            digest.update(chunk.bytes(segment.range))
            if segment.last {
                let (sha1, sha256) = digest.finalize()
                joiner.shaDone(segment.item, sha1: sha1, sha256: sha256)
            }
        }
    }
}

/// The type of each item whose head is in the chunks it is given (libmagic).
final class TypeWorker: Lane, @unchecked Sendable {
    private let joiner: ResultJoiner
    private let identifier: TypeIdentifier

    init(joiner: ResultJoiner, pool: ChunkPool) throws(IdentificationError) {
        self.joiner = joiner
        // libmagic cookies are not thread-safe: this one lives on this lane only.
        identifier = try TypeIdentifier()
        super.init(label: "exhume.type", pool: pool)
    }

    override func process(_ chunk: Chunk) {
        for segment in chunk.segments where segment.first {
            let type = identifier.identify(head: chunk.bytes(segment.range), name: joiner.item(segment.item).judgedName)
            joiner.typeDone(segment.item, type: type)
        }
    }
}

/// Puts together what both lanes found about an item and delivers it, in
/// item order, on a serial queue.
final class ResultJoiner: @unchecked Sendable {
    private struct Partial {
        var md5: [UInt8]?
        var outcome: ContentReadOutcome?
        var exported: String?
        var exportError: String?
        var sha: (sha1: [UInt8], sha256: [UInt8])?
        var typed = false
        var type: ContentType?
    }

    /// Items added and not yet delivered, by sequence.
    private var items: [Int: ContentItem] = [:]
    private let hashSets: HashSetLibrary
    private let deliverQueue = DispatchQueue(label: "exhume.deliver")
    private let deliver: @Sendable (ItemResult) -> Void
    private let lock = NSLock()
    private var partials: [Int: Partial] = [:]
    /// Results complete before an earlier item's, held until it is delivered
    /// (as many as items in flight: the chunk pool bounds them).
    private var finished: [Int: ItemResult] = [:]
    private var nextDelivery = 0

    init(hashSets: HashSetLibrary, deliver: @escaping @Sendable (ItemResult) -> Void) {
        self.hashSets = hashSets
        self.deliver = deliver
    }

    func register(_ item: ContentItem) {
        lock.lock()
        items[item.sequence] = item
        lock.unlock()
    }

    func item(_ sequence: Int) -> ContentItem {
        lock.lock()
        defer { lock.unlock() }
        return items[sequence]!
    }

    func md5Done(_ sequence: Int, md5: [UInt8], outcome: ContentReadOutcome?, exported: String?, exportError: String?) {
        update(sequence) {
            $0.md5 = md5
            $0.outcome = outcome
            $0.exported = exported
            $0.exportError = exportError
        }
    }

    /// Whether a type lane reports each item (else items are complete without a type).
    var identifying = false

    func shaDone(_ sequence: Int, sha1: [UInt8], sha256: [UInt8]) {
        update(sequence) { $0.sha = (sha1, sha256) }
    }

    func typeDone(_ sequence: Int, type: ContentType) {
        update(sequence) {
            $0.type = type
            $0.typed = true
        }
    }

    private func update(_ sequence: Int, _ change: (inout Partial) -> Void) {
        lock.lock()
        var partial = partials[sequence] ?? Partial()
        change(&partial)
        guard let md5 = partial.md5, let sha = partial.sha, partial.typed || !identifying else {
            partials[sequence] = partial
            lock.unlock()
            return
        }
        partials[sequence] = nil
        let item = items.removeValue(forKey: sequence)!
        var result = ItemResult(item: item, bytesRead: partial.outcome?.bytes ?? 0,
                                digests: Digests(md5: md5, sha1: sha.sha1, sha256: sha.sha256), type: partial.type,
                                readError: partial.outcome?.error?.message, exported: partial.exported,
                                exportError: partial.exportError)
        if !hashSets.isEmpty {
            result.hits = hashSets.lookup(md5: Digest(kind: .md5, bytes: md5), sha1: Digest(kind: .sha1, bytes: sha.sha1),
                                          sha256: Digest(kind: .sha256, bytes: sha.sha256))
        }
        // Enqueued under the lock, in item order: the two type lanes can finish
        // neighbours out of order, and outputs should not depend on which did.
        let deliver = self.deliver
        finished[sequence] = result
        while let ready = finished.removeValue(forKey: nextDelivery) {
            nextDelivery += 1
            deliverQueue.async { deliver(ready) }
        }
        lock.unlock()
    }

    func drain() { deliverQueue.sync {} }
}
