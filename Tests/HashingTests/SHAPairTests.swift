import CDigest
import Crypto
import Foundation
@testable import Hashing
import Testing

/// SHA-1 and SHA-256 computed together with the SHA extensions (`exhume_sha`)
/// must equal swift-crypto's, for every length, split anywhere.
@Suite(.enabled(if: exhume_sha_available() == 1, "this CPU has no SHA extensions; SHALane uses swift-crypto"))
struct SHAPairTests {
    static func both(_ parts: [ArraySlice<UInt8>]) -> (String, String) {
        var context = exhume_sha()
        exhume_sha_init(&context)
        for part in parts { part.withUnsafeBytes { exhume_sha_update(&context, $0.baseAddress, $0.count) } }
        var one = [UInt8](repeating: 0, count: 20), two = [UInt8](repeating: 0, count: 32)
        exhume_sha_final(&context, &one, &two)
        return (Digests.hex(one), Digests.hex(two))
    }

    static func reference<C: Collection>(_ bytes: C) -> (String, String) where C.Element == UInt8 {
        (Digests.hex(Array(Insecure.SHA1.hash(data: Array(bytes)))), Digests.hex(Array(SHA256.hash(data: Array(bytes)))))
    }

    @Test func fipsVectors() {
        let vectors: [(String, String, String)] = [
            ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709",
             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d",
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1",
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            (String(repeating: "a", count: 1_000_000), "34aa973cd4c4daa4f61eeb2bdbad27316534016f",
             "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
        ]
        for (text, sha1, sha256) in vectors {
            let (one, two) = Self.both([ArraySlice(Array(text.utf8))])
            #expect(one == sha1, "SHA-1 of \(text.prefix(20))… (\(text.utf8.count) bytes)")
            #expect(two == sha256, "SHA-256 of \(text.prefix(20))… (\(text.utf8.count) bytes)")
        }
    }

    @Test func everyLengthAroundTheBlockAndPaddingEdges() {
        let data = PairedMD5Tests.random(300, seed: 7)
        for length in 0...data.count {
            let (one, two) = Self.both([data[0..<length]])
            let (refOne, refTwo) = Self.reference(data[0..<length])
            #expect(one == refOne, "SHA-1, length \(length)")
            #expect(two == refTwo, "SHA-256, length \(length)")
        }
    }

    @Test func splitAnywhere() {
        let data = PairedMD5Tests.random(1 << 20, seed: 11)
        let (refOne, refTwo) = Self.reference(data)
        var state: UInt64 = 99
        for _ in 0..<20 {
            var parts: [ArraySlice<UInt8>] = []
            var at = 0
            while at < data.count {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let n = min(data.count - at, Int(state >> 33) % 70_000)
                parts.append(data[at..<(at + n)])
                at += n
            }
            let (one, two) = Self.both(parts)
            #expect(one == refOne)
            #expect(two == refTwo)
        }
    }

    @Test func theLaneGivesTheSameDigests() {
        let data = PairedMD5Tests.random(200_001, seed: 5)
        var lane = SHALane()
        data.withUnsafeBytes { buffer in
            lane.update(UnsafeRawBufferPointer(rebasing: buffer[0..<1000]))
            lane.update(UnsafeRawBufferPointer(rebasing: buffer[1000...]))
        }
        let (one, two) = lane.finalize()
        let (refOne, refTwo) = Self.reference(data)
        #expect(Digests.hex(one) == refOne)
        #expect(Digests.hex(two) == refTwo)
    }

    @Test func aSHA1LaneGivesSHA1Alone() {
        let data = PairedMD5Tests.random(200_001, seed: 6)
        var lane = SHALane(sha256: false)
        data.withUnsafeBytes { buffer in
            lane.update(UnsafeRawBufferPointer(rebasing: buffer[0..<1000]))
            lane.update(UnsafeRawBufferPointer(rebasing: buffer[1000...]))
        }
        let (one, two) = lane.finalize()
        #expect(Digests.hex(one) == Self.reference(data).0)
        #expect(two.isEmpty)
    }
}
