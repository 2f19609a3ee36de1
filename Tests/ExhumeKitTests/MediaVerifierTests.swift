import Evidence
import ExhumeKit
import ExhumeTestSupport
import Foundation
import Synchronization
import Testing

/// `verify`'s engine: the media stream and the hashing lanes of a scan, judged
/// against the stored or expected digests.
@Suite(.enabled(if: Locations.corpus != nil, Comment(rawValue: Locations.corpusMissing)))
struct MediaVerifierCorpusTests {
    let corpus = Locations.corpus!

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

struct MediaVerifierFixtureTests {
    @Test func expectedSHA1IsComparedAndProgressReachesTheEnd() throws {
        let raw = try Image.open(try Fixtures.path("mbr.raw"))
        let e01 = try Image.open(try Fixtures.path("mbr.E01"))
        let truth = try MediaVerifier().verify(e01)
        #expect(truth.verdict == .verified)
        let sha1 = try #require(truth.computedSHA1)

        let seen = Mutex<[Int64]>([])
        let result = try MediaVerifier(stripeSize: 65_536).verify(raw, expectedSHA1: sha1.uppercased()) { done, total in
            #expect(total == raw.size)
            seen.withLock { $0.append(done) }
        }
        #expect(result.verdict == .verified)
        #expect(result.storedMD5 == nil && result.storedSHA1 == sha1)
        #expect(result.computedMD5 == truth.computedMD5 && result.computedSHA1 == sha1)
        let steps = seen.withLock { $0 }
        #expect(steps.count == Int((raw.size + 65_535) / 65_536))
        #expect(steps == steps.sorted() && steps.last == raw.size)

        let wrong = try MediaVerifier().verify(raw, expectedSHA1: String(repeating: "0", count: 40))
        #expect(wrong.verdict == .mismatch)
    }

    @Test func corruptChunkIsListedFromEveryReader() throws {
        let image = try Image.open(try Fixtures.path("bad/corrupt-chunk.E01"))
        for readers in [1, 2] {
            let result = try MediaVerifier(stripeSize: 1 << 20, readers: readers).verify(image)
            #expect(result.verdict == .mismatch)
            // ewfverify: "sector validation errors … at sector(s): 10688 - 10751".
            #expect(result.checksumErrors == [SectorRange(start: 10_688, count: 64)], "\(readers) readers")
            #expect(result.readErrors.isEmpty)
        }
    }

    @Test func aTruncatedSegmentIsReadAsZerosAndListed() throws {
        let image = try Image.open(try Fixtures.path("bad/truncated.E01"))
        let result = try MediaVerifier().verify(image)
        #expect(result.verdict == .mismatch)
        #expect(!result.readErrors.isEmpty || !result.checksumErrors.isEmpty)
        #expect(result.bytesRead == image.size)
    }
}
