@testable import Hashing
import Testing

struct DigestTests {
    @Test func parsesEveryLengthInAnyCase() throws {
        let md5 = try TestSets.digest(TestSets.helloMD5)
        #expect(md5.kind == .md5)
        #expect(md5.hex == TestSets.helloMD5)
        #expect(Digest(hex: TestSets.helloMD5.uppercased()) == md5)
        #expect(Digest(hex: TestSets.mixedCase(TestSets.helloMD5)) == md5)
        #expect(Digest(hex: TestSets.helloSHA1)?.kind == .sha1)
        #expect(Digest(hex: TestSets.helloSHA1)?.hex == TestSets.helloSHA1)
        #expect(Digest(hex: TestSets.helloSHA256)?.kind == .sha256)
        #expect(Digest(hex: TestSets.helloSHA256)?.hex == TestSets.helloSHA256)
        #expect(md5.bytes.count == 16)
        #expect(md5.bytes.first == 0x5d)
        #expect(Digest(kind: .md5, bytes: md5.bytes) == md5)
    }

    @Test func refusesBadHex() {
        #expect(Digest(hex: "5d41402abc4b2a76b9719d911017c59") == nil)   // 31 digits
        #expect(Digest(hex: "5d41402abc4b2a76b9719d911017c59g") == nil)  // not hex
        #expect(Digest(hex: "") == nil)
        #expect(Digest(kind: .sha1, bytes: [1, 2, 3]) == nil)
    }

    @Test func ordersBytewise() throws {
        let low = try TestSets.digest("00" + String(repeating: "f", count: 30))
        let high = try TestSets.digest("01" + String(repeating: "0", count: 30))
        #expect(low < high)
    }
}
