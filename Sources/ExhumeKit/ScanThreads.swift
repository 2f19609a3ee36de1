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

/// Work with a result on a thread of its own; `wait` returns the result (nil
/// when nothing was started), to every caller, as often as it is asked.
final class ResultThread<Result>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var result: Result?
    private var started = false

    func start(_ work: @escaping () -> Result) {
        started = true
        let box = UncheckedBox(work)
        Thread.detachNewThread { [self] in
            let value = box.value()
            lock.withLock { result = value }
            done.signal()
        }
    }

    func wait() -> Result? {
        guard started else { return nil }
        done.wait()
        done.signal()   // a latch: once the work is done, every wait passes
        return lock.withLock { result }
    }
}
