#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered, bounds-checked reader over a `CarveInput`, shared by every validator.
///
/// It keeps one 64 KiB window (allocated once, no per-byte allocation), reads sequentially from
/// `position` and can seek anywhere. Nothing at or past `limit` (the smaller of the input's length
/// and the validator's `maxSize`) is ever read: such reads return nil.
final class ByteCursor {
    static let windowSize = 64 * 1024

    let input: CarveInput
    /// The first offset that cannot be read: `min(input.length, maxSize)`.
    let limit: Int64
    /// The validator's `maxSize`.
    let maxSize: Int64
    /// The next offset a sequential read returns.
    var position: Int64 = 0

    private let window: UnsafeMutableRawBufferPointer
    private var windowStart: Int64 = 0
    private var windowCount = 0

    init(_ input: CarveInput, maxSize: Int64) {
        self.input = input
        self.maxSize = max(0, maxSize)
        self.limit = max(0, min(input.length, maxSize))
        window = .allocate(byteCount: ByteCursor.windowSize, alignment: 8)
    }

    deinit { window.deallocate() }

    /// Bytes left between `position` and `limit`.
    var remaining: Int64 { max(0, limit - position) }

    /// Makes `offset` readable from the window; false when it is outside `0..<limit`.
    @inline(__always)
    private func load(_ offset: Int64) -> Bool {
        if offset >= windowStart && offset < windowStart + Int64(windowCount) { return true }
        guard offset >= 0, offset < limit else { return false }
        windowStart = offset
        windowCount = 0
        let wanted = Int(min(Int64(window.count), limit - offset))
        while windowCount < wanted {
            let got = input.read(into: UnsafeMutableRawBufferPointer(rebasing: window[windowCount..<wanted]),
                                 at: offset + Int64(windowCount))
            if got <= 0 { break }
            windowCount += got
        }
        return windowCount > 0
    }

    /// The byte at `offset` without moving, or nil past the end.
    @inline(__always)
    func peek(at offset: Int64) -> UInt8? {
        guard load(offset) else { return nil }
        return window[Int(offset - windowStart)]
    }

    /// The next byte, or nil at the end.
    @inline(__always)
    func u8() -> UInt8? {
        guard let byte = peek(at: position) else { return nil }
        position += 1
        return byte
    }

    /// The next `count` (≤ 8) bytes as an unsigned integer, big- or little-endian; nil at the end
    /// (the position is then left unchanged).
    func uint(_ count: Int, bigEndian: Bool) -> UInt64? {
        guard position >= 0, position + Int64(count) <= limit else { return nil }
        var value: UInt64 = 0
        for i in 0..<count {
            guard let byte = peek(at: position + Int64(i)) else { return nil }
            value = bigEndian ? (value << 8) | UInt64(byte) : value | (UInt64(byte) << (8 * UInt64(i)))
        }
        position += Int64(count)
        return value
    }

    func u16be() -> UInt16? { uint(2, bigEndian: true).map { UInt16($0) } }
    func u16le() -> UInt16? { uint(2, bigEndian: false).map { UInt16($0) } }
    func u32be() -> UInt32? { uint(4, bigEndian: true).map { UInt32($0) } }
    func u32le() -> UInt32? { uint(4, bigEndian: false).map { UInt32($0) } }
    func u64be() -> UInt64? { uint(8, bigEndian: true) }
    func u64le() -> UInt64? { uint(8, bigEndian: false) }

    /// True when the bytes at `position` equal `bytes` (position unchanged); nil when the input
    /// ends before a mismatch is seen.
    func matches(_ bytes: [UInt8], at offset: Int64? = nil) -> Bool? {
        let start = offset ?? position
        for (i, expected) in bytes.enumerated() {
            guard let byte = peek(at: start + Int64(i)) else { return nil }
            if byte != expected { return false }
        }
        return true
    }

    /// Moves `count` bytes forward; nil when that passes `limit` (the position is then `limit`).
    @discardableResult
    func skip(_ count: Int64) -> Bool? {
        guard count >= 0 else { return nil }
        let (target, overflow) = position.addingReportingOverflow(count)
        if overflow || target > limit { position = limit; return nil }
        position = target
        return true
    }

    /// Calls `body` with the next `count` bytes, a window at a time, and moves past them; nil when
    /// the input ends first (after handing over what there was).
    func forEachSpan(_ count: Int64, _ body: (UnsafeRawBufferPointer) -> Void) -> Bool? {
        var left = count
        while left > 0 {
            guard load(position) else { return nil }
            let at = Int(position - windowStart)
            let n = Int(min(Int64(windowCount - at), left))
            body(UnsafeRawBufferPointer(rebasing: window[at..<(at + n)]))
            position += Int64(n)
            left -= Int64(n)
        }
        return true
    }

    /// Moves to the next occurrence of `byte` at or after `position` (memchr over the window);
    /// nil when there is none before `limit` (position is then `limit`).
    func seek(toByte byte: UInt8) -> Bool? {
        while load(position) {
            let at = Int(position - windowStart)
            guard let base = window.baseAddress else { return nil }
            if let hit = memchr(base + at, Int32(byte), windowCount - at) {
                position = windowStart + Int64(base.distance(to: UnsafeMutableRawPointer(hit)))
                return true
            }
            position = windowStart + Int64(windowCount)
        }
        position = limit
        return nil
    }

    /// Offset of the next occurrence of `pattern` at or after `from`, before `end` (default `limit`);
    /// moves `position` to it. Nil when there is none.
    func find(_ pattern: [UInt8], from: Int64, before end: Int64? = nil) -> Int64? {
        guard let first = pattern.first else { return from }
        let stop = min(end ?? limit, limit)
        position = from
        while position < stop {
            guard seek(toByte: first) != nil, position < stop else { break }
            let hit = position
            if matches(pattern, at: hit) == true { return hit }
            position = hit + 1
        }
        position = min(stop, limit)
        return nil
    }

    /// Runs a validator's walk: `.outOfData` becomes `.truncated(length: limit)`, `.invalid` becomes
    /// `.invalid`, and a walk that claims an end past `limit` is reported as truncated.
    func run(_ walk: (ByteCursor) throws(ValidationStop) -> Verdict) -> Verdict {
        do {
            let verdict = try walk(self)
            if case .complete(let length) = verdict, length > limit {
                return .truncated(length: limit)
            }
            return verdict
        } catch {
            switch error {
            case .outOfData:
                return limit > 0 ? .truncated(length: limit) : .invalid(reason: "no data")
            case .invalid(let reason):
                return .invalid(reason: reason)
            }
        }
    }
}

/// Whether a byte is a printable ASCII character (four-character codes, chunk names).
@inline(__always)
func isPrintableASCII(_ byte: UInt8) -> Bool { byte >= 0x20 && byte <= 0x7E }
