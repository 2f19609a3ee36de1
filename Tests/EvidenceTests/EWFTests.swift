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

struct MediaVerificationTests {
    func judged(md5: String = "a", sha1: String? = nil, storedMD5: String?, storedSHA1: String?,
                checksumErrors: [SectorRange] = [], readErrors: [MediaVerification.ReadFailure] = []) -> MediaVerification.Verdict {
        MediaVerification(computedMD5: md5, computedSHA1: sha1, storedMD5: storedMD5, storedSHA1: storedSHA1,
                          bytesRead: 0, checksumErrors: checksumErrors, readErrors: readErrors).verdict
    }

    @Test func verdicts() {
        #expect(judged(storedMD5: nil, storedSHA1: nil) == .noStoredHash)
        #expect(judged(storedMD5: "a", storedSHA1: nil) == .verified)
        #expect(judged(storedMD5: "b", storedSHA1: nil) == .mismatch)
        #expect(judged(sha1: "s", storedMD5: "a", storedSHA1: "s") == .verified)
        #expect(judged(sha1: "s", storedMD5: "a", storedSHA1: "t") == .mismatch)
        // A stored SHA-1 with none computed is a mismatch, not a pass.
        #expect(judged(storedMD5: nil, storedSHA1: "s") == .mismatch)
        // Unreadable or bad-checksum bytes spoil a match, and a computed-only result.
        #expect(judged(storedMD5: "a", storedSHA1: nil, checksumErrors: [SectorRange(start: 0, count: 1)]) == .mismatch)
        #expect(judged(storedMD5: nil, storedSHA1: nil, readErrors: [.init(offset: 0, length: 512, message: "x")]) == .mismatch)
    }
}
