import Foundation

/// A carving pass on a thread of its own; `wait` returns its result (nil when none was started).
final class CarvingTask: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: (extents: [CarvedExtent], issues: [Issue], statistics: Carver.Statistics)?
    private var started = false

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

/// Work on a thread of its own; `wait` returns when it is done.
final class Worker: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)

    static func start(_ work: @escaping () -> Void) -> Worker {
        let worker = Worker()
        let box = UncheckedBox(work)
        Thread.detachNewThread {
            box.value()
            worker.done.signal()
        }
        return worker
    }

    func wait() { done.wait() }
}

/// Moves a non-Sendable value to the thread that alone uses it.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
