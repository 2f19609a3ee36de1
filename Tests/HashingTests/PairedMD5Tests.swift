import CDigest
import Crypto
import Foundation
@testable import Hashing
import Testing

/// Our MD5 (C, one or two streams per call) and the hand-off between threads
/// must give exactly the digests of a reference implementation.
struct PairedMD5Tests {
    static func reference(_ bytes: [UInt8]) -> String {
        Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    static func random(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &* 0x9E3779B97F4A7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }

    @Test func rfc1321Vectors() {
        let vectors: [(String, String)] = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
            (String(repeating: "1234567890", count: 8), "57edf4a22be3c955ac49da2e2107b67a"),
        ]
        for (text, expected) in vectors {
            var lane = MD5Lane()
            Array(text.utf8).withUnsafeBytes { lane.update($0) }
            #expect(Digests.hex(lane.finalize()) == expected, "MD5(\"\(text)\")")
        }
    }

    @Test func everyLengthAroundTheBlockAndPaddingEdges() {
        let data = Self.random(300, seed: 1)
        for length in 0...data.count {
            var lane = MD5Lane()
            data[0..<length].withUnsafeBytes { lane.update($0) }
            #expect(Digests.hex(lane.finalize()) == Self.reference(Array(data[0..<length])), "length \(length)")
        }
    }

    @Test func twoStreamsAtOnceFromAnyStartingOffset() {
        // Contexts that already hold 0…63 bytes of an unfinished block, fed the same count.
        let x = Self.random(200_000, seed: 2)
        let y = Self.random(200_000, seed: 3)
        for (headX, headY, count) in [(0, 0, 150_000), (13, 0, 150_000), (0, 63, 99_999), (17, 41, 64), (5, 9, 3), (63, 1, 1000)] {
            var a = exhume_md5(), b = exhume_md5()
            exhume_md5_init(&a)
            exhume_md5_init(&b)
            x.withUnsafeBytes { px in
                y.withUnsafeBytes { py in
                    exhume_md5_update(&a, px.baseAddress, headX)
                    exhume_md5_update(&b, py.baseAddress, headY)
                    exhume_md5_update2(&a, px.baseAddress! + headX, &b, py.baseAddress! + headY, count)
                }
            }
            var digestA = [UInt8](repeating: 0, count: 16), digestB = digestA
            exhume_md5_final(&a, &digestA)
            exhume_md5_final(&b, &digestB)
            #expect(Digests.hex(digestA) == Self.reference(Array(x[0..<(headX + count)])), "x \(headX)+\(count)")
            #expect(Digests.hex(digestB) == Self.reference(Array(y[0..<(headY + count)])), "y \(headY)+\(count)")
        }
    }

    @Test func threadsHashingAtOnceGetTheirOwnDigests() async {
        // Big and small updates from several threads at once, so that hosts take
        // guests, give them back part-way and finish alone, in every order.
        let streams = (0..<6).map { Self.random(3_000_000 + $0 * 77_777, seed: UInt64(10 + $0)) }
        let expected = streams.map(Self.reference)
        for round in 0..<3 {
            let got = await withTaskGroup(of: (Int, String).self) { group in
                for (index, data) in streams.enumerated() {
                    group.addTask {
                        var lane = MD5Lane()
                        var offset = 0
                        var step = 1 + (index * 7_919 + round * 104_729) % 300_000
                        data.withUnsafeBytes { all in
                            while offset < all.count {
                                let n = min(step, all.count - offset)
                                lane.update(UnsafeRawBufferPointer(rebasing: all[offset..<(offset + n)]))
                                offset += n
                                step = (step * 31 + 17) % 400_000 + 1
                            }
                        }
                        return (index, Digests.hex(lane.finalize()))
                    }
                }
                var results = [String](repeating: "", count: streams.count)
                for await (index, digest) in group { results[index] = digest }
                return results
            }
            #expect(got == expected, "round \(round)")
        }
    }

    @Test func aCopiedLaneGoesOnIndependently() {
        let data = Self.random(100_000, seed: 4)
        var first = MD5Lane()
        data[0..<50_000].withUnsafeBytes { first.update($0) }
        var second = first
        data[50_000...].withUnsafeBytes { second.update($0) }
        #expect(Digests.hex(first.finalize()) == Self.reference(Array(data[0..<50_000])))
        #expect(Digests.hex(second.finalize()) == Self.reference(data))
    }
}
