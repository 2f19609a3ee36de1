import Foundation
import Synchronization
import SystemCalls
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `valueOrErrno`: the result of a call that worked, the errno of one that
/// failed, and a call interrupted by a signal made again (or not, when asked).
/// The interrupting tests change how the process handles SIGUSR1: one at a time.
@Suite(.serialized)
struct ValueOrErrnoTests {
    @Test func aResultPassesThrough() {
        let fd = open("/dev/null", O_RDONLY)
        defer { close(fd) }
        var byte: UInt8 = 0
        #expect(valueOrErrno { read(fd, &byte, 1) } == .success(0))
        #expect(valueOrErrno { lseek(fd, 0, SEEK_SET) } == .success(0))
    }

    @Test func aFailureGivesItsErrno() {
        var byte: UInt8 = 0
        let result = valueOrErrno { read(-1, &byte, 1) }
        #expect(result == .failure(Errno(EBADF)))
        #expect(Errno(EBADF).description == String(cString: strerror(EBADF)))
        #expect(valueOrErrno { open("/nonexistent/exhume", O_RDONLY) } == .failure(Errno(ENOENT)))
    }

    @Test func aReadInterruptedBySignalIsMadeAgain() throws {
        let (calls, result) = try interruptedRead(retrying: true)
        #expect(calls >= 2, "the interrupted read was made again")
        #expect(result == .success(1))
    }

    @Test func withoutRetryTheInterruptionIsTheResult() throws {
        let (calls, result) = try interruptedRead(retrying: false)
        #expect(calls == 1)
        #expect(result == .failure(Errno(EINTR)))
    }

    /// A thread blocks in `read(2)` on an empty pipe through `valueOrErrno`; SIGUSR1,
    /// caught by a handler installed without `SA_RESTART`, makes the read fail with
    /// `EINTR`. Signals are sent until the read was made twice (or, without retry, has
    /// returned), then a byte is written so that a retried read completes. Returns how
    /// many times the read was made, and its result.
    func interruptedRead(retrying: Bool) throws -> (calls: Int, result: Result<Int, Errno>?) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        var previous = sigaction()
        try #require(sigaction(SIGUSR1, &action, &previous) == 0)
        defer { sigaction(SIGUSR1, &previous, nil) }

        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer {
            close(fds[0])
            close(fds[1])
        }
        let readEnd = fds[0]
        let calls = Atomic<Int>(0)
        let state = Mutex<(thread: pthread_t?, result: Result<Int, Errno>?)>((nil, nil))
        // The thread stays alive until the test is done signalling it.
        let release = DispatchSemaphore(value: 0)
        defer { release.signal() }
        Thread.detachNewThread {
            // The test runner's threads may block signals; this one must take SIGUSR1.
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGUSR1)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            state.withLock { $0.thread = pthread_self() }
            var byte: UInt8 = 0
            let result = valueOrErrno(retryOnInterrupt: retrying) { () -> Int in
                calls.add(1, ordering: .relaxed)
                return read(readEnd, &byte, 1)
            }
            state.withLock { $0.result = result }
            release.wait()
        }

        // Bounded waits, never a timing assertion: a slow machine only takes longer.
        let deadline = ContinuousClock.now + .seconds(60)
        func finished() -> Bool { state.withLock { $0.result != nil } }
        while ContinuousClock.now < deadline, !finished(), calls.load(ordering: .relaxed) < 2 {
            if let thread = state.withLock({ $0.thread }) { pthread_kill(thread, SIGUSR1) }
            usleep(5_000)
        }
        var byte: UInt8 = 7
        _ = write(fds[1], &byte, 1)
        let end = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < end, !finished() { usleep(1_000) }
        return (calls.load(ordering: .relaxed), state.withLock { $0.result })
    }
}
