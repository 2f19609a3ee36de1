/// Searching the sorted tables of a mapped index.
extension HashSetIndex {
    enum SearchStrategy: Sendable {
        /// Plain binary search over the whole table.
        case binary
        /// Starts where the digest's first 8 bytes say it should be (digests are
        /// uniformly distributed), gallops outward by about √n entries until the
        /// key is bracketed, then binary-searches that window. Never worse than
        /// about twice a binary search on skewed data.
        case guided
        /// Like `guided`, but refines the first estimate with up to three
        /// interpolation steps on the digests' first 8 bytes, then gallops from
        /// 8 entries. Fewest cache misses on uniform digests; still correct (and
        /// logarithmic) on skewed ones, since the gallop and binary steps decide.
        case interpolation
    }

    @inline(__always)
    static func word(_ p: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(bigEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Entry `i` of `table` against `key`: negative, zero or positive.
    @inline(__always)
    static func compare(_ table: Table, base: UnsafeRawPointer, at i: Int, with key: Digest) -> Int {
        let p = base + table.offset + i &* table.entrySize
        let a = word(p, 0)
        if a != key.w0 { return a < key.w0 ? -1 : 1 }
        let b = word(p, 8)
        if b != key.w1 { return b < key.w1 ? -1 : 1 }
        switch table.kind {
        case .md5:
            return 0
        case .sha1:
            let c = UInt64(UInt32(bigEndian: p.loadUnaligned(fromByteOffset: 16, as: UInt32.self))) << 32
            return c == key.w2 ? 0 : (c < key.w2 ? -1 : 1)
        case .sha256:
            let c = word(p, 16)
            if c != key.w2 { return c < key.w2 ? -1 : 1 }
            let d = word(p, 24)
            return d == key.w3 ? 0 : (d < key.w3 ? -1 : 1)
        }
    }

    /// Refines `estimate` by interpolating on the first 8 bytes between the
    /// bounds learnt so far (at most three probes). Any index is a valid answer:
    /// the caller's gallop and binary search make the result exact.
    @inline(__always)
    static func interpolate(_ table: Table, base: UnsafeRawPointer, key: UInt64, from start: Int) -> Int {
        var lo = 0
        var hi = table.count - 1
        var loValue: UInt64 = 0
        var hiValue: UInt64 = .max
        var estimate = start
        for _ in 0..<3 {
            let value = word(base + table.offset + estimate &* table.entrySize, 0)
            if value == key { return estimate }
            if value < key {
                lo = estimate + 1
                loValue = value
            } else {
                guard estimate > 0 else { return 0 }
                hi = estimate - 1
                hiValue = value
            }
            guard lo <= hi, hiValue > loValue, key > loValue, key < hiValue else { return min(max(lo, 0), table.count - 1) }
            let span = hiValue - loValue
            let product = UInt64(hi - lo + 1).multipliedFullWidth(by: key - loValue)
            let (offset, _) = span.dividingFullWidth(product)
            estimate = min(lo + Int(truncatingIfNeeded: offset), hi)
        }
        return estimate
    }

    /// The index of the first entry equal to `key`, or nil.
    static func search(_ table: Table, base: UnsafeRawPointer, key: Digest, strategy: SearchStrategy) -> Int? {
        let n = table.count
        guard n > 0, key.kind == table.kind else { return nil }
        var lo = 0
        var hi = n
        if strategy != .binary, n > 64 {
            var estimate = min(Int(truncatingIfNeeded: key.w0.multipliedFullWidth(by: UInt64(n)).high), n - 1)
            var step = max(8, Int(Double(n).squareRoot()) / 2)
            if strategy == .interpolation {
                estimate = interpolate(table, base: base, key: key.w0, from: estimate)
                step = 8
            }
            if compare(table, base: base, at: estimate, with: key) < 0 {
                lo = estimate + 1
                while true {
                    let probe = estimate + step
                    if probe >= n { hi = n; break }
                    if compare(table, base: base, at: probe, with: key) < 0 {
                        lo = probe + 1
                        step &*= 2
                    } else {
                        hi = probe + 1  // probe is >= key: the answer may be probe itself
                        break
                    }
                }
            } else {
                hi = estimate
                while true {
                    let probe = estimate - step
                    if probe < 0 { lo = 0; break }
                    if compare(table, base: base, at: probe, with: key) >= 0 {
                        hi = probe
                        step &*= 2
                    } else {
                        lo = probe + 1
                        break
                    }
                }
                // hi is an entry >= key (or the estimate itself): the answer may be hi.
                hi += 1
            }
        }
        // Lower bound in [lo, hi).
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if compare(table, base: base, at: mid, with: key) < 0 { lo = mid + 1 } else { hi = mid }
        }
        guard lo < n, compare(table, base: base, at: lo, with: key) == 0 else { return nil }
        return lo
    }
}
