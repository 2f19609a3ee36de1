import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HashSetIndex {
    /// Builds an index of `entries` random MD5 digests (no names, no
    /// categories) in `directory`, then times `lookups` lookups on one thread,
    /// half of digests in the set and half of random others; removes the file.
    /// For `exhume-bench`; build time includes sorting and writing.
    public static func benchmark(entries: Int, lookups: Int, directory: URL) throws
        -> (buildSeconds: Double, lookupsPerSecond: Double, indexBytes: Int) {
        try benchmark(entries: entries, lookups: lookups, directoryPath: directory.path, strategy: .interpolation)
    }

    static func benchmark(entries: Int, lookups: Int, directoryPath: String, strategy: SearchStrategy) throws
        -> (buildSeconds: Double, lookupsPerSecond: Double, indexBytes: Int) {
        var random = SplitMix64(seed: 0x5eed_1dea)
        let path = directoryPath + "/exhume-bench-\(getpid())-\(entries).exhidx"
        defer { unlink(path) }
        let start = monotonicSeconds()
        let writer = HashSetIndexWriter(name: "benchmark", kind: .knownBad, sourceName: "random")
        for _ in 0..<entries {
            writer.add(KnownHash(md5: Digest(kind: .md5, words: random.next(), random.next(), 0, 0)))
        }
        let summary = try writer.write(to: path)
        let buildSeconds = monotonicSeconds() - start

        let index = try HashSetIndex(path: path)
        // Probe digests: regenerate half of the set's digests from the same seed
        // (a quarter-way skip keeps them spread out), and random others.
        var replay = SplitMix64(seed: 0x5eed_1dea)
        var keys: [Digest] = []
        keys.reserveCapacity(lookups)
        let stride = max(1, entries / max(1, lookups / 2))
        var taken = 0
        for i in 0..<entries where taken < lookups / 2 {
            let d = Digest(kind: .md5, words: replay.next(), replay.next(), 0, 0)
            if i % stride == 0 { keys.append(d); taken += 1 }
        }
        while keys.count < lookups {
            keys.append(Digest(kind: .md5, words: random.next(), random.next(), 0, 0))
        }
        keys.shuffle(using: &random)
        let table = index.tables[Table.slot(.md5)]
        let lookupStart = monotonicSeconds()
        var found = 0
        for key in keys where search(table, base: index.base, key: key, strategy: strategy) != nil {
            found += 1
        }
        let lookupSeconds = monotonicSeconds() - lookupStart
        precondition(found >= taken, "benchmark: a digest in the set was not found")
        return (buildSeconds, Double(keys.count) / max(lookupSeconds, 1e-9), summary.bytes)
    }

    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// A small, fast, seeded generator (SplitMix64) for reproducible benchmark digests.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
