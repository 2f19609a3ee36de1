import Foundation

/// Reads a media once, front to back, and lets several consumers read the
/// part of it that is in memory, so that a scan reads each byte about once
/// however many stages look at it.
///
/// Readers (one per core; for EWF each with its own libewf handle, so chunks
/// inflate in parallel) fill stripes of `stripeSize` bytes in order into a
/// fixed pool of `window` buffers. The caller of ``run(_:)`` receives every
/// stripe in media order (to digest the whole media). Each ``Cursor`` is an
/// ``ImageSource`` with a *mark*: the stripe below which it promises not to
/// need the window any more. A stripe is freed once the in-order consumer and
/// every cursor are past it, and readers never run more than `window` stripes
/// ahead of the lowest mark, so memory is bounded by the pool.
///
/// A cursor's read of a stripe in the window is a copy; a read of a stripe
/// not yet read but within `window` of its own mark waits for it; any other
/// read (behind the window, far ahead of it, or over bytes a reader failed to
/// read) goes straight to `fallback`, so a cursor always sees the media as the
/// fallback source would. No cursor ever waits on a stripe that its own mark
/// keeps from being read, so there is no deadlock as long as every cursor
/// eventually advances or calls ``Cursor/finish()``.
public final class MediaStream: @unchecked Sendable {
    public let size: Int64
    public let stripeSize: Int
    public let window: Int
    private let stripeCount: Int
    private let readers: [any ImageSource]
    private let fallback: any ImageSource
    private let condition = NSCondition()

    private struct Filled {
        var buffer: UnsafeMutableRawBufferPointer
        var length: Int
        var failures: [MediaVerification.ReadFailure]
    }

    // Guarded by `condition`.
    private var ready: [Int: Filled] = [:]
    private var free: [UnsafeMutableRawBufferPointer]
    private let all: [UnsafeMutableRawBufferPointer]
    private var nextClaim = 0
    /// Every stripe below has been freed.
    private var floor = 0
    /// Marks in stripes: [0] is the in-order consumer, the rest are cursors.
    private var marks: [Int] = [0]
    private var failures: [MediaVerification.ReadFailure] = []
    private var counters = Counters()
    private var cancelled = false

    /// How the cursors' reads were served, for tuning and the benchmark.
    public struct Counters: Sendable {
        public var windowBytes: Int64 = 0
        public var fallbackBytes: Int64 = 0
        public var waits = 0
        /// Seconds readers waited for room in the window, the in-order consumer
        /// for stripes, and cursors for stripes.
        public var readersBlocked = 0.0
        /// Of which, by the consumer holding the lowest mark (0: in-order, then cursors by creation).
        public var blockedBy: [Int: Double] = [:]
        public var inOrderWaiting = 0.0
        public var cursorsWaiting = 0.0
        /// Of which, by cursor (1 = the first made).
        public var waitingByCursor: [Int: Double] = [:]
    }

    /// - Parameters:
    ///   - readers: sources of the same media read in parallel (stripe k by reader k mod n).
    ///   - fallback: where reads outside the window go.
    public init(readers: [any ImageSource], fallback: any ImageSource, stripeSize: Int = 4 << 20, window: Int = 16) {
        precondition(!readers.isEmpty && stripeSize > 0)
        self.size = fallback.size
        self.stripeSize = stripeSize
        self.readers = readers
        self.fallback = fallback
        self.stripeCount = Int((fallback.size + Int64(stripeSize) - 1) / Int64(stripeSize))
        self.window = max(readers.count + 1, window)
        let count = min(self.window, max(1, stripeCount))
        all = (0..<count).map { _ in UnsafeMutableRawBufferPointer.allocate(byteCount: stripeSize, alignment: 4096) }
        free = all
    }

    deinit {
        for buffer in all { buffer.deallocate() }
    }

    /// A new consumer reading through the window, whose mark moves as `policy`
    /// says; make every cursor before ``run(_:)``.
    public func cursor(_ policy: Cursor.Policy = .promisesOnly) -> Cursor {
        condition.lock()
        defer { condition.unlock() }
        marks.append(0)
        return Cursor(stream: self, id: marks.count - 1, policy: policy)
    }

    /// Reads the whole media and calls `consume` with each stripe's offset and
    /// bytes, in media order, on the calling thread. Bytes that could not be
    /// read are zeros; ``readFailures`` lists them.
    public func run(_ consume: (Int64, UnsafeRawBufferPointer) -> Void) {
        let group = DispatchGroup()
        for source in readers {
            group.enter()
            Thread.detachNewThread { [self] in
                produce(with: source)
                group.leave()
            }
        }
        for index in 0..<stripeCount {
            condition.lock()
            if cancelled {
                condition.unlock()
                break
            }
            if ready[index] == nil {
                let start = Date()
                while ready[index] == nil { condition.wait() }
                counters.inOrderWaiting += Date().timeIntervalSince(start)
            }
            let stripe = ready[index]!
            condition.unlock()
            consume(Int64(index) * Int64(stripeSize), UnsafeRawBufferPointer(rebasing: stripe.buffer[0..<stripe.length]))
            condition.lock()
            failures += stripe.failures
            marks[0] = index + 1
            releaseBelowMarks()
            condition.unlock()
        }
        group.wait()
    }

