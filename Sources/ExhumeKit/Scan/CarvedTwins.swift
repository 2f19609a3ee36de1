import Carving
import Foundation
import SleuthKit

/// Carved items that are exactly a deleted file's content, hashed once.
///
/// On FAT a deleted picture usually keeps its clusters: the scan lists it as a
/// deleted file and the carver finds it again in unallocated space. When the
/// deleted file's content is one contiguous run that TSK read completely, and
/// the carved extent starts where that run starts and is as long as the file,
/// both items are the same image bytes, so the carved item takes the file's
/// digests and type instead of being read and hashed a second time. Both are
/// still recorded: they are different findings (one has a name and times).
///
/// Anything less certain (a file TSK could not read completely, a fragmented
/// or compressed one, a length that differs) is hashed as usual.
final class CarvedTwins: @unchecked Sendable {
    private let lock = NSLock()
    /// Deleted files that can have a twin: image offset of their run → size.
    private let candidates: [Int64: Int64]
    /// Digests of deleted files read cleanly, by image offset, until their twin
    /// comes or the carver has passed them (most deleted files are not media).
    private var files: [Int64: ItemResult] = [:]
    /// `files`' offsets in the order they came (about image order: files are read in it).
    private var arrivals: [Int64] = []
    private var evicted = 0
    /// Offsets whose file was not read cleanly: their twins are hashed as usual.
    private var unclean = Set<Int64>()
    /// Carved twins waiting for their file's result.
    private var waiting: [Int64: ContentItem] = [:]
    private(set) var adopted = 0

    /// Deleted files that can have a twin, gathered while the listing is made
    /// (so that the listing is not read a second time for them).
    struct Candidates {
        fileprivate var sizes: [Int64: Int64] = [:]
        fileprivate var clashing = Set<Int64>()

        /// Takes `item` when it is a deleted file stored as one run.
        mutating func consider(_ item: ContentItem, in exam: Examination) {
            guard item.source == .deleted, case .file(_, _, let ref) = item.origin, ref.contiguous, ref.size > 0,
                  let offset = FileReading.imageOffset(of: item, in: exam) else { return }
            if let size = sizes[offset], size != ref.size { clashing.insert(offset) }
            sizes[offset] = ref.size
        }
    }

    /// Two deleted files of different sizes at one offset: neither has a twin.
    init(_ gathered: Candidates) {
        var candidates = gathered.sizes
        for offset in gathered.clashing { candidates[offset] = nil }
        self.candidates = candidates
    }

    var isEmpty: Bool { candidates.isEmpty }

    /// The carver found `carved`: true when it will get its twin's digests
    /// (now, or when the file is read), false when it must be hashed itself.
    func adopt(_ carved: ContentItem, deliver: (ItemResult) -> Void) -> Bool {
        guard let extent = carved.carved else { return false }
        lock.lock()
        // The carver reports extents in image order: a file before this one gets no twin now.
        while evicted < arrivals.count, arrivals[evicted] < extent.offset {
            files[arrivals[evicted]] = nil
            evicted += 1
        }
        if evicted > 4096 {
            arrivals.removeFirst(evicted)
            evicted = 0
        }
        guard candidates[extent.offset] == extent.length else {
            lock.unlock()
            return false
        }
        if let file = files.removeValue(forKey: extent.offset) {
            lock.unlock()
            deliver(twin(of: file, for: carved))
            return true
        }
        if unclean.contains(extent.offset) {
            lock.unlock()
            return false
        }
        waiting[extent.offset] = carved
        lock.unlock()
        return true
    }

    /// A file's result was delivered; hands its digests to a waiting twin.
    func fileDone(_ result: ItemResult, in exam: Examination, deliver: (ItemResult) -> Void) {
        guard result.item.source == .deleted, let offset = FileReading.imageOffset(of: result.item, in: exam),
              candidates[offset] == result.item.size else { return }
        let clean = result.readError == nil && result.bytesRead == result.item.size
        lock.lock()
        let carved = waiting.removeValue(forKey: offset)
        if clean {
            if carved == nil {
                files[offset] = result
                arrivals.append(offset)
            }
        } else {
            unclean.insert(offset)
            if let carved { orphans.append(carved) }
        }
        lock.unlock()
        if clean, let carved { deliver(twin(of: result, for: carved)) }
    }

    /// Twins whose file was not read cleanly after they had been adopted, or
    /// never read at all: the caller hashes these itself.
    private var orphans: [ContentItem] = []
    func leftovers() -> [ContentItem] {
        lock.lock()
        defer { lock.unlock() }
        let left = orphans + waiting.values.sorted { ($0.carved?.offset ?? 0) < ($1.carved?.offset ?? 0) }
        orphans = []
        waiting = [:]
        return left
    }

    private func twin(of file: ItemResult, for carved: ContentItem) -> ItemResult {
        lock.lock()
        adopted += 1
        lock.unlock()
        var result = ItemResult(item: carved, bytesRead: carved.size, digests: file.digests,
                                type: file.type?.named(carved.judgedName), readError: nil,
                                exported: nil, exportError: nil)
        result.hits = file.hits
        return result
    }
}
