@testable import Evidence
import ExhumeTestSupport
import Foundation
import Testing

/// The read-ahead must return exactly what its base returns, for reads inside
/// and outside the expected ranges, in any order, over unreadable bytes, and
/// after it is stopped; and it must really serve the expected reads from its
/// helpers.
struct ReadAheadTests {
    func media(_ count: Int, seed: UInt64) throws -> (URL, [UInt8], RawImage) {
        var generator = SeededGenerator(seed: seed)
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let dir = try Locations.temporaryDirectory("readahead")
        let url = dir.appendingPathComponent("media.raw")
        try Data(bytes).write(to: url)
        return (dir, bytes, try RawImage(path: url.path))
    }

    func read(_ source: any ImageSource, _ count: Int, at offset: Int64) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0, at: offset) }
        return Array(buffer[0..<n])
    }

    /// Reads as FAT's orphan search does: forward through the expected ranges in 4 KiB
    /// steps, with jumps back to the start (the FAT) and far ahead (a directory) between.
    @Test func forwardReadsAreServedAheadAndEqualTheMedia() throws {
        let size = 64 * 16_384 + 333
        let (dir, bytes, image) = try media(size, seed: 3)
        defer { try? FileManager.default.removeItem(at: dir) }
        let expected: [Range<Int64>] = [20_000..<300_000, 310_000..<700_000, 900_000..<Int64(size)]
        let ahead = ReadAhead(base: image, expected: expected, helpers: [image, image], stripeSize: 16_384, depth: 4)
        defer { ahead.stop() }
        var reads = 0
        for range in expected {
            var offset = range.lowerBound
            while offset < range.upperBound {
                let count = Int(min(4_096, range.upperBound - offset))
                let got = try read(ahead, count, at: offset)
                #expect(got == Array(bytes[Int(offset)..<(Int(offset) + got.count)]) && got.count == count, "at \(offset)")
                offset += Int64(count)
                reads += 1
                if reads % 37 == 0 { #expect(try read(ahead, 512, at: 1_024) == Array(bytes[1_024..<1_536])) }
                if reads % 91 == 0 { #expect(try read(ahead, 700, at: 1_000_000) == Array(bytes[1_000_000..<1_000_700])) }
            }
        }
        let counts = ahead.counts
        #expect(counts.served > 700_000)   // most of the 819,909 expected bytes came from helpers' stripes
        #expect(counts.helped + counts.claimed > 0)
        // Past the end and reads straddling the end.
        #expect(try read(ahead, 10, at: Int64(size)).isEmpty)
        #expect(try read(ahead, 1_000, at: Int64(size) - 100) == Array(bytes[(size - 100)...]))
    }

    @Test func anyReadPatternGivesTheMediaBytes() throws {
        let size = 40 * 8_192 + 17
        let (dir, bytes, image) = try media(size, seed: 5)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ahead = ReadAhead(base: image, expected: [0..<Int64(size)], helpers: [image, image], stripeSize: 8_192, depth: 3)
        defer { ahead.stop() }
        var generator = SeededGenerator(seed: 9)
        for _ in 0..<2_000 {
            let offset = Int64.random(in: 0..<Int64(size), using: &generator)
            let count = Int.random(in: 1...20_000, using: &generator)
            let got = try read(ahead, count, at: offset)
            let end = min(size, Int(offset) + count)
            #expect(got == Array(bytes[Int(offset)..<end]), "at \(offset) for \(count)")
        }
    }

    @Test func unreadableBytesFailAsTheBaseFails() throws {
        let size = 32 * 8_192
        let (dir, bytes, image) = try media(size, seed: 13)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad: Range<Int64> = 100_000..<100_512
        let base = FaultyImageSource(base: image, failing: [bad])
        let helpers = [FaultyImageSource(base: image, failing: [bad]), FaultyImageSource(base: image, failing: [bad])]
        let ahead = ReadAhead(base: base, expected: [0..<Int64(size)], helpers: helpers, stripeSize: 8_192, depth: 4)
        defer { ahead.stop() }
        var offset: Int64 = 0
        while offset < Int64(size) {
            let range = offset..<(offset + 4_096)
            if range.overlaps(bad) {
                #expect(throws: EvidenceError.self) { _ = try read(ahead, 4_096, at: offset) }
            } else {
                #expect(try read(ahead, 4_096, at: offset) == Array(bytes[Int(offset)..<Int(offset + 4_096)]))
            }
            offset += 4_096
        }
    }

    @Test func afterStopReadsGoToTheBase() throws {
        let (dir, bytes, image) = try media(100_000, seed: 17)
        defer { try? FileManager.default.removeItem(at: dir) }
        let ahead = ReadAhead(base: image, expected: [0..<100_000], helpers: [image], stripeSize: 4_096, depth: 8)
        #expect(try read(ahead, 10_000, at: 0) == Array(bytes[0..<10_000]))
        ahead.stop()
        ahead.stop()
        let before = ahead.counts.direct
        #expect(try read(ahead, 10_000, at: 50_000) == Array(bytes[50_000..<60_000]))
        #expect(ahead.counts.direct == before + 10_000)
    }
}
