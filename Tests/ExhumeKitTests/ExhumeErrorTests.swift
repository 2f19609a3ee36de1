import CaseStore
import Evidence
@testable import ExhumeKit
import Export
import Hashing
import Testing

/// The one conversion of library errors: the code (hence the exit status) and the
/// wording each gets, by what the command was doing.
struct ExhumeErrorTests {
    @Test func evidenceErrors() {
        let missing = ExhumeError(EvidenceError(.missingSegment, path: "/e/disk.E01", "segment 3 of 5 is missing"))
        #expect(missing.code == .missingInput)
        #expect(missing.message == "/e/disk.E01: segment 3 of 5 is missing")
        let corrupt = ExhumeError(EvidenceError(.corrupt, path: "/e/disk.E01", offset: 4096, "bad chunk", underlying: "crc"))
        #expect(corrupt.code == .badInput)
        #expect(corrupt.message == "/e/disk.E01 at byte offset 4096: bad chunk (crc)")
        #expect(corrupt.location == EvidenceLocation(image: "/e/disk.E01", byteOffset: 4096))
        #expect(corrupt.cause is EvidenceError)
    }

    @Test func anItemsProvenanceLocatesTheError() {
        let extent = CarvedExtent(offset: 8192, length: 10, rule: "png", fileExtension: "png", complete: false,
                                  region: .unallocated)
        let item = ContentItem(sequence: 0, carved: extent, image: "/e/disk.E01")
        let error = ExhumeError(.badInput, "cannot read", provenance: item.provenance)
        #expect(error.provenance == item.provenance)
        #expect(error.location == EvidenceLocation(image: "/e/disk.E01", byteOffset: 8192))
    }

    @Test func caseErrorsDependOnWhetherTheCaseIsReadOrWritten() {
        let full = CaseError(.noSpace, "/c/case.sqlite: disk full")
        let written = ExhumeError(full, during: .scanning)
        #expect(written.code == .outputFailed)
        #expect(written.message.hasSuffix("; what was recorded before is kept: make room and run the same command again to continue"))
        #expect(ExhumeError(CaseError(.io, "x"), during: .scanning).code == .outputFailed)
        #expect(ExhumeError(CaseError(.corruptDatabase, "x"), during: .scanning).code == .badInput)
        let read = ExhumeError(CaseError(.io, "x"), during: .readingCase(folder: "c"))
        #expect(read.code == .badInput && read.message == "c: x")
        let locked = ExhumeError(CaseError(.scanRunning, "busy"), during: .lockingCase(folder: "c"))
        #expect(locked.code == .usage && locked.message == "c: busy")
    }

    @Test func exportAndOutputErrors() {
        let refused = ExportError(.outputNotEmpty, path: "out", message: "not empty")
        #expect(ExhumeError(refused, during: .openingOutput).code == .outputFailed)
        #expect(ExhumeError(refused, during: .scanning).code == .outputFailed)
        #expect(ExhumeError(refused, during: .openingOutput).message == "out: not empty")
    }

    @Test func hashSetErrorsDependOnTheirRole() {
        let missing = HashSetError(.notFound, path: "/s/x.idx", "no such file")
        #expect(ExhumeError(missing, during: .readingHashSet(source: "/s/x.idx")).code == .missingInput)
        // A --hashset that cannot be opened is bad input, even when it does not exist.
        #expect(ExhumeError(missing, during: .loadingHashSets).code == .badInput)
        #expect(ExhumeError(HashSetError(.writeFailed, path: "o", "full"), during: .readingHashSet(source: "s")).code == .outputFailed)
        #expect(ExhumeError(HashSetError(.malformed, path: "s", line: 3, "bad"), during: .readingHashSet(source: "s")).message
                == "s (line 3): bad")
    }

    @Test func rulesAndPassThrough() {
        let usage = ExhumeError(.usage, "no carving rule matches --types x")
        #expect(ExhumeError(usage, during: .scanning).message == usage.message)
        #expect(ExhumeError(usage, during: .scanning).code == .usage)
        struct Odd: Error, CustomStringConvertible { var description: String { "odd" } }
        #expect(ExhumeError(Odd(), during: .loadingCarvingRules).code == .usage)
        #expect(ExhumeError(Odd(), during: .loadingCarvingRules).message == "carving rules: odd")
        #expect(ExhumeError(Odd(), during: .processing).code == .badInput)
    }
}
