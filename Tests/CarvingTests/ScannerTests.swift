@testable import Carving
import Foundation
import Testing

/// Deterministic pseudo-random bytes (SplitMix64), so failures reproduce.
func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    var bytes = [UInt8](repeating: 0, count: count)
    var i = 0
    while i < count {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        for k in 0..<8 where i + k < count { bytes[i + k] = UInt8(truncatingIfNeeded: z >> (8 * UInt64(k))) }
        i += 8
    }
    return bytes
}

@Suite struct CarvingScannerTests {
    static let ruleSet = try! CarvingRuleSet.load(directories: [repositoryRules], knownValidators: validatorNames)
    let scanner = SignatureScanner(ruleSet: CarvingScannerTests.ruleSet)

    static func index(_ name: String) -> Int { ruleSet.rules.firstIndex { $0.name == name }! }

    /// Headers of real files, as they start.
    static let samples: [(rule: String, bytes: [UInt8])] = [
        ("jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8)),
        ("png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + [0, 0, 0, 1]),
        ("pdf", Array("%PDF-1.7\n%\u{E2}".utf8)),
        ("zip", [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]),
        ("mp4", [0x00, 0x00, 0x00, 0x20] + Array("ftypisom".utf8) + [0, 0, 2, 0] + Array("isomiso2mp41".utf8)),
        ("gif", Array("GIF89a".utf8) + [1, 0, 1, 0]),
        ("webp", Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8 ".utf8)),
        ("avi", Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("AVI LIST".utf8)),
        ("heic", [0, 0, 0, 0x18] + Array("ftypheic".utf8) + [0, 0, 0, 0] + Array("mif1heic".utf8)),
        ("mov", [0, 0, 0, 0x14] + Array("ftypqt  ".utf8) + [0, 0, 2, 0]),
        ("mov-wide", [0, 0, 0, 8] + Array("wide".utf8) + [0, 1, 0, 0] + Array("mdat".utf8)),
        ("tiff-be", [0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8]),
        ("bmp", [0x42, 0x4D, 0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 0x28, 0, 0, 0]),
    ]

    func scan(_ bytes: [UInt8], base: Int64 = 0, alignment: Int = 512, limit: Int? = nil,
              cap: Int = SignatureScanner.defaultMaxCandidates) -> ScanResult {
        bytes.withUnsafeBytes {
            scanner.scan($0, baseOffset: base, alignment: alignment, limit: limit ?? bytes.count, maxCandidates: cap)
        }
    }

    /// Plants each sample at its offset in random data and checks that exactly
    /// the planted ones are added to what the random data yields by chance.
    func checkPlanted(_ plants: [(offset: Int, rule: String)], alignment: Int, expectFound: [(offset: Int, rule: String)]) {
        var data = randomBytes(1 << 20, seed: 42)
        let baseline = Set(scan(data, alignment: alignment).candidates)
        var touched = IndexSet()
        for plant in plants {
            let bytes = Self.samples.first { $0.rule == plant.rule }!.bytes
            data.replaceSubrange(plant.offset..<plant.offset + bytes.count, with: bytes)
            touched.insert(integersIn: max(0, plant.offset - scanner.margin)..<plant.offset + bytes.count)
        }
        let found = Set(scan(data, alignment: alignment).candidates)
        let expected = Set(expectFound.map { Candidate(offset: Int64($0.offset), rule: Self.index($0.rule)) })
        #expect(expected.isSubset(of: found), "missing \(expected.subtracting(found))")
        let extra = found.subtracting(expected).subtracting(baseline)
        #expect(extra.filter { !touched.contains(Int($0.offset)) }.isEmpty)
        #expect(extra.isEmpty, "unexpected \(extra)")
    }

    @Test(arguments: samples.map(\.rule))
    func findsPlantedHeaderAtAlignedOffset(_ rule: String) {
        let plants = [(offset: 512 * 1000, rule: rule), (offset: 4096 * 3, rule: rule)]
        checkPlanted(plants, alignment: 512, expectFound: plants)
        // Every byte, a wide-first movie also shows its mdat box 8 bytes in (the `mov` rule).
        let inner = rule == "mov-wide" ? plants.map { (offset: $0.offset + 8, rule: "mov") } : []
        checkPlanted(plants, alignment: 1, expectFound: plants + inner)
    }

    @Test(arguments: ["jpeg", "png", "pdf", "zip", "mp4"])
    func unalignedHeaderIsFoundOnlyEveryByte(_ rule: String) {
        let plants = [(offset: 512 * 77 + 3, rule: rule)]
        checkPlanted(plants, alignment: 512, expectFound: [])
        checkPlanted(plants, alignment: 1, expectFound: plants)
    }

    @Test func headerOffsetIsMeasuredFromTheFileStart() {
        // `ftyp` lands on a sector boundary: the file would start 4 bytes earlier, off the boundary.
        let mp4 = Self.samples.first { $0.rule == "mp4" }!.bytes
        var data = randomBytes(64 << 10, seed: 7)
        data.replaceSubrange(8192 - 4..<8192 - 4 + mp4.count, with: mp4)
        let mp4Index = Self.index("mp4")
        #expect(!scan(data, alignment: 512).candidates.contains { $0.rule == mp4Index })
        #expect(scan(data, alignment: 1).candidates.contains(Candidate(offset: 8188, rule: mp4Index)))
        // At a boundary, the candidate is the file start, not the `ftyp` position.
        data = randomBytes(64 << 10, seed: 7)
        data.replaceSubrange(8192..<8192 + mp4.count, with: mp4)
        let hits = scan(data, alignment: 512).candidates.filter { $0.rule == mp4Index }
        #expect(hits == [Candidate(offset: 8192, rule: mp4Index)])
    }

    @Test func alignmentIsRelativeToTheAbsoluteOffset() {
        let jpeg = Self.samples[0].bytes
        var data = randomBytes(8192, seed: 3)
        data.replaceSubrange(412..<412 + jpeg.count, with: jpeg)   // absolute 100 + 412 = 512
        let hits = scan(data, base: 100, alignment: 512).candidates.filter { $0.rule == Self.index("jpeg") }
        #expect(hits == [Candidate(offset: 512, rule: Self.index("jpeg"))])
    }

    /// Scans `image` page by page, each buffer holding the page and `margin`
    /// bytes more, as a carver reads it.
    func scanInPages(_ image: [UInt8], page: Int, alignment: Int) -> [Candidate] {
        var all: [Candidate] = []
        var start = 0
        while start < image.count {
            let limit = min(page, image.count - start)
            let end = min(image.count, start + limit + scanner.margin)
            let result = image[start..<end].withUnsafeBytes {
                scanner.scan($0, baseOffset: Int64(start), alignment: alignment, limit: limit)
            }
            all += result.candidates
            start += page
        }
        return all
    }

    @Test func headerStraddlingThePageEndIsReportedOnce() {
        var image = randomBytes(3 * 4096, seed: 11)
        let png = Self.samples[1].bytes
        let mp4 = Self.samples[4].bytes
        image.replaceSubrange(4094..<4094 + png.count, with: png)            // 2 bytes in page 0, 14 in page 1
        image.replaceSubrange(8190..<8190 + mp4.count, with: mp4)            // `ftyp` wholly in page 2
        let paged = scanInPages(image, page: 4096, alignment: 1)
        #expect(paged.filter { $0.offset == 4094 } == [Candidate(offset: 4094, rule: Self.index("png"))])
        #expect(paged.filter { $0.offset == 8190 } == [Candidate(offset: 8190, rule: Self.index("mp4"))])
        #expect(paged == scan(image, alignment: 1).candidates)
    }

    @Test(arguments: [(1, 4096), (1, 1000), (512, 4096), (512, 3590), (4096, 8192)])
    func pagedScanEqualsWholeScan(alignment: Int, page: Int) {
        var image = randomBytes(64 << 10, seed: 5)
        // Headers everywhere, at and around page ends, in every sample.
        var sector = 512
        var k = 0
        while sector + 64 < image.count {
            let bytes = Self.samples[k % Self.samples.count].bytes
            let at = sector - (k % 5 == 0 ? 6 : 0)    // some off the boundary
            image.replaceSubrange(at..<at + bytes.count, with: bytes)
            sector += 512 * (k % 3 + 1)
            k += 1
        }
        let whole = scan(image, alignment: alignment).candidates
        #expect(whole.count > (alignment == 4096 ? 2 : 20))
        #expect(scanInPages(image, page: page, alignment: alignment) == whole)
    }

    @Test func onlyPositionsBeforeLimitAreReported() {
        var data = randomBytes(4096, seed: 9)
        let jpeg = Self.samples[0].bytes
        data.replaceSubrange(1024..<1024 + jpeg.count, with: jpeg)
        let jpegIndex = Self.index("jpeg")
        #expect(!scan(data, alignment: 512, limit: 1024).candidates.contains { $0.rule == jpegIndex })
        #expect(scan(data, alignment: 512, limit: 1025).candidates.contains { $0.rule == jpegIndex })
        #expect(scan(data, limit: 0).candidates.isEmpty)
    }

    @Test func headerCutByTheEndOfTheDataIsNotReported() {
        let png = Self.samples[1].bytes
        let data = randomBytes(512, seed: 1) + png.prefix(10)
        #expect(!scan(data, alignment: 512).candidates.contains { $0.rule == Self.index("png") })
    }

    @Test func bufferOfJPEGHeadersRespectsTheCap() {
        let header: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]
        let data = Array([[UInt8]](repeating: header, count: (1 << 20) / 4).joined())
        let aligned = scan(data, alignment: 512, cap: 100)
        #expect(aligned.candidates.count == 100)
        #expect(aligned.capped)
        #expect(aligned.resumeOffset == Int64(100 * 512))
        #expect(aligned.candidates.last?.offset == Int64(99 * 512))

        let everyByte = scan(data, alignment: 1)
        #expect(everyByte.candidates.count == SignatureScanner.defaultMaxCandidates)
        #expect(everyByte.capped)
        #expect(everyByte.resumeOffset == Int64(4 * SignatureScanner.defaultMaxCandidates))

        // Resuming where the cap stopped reaches every header exactly once.
        var all: [Candidate] = []
        var from = 0
        while true {
            let result = data[from...].withUnsafeBytes {
                scanner.scan($0, baseOffset: Int64(from), alignment: 512, limit: data.count - from, maxCandidates: 300)
            }
            all += result.candidates
            guard let resume = result.resumeOffset else { break }
            from = Int(resume)
        }
        #expect(all.count == (1 << 20) / 512)
        #expect(Set(all.map(\.offset)).count == all.count)
    }

    @Test func uncappedScanSaysSo() {
        let result = scan(randomBytes(4096, seed: 2), alignment: 512)
        #expect(!result.capped)
        #expect(result.resumeOffset == nil)
    }

    @Test func severalRulesAtOnePositionAreAllReportedOnce() throws {
        let a = CarvingRule(name: "a", extensions: ["a"], headers: [try ByteSignature(hex: "AA BB ?? DD"), try ByteSignature(hex: "AA BB")],
                            maxSize: 1024, validator: "footer")
        let b = CarvingRule(name: "b", extensions: ["b"], headers: [try ByteSignature(text: "CD")], headerOffset: 2,
                            maxSize: 1024, validator: "footer")
        let scanner = SignatureScanner(rules: [a, b])
        #expect(scanner.margin == 3)
        let data: [UInt8] = [0xAA, 0xBB, 0x43, 0x44, 0, 0, 0, 0]
        for alignment in [1, 2] {
            let result = data.withUnsafeBytes { scanner.scan($0, baseOffset: 0, alignment: alignment, limit: data.count) }
            #expect(result.candidates == [Candidate(offset: 0, rule: 0), Candidate(offset: 0, rule: 1)])
        }
        // A cap smaller than one position's matches still reports that position whole.
        let capped = data.withUnsafeBytes { scanner.scan($0, baseOffset: 0, alignment: 1, limit: data.count, maxCandidates: 1) }
        #expect(capped.candidates.count == 2)
    }

    @Test func anchorAvoidsZeroFill() throws {
        // mov-wide starts with 00 00 00 08: it is dispatched on "wi", not on zero bytes.
        let rule = try #require(Self.ruleSet.rule(named: "mov-wide"))
        let anchor = try #require(SignatureScanner.anchorIndex(rule.headers[0]))
        #expect(rule.headers[0].bytes[anchor] != 0 && rule.headers[0].bytes[anchor + 1] != 0)
        #expect(SignatureScanner.anchorIndex(try ByteSignature(hex: "FF D8 FF ??")) == 0)
        #expect(scan([UInt8](repeating: 0, count: 1 << 16), alignment: 1).candidates.isEmpty)
        #expect(scan([UInt8](repeating: 0xFF, count: 1 << 16), alignment: 1).candidates.isEmpty)
    }

    @Test func builtInRulesNeedTwoProbesPerPosition() {
        // Anchors at distance 0 (most headers) and 4 (ISO-BMFF box types).
        #expect(scanner.probesPerPosition == 2)
    }

    @Test func emptyRuleSetFindsNothing() {
        let scanner = SignatureScanner(rules: [])
        let data = Self.samples[0].bytes
        #expect(data.withUnsafeBytes { scanner.scan($0, baseOffset: 0, alignment: 1, limit: data.count) }.candidates.isEmpty)
    }
}
