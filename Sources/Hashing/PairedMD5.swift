import CDigest
import Foundation

/// One MD5 state (C, so that two can be advanced by one call); copied on
/// write by ``MD5Lane``.
final class MD5Context: @unchecked Sendable {
    let raw = UnsafeMutablePointer<exhume_md5>.allocate(capacity: 1)

    init() { exhume_md5_init(raw) }
    deinit { raw.deallocate() }

    func copy() -> MD5Context {
        let other = MD5Context()
        other.raw.pointee = raw.pointee
        return other
    }

    /// The digest of what was fed so far; the state itself goes on.
    func digest() -> [UInt8] {
        var finished = raw.pointee
        var out = [UInt8](repeating: 0, count: 16)
        out.withUnsafeMutableBufferPointer { exhume_md5_final(&finished, $0.baseAddress!) }
        return out
    }
}

/// Hashes the MD5 streams of every thread on one engine thread, up to three at a time.
///
/// MD5 is one long chain of dependent steps, so a single stream keeps a core's
/// ALUs mostly idle (≈ 750 MB/s here); independent streams interleaved in one
/// loop run at about twice that for two (`exhume_md5_update2`) and 2.7 times
/// for three (`exhume_md5_update3`). A scan hashes the
/// whole image, its files and its carved items at once, on different threads:
/// each hands its bytes to the engine and waits; the engine advances the jobs
/// it holds together, in slices, so a job that arrives joins the
/// one under way at the next slice. While the callers wait, their cores are
/// free for the rest of the pipeline (inflating, SHA, carving).
///
/// Updates shorter than ``minimumShared`` are hashed at once by the caller: a
/// hand-off would cost more than it saves.
public final class PairedMD5: @unchecked Sendable {
    public static let shared = PairedMD5()

    static let minimumShared = 16 << 10
    static let slice = 256 << 10

    private final class Job {
        let context: UnsafeMutablePointer<exhume_md5>
        var next: UnsafeRawPointer
        var remaining: Int
        var done = false

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

    private let condition = NSCondition()
    private var waiting: [Job] = []
    private var started = false
    private var idleSeconds = 0.0
    private var widths = [Int64](repeating: 0, count: 4)
    /// Bytes hashed alone, in pairs and in threes (diagnostics).
    public var bytesByWidth: [Int64] {
        condition.lock()
        defer { condition.unlock() }
        return Array(widths.dropFirst())
    }
    /// Seconds the engine waited for work (diagnostics).
    public var idle: Double {
        condition.lock()
        defer { condition.unlock() }
        return idleSeconds
    }

    /// Feeds `bytes` to `context`; returns when they are hashed.
    func update(_ context: UnsafeMutablePointer<exhume_md5>, _ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= PairedMD5.minimumShared else {
            if !bytes.isEmpty { exhume_md5_update(context, bytes.baseAddress, bytes.count) }
            return
        }
        let job = Job(context, bytes)
        condition.lock()
        if !started {
            started = true
            let thread = Thread { [self] in run() }
            thread.name = "exhume.md5"
            thread.start()
        }
        waiting.append(job)
        condition.broadcast()
        while !job.done { condition.wait() }
        condition.unlock()
    }

    /// The engine: up to three jobs in hand, advanced together; between slices
    /// it takes waiting jobs into free places.
    private func run() {
        var active: [Job] = []
        var hashed: [Int64] = [0, 0, 0, 0]   // published to `widths` under the lock
        while true {
            condition.lock()
            if active.isEmpty && waiting.isEmpty {
                let start = Date()
                while waiting.isEmpty { condition.wait() }
                idleSeconds += Date().timeIntervalSince(start)
            }
            while active.count < 3, !waiting.isEmpty { active.append(waiting.removeFirst()) }
            condition.unlock()

            let n = min(active.lazy.map(\.remaining).min()!, PairedMD5.slice)
            switch active.count {
            case 3:
                exhume_md5_update3(active[0].context, active[0].next, active[1].context, active[1].next,
                                   active[2].context, active[2].next, n)
            case 2:
                exhume_md5_update2(active[0].context, active[0].next, active[1].context, active[1].next, n)
            default:
                exhume_md5_update(active[0].context, active[0].next, n)
            }
            for job in active { job.advance(n) }
            hashed[active.count] += Int64(n * active.count)
            if active.contains(where: { $0.remaining == 0 }) {
                condition.lock()
                for width in 1...3 { widths[width] += hashed[width] }
                hashed = [0, 0, 0, 0]
                for job in active where job.remaining == 0 { job.done = true }
                active.removeAll { $0.done }
                condition.broadcast()
                condition.unlock()
            }
        }
    }
}
