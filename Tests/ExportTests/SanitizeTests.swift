import Foundation
import ExhumeTestSupport
import Testing
@testable import Export

/// `SafeExporter.sanitize(component:)`, one rule at a time, then as a whole (injective,
/// deterministic, always a single safe name).
struct SanitizeTests {
    func s(_ bytes: [UInt8]) -> String { SafeExporter.sanitize(component: bytes) }
    func s(_ text: String) -> String { s(Array(text.utf8)) }

    @Test func dotNamesAndEmptyAreReplaced() {
        #expect(s(".") == "%2E")
        #expect(s("..") == "%2E%2E")
        #expect(s("") == "%empty")
        #expect(s("...") == "...")
        #expect(s(".hidden") == ".hidden")
        #expect(s("..x") == "..x")
    }

    @Test func slashInsideAComponentIsEscaped() {
        #expect(s("../../etc/passwd") == "..%2F..%2Fetc%2Fpasswd")
        #expect(s("/") == "%2F")
        #expect(s("a/b") == "a%2Fb")
    }

    @Test func nulAndControlCharactersAreEscaped() {
        #expect(s([0x61, 0x00, 0x62]) == "a%00b")
        #expect(s(Array("ctl".utf8) + [0x01, 0x1B] + Array("[31mred.txt".utf8)) == "ctl%01%1B[31mred.txt")
        #expect(s("tab\there\nnl\r") == "tab%09here%0Anl%0D")
        #expect(s([0x7F]) == "%7F")
        #expect(s("csi\u{9B}2J") == "csi%C2%9B2J")             // C1 CSI
        #expect(s("invoice\u{202E}gpj.exe") == "invoice%E2%80%AEgpj.exe")  // right-to-left override
    }

    @Test func invalidUTF8IsEscapedByteByByte() {
        #expect(s([0xFF, 0xFE] + Array(".txt".utf8)) == "%FF%FE.txt")
        #expect(s([0xC0, 0xAF]) == "%C0%AF")                   // overlong "/"
        #expect(s([0xED, 0xA0, 0x80]) == "%ED%A0%80")         // UTF-16 surrogate
        #expect(s([0xF4, 0x90, 0x80, 0x80]) == "%F4%90%80%80") // above U+10FFFF
        #expect(s([0x61, 0xE6, 0x97]) == "a%E6%97")            // truncated sequence
        #expect(s([0x80, 0x61]) == "%80a")                     // stray continuation byte
        #expect(s("日本語 café ñandú 🎉") == "日本語 café ñandú 🎉")
    }

    @Test func percentIsEscapedSoTheMappingIsInjective() {
        #expect(s("%") == "%25")
        #expect(s("%2E") == "%252E")
        #expect(s("%2E%2E") == "%252E%252E")
        #expect(s("%empty") == "%25empty")
        #expect(s("100%.txt") == "100%25.txt")
        #expect(Set([s(".."), s("%2E%2E"), s("%252E%252E"), s(""), s("%empty")]).count == 5)
    }

    @Test func a255ByteNameIsKept() {
        let name = String(repeating: "L", count: 251) + ".txt"
        #expect(name.utf8.count == 255)
        #expect(s(name) == name)
        let multibyte = String(repeating: "é", count: 127) + "x"     // 255 bytes
        #expect(s(multibyte) == multibyte)
    }

    @Test func a300ByteNameIsCutAndHashed() throws {
        let long = String(repeating: "n", count: 296) + ".txt"
        let out = s(long)
        #expect(out.utf8.count <= 255)
        #expect(out.hasSuffix(".txt"))
        #expect(out.contains("%~"))
        #expect(out.hasPrefix(String(repeating: "n", count: 200)))
        #expect(s(long) == out)                                            // deterministic
        let other = String(repeating: "n", count: 295) + "m.txt"
        #expect(s(other) != out)                                           // distinct stays distinct
        #expect(SafeExporter.unsanitize(out) == nil)                       // a cut name is not reversible
    }

