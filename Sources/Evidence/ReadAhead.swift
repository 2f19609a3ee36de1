import Foundation

/// Serves one reader that will read known parts of a media in increasing
/// order from stripes that helper threads read ahead of it, each through its
/// own source (for EWF its own libewf handle, so chunks inflate on the other
/// core while the reader works).
///
/// Listing a FAT file system is such a reader: TSK's search for orphan entries
/// reads every unallocated cluster in 64 KiB steps (about half of a typical
/// image) on one thread, before anything else of a scan can start. Which
/// clusters are unallocated is known beforehand (from the allocation table,
/// without reading contents), so helpers can inflate exactly those, in order.
///
/// Helpers read the stripes that `expected` touches, lowest first, at most
/// `depth` stripes beyond the one the reader is in; the reader copies from a
/// stripe that is ready, waits for one under way, and reads a stripe no
/// helper has started yet itself. Every other read (outside `expected`, or of
/// a stripe that failed) goes straight to `base`, so the reader always sees
/// exactly what `base` returns, errors included.
///
/// One reader at a time (TSK's). The helper threads keep the read-ahead alive:
/// call ``stop()`` (from the reader's thread, between reads) when done.
public final class ReadAhead: ImageSource, @unchecked Sendable {
    public let base: any ImageSource
    public let stripeSize: Int
    public let depth: Int
    public var format: ImageFormat { base.format }
    public var files: [String] { base.files }
    public var size: Int64 { base.size }
    public var sectorSize: Int { base.sectorSize }

    private enum State { case wanted, reading, ready(Int), failed }
    private struct Slot {
        var state: State
        let buffer: UnsafeMutableRawBufferPointer
        var used = false
    }

    /// The stripes `expected` touches, in increasing order.
    private let plan: [Int]
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var slots: [Int: Slot] = [:]
    private var spare: [UnsafeMutableRawBufferPointer]
    private var buffers: [UnsafeMutableRawBufferPointer]
    /// Index in `plan` of the next stripe to schedule.
    private var next = 0
    /// Index in `plan` of the planned stripe the reader is in (or reached last).
    private var current = 0
    private var stopped = false
    private var running = 0
    private var statistics = Statistics()

    /// What the read-ahead did (diagnostics).
    public struct Statistics: Sendable {
        /// Bytes copied from stripes read ahead, and bytes read straight from `base`.
        public var served: Int64 = 0
        public var direct: Int64 = 0
        /// Stripes read by helpers, by the reader itself, and read but never used.
        public var helped = 0
        public var claimed = 0
        public var unused = 0
    }

    public var counts: Statistics { condition.withLock { statistics } }

