/// Where a rule's header was found: the start of a possible file.
public struct Candidate: Sendable, Hashable, CustomStringConvertible {
    /// Absolute byte offset of the file start (`baseOffset` + position in the buffer).
    public var offset: Int64
    /// Index of the matching rule in `SignatureScanner.rules`.
    public var rule: Int

    public init(offset: Int64, rule: Int) {
        self.offset = offset
        self.rule = rule
    }

    public var description: String { "\(offset):\(rule)" }
}

/// The candidates of one `scan` call, and whether the cap cut it short.
public struct ScanResult: Sendable, Hashable {
    /// In increasing offset, then rule index; at most one per (offset, rule).
    public var candidates: [Candidate]
    /// The cap was reached: positions from `resumeOffset` on were not scanned.
    public var capped: Bool
    /// When `capped`, the absolute offset of the first position not reported;
    /// a caller that wants more can scan again from there.
    public var resumeOffset: Int64?
}

/// Finds every aligned position where one of the rules' headers matches,
/// checking all headers at once.
///
/// Compiled once from a rule set. Each header alternative becomes a pattern
/// anchored on one of its fixed (non-`??`) bytes (see `anchorIndex`), at
/// distance `d = headerOffset + index of that byte` from the file start. Patterns are
/// grouped by `d` (two groups for the built-in rules: 0 and 4); for each group
/// a 64 Ki-bit table says whether the two bytes at `start + d` can begin any
/// header of the group. Only on a hit does the scanner look at the patterns
/// sharing that first byte, compare a masked 4-byte key and then the whole
/// header with its wildcards. The per-position cost therefore depends on the
/// number of distinct anchor distances, not on the number of rules.
///
/// Pages and margins (as bulk_extractor does): the caller passes a buffer of
/// `limit` bytes of page followed by at least `margin` bytes of what comes
/// next; only files starting in `[0, limit)` are reported, so a header
/// straddling the page end is found once, by the page it starts in.
public final class SignatureScanner: Sendable {
    /// Default for `maxCandidates`.
    public static let defaultMaxCandidates = 4096

    /// The rules, in the order of the rule set; `Candidate.rule` indexes this.
    public let rules: [CarvingRule]
    /// Bytes past `limit` the buffer must hold so that every header of a
    /// file starting before `limit` can be compared (longest header extent − 1).
    public let margin: Int

    /// Table probes per examined position: the number of distinct anchor
    /// distances (2 for the built-in rules), whatever the number of rules.
    public var probesPerPosition: Int { groupAnchors.count }

    private struct Pattern: Sendable {
        var rule: Int
        /// Distance from the file start to the pattern's first byte (the rule's headerOffset).
        var start: Int
        var length: Int
        /// Index of the pattern's bytes in `patternBytes`/`patternMasks`.
        var data: Int
        /// Distance from the file start to the anchor byte.
        var anchor: Int
        /// Four bytes from the anchor (little-endian), wildcards and bytes past the end masked out.
        var key: UInt32
        var keyMask: UInt32
    }

    private let patterns: [Pattern]
    private let patternBytes: [UInt8]
    private let patternMasks: [UInt8]
    /// Anchor distance of each group.
    private let groupAnchors: [Int]
    /// 1024 words (65,536 bits) per group, indexed by the little-endian UInt16 at `start + anchor`.
    private let bitmaps: [UInt64]
    /// Per group, 257 offsets into `dispatchPatterns` (CSR by anchor byte).
    private let dispatchOffsets: [Int]
    private let dispatchPatterns: [Int]
    /// Positions `p` with `p + fastExtent <= count` need no bounds checks.
    private let fastExtent: Int

    /// Compiles the headers of every rule of `ruleSet`.
    public convenience init(ruleSet: CarvingRuleSet) {
        self.init(rules: ruleSet.rules)
    }