    @Test func cutsHappenAtUTF8AndEscapeBoundaries() throws {
        let accents = String(repeating: "é", count: 150)                   // 300 bytes
        let out1 = s(accents)
        #expect(out1.utf8.count <= 255)
        #expect(String(validating: Array(out1.utf8), as: UTF8.self) != nil)
        #expect(out1.hasPrefix(String(repeating: "é", count: 100)))

        let percents = String(repeating: "%é", count: 85)                  // 255 bytes, 340 escaped
        let out2 = s(percents)
        #expect(out2.utf8.count <= 255)
        #expect(out2 == String(repeating: "%25é", count: 47) + "%~" + hex16(SafeExporter.fnv1a64(Array(percents.utf8))))
        let ctl = [UInt8](repeating: 0x01, count: 100)                     // 300 bytes escaped
        let out3 = s(ctl)
        #expect(out3 == String(repeating: "%01", count: 79) + "%~" + hex16(SafeExporter.fnv1a64(ctl)))
    }

    func hex16(_ v: UInt64) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: 16 - h.count) + h
    }

    @Test func randomNamesAlwaysGiveOneSafeDistinctName() {
        var rng = SeededGenerator(seed: 0x45584855)
        var seen: [String: [UInt8]] = [:]
        for _ in 0..<3000 {
            let length = Int(rng.next() % 320)
            // bias towards the interesting bytes: '.', '/', '%', NUL, controls, high bytes
            let alphabet: [UInt8] = [0x2E, 0x2F, 0x25, 0x00, 0x01, 0x1B, 0x7F, 0x41, 0x7E, 0xC3, 0xA9, 0xFF, 0xE2, 0x80, 0xAE]
            let name = (0..<length).map { _ in rng.next() % 3 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let out = s(name)
            #expect(!out.isEmpty && out != "." && out != "..")
            #expect(!out.utf8.contains(0x2F) && !out.utf8.contains(0x00))
            #expect(!out.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }))
            #expect(out.utf8.count <= 255)
            #expect(s(name) == out)
            if let previous = seen[out] { #expect(previous == name, "two names map to \(out)") }
            seen[out] = name
            if !out.contains("%~") { #expect(SafeExporter.unsanitize(out) == name) }
        }
    }

    @Test func manifestNameIsLosslessAndPrintable() throws {
        let cases: [([UInt8], String)] = [
            ([0xFF, 0xFE] + Array(".txt".utf8), "\\xff\\xfe.txt"),
            (Array("a\\b".utf8), "a\\\\b"),
            (Array("ctl".utf8) + [0x01, 0x1B] + Array("[31m".utf8), "ctl\\x01\\x1b[31m"),
            (Array("../../etc/passwd".utf8), "..\\x2f..\\x2fetc\\x2fpasswd"),
            (Array("100% café".utf8), "100% café"),
            ([], ""),
        ]
        for (bytes, expected) in cases {
            let text = SafeExporter.manifestName(component: bytes)
            #expect(text == expected)
            #expect(SafeExporter.decodeManifestName(text) == bytes)
            let json = try JSONEncoder().encode([text])
            #expect(try JSONDecoder().decode([String].self, from: json) == [text])
        }
        #expect(SafeExporter.manifestPath(components: [Array("sub".utf8), Array("a/b".utf8)]) == "sub/a\\x2fb")
        #expect(SafeExporter.decodeManifestName("bad\\q") == nil)
    }

    @Test("every hostile fixture name sanitizes as expected", arguments: HostileFixture.entries)
    func hostileFixtureNames(_ entry: HostileFixture.Entry) {
        let name = s(entry.components.last!)
        #expect(name.utf8.count <= 255 && !name.contains("/") && name != "." && name != "..")
        #expect(SafeExporter.decodeManifestName(SafeExporter.manifestName(component: entry.components.last!)) == entry.components.last!)
    }
}

