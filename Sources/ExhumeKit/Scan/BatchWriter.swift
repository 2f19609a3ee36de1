import CaseStore
import Foundation
import Synchronization

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
    /// Set once a commit failed (a full case disk): the scan stops reading.
    let failed = Atomic<Bool>(false)
    private var batches = 0
    /// Hears of each commit (tests stop the process there, as a kill -9 would).
    private let observer: (any ScanObserver)?

    init(database: CaseDatabase, image: Int64, exam: Examination, batchSize: Int, observer: (any ScanObserver)?) {
        self.database = database
        self.image = image
        self.exam = exam
        self.batchSize = max(1, batchSize)
        self.observer = observer
    }

    private let lock = NSLock()

    /// Called from the delivery queues of both sessions (files and carved items).
    func add(_ result: ItemResult) {
        lock.lock()
        defer { lock.unlock() }
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
            observer?.committed(batch: batches)
        } catch {
            failure = error
            failed.store(true, ordering: .releasing)
        }
    }

    func finish() throws {
        lock.lock()
        defer { lock.unlock() }
        commit()
        if let failure { throw failure }
    }
}