    /// Compiles the headers of `rules`.
    public init(rules: [CarvingRule]) {
        self.rules = rules
        var patterns: [Pattern] = []
        var bytes: [UInt8] = []
        var masks: [UInt8] = []
        var margin = 0
        var fastExtent = 0
        // Choose anchor distances greedily (set cover): the distance most of the
        // still-unplaced headers could anchor at, until every header has one.
        var choices: [(rule: Int, header: ByteSignature, distances: Set<Int>)] = []
        for (index, rule) in rules.enumerated() {
            for header in rule.headers {
                let options = Self.anchorChoices(header)
                if !options.isEmpty { choices.append((index, header, Set(options.map { rule.headerOffset + $0 }))) }
            }
        }
        var chosen = [Int?](repeating: nil, count: choices.count)
        while let open = chosen.firstIndex(of: nil) {
            var votes: [Int: Int] = [:]
            for (i, choice) in choices.enumerated() where chosen[i] == nil {
                for d in choice.distances { votes[d, default: 0] += 1 }
            }
            let best = votes.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
                ?? choices[open].distances.min()!
            for i in choices.indices where chosen[i] == nil && choices[i].distances.contains(best) {
                chosen[i] = best
            }
        }
        for (c, choice) in choices.enumerated() {
            let index = choice.rule, rule = rules[index], header = choice.header
            let first = chosen[c]! - rule.headerOffset
            var key: UInt32 = 0, keyMask: UInt32 = 0
            for i in 0..<4 where first + i < header.count && header.fixed[first + i] {
                key |= UInt32(header.bytes[first + i]) << (8 * i)
                keyMask |= 0xFF << (8 * i)
            }
            let pattern = Pattern(rule: index, start: rule.headerOffset, length: header.count, data: bytes.count,
                                  anchor: rule.headerOffset + first, key: key, keyMask: keyMask)
            patterns.append(pattern)
            bytes += header.bytes
            masks += header.fixed.map { $0 ? 0xFF : 0 }
            margin = max(margin, rule.headerOffset + header.count - 1)
            fastExtent = max(fastExtent, rule.headerOffset + header.count, pattern.anchor + 4)
        }
        let anchors = Array(Set(patterns.map(\.anchor))).sorted()
        var bitmaps = [UInt64](repeating: 0, count: anchors.count * 1024)
        var offsets: [Int] = []
        var dispatch: [Int] = []
        for (g, anchor) in anchors.enumerated() {
            var byFirst = [[Int]](repeating: [], count: 256)
            for (p, pattern) in patterns.enumerated() where pattern.anchor == anchor {
                let b0 = Int(pattern.key & 0xFF)
                byFirst[b0].append(p)
                let secondFixed = pattern.keyMask & 0xFF00 != 0
                for b1 in 0..<256 where !secondFixed || b1 == Int((pattern.key >> 8) & 0xFF) {
                    let k = b0 | b1 << 8
                    bitmaps[g * 1024 + k >> 6] |= 1 << UInt64(k & 63)
                }
            }
            for b in 0..<256 {
                offsets.append(dispatch.count)
                dispatch += byFirst[b]
            }
            offsets.append(dispatch.count)
        }
        self.patterns = patterns
        self.patternBytes = bytes
        self.patternMasks = masks
        self.groupAnchors = anchors
        self.bitmaps = bitmaps
        self.dispatchOffsets = offsets
        self.dispatchPatterns = dispatch
        self.margin = margin
        self.fastExtent = fastExtent
    }

    /// Reports the files that may start at aligned positions of `buffer[0..<limit]`.
    ///
    /// - Parameters:
    ///   - buffer: `limit` bytes of page, then (except at the end of the
    ///     data) at least `margin` bytes of what follows.
    ///   - baseOffset: absolute offset of `buffer[0]`; candidates carry
    ///     `baseOffset + position`.
    ///   - alignment: a position `p` is examined when `(baseOffset + p) %
    ///     alignment == 0` — 512 for sectors, the block size inside a file
    ///     system, 1 for `--every-byte`. Pass `baseOffset` relative to the
    ///     origin alignment is measured from.
    ///   - limit: only positions below `limit` are reported (`limit <= buffer.count`).
    ///   - maxCandidates: at most this many candidates; when more are found
    ///     the result is `capped` and says where scanning stopped. All
    ///     candidates of one position are kept together.
    public func scan(_ buffer: UnsafeRawBufferPointer, baseOffset: Int64, alignment: Int = 512, limit: Int,
                     maxCandidates: Int = SignatureScanner.defaultMaxCandidates) -> ScanResult {
        precondition(alignment >= 1, "alignment must be at least 1")
        precondition(limit >= 0 && limit <= buffer.count, "limit must lie within the buffer")
        precondition(maxCandidates >= 1, "maxCandidates must be at least 1")
        guard !patterns.isEmpty, limit > 0 else { return ScanResult(candidates: [], capped: false, resumeOffset: nil) }

        let count = buffer.count
        let phase = Int(((baseOffset % Int64(alignment)) + Int64(alignment)) % Int64(alignment))
        var p = phase == 0 ? 0 : alignment - phase
        var collector = Collector(baseOffset: baseOffset, maxCandidates: maxCandidates)

        // Positions far enough from the end: table probes without bounds checks.
        let fastEnd = min(limit, count - fastExtent + 1)
        while p < fastEnd {
            p = bitmaps.withUnsafeBufferPointer { bits in
                groupAnchors.withUnsafeBufferPointer { anchors in
                    Self.probe(buffer, from: p, end: fastEnd, step: alignment,
                               bits: bits.baseAddress!, anchors: anchors.baseAddress!, groups: anchors.count)
                }
            }
            guard p < fastEnd else { break }
            for g in groupAnchors.indices where groupHit(g, position: p, buffer) {
                matchGroup(g, position: p, buffer, into: &collector.found)
            }
            if !collector.flush(at: p) { return collector.result }
            p += alignment
        }
        // The last positions before `limit`: every pattern, bounds checked.
        while p < limit {
            for pattern in patterns where p + pattern.start + pattern.length <= count {
                if !collector.found.contains(pattern.rule) && matchesFully(pattern, position: p, buffer) {
                    collector.found.append(pattern.rule)
                }
            }
            if !collector.flush(at: p) { return collector.result }
            p += alignment
        }
        return collector.result
    }

