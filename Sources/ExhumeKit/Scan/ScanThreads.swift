import Foundation

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
