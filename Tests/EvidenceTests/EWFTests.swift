@testable import Evidence
import ExhumeTestSupport
import Foundation
import Testing

struct EWFNamingTests {
    @Test(arguments: [
        ("a/b.E01", "a/b.E02"), ("b.E09", "b.E10"), ("b.E99", "b.EAA"), ("b.EAZ", "b.EBA"),
        ("b.e01", "b.e02"), ("b.e99", "b.eaa"), ("b.s01", "b.s02"),
    ])
    func nextSegmentName(current: String, next: String) {
        #expect(EWFNaming.name(after: current) == next)
    }

    @Test func namingEndsAfterEZZ() {
        #expect(EWFNaming.name(after: "b.EZZ") == nil)
    }
}

@Suite(.enabled(if: Locations.corpus != nil, Comment(rawValue: Locations.corpusMissing)))
struct EWFCorpusTests {
    let corpus = Locations.corpus!

    @Test func readsAcquisitionMetadataAndStoredHashes() throws {
        let image = try EWFImage(path: corpus.appendingPathComponent("tsk-imageformat_mmls_1.E01").path)
        #expect(image.size == 62_915_072)
        #expect(image.sectorSize == 512)
        let meta = image.metadata
        #expect(meta.caseNumber == "1")
        #expect(meta.evidenceNumber == "1")
        #expect(meta.examiner == "Rishwanth")
        #expect(meta.description == "Test E01 for sleuthkit")
        #expect(meta.notes == "Used to test sleuthkit libraries")
        #expect(meta.acquisitionSoftware == "ADI2.9.0.13")
        #expect(meta.storedMD5 == "8ec671e301095c258224aad701740503")
        #expect(meta.storedSHA1 == "067bc6ab29685ee19b0cf82c9d15ac510d1e7d95")
    }

    @Test func findsEverySegmentFromTheFirst() throws {
        let image = try EWFImage(path: corpus.appendingPathComponent("plaso-image-split.E01").path)
        #expect(image.files.count == 2)
        #expect(image.files.last?.hasSuffix("plaso-image-split.E02") == true)
        #expect(image.size == 1_474_560)
    }

    @Test func aMissingMiddleSegmentIsReported() throws {
        let dir = try Locations.temporaryDirectory("gap")
        defer { try? FileManager.default.removeItem(at: dir) }
        // E01 present, E02 absent, E03 present: the set has a hole.
        try FileManager.default.copyItem(at: corpus.appendingPathComponent("plaso-image-split.E01"),
                                         to: dir.appendingPathComponent("x.E01"))
        try FileManager.default.copyItem(at: corpus.appendingPathComponent("plaso-image-split.E02"),
                                         to: dir.appendingPathComponent("x.E03"))
        do {
            _ = try EWFImage(path: dir.appendingPathComponent("x.E01").path)
            Issue.record("opened a segment set with a hole")
        } catch {
            #expect(error.code == .missingSegment)
            #expect(error.description.contains("x.E02"))
        }
    }

    @Test func aMissingLastSegmentIsAnError() throws {
        let dir = try Locations.temporaryDirectory("lastgone")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(at: corpus.appendingPathComponent("plaso-image-split.E01"),
                                         to: dir.appendingPathComponent("x.E01"))
        #expect(throws: EvidenceError.self) { _ = try EWFImage(path: dir.appendingPathComponent("x.E01").path) }
    }

    @Test func verifyMatchesTheStoredHashesAndMd5sumOfTheRawTwin() throws {
        let ewf = try Image.open(corpus.appendingPathComponent("tsk-image.E01").path)
        let result = try MediaVerifier(stripeSize: 8192, readers: 2, window: 3).verify(ewf)
        #expect(result.verdict == .verified)
        #expect(result.computedMD5 == "3ebb0b7dcd6b5fcd59a0020625d70994")
        let raw = try Image.open(corpus.appendingPathComponent("tsk-image.dd").path)
        let rawResult = try MediaVerifier(stripeSize: 4096).verify(raw)
        #expect(rawResult.verdict == .noStoredHash)
        #expect(rawResult.computedMD5 == result.computedMD5)
        // tsk-image.E01 stores only an MD5, so no SHA-1 is computed for it; the raw twin gets both.
        #expect(result.computedSHA1 == nil)
        #expect(rawResult.computedSHA1 == "c1a78cd2f000a03d03ad7ff505033001efe17274")
        let expected = try MediaVerifier().verify(raw, expectedMD5: "3EBB0B7DCD6B5FCD59A0020625D70994")
        #expect(expected.verdict == .verified)
        let wrong = try MediaVerifier().verify(raw, expectedMD5: String(repeating: "0", count: 32))
        #expect(wrong.verdict == .mismatch)
    }

    @Test func verifyReportsReadFailuresAndCarriesOn() throws {
        let raw = try Image.open(corpus.appendingPathComponent("tsk-image.dd").path)
        let faulty = FaultyImageSource(base: raw, failing: [10_000..<10_512])
        let result = try MediaVerifier(stripeSize: 4096).verify(faulty, expectedMD5: "3ebb0b7dcd6b5fcd59a0020625d70994")
        #expect(result.verdict == .mismatch)
        // The bad bytes 10000..<10512 touch the sectors at 9728 and 10240.
        #expect(result.readErrors.count == 1)
        #expect(result.readErrors.first?.offset == 9728)
        #expect(result.readErrors.first?.length == 1024)
    }
}

struct SectorRangeTests {
    @Test func mergesWhatSeveralHandlesReport() {
        let reported = [SectorRange(start: 0, count: 8192), SectorRange(start: 0, count: 448), SectorRange(start: 512, count: 128),
                        SectorRange(start: 8192, count: 192), SectorRange(start: 9000, count: 10), SectorRange(start: 8384, count: 64),
                        SectorRange(start: 20, count: 0)]
        #expect(SectorRange.merged(reported) == [SectorRange(start: 0, count: 8448), SectorRange(start: 9000, count: 10)])
        #expect(SectorRange.merged([]) == [])
    }
}