    /// Gathers the rules matching at one position, then appends them as
    /// candidates unless the cap is reached.
    private struct Collector {
        let baseOffset: Int64
        let maxCandidates: Int
        var result = ScanResult(candidates: [], capped: false, resumeOffset: nil)
        /// Rules matching at the current position.
        var found: [Int] = []

        init(baseOffset: Int64, maxCandidates: Int) {
            self.baseOffset = baseOffset
            self.maxCandidates = maxCandidates
            found.reserveCapacity(8)
        }

        /// Records `found` at `position`; false when the cap stops the scan.
        /// A position's candidates stay together, so resuming never repeats one.
        mutating func flush(at position: Int) -> Bool {
            guard !found.isEmpty else { return true }
            found.sort()
            if !result.candidates.isEmpty && result.candidates.count + found.count > maxCandidates {
                result.capped = true
                result.resumeOffset = baseOffset + Int64(position)
                return false
            }
            for rule in found {
                result.candidates.append(Candidate(offset: baseOffset + Int64(position), rule: rule))
            }
            found.removeAll(keepingCapacity: true)
            return true
        }
    }

    /// The first position from `start` (stepping by `step`, below `end`) where
    /// the two bytes at some group's anchor distance are in that group's
    /// table; the first position ≥ `end` when none. The hot loop: locals
    /// only, no captured state, one or two groups (the usual case) unrolled.
    @inline(__always)
    private static func probe(_ buffer: UnsafeRawBufferPointer, from start: Int, end: Int, step: Int,
                              bits: UnsafePointer<UInt64>, anchors: UnsafePointer<Int>, groups: Int) -> Int {
        let base = buffer.baseAddress!
        /// Bit 0 set when `table` admits the two bytes at `at`.
        @inline(__always) func bit(_ table: UnsafePointer<UInt64>, _ at: Int) -> UInt64 {
            let k = Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
            return (table[k &>> 6] &>> UInt64(k & 63)) & 1
        }
        var p = start
        switch groups {
        case 1:
            let a0 = anchors[0]
            while p < end && bit(bits, p &+ a0) == 0 { p &+= step }
        case 2:
            let a0 = anchors[0], a1 = anchors[1], bits1 = bits + 1024
            while p < end && (bit(bits, p &+ a0) | bit(bits1, p &+ a1)) == 0 { p &+= step }
        default:
            while p < end {
                for g in 0..<groups where bit(bits + g &* 1024, p &+ anchors[g]) != 0 { return p }
                p &+= step
            }
        }
        return p
    }

    /// Whether group `g`'s table admits the two bytes at `p + anchor`.
    private func groupHit(_ g: Int, position p: Int, _ buffer: UnsafeRawBufferPointer) -> Bool {
        let k = Int(UInt16(littleEndian: buffer.loadUnaligned(fromByteOffset: p + groupAnchors[g], as: UInt16.self)))
        return bitmaps[g * 1024 + k >> 6] & (1 << UInt64(k & 63)) != 0
    }

    /// The fixed byte a header is dispatched on: preferably the start of a
    /// fixed pair of bytes that are neither 0x00 nor 0xFF (the bytes that fill
    /// empty and erased space), else the first fixed byte.
    static func anchorIndex(_ header: ByteSignature) -> Int? {
        anchorChoices(header).first
    }

    /// Every index as good as the best by that measure; the compiler picks
    /// among them the one whose anchor distance most other patterns use, so
    /// the number of groups (table probes per position) stays small.
    static func anchorChoices(_ header: ByteSignature) -> [Int] {
        var best: [Int] = []
        var bestScore = -1
        for i in 0..<header.count where header.fixed[i] {
            let plain: (Int) -> Bool = { header.bytes[$0] != 0x00 && header.bytes[$0] != 0xFF }
            let pair = i + 1 < header.count && header.fixed[i + 1]
            let score = (pair ? 2 : 0) + (plain(i) ? 1 : 0) + (pair && plain(i + 1) ? 1 : 0)
            if score > bestScore {
                best = [i]
                bestScore = score
            } else if score == bestScore {
                best.append(i)
            }
        }
        return best
    }

    /// The patterns of group `g` whose anchor byte is at `position + anchor`.
    private func matchGroup(_ g: Int, position p: Int, _ buffer: UnsafeRawBufferPointer, into found: inout [Int]) {
        let anchor = groupAnchors[g]
        let word = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: p + anchor, as: UInt32.self))
        let slot = g * 257 + Int(word & 0xFF)
        for i in dispatchOffsets[slot]..<dispatchOffsets[slot + 1] {
            let pattern = patterns[dispatchPatterns[i]]
            if word & pattern.keyMask == pattern.key && !found.contains(pattern.rule)
                && matchesFully(pattern, position: p, buffer) {
                found.append(pattern.rule)
            }
        }
    }

    /// Compares the whole pattern, wildcards skipped; the caller checked bounds.
    private func matchesFully(_ pattern: Pattern, position p: Int, _ buffer: UnsafeRawBufferPointer) -> Bool {
        let base = p + pattern.start
        for i in 0..<pattern.length {
            let mask = patternMasks[pattern.data + i]
            if buffer[base + i] & mask != patternBytes[pattern.data + i] { return false }
        }
        return true
    }
}