    /// Stops reading: ``run(_:)`` returns after the stripe it is on (the media
    /// was not read to its end), readers stop, waiting cursors go to the fallback.
    public func cancel() {
        condition.lock()
        cancelled = true
        marks = marks.map { _ in Int.max }
        condition.broadcast()
        condition.unlock()
    }

    /// Bytes the readers could not read (hashed as zeros), in media order.
    public var readFailures: [MediaVerification.ReadFailure] {
        condition.lock()
        defer { condition.unlock() }
        return failures.sorted { $0.offset < $1.offset }
    }

    public var counts: Counters {
        condition.lock()
        defer { condition.unlock() }
        return counters
    }

    // MARK: - Readers

    private func produce(with source: any ImageSource) {
        // Readers take stripes in turn as they free up, so a slow stripe does not hold the other reader.
        condition.lock()
        while nextClaim < stripeCount, !cancelled {
            let lowest = marks.min() ?? 0
            guard nextClaim < lowest + window, let buffer = free.popLast() else {
                let start = Date()
                let holder = marks.firstIndex(of: lowest) ?? -1
                condition.wait()
                counters.readersBlocked += Date().timeIntervalSince(start)
                counters.blockedBy[holder, default: 0] += Date().timeIntervalSince(start)
                continue
            }
            let index = nextClaim
            nextClaim += 1
            condition.unlock()
            let filled = read(index, from: source, into: buffer)
            condition.lock()
            ready[index] = filled
            condition.broadcast()
        }
        condition.unlock()
    }

    private func read(_ index: Int, from source: any ImageSource, into buffer: UnsafeMutableRawBufferPointer) -> Filled {
        let offset = Int64(index) * Int64(stripeSize)
        let length = Int(min(Int64(stripeSize), size - offset))
        let failures = source.fill(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<length]), at: offset)
        return Filled(buffer: buffer, length: length, failures: failures)
    }

    /// Frees stripes every consumer is past. Called with the lock held.
    private func releaseBelowMarks() {
        let lowest = marks.min() ?? 0
        guard lowest > floor else { return }
        for index in floor..<min(lowest, nextClaim) {
            if let stripe = ready.removeValue(forKey: index) { free.append(stripe.buffer) }
        }
        floor = lowest
        condition.broadcast()
    }

    // MARK: - Cursors

    fileprivate func advance(_ id: Int, to offset: Int64) {
        let stripe = offset >= size ? Int.max : Int(max(0, offset) / Int64(stripeSize))
        condition.lock()
        if stripe > marks[id] {
            marks[id] = stripe
            releaseBelowMarks()
        }
        condition.unlock()
    }

    fileprivate func read(_ id: Int, advancing: Bool, into buffer: UnsafeMutableRawBufferPointer,
                          at offset: Int64) throws(EvidenceError) -> Int {
        guard offset >= 0, offset < size, !buffer.isEmpty else { return 0 }
        let wanted = Int(min(Int64(buffer.count), size - offset))
        var done = 0
        while done < wanted {
            let position = offset + Int64(done)
            let index = Int(position / Int64(stripeSize))
            let within = Int(position - Int64(index) * Int64(stripeSize))
            let n = min(wanted - done, stripeSize - within)
            let target = UnsafeMutableRawBufferPointer(rebasing: buffer[done..<(done + n)])
            if !copyFromWindow(id, advancing: advancing, stripe: index, within: within, into: target) {
                let got = try fallback.read(into: target, at: position)
                condition.lock()
                counters.fallbackBytes += Int64(max(0, got))
                condition.unlock()
                if got < n { return done + max(0, got) }
            }
            done += n
        }
        return done
    }

    /// Copies from stripe `index` when it is, or will soon be, in the window;
    /// false when the read must go to the fallback.
    private func copyFromWindow(_ id: Int, advancing: Bool, stripe index: Int, within: Int,
                                into target: UnsafeMutableRawBufferPointer) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if advancing, index > marks[id], index - marks[id] < window {
            marks[id] = index
            releaseBelowMarks()
        }
        var waited = false
        while true {
            if let stripe = ready[index] {
                // A stripe with unreadable bytes in the range: let the fallback report the error.
                let end = Int64(index) * Int64(stripeSize) + Int64(within + target.count)
                let start = Int64(index) * Int64(stripeSize) + Int64(within)
                if stripe.failures.contains(where: { $0.offset < end && $0.offset + Int64($0.length) > start }) {
                    return false
                }
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: stripe.buffer[within..<(within + target.count)]))
                counters.windowBytes += Int64(target.count)
                if waited { counters.waits += 1 }
                return true
            }
            // Behind the window, or so far ahead of this cursor's own mark that waiting could block it.
            if cancelled || index < floor || index - marks[id] >= window { return false }
            waited = true
            let start = Date()
            condition.wait()
            counters.cursorsWaiting += Date().timeIntervalSince(start)
            counters.waitingByCursor[id, default: 0] += Date().timeIntervalSince(start)
        }
    }

    /// One consumer's view of the media: an ``ImageSource`` served from the
    /// stream's window when it can be.
    ///
    /// The cursor alone moves its mark: on its reader's promises
    /// (``willNotRead(before:)``, ``finish()``) and on the reads its ``Policy`` names.
    public final class Cursor: ImageSource, @unchecked Sendable {
        /// Which reads, besides promises, move the mark to where they start.
        public enum Policy: Sendable {
            /// None: the reader promises as it goes (a carver scanning pages in order).
            case promisesOnly
            /// Reads at least this long (a content reader moving forward through big
            /// files); shorter ones (metadata) never move it.
            case advancingReads(atLeast: Int)
            /// Reads once they have been back to back for this many bytes: for a reader
            /// that jumps about (a directory here, the allocation table there) before
            /// reading forward, which a single far read must not let drag the mark
            /// ahead (TSK's search for orphan entries). One reader only.
            case advancingRuns(Int)
        }

        private let stream: MediaStream
        fileprivate let id: Int
        private let policy: Policy
        /// The run of contiguous reads so far (with `advancingRuns`).
        private var runStart: Int64 = -1
        private var runEnd: Int64 = -1

        fileprivate init(stream: MediaStream, id: Int, policy: Policy) {
            self.stream = stream
            self.id = id
            self.policy = policy
        }

        public var format: ImageFormat { stream.fallback.format }
        public var files: [String] { stream.fallback.files }
        public var size: Int64 { stream.size }
        public var sectorSize: Int { stream.fallback.sectorSize }

        /// The window is not needed below `offset` any more.
        public func willNotRead(before offset: Int64) {
            stream.advance(id, to: offset)
        }

        /// Done with the window: it no longer waits for this cursor.
        public func finish() {
            stream.advance(id, to: Int64.max)
        }

        public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(EvidenceError) -> Int {
            var advancing = false
            switch policy {
            case .promisesOnly:
                break
            case .advancingReads(let atLeast):
                advancing = buffer.count >= atLeast
            case .advancingRuns(let run):
                if offset != runEnd { runStart = offset }
                runEnd = offset + Int64(buffer.count)
                if runEnd - runStart >= Int64(run) { stream.advance(id, to: offset) }
            }
            return try stream.read(id, advancing: advancing, into: buffer, at: offset)
        }
    }
}

