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

/// Hashes the MD5 streams of every thread on one engine thread, two at a time.
///
/// MD5 is one long chain of dependent steps, so a single stream keeps a core's
/// ALUs mostly idle (≈ 750 MB/s here); two independent streams interleaved in
/// one loop run at about twice that (`exhume_md5_update2`). A scan hashes the
/// whole image, its files and its carved items at once, on different threads:
/// each hands its bytes to the engine and waits; the engine advances two jobs
/// together whenever it has two, in slices, so a job that arrives joins the
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

    /// The engine: at most two jobs in hand; takes the next waiting one between slices.
    private func run() {
        var first: Job?
        var second: Job?
        while true {
            condition.lock()
            if first == nil, second != nil { swap(&first, &second) }
            while first == nil && waiting.isEmpty { condition.wait() }
            if first == nil { first = waiting.removeFirst() }
            if second == nil, !waiting.isEmpty { second = waiting.removeFirst() }
            condition.unlock()

            guard let a = first else { continue }
            if let b = second {
                let n = min(a.remaining, b.remaining, PairedMD5.slice)
                exhume_md5_update2(a.context, a.next, b.context, b.next, n)
                a.advance(n)
                b.advance(n)
            } else {
                let n = min(a.remaining, PairedMD5.slice)
                exhume_md5_update(a.context, a.next, n)
                a.advance(n)
            }
            if a.remaining == 0 || (second?.remaining ?? 1) == 0 {
                condition.lock()
                if a.remaining == 0 { a.done = true; first = nil }
                if let b = second, b.remaining == 0 { b.done = true; second = nil }
                condition.broadcast()
                condition.unlock()
            }
        }
    }
}
