import Carving
import Foundation
import Synchronization

/// `--export hits` in the one read of the stream: whether an item hits a set is
/// known only once all its digests are, after its bytes have gone through the
/// lanes. So each session's export lane holds the bytes of the item it reads
/// (while they fit in a budget of `budget` bytes for all sessions together),
/// and when the item's result reaches the ``ResultSink`` the bytes of a hit are
/// written, those of anything else dropped. Memory stays bounded: bytes are
/// held only from the export lane to the delivery, as many items as the chunk
/// pools keep in flight; an item too big for what is left of the budget is not
/// held, and if it hits, it is read again once the stream is over (the one
/// second read left, for hits of more than `budget` bytes).
final class HitExport: @unchecked Sendable {
    private let opened: OpenedImage
    private let context: ScanContext
    /// Made with the first hit (no hit, no export folder), as before.
    private var exporter: RecoveryExporter?
    /// Why the exporter could not be made: the scan fails with it at the end.
    private var failure: (any Error)?
    /// Serialises writes: results arrive on the delivery queues of every session.
    private let lock = NSLock()
    private let held = Mutex<[String: [UInt8]]>([:])
    private let reserved = Atomic<Int>(0)
    private let budget: Int
    /// Hits whose bytes were not held: read again by ``finish(_:into:)``.
    private var unheld: [ContentItem] = []

    init(_ opened: OpenedImage, context: ScanContext) {
        self.opened = opened
        self.context = context
        budget = context.options.hitHoldBytes
    }

    /// The exporter, made the first time. Called with `lock` held.
    private func madeExporter() throws -> RecoveryExporter {
        if let exporter { return exporter }
        let made = try RecoveryExporter(exam: opened.exam, outputFolder: context.exportFolder(opened.imageID).path,
                                        force: true)
        made.alreadyExported = opened.exportedBefore
        exporter = made
        return made
    }

    /// The export lane's side of one session: holds each item's bytes.
    func holder() -> ContentExporter { Holder(self) }

    /// Called with each result before it is recorded: writes a hit from its held
    /// bytes (setting `exported`), drops the bytes of anything else.
    func resolve(_ result: inout ItemResult) {
        let key = result.item.provenance.key
        let bytes = held.withLock { $0.removeValue(forKey: key) }
        if bytes != nil { reserved.subtract(Int(clamping: max(0, result.item.size)), ordering: .relaxed) }
        result.exported = nil
        result.exportError = nil
        guard !result.hits.isEmpty else { return }
        lock.lock()
        defer { lock.unlock() }
        guard let bytes else {
            unheld.append(result.item)
            return
        }
        guard failure == nil else { return }
        let exporter: RecoveryExporter
        do {
            exporter = try madeExporter()
        } catch {
            failure = error
            return
        }
        let written = bytes.withUnsafeBytes { all -> Result<String, any Error>? in
            guard exporter.begin(result.item, head: UnsafeRawBufferPointer(rebasing: all.prefix(TypeIdentifier.headBytes))) else {
                return nil
            }
            exporter.write(all)
            return Result { try exporter.finish(readComplete: result.readError == nil) }
        }
        switch written {
        case .success(let path): result.exported = path
        case .failure(let error): result.exportError = "\(error)"
        case nil: break
        }
    }

    /// Writes the hits whose bytes could not be held (read again, after the
    /// stream) and records where they went; the export's problems go to `summary`.
    func finish(_ pipeline: ContentPipeline, into summary: inout ScanJob.ImageSummary) throws {
        let (again, failure) = lock.withLock { (unheld, self.failure) }
        if let failure { throw failure }
        let exported = Mutex([String: String]())
        if !again.isEmpty {
            let exporter = try lock.withLock { try madeExporter() }
            try pipeline.run(again, exporter: exporter) { result in
                if let path = result.exported {
                    exported.withLock { $0[result.item.provenance.key] = path }
                }
            }
        }
        summary.issues += lock.withLock { exporter?.issues ?? [] }
        let paths = exported.withLock { $0 }
        try context.database.setExported(image: opened.imageID, paths: paths.mapValues { "export/img\(opened.imageID)/\($0)" })
        summary.exported += paths.count
        summary.hitsReadAgain = again.count
    }

    /// Reserves room for `size` bytes; false when the budget cannot take them.
    fileprivate func reserve(_ size: Int64) -> Bool {
        let size = Int(clamping: max(0, size))
        let total = reserved.add(size, ordering: .relaxed).newValue
        guard total > budget else { return true }
        reserved.subtract(size, ordering: .relaxed)
        return false
    }

    fileprivate func hold(_ bytes: [UInt8], for item: ContentItem) {
        held.withLock { $0[item.provenance.key] = bytes }
    }

    /// One export lane's holder (used from that lane's thread only).
    private final class Holder: ContentExporter {
        private let hits: HitExport
        private var item: ContentItem?
        private var bytes: [UInt8] = []

        init(_ hits: HitExport) { self.hits = hits }

        func begin(_ item: ContentItem, head: UnsafeRawBufferPointer) -> Bool {
            guard hits.reserve(item.size) else { return false }
            self.item = item
            bytes.removeAll(keepingCapacity: false)
            bytes.reserveCapacity(Int(clamping: max(0, item.size)))
            return true
        }

        func write(_ chunk: UnsafeRawBufferPointer) {
            bytes.append(contentsOf: chunk)
        }

        /// Hands the bytes over; the path is decided by ``HitExport/resolve(_:)``.
        func finish(readComplete: Bool) throws -> String {
            if let item { hits.hold(bytes, for: item) }
            item = nil
            bytes = []
            return ""
        }
    }
}
