import CDigest
import Foundation
import Synchronization

/// A digest state of our C code (`exhume_md5`, `exhume_sha`) on the heap, so
/// that the engine can advance it from another thread; lanes copy it on write.
final class CState<State>: @unchecked Sendable {
    let raw = UnsafeMutablePointer<State>.allocate(capacity: 1)
    private let initialize: (UnsafeMutablePointer<State>) -> Void

    init(_ initialize: @escaping (UnsafeMutablePointer<State>) -> Void) {
        self.initialize = initialize
        initialize(raw)
    }
    deinit { raw.deallocate() }

    func copy() -> CState<State> {
        let other = CState(initialize)
        other.raw.pointee = raw.pointee
        return other
    }
}

typealias MD5Context = CState<exhume_md5>

extension CState where State == exhume_md5 {
    convenience init() { self.init { exhume_md5_init($0) } }

    /// The digest of what was fed so far; the state itself goes on.
    func digest() -> [UInt8] {
        var finished = raw.pointee
        var out = [UInt8](repeating: 0, count: 16)
        out.withUnsafeMutableBufferPointer { exhume_md5_final(&finished, $0.baseAddress!) }
        return out
    }
}

/// Hashes the MD5 streams of every thread on one engine thread, two at a time.
///
/// MD5 is one long chain of dependent steps, so a single stream keeps a core's
/// ALUs mostly idle (≈ 800 MB/s here); two independent streams interleaved in
/// one loop (`exhume_md5_update2`) run at about that speed each. (Three at once
/// were measured too: 490 MB/s each, less in all than two, as the core's ALUs
/// run out.) A scan hashes the whole image, its files and its carved items at
/// once, on different threads: each hands its bytes to the engine and waits;
/// the engine advances the two jobs it holds together, in slices, so a job
/// that arrives joins the one under way at the next slice. While the callers
/// wait, their cores are free for the rest of the pipeline (inflating, SHA,
/// carving).
///
/// Updates shorter than ``minimumShared`` are hashed at once by the caller: a
/// hand-off would cost more than it saves.
public final class PairedMD5: @unchecked Sendable {
    public static let shared = PairedMD5()

    static let minimumShared = 16 << 10
    static let slice = 256 << 10

    private final class Job: @unchecked Sendable {
        let context: UnsafeMutablePointer<exhume_md5>
        var next: UnsafeRawPointer
        var remaining: Int
        /// Signalled by the engine when the job is hashed; its caller waits on it alone.
        let done = DispatchSemaphore(value: 0)

        init(_ context: UnsafeMutablePointer<exhume_md5>, _ bytes: UnsafeRawBufferPointer) {
            self.context = context
            self.next = bytes.baseAddress!
            self.remaining = bytes.count
        }

        func advance(_ n: Int) {
            next += n
            remaining -= n
        }
    }

    // The queue lock is held only to append or take jobs, never while anybody
    // waits: on two busy cores, a thread preempted while holding a lock that the
    // engine needs at every slice would stall all hashing.
    private let lock = NSLock()
    private var waiting: [Job] = []
    /// Jobs in `waiting`, readable without the lock.
    private let pending = Atomic<Int>(0)
    /// One signal per job queued: the engine sleeps on it when it has nothing to do.
    private let work = DispatchSemaphore(value: 0)
    private var started = false
    private var statistics = Statistics()

    private struct Statistics {
        var idle = 0.0
        var cpu = 0.0
        var widths = [Int64](repeating: 0, count: 3)
    }

    /// Seconds the engine waited for work (diagnostics).
    public var idle: Double { lock.withLock { statistics.idle } }
    /// CPU time the engine thread has used (diagnostics: against wall time, how much it was kept off a core).
    public var cpu: Double { lock.withLock { statistics.cpu } }
    /// Bytes hashed alone and in pairs (diagnostics).
    public var bytesByWidth: [Int64] { lock.withLock { Array(statistics.widths.dropFirst()) } }

    /// Feeds `bytes` to `context`; returns when they are hashed.
    func update(_ context: UnsafeMutablePointer<exhume_md5>, _ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= PairedMD5.minimumShared else {
            if !bytes.isEmpty { exhume_md5_update(context, bytes.baseAddress, bytes.count) }
            return
        }
        let job = Job(context, bytes)
        lock.lock()
        if !started {
            started = true
            let thread = Thread { [self] in
                // Every MD5 stream of the process waits on this one thread, so on a busy
                // machine it should not queue behind the threads it feeds (inflating,
                // SHA, carving): a little above them (measured: 4-7% faster scans on two
                // cores). Linux's nice value is per thread; lowering it needs
                // CAP_SYS_NICE, and without it the call fails and nothing changes.
                setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, -5)
                run()
            }
            thread.name = "exhume.md5"
            thread.start()
        }
        waiting.append(job)
        pending.add(1, ordering: .releasing)
        lock.unlock()
        work.signal()
        job.done.wait()
    }

    /// The engine: up to two jobs in hand, advanced together; between slices
    /// it takes waiting jobs into free places.
    private func run() {
        var active: [Job] = []
        var local = Statistics()
        while true {
            if active.isEmpty {
                // Nothing in hand: sleep until a job is queued (one signal per job).
                let start = DispatchTime.now()
                work.wait()
                local.idle += Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
                take(into: &active, signalled: true)
            } else if active.count < 2, pending.load(ordering: .acquiring) > 0 {
                take(into: &active, signalled: false)
            }
            guard !active.isEmpty else { continue }

            let n = min(active.lazy.map(\.remaining).min()!, PairedMD5.slice)
            if active.count == 2 {
                exhume_md5_update2(active[0].context, active[0].next, active[1].context, active[1].next, n)
            } else {
                exhume_md5_update(active[0].context, active[0].next, n)
            }
            for job in active { job.advance(n) }
            local.widths[active.count] += Int64(n * active.count)
            if active.contains(where: { $0.remaining == 0 }) {
                for job in active where job.remaining == 0 { job.done.signal() }
                active.removeAll { $0.remaining == 0 }
                publish(&local)
            }
        }
    }

    /// Moves waiting jobs into `active` (at most two in hand). Every job taken
    /// consumes its `work` signal, except the one the engine just woke for.
    private func take(into active: inout [Job], signalled: Bool) {
        lock.lock()
        var taken = 0
        while active.count < 2, !waiting.isEmpty {
            active.append(waiting.removeFirst())
            taken += 1
        }
        pending.subtract(taken, ordering: .releasing)
        lock.unlock()
        // Keep one signal per job still queued: those signalled for the jobs just taken are spent.
        for _ in 0..<max(0, signalled ? taken - 1 : taken) { work.wait() }
    }

    private func publish(_ local: inout Statistics) {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        lock.lock()
        statistics.idle += local.idle
        for width in 1...2 { statistics.widths[width] += local.widths[width] }
        statistics.cpu = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        lock.unlock()
        local.idle = 0
        local.widths = [0, 0, 0]
    }
}
