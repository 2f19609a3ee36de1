@testable import Evidence
import ExhumeTestSupport
import Foundation
import Testing

/// The media stream must hand every consumer exactly the media's bytes,
/// whatever the order and size of their reads, with bounded memory, and never
/// hang: not when a cursor reads far ahead, behind, or over unreadable bytes,
/// and not when the stream is cancelled.
struct MediaStreamTests {
    /// A raw image of `count` pseudo-random bytes.
    func media(_ count: Int, seed: UInt64 = 7) throws -> (URL, [UInt8], RawImage) {
        var generator = SeededGenerator(seed: seed)
        let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let dir = try Locations.temporaryDirectory("stream")
        let url = dir.appendingPathComponent("media.raw")
        try Data(bytes).write(to: url)
        return (dir, bytes, try RawImage(path: url.path))
    }

    func read(_ source: any ImageSource, _ count: Int, at offset: Int64) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0, at: offset) }
        return Array(buffer[0..<n])
    }

    @Test func theInOrderConsumerSeesEveryByteOnce() throws {
        let (dir, bytes, image) = try media(3 * 65_536 + 1_234)
        defer { try? FileManager.default.removeItem(at: dir) }
        let stream = MediaStream(readers: [image, image], fallback: image, stripeSize: 65_536, window: 3)
        var seen: [UInt8] = []
        var offsets: [Int64] = []
        stream.run { offset, stripe in
            offsets.append(offset)
            seen += stripe
        }
        #expect(seen == bytes)
        #expect(offsets == [0, 65_536, 131_072, 196_608])
        #expect(stream.readFailures.isEmpty)
    }

    @Test func cursorsReadTheMediaWhateverTheirPattern() throws {
        let size = 40 * 16_384 + 77
        let (dir, bytes, image) = try media(size, seed: 11)
        defer { try? FileManager.default.removeItem(at: dir) }
        let stream = MediaStream(readers: [image, image], fallback: image, stripeSize: 16_384, window: 4)
        // A content reader moving forward in big reads (which move its mark)…
        let forward = stream.cursor(.advancingReads(atLeast: 8_192))
        // …and one that jumps about: behind the window, inside it, far ahead of it.
        let jumper = stream.cursor()
        let mismatches = Mismatches()
        let group = DispatchGroup()
        group.enter()
        Thread.detachNewThread {
            defer { forward.finish(); group.leave() }
            var offset: Int64 = 0
            var step = 5_000
            while offset < Int64(size) {
                let got = (try? read(forward, step, at: offset)) ?? []
                let end = min(size, Int(offset) + step)
                if got != Array(bytes[Int(offset)..<end]) { mismatches.add("forward at \(offset)") }
                offset += Int64(step)
                step = step % 20_000 + 3_001
            }
        }
        group.enter()
        Thread.detachNewThread {
            defer { jumper.finish(); group.leave() }
            var generator = SeededGenerator(seed: 3)
            for round in 0..<200 {
                let offset = Int64.random(in: 0..<Int64(size), using: &generator)
                if round % 10 == 0 { jumper.willNotRead(before: offset) }
                let count = Int.random(in: 1...40_000, using: &generator)
                let got = (try? read(jumper, count, at: offset)) ?? []
                let end = min(size, Int(offset) + count)
                if got != Array(bytes[Int(offset)..<end]) { mismatches.add("jumper at \(offset)+\(count)") }
            }
        }
        var seen: [UInt8] = []
        stream.run { _, stripe in seen += stripe }
        group.wait()
        #expect(seen == bytes)
        #expect(mismatches.list.isEmpty, "\(mismatches.list.prefix(5))")
        let counts = stream.counts
        #expect(counts.windowBytes > 0, "some reads came from the window")
        #expect(counts.fallbackBytes > 0, "the jumper's far reads went to the fallback")
    }

    @Test func unreadableBytesAreZerosInOrderAndErrorsThroughCursors() throws {
        let (dir, bytes, image) = try media(8 * 4_096, seed: 5)
        defer { try? FileManager.default.removeItem(at: dir) }
        let faulty = FaultyImageSource(base: image, failing: [10_000..<10_600])
        let stream = MediaStream(readers: [faulty], fallback: faulty, stripeSize: 4_096, window: 8)
        let cursor = stream.cursor()
        var seen: [UInt8] = []
        stream.run { _, stripe in seen += stripe }
        // Reported sector by sector (512 bytes): 9728…10752 covers the injected range.
        let failures = stream.readFailures
        #expect(failures.map(\.offset) == [9_728])
        #expect(failures.map(\.length) == [1_024])
        #expect(seen[9_728..<10_752].allSatisfy { $0 == 0 })
        #expect(Array(seen[0..<9_728]) == Array(bytes[0..<9_728]))
        #expect(Array(seen[10_752...]) == Array(bytes[10_752...]))
        // A cursor reading over the bad bytes gets the source's error, not zeros.
        #expect(throws: EvidenceError.self) { try read(cursor, 2_000, at: 9_000) }
        #expect(try read(cursor, 100, at: 0) == Array(bytes[0..<100]))
        cursor.finish()
    }

    /// A cursor whose mark follows runs of contiguous reads: reads far ahead (a
    /// directory) do not drag the mark there, so the forward pass that follows is
    /// served from the window; the forward pass moves the mark, so the stream
    /// goes on to the end.
    @Test func aRunFollowingCursorIgnoresFarReadsAndFollowsItsRuns() throws {
        let stripe = 4_096, count = 64
        let (dir, bytes, image) = try media(count * stripe, seed: 21)
        defer { try? FileManager.default.removeItem(at: dir) }
        let stream = MediaStream(readers: [image, image], fallback: image, stripeSize: stripe, window: 6)
        let cursor = stream.cursor(.advancingRuns(2 * stripe))
        let mismatches = Mismatches()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            defer { cursor.finish(); done.signal() }
            // Scattered reads within the window of the mark, as a directory walk does…
            for offset in [5 * stripe, 1 * stripe, 4 * stripe + 100, 0] {
                if (try? read(cursor, 1_000, at: Int64(offset))) != Array(bytes[offset..<(offset + 1_000)]) {
                    mismatches.add("scattered at \(offset)")
                }
            }
            // …then the whole media forward, in reads a third of a stripe long.
            var offset = 0
            while offset < bytes.count {
                let n = min(stripe / 3, bytes.count - offset)
                if (try? read(cursor, n, at: Int64(offset))) != Array(bytes[offset..<(offset + n)]) {
                    mismatches.add("forward at \(offset)")
                }
                offset += n
            }
        }
        var seen: [UInt8] = []
        stream.run { _, stripe in seen += stripe }
        done.wait()
        #expect(seen == bytes)
        #expect(mismatches.list.isEmpty, "\(mismatches.list.prefix(5))")
        // Everything came from the window: the scattered reads did not move the mark past
        // the start, and the forward pass kept the stream going.
        #expect(stream.counts.fallbackBytes == 0)
    }

    @Test func cancellingReleasesEveryone() throws {
        let (dir, bytes, image) = try media(64 * 4_096, seed: 9)
        defer { try? FileManager.default.removeItem(at: dir) }
        let stream = MediaStream(readers: [image, image], fallback: image, stripeSize: 4_096, window: 4)
        let stuck = stream.cursor()   // never advances: the window stops at its first 4 stripes
        var stripes = 0
        stream.run { offset, _ in
            stripes += 1
            if offset == 2 * 4_096 { stream.cancel() }
        }
        #expect(stripes == 3)
        // After the cancel, reads still work, from the fallback.
        #expect(try read(stuck, 10, at: 50 * 4_096) == Array(bytes[(50 * 4_096)..<(50 * 4_096 + 10)]))
    }
}

/// Problems found on other threads.
final class Mismatches: @unchecked Sendable {
    private let lock = NSLock()
    private var found: [String] = []
    func add(_ what: String) { lock.lock(); found.append(what); lock.unlock() }
    var list: [String] { lock.lock(); defer { lock.unlock() }; return found }
}