/// An ``ImageSource`` whose reads go to a source that can be changed while it
/// is in use: TSK keeps the source it was opened on, and a scan points it at a
/// ``MediaStream/Cursor`` while the stream runs.
public final class RoutedSource: ImageSource, @unchecked Sendable {
    public let base: any ImageSource
    private let lock = NSLock()
    private var target: any ImageSource

    public init(_ base: any ImageSource) {
        self.base = base
        self.target = base
    }

    /// Sends reads to `source`, or back to the base source when nil.
    public func route(to source: (any ImageSource)?) {
        lock.lock()
        target = source ?? base
        lock.unlock()
    }

    public var format: ImageFormat { base.format }
    public var files: [String] { base.files }
    public var size: Int64 { base.size }
    public var sectorSize: Int { base.sectorSize }

    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(EvidenceError) -> Int {
        lock.lock()
        let current = target
        lock.unlock()
        return try current.read(into: buffer, at: offset)
    }
}

extension ImageSource {
    /// Reads `buffer.count` bytes at `offset` whatever happens: bytes that cannot
    /// be read are zeros, and the returned failures say which (found sector by
    /// sector after a failed read, so one bad chunk does not hide the rest).
    func fill(_ buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> [MediaVerification.ReadFailure] {
        let length = buffer.count
        var failures: [MediaVerification.ReadFailure] = []
        var done = 0
        var sectorAtATime = false
        while done < length {
            let step = sectorAtATime ? min(sectorSize, length - done) : length - done
            do {
                let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done..<(done + step)]),
                                 at: offset + Int64(done))
                if n <= 0 {
                    failures.append(.init(offset: offset + Int64(done), length: length - done, message: "media ended early"))
                    memset(buffer.baseAddress! + done, 0, length - done)
                    break
                }
                done += n
            } catch {
                if !sectorAtATime {
                    sectorAtATime = true
                    continue
                }
                let at = offset + Int64(done)
                if let last = failures.last, last.offset + Int64(last.length) == at {
                    failures[failures.count - 1].length += step
                } else {
                    failures.append(.init(offset: at, length: step, message: error.description))
                }
                memset(buffer.baseAddress! + done, 0, step)
                done += step
            }
        }
        return failures
    }
}
