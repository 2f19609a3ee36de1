import ExhumeKit
import ExhumeTestSupport
import Foundation
import Testing

/// Our listings, timelines, partitions and verification against The Sleuth
/// Kit's and libewf's own tools, on every image of the third-party corpus.
@Suite(.enabled(if: Locations.corpus != nil, Comment(rawValue: Locations.corpusMissing)))
struct CorpusConformanceTests {
    init() { Conformance.prepare() }

    @Test("whole-image bodyfile equals tsk_gettimes", arguments: Corpus.imageNames)
    func bodyfileMatchesTskGettimes(name: String) throws {
        let entry = try #require(Corpus.entry(named: name))
        try Conformance.bodyfileMatchesTskGettimes(entry.path)
    }

    @Test("per-file-system bodyfile and listing equal fls", arguments: Corpus.imageNames)
    func perFileSystemMatchesFls(name: String) throws {
        let entry = try #require(Corpus.entry(named: name))
        try Conformance.perFileSystemMatchesFls(entry.path)
    }

    @Test("partitions equal mmls", arguments: Corpus.imageNames)
    func partitionsMatchMmls(name: String) throws {
        let entry = try #require(Corpus.entry(named: name))
        try Conformance.partitionsMatchMmls(entry.path)
    }

    @Test("csv timeline rows equal mactime's", arguments: Corpus.imageNames)
    func timelineMatchesMactime(name: String) throws {
        let entry = try #require(Corpus.entry(named: name))
        try Conformance.timelineMatchesMactime(entry.path)
    }

    @Test("verify equals ewfverify", arguments: Corpus.imageNames.filter { $0.hasSuffix(".E01") })
    func verifyMatchesEwfverify(name: String) throws {
        let entry = try #require(Corpus.entry(named: name))
        try Conformance.verifyMatchesEwfverify(entry.path)
    }

    @Test("the corpus yields entries at all")
    func corpusIsNotEmpty() throws {
        #expect(Corpus.imageNames.count >= 30)
    }
}