    /// - Parameters:
    ///   - expected: byte ranges the reader will read, in any order.
    ///   - helpers: independent readers of the same media, one thread each.
    public init(base: any ImageSource, expected: [Range<Int64>], helpers: [any ImageSource],
                stripeSize: Int = 1 << 20, depth: Int = 16) {
        precondition(stripeSize > 0 && depth > 0)
        self.base = base
        self.stripeSize = stripeSize
        self.depth = depth
        let stride = Int64(stripeSize)
        var stripes = Set<Int>()
        for range in expected where !range.isEmpty && range.lowerBound < base.size {
            let last = min(range.upperBound, base.size) - 1
            for stripe in Int(range.lowerBound / stride)...Int(last / stride) { stripes.insert(stripe) }
        }
        plan = stripes.sorted()
        buffers = (0..<depth).map { _ in .allocate(byteCount: stripeSize, alignment: 4096) }
        spare = buffers
        running = helpers.count
        condition.lock()
        schedule()
        condition.unlock()
        for (index, helper) in helpers.enumerated() {
            let thread = Thread { [self] in help(helper) }
            thread.name = "exhume.readahead.\(index)"
            thread.start()
        }
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    /// Ends the helpers (waits for stripes under way) and frees the stripes;
    /// later reads go to `base`. Idempotent.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        for slot in slots.values { if case .ready = slot.state, !slot.used { statistics.unused += 1 } }
        slots.removeAll()
        spare = []
        for buffer in buffers { buffer.deallocate() }
        buffers = []
        condition.unlock()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(EvidenceError) -> Int {
        guard offset >= 0, offset < size, buffer.count > 0 else { return try base.read(into: buffer, at: offset) }
        let wanted = Int(min(Int64(buffer.count), size - offset))
        var done = 0
        while done < wanted {
            let position = offset + Int64(done)
            let stripe = Int(position / Int64(stripeSize))
            let within = Int(position - Int64(stripe) * Int64(stripeSize))
            let piece = UnsafeMutableRawBufferPointer(rebasing: buffer[done..<min(wanted, done + stripeSize - within)])
            if copy(stripe: stripe, from: within, into: piece) {
                done += piece.count
                continue
            }
            let got = try base.read(into: piece, at: position)
            condition.withLock { statistics.direct += Int64(got) }
            done += got
            if got < piece.count { break }
        }
        return done
    }

    /// Moves the reader to `stripe` when it is one of the next `depth` planned
    /// stripes: frees the stripes behind it and schedules planned stripes up to
    /// `depth` ahead. A read elsewhere (the FAT, a directory, far ahead in the
    /// plan) moves nothing. Called with the lock held.
    private func advance(to stripe: Int) {
        var low = current, high = min(plan.count, current + depth)
        while low < high {
            let middle = (low + high) / 2
            if plan[middle] < stripe { low = middle + 1 } else { high = middle }
        }
        guard low < min(plan.count, current + depth), plan[low] == stripe, low > current else { return }
        current = low
        for (number, slot) in slots where number < stripe {
            switch slot.state {
            case .reading: continue   // its reader puts it back when done
            case .ready: if !slot.used { statistics.unused += 1 }
            case .wanted, .failed: break
            }
            slots[number] = nil
            spare.append(slot.buffer)
        }
        schedule()
    }

    /// Gives planned stripes within `depth` of the reader a buffer each, in order.
    private func schedule() {
        next = max(next, current)
        var added = false
        while next < plan.count, next < current + depth, !spare.isEmpty, !stopped {
            slots[plan[next]] = Slot(state: .wanted, buffer: spare.removeLast())
            next += 1
            added = true
        }
        if added { condition.broadcast() }
    }

    /// Copies from the stripe's slot when it is (or becomes) readable there;
    /// false when the bytes must come from `base`.
    private func copy(stripe: Int, from within: Int, into piece: UnsafeMutableRawBufferPointer) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        advance(to: stripe)
        while true {
            guard let slot = slots[stripe] else { return false }
            switch slot.state {
            case .failed:
                return false
            case .reading:
                condition.wait()
            case .wanted:
                // No helper has started it: read it here rather than wait.
                slots[stripe]?.state = .reading
                statistics.claimed += 1
                condition.unlock()
                let outcome = fill(slot.buffer, stripe: stripe, from: base)
                condition.lock()
                finish(stripe, buffer: slot.buffer, outcome)
            case .ready(let length):
                guard within + piece.count <= length else { return false }
                piece.copyMemory(from: UnsafeRawBufferPointer(rebasing: slot.buffer[within..<(within + piece.count)]))
                slots[stripe]?.used = true
                statistics.served += Int64(piece.count)
                return true
            }
        }
    }

    /// Records a stripe's read; a stripe the reader has moved past meanwhile gives its buffer back.
    private func finish(_ stripe: Int, buffer: UnsafeMutableRawBufferPointer, _ outcome: State) {
        if stripe < (current < plan.count ? plan[current] : Int.max) && !stopped {
            slots[stripe] = nil
            spare.append(buffer)
            statistics.unused += 1
            schedule()
        } else {
            slots[stripe]?.state = outcome
        }
        condition.broadcast()
    }

    private func help(_ source: any ImageSource) {
        condition.lock()
        while !stopped {
            let next = slots.filter { if case .wanted = $0.value.state { true } else { false } }.keys.min()
            guard let stripe = next, let slot = slots[stripe] else {
                condition.wait()
                continue
            }
            slots[stripe]?.state = .reading
            statistics.helped += 1
            condition.unlock()
            let outcome = fill(slot.buffer, stripe: stripe, from: source)
            condition.lock()
            finish(stripe, buffer: slot.buffer, outcome)
        }
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Reads a whole stripe (shorter at the end of the media); `.failed` on any
    /// error or short read, so that the reader asks `base` and sees its answer.
    private func fill(_ buffer: UnsafeMutableRawBufferPointer, stripe: Int, from source: any ImageSource) -> State {
        let start = Int64(stripe) * Int64(stripeSize)
        let length = Int(min(Int64(stripeSize), size - start))
        var done = 0
        while done < length {
            guard let got = try? source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done..<length]),
                                             at: start + Int64(done)), got > 0 else { return .failed }
            done += got
        }
        return .ready(length)
    }
}
