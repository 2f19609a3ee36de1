@testable import Hashing
import Foundation
import Testing

struct IndexTests {
    typealias T = TestSets

    /// A random digest of `kind` from the seeded generator.
    func randomDigest(_ kind: DigestKind, _ random: inout SplitMix64) -> Digest {
        Digest(kind: kind, words: random.next(), random.next(),
               kind == .md5 ? 0 : random.next() & (kind == .sha1 ? 0xFFFF_FFFF_0000_0000 : .max),
               kind == .sha256 ? random.next() : 0)
    }

    @Test func twoHundredThousandRandomEntries() throws {
        let dir = try ScratchFolder("index-200k")
        var random = SplitMix64(seed: 42)
        let writer = HashSetIndexWriter(name: "random", kind: .knownBad, sourceName: "generated")
        var stored: [Digest] = []
        let kinds: [DigestKind] = [.md5, .sha1, .sha256]
        for i in 0..<200_000 {
            var entry = KnownHash(category: "c\(i % 7)")
            let kind = kinds[i % 3]
            let digest = randomDigest(kind, &random)
            entry.set(digest)
            if i % 5 == 0 { entry.fileName = "file\(i)" }
            writer.add(entry)
            stored.append(digest)
        }
        let path = dir.path("random.exhidx")
        let summary = try writer.write(to: path, created: 1_700_000_000)
        #expect(summary.records == 200_000)
        let index = try HashSetIndex(path: path)
        #expect(index.summary == summary)
        try index.verify()
        for (i, digest) in stored.enumerated() {
            let hits = index.lookup(digest)
            guard hits.count == 1 else {
                Issue.record("entry \(i) (\(digest)) found \(hits.count) times")
                break
            }
            #expect(hits[0].category == "c\(i % 7)")
            if i % 5 == 0 { #expect(hits[0].fileName == "file\(i)") }
        }
        let table = index.tables[0]
        var misses = 0
        for i in 0..<10_000 {
            let digest = randomDigest(kinds[i % 3], &random)
            if !index.contains(digest) { misses += 1 }
            if digest.kind == .md5 {
                #expect(HashSetIndex.search(table, base: index.base, key: digest, strategy: .binary) == nil)
            }
        }
        #expect(misses == 10_000)
        // Both search strategies agree on every stored MD5.
        for digest in stored where digest.kind == .md5 {
            let binary = HashSetIndex.search(table, base: index.base, key: digest, strategy: .binary)
            let guided = HashSetIndex.search(table, base: index.base, key: digest, strategy: .guided)
            if binary == nil || binary != guided { Issue.record("strategies disagree on \(digest)"); break }
        }
    }

    @Test func skewedDigestsStillFound() throws {
        // Not uniform: every digest starts with the same bytes, so the guided search
        // must fall back to its galloping/binary steps.
        let dir = try ScratchFolder("index-skew")
        let writer = HashSetIndexWriter(name: "skew", kind: .knownGood, sourceName: "x")
        var digests: [Digest] = []
        for i in 0..<5_000 {
            let d = Digest(kind: .md5, words: 0xFFFF_FFFF_0000_0000 | UInt64(i * 3), UInt64(i), 0, 0)
            digests.append(d)
            writer.add(KnownHash(md5: d))
        }
        try writer.write(to: dir.path("skew.exhidx"))
        let index = try HashSetIndex(path: dir.path("skew.exhidx"))
        for d in digests { #expect(index.contains(d)) }
        #expect(!index.contains(Digest(kind: .md5, words: 0xFFFF_FFFF_0000_0000 | 1, 0, 0, 0)))
        #expect(!index.contains(Digest(kind: .md5, words: 0, 0, 0, 0)))
        #expect(!index.contains(Digest(kind: .md5, words: .max, .max, 0, 0)))
    }

    @Test func duplicatesKeepDistinctCategories() throws {
        let dir = try ScratchFolder("index-dup")
        let writer = HashSetIndexWriter(name: "dups", kind: .knownBad, sourceName: "x")
        let md5 = try T.digest(T.helloMD5)
        writer.add(KnownHash(md5: md5, fileName: "a", category: "1"))
        writer.add(KnownHash(md5: md5, fileName: "b", category: "2"))
        writer.add(KnownHash(md5: md5, fileName: "c", category: "1"))
        writer.add(KnownHash(fileName: "no digest"))
        #expect(writer.recordCount == 3)
        let summary = try writer.write(to: dir.path("dups.exhidx"))
        #expect(summary.md5Count == 2)
        let index = try HashSetIndex(path: dir.path("dups.exhidx"))
        #expect(Set(index.lookup(md5).map(\.category)) == ["1", "2"])
        #expect(index.summary.sourceName == "x")
        #expect(index.summary.name == "dups")
    }

    @Test func emptySetIsAValidIndex() throws {
        let dir = try ScratchFolder("index-empty")
        try HashSetIndexWriter(name: "nothing", kind: .knownGood, sourceName: "none").write(to: dir.path("e.exhidx"))
        let index = try HashSetIndex(path: dir.path("e.exhidx"))
        #expect(index.summary.records == 0)
        #expect(!index.contains(try T.digest(T.helloMD5)))
        try index.verify()
    }

    /// Writes a small valid index and returns its bytes.
    func smallIndexBytes(_ dir: ScratchFolder) throws -> [UInt8] {
        let writer = HashSetIndexWriter(name: "small", kind: .knownBad, sourceName: "s.md5")
        writer.add(KnownHash(md5: try T.digest(T.helloMD5), fileName: "hello", category: "1"))
        writer.add(KnownHash(sha1: try T.digest(T.worldSHA1), fileName: "world"))
        try writer.write(to: dir.path("small.exhidx"))
        return Array(try Data(contentsOf: URL(fileURLWithPath: dir.path("small.exhidx"))))
    }

    func openError(_ bytes: [UInt8], _ dir: ScratchFolder, _ name: String) throws -> HashSetError {
        let path = dir.path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: HashSetError.self) { _ = try HashSetIndex(path: path) }
        let found = try #require(error)
        #expect(found.path == path)
        return found
    }

    @Test func corruptAndTruncatedIndexesAreRefused() throws {
        let dir = try ScratchFolder("index-corrupt")
        let good = try smallIndexBytes(dir)
        #expect(try HashSetIndex(path: dir.path("small.exhidx")).lookup(try T.digest(T.helloMD5)).first?.fileName == "hello")

        let truncated = try openError(Array(good.dropLast(5)), dir, "truncated.exhidx")
        #expect(truncated.code == .corruptIndex && truncated.message.contains("truncated"))

        let headerOnly = try openError(Array(good.prefix(100)), dir, "short.exhidx")
        #expect(headerOnly.message.contains("shorter than"))

        #expect(try openError([], dir, "empty.exhidx").message.contains("empty"))

        var magic = good
        magic[0] = UInt8(ascii: "X")
        #expect(try openError(magic, dir, "magic.exhidx").message.contains("magic"))

        var flipped = good
        flipped[45] ^= 0x01  // inside the record count
        #expect(try openError(flipped, dir, "flipped.exhidx").message.contains("checksum"))

        // A header that is self-consistent (checksum recomputed) but points a table past the end.
        var lying = good
        lying.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: UInt64(good.count - 8).littleEndian, toByteOffset: IndexLayout.tableAt(.md5) + 8, as: UInt64.self)
            let sum = IndexLayout.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<IndexLayout.checksummedBytes]))
            raw.storeBytes(of: sum.littleEndian, toByteOffset: IndexLayout.checksumAt, as: UInt64.self)
        }
        #expect(try openError(lying, dir, "lying.exhidx").message.contains("does not fit"))

        var version = good
        version[IndexLayout.versionAt] = 9
        #expect(try openError(version, dir, "version.exhidx").message.contains("version 9"))

        // A damaged table (record number out of range) opens, never crashes, and verify() names it.
        var table = good
        let md5At = Int(table.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: IndexLayout.tableAt(.md5) + 8, as: UInt64.self) })
        table[md5At + 16] = 0xEE
        let damaged = dir.path("table.exhidx")
        try Data(table).write(to: URL(fileURLWithPath: damaged))
        let index = try HashSetIndex(path: damaged)
        #expect(index.lookup(try T.digest(T.helloMD5)).isEmpty)
        let verifyError = #expect(throws: HashSetError.self) { try index.verify() }
        #expect(verifyError?.message.contains("names record") == true)

        let missing = #expect(throws: HashSetError.self) { _ = try HashSetIndex(path: dir.path("nope.exhidx")) }
        #expect(missing?.code == .notFound)
    }

    @Test func libraryCombinesSets() throws {
        let dir = try ScratchFolder("library")
        let good = try dir.write("\(T.helloMD5)  hello.txt\n", named: "good.md5")
        let bad = try dir.write("""
            {"value": [{"MD5": "\(T.helloMD5)", "SHA1": "\(T.helloSHA1)", "Category": 1},
                       {"MD5": "\(T.worldMD5)", "Category": 2}]}
            """, named: "bad.json")
        try HashSetImport.run(source: good, output: good + ".exhidx", name: "NSRL", kind: .knownGood)
        try HashSetImport.run(source: bad, output: bad + ".exhidx", kind: .knownGood)  // overridden below

        #expect(HashSetLibrary.parse(spec: "/x/y.exhidx:bad") == ("/x/y.exhidx", .knownBad))
        #expect(HashSetLibrary.parse(spec: "/x/y.exhidx:GOOD") == ("/x/y.exhidx", .knownGood))
        #expect(HashSetLibrary.parse(spec: "/x/c:d.exhidx") == ("/x/c:d.exhidx", nil))

        let library = try HashSetLibrary(specs: [good + ".exhidx", bad + ".exhidx:bad"])
        let hits = library.lookup(md5: try T.digest(T.mixedCase(T.helloMD5)), sha1: try T.digest(T.helloSHA1))
        #expect(hits.count == 2)
        #expect(hits.contains(HashHit(setName: "NSRL", kind: .knownGood, category: nil, fileName: "hello.txt", matched: .md5)))
        #expect(hits.contains(HashHit(setName: "bad.json", kind: .knownBad, category: "1", fileName: nil, matched: .md5)))
        #expect(library.lookup(KnownHash(md5: try T.digest(T.worldMD5))).map(\.category) == ["2"])
        #expect(library.lookup(md5: try T.digest(T.otherMD5)).isEmpty)
        #expect(throws: HashSetError.self) { _ = try HashSetLibrary(specs: [dir.path("missing.exhidx:bad")]) }
    }

    @Test func lookupsFromManyThreads() async throws {
        let dir = try ScratchFolder("threads")
        let writer = HashSetIndexWriter(name: "t", kind: .knownBad, sourceName: "t")
        var random = SplitMix64(seed: 7)
        var digests: [Digest] = []
        for _ in 0..<20_000 {
            let d = randomDigest(.sha256, &random)
            digests.append(d)
            writer.add(KnownHash(sha256: d))
        }
        try writer.write(to: dir.path("t.exhidx"))
        let index = try HashSetIndex(path: dir.path("t.exhidx"))
        let found = await withTaskGroup(of: Int.self) { group in
            for part in 0..<4 {
                let slice = Array(digests[(part * 5_000)..<((part + 1) * 5_000)])
                group.addTask { slice.filter { index.contains($0) }.count }
            }
            return await group.reduce(0, +)
        }
        #expect(found == 20_000)
    }

    @Test func benchmarkEntryPointRuns() throws {
        let dir = try ScratchFolder("bench")
        let result = try HashSetIndex.benchmark(entries: 10_000, lookups: 2_000, directory: dir.url)
        #expect(result.indexBytes > 10_000 * 20)
        #expect(result.lookupsPerSecond > 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path).isEmpty)
    }
}
