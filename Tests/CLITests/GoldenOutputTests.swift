import ExhumeTestSupport
import Foundation
import Testing

/// Every output of the CLI on every fixture and corpus image, compared by digest with
/// `Tests/Golden/expected.sha256` (recorded with the pre-refactor binary, issue 11):
/// `Tests/Golden/snapshot.sh` writes one normalised file per case, this compares their SHA-256.
/// See `Tests/Golden/README.md` for what a case holds and how to diff a failing one.
@Suite(.serialized)
struct GoldenOutputTests {
    @Test func fixtureOutputsAreUnchanged() throws {
        try GoldenSnapshot.shared.get().check(corpus: false)
    }

    @Test(.enabled(if: Locations.corpus != nil, Comment(rawValue: Locations.corpusMissing)))
    func corpusOutputsAreUnchanged() throws {
        try GoldenSnapshot.shared.get().check(corpus: true)
    }
}

/// One run of snapshot.sh, shared by the two tests (it takes a few minutes).
struct GoldenSnapshot: Sendable {
    static let golden = Locations.packageRoot.appendingPathComponent("Tests/Golden")
    static let shared: Result<GoldenSnapshot, any Error> = Result { try GoldenSnapshot() }

    /// Where the case files are; removed when every case matched, kept for `diff -r` otherwise.
    let folder: URL
    let expected: [String: String]
    let actual: [String: String]

    static func isCorpusCase(_ id: String) -> Bool { id.hasPrefix("corpus--") }

    init() throws {
        let binary = Locations.exhumeBinary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path),
                     "build the CLI first (`swift build`): \(binary.path)")
        let expected = try Self.parse(String(decoding: Data(contentsOf: Self.golden.appendingPathComponent("expected.sha256")),
                                             as: UTF8.self))
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("exhume-golden-\(getpid())-\(UUID().uuidString.prefix(8))")
        let corpus = Locations.corpus
        let run = try Oracle.run("bash", [Self.golden.appendingPathComponent("snapshot.sh").path]
                                 + (corpus.map { ["--corpus", $0.path] } ?? ["--no-corpus"])
                                 + [binary.path, folder.path], timeout: 3600)
        try #require(run.status == 0, "snapshot.sh failed (\(run.status)): \(run.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var actual: [String: String] = [:]
        if !files.isEmpty {
            let digests = try Oracle.run("sha256sum", files.map { folder.appendingPathComponent($0).path })
            try #require(digests.status == 0, "sha256sum: \(digests.stderr)")
            for (path, digest) in try Self.parse(digests.text) {
                actual[URL(fileURLWithPath: path).lastPathComponent] = digest
            }
        }
        // Every compared case matched and none is new: nothing to diff, the folder goes.
        let compared = expected.keys.filter { corpus != nil || !Self.isCorpusCase($0) }
        if compared.allSatisfy({ actual[$0] == expected[$0] }) && actual.keys.allSatisfy({ expected[$0] != nil }) {
            try? FileManager.default.removeItem(at: folder)
        }
        self.folder = folder
        self.expected = expected
        self.actual = actual
    }

    /// `sha256  name` lines, as sha256sum writes them, into name → digest.
    static func parse(_ text: String) throws -> [String: String] {
        var digests: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.isEmpty {
            let parts = line.split(separator: " ", maxSplits: 1)
            try #require(parts.count == 2 && parts[0].count == 64, "not a sha256sum line: \(line)")
            digests[String(parts[1].drop { $0 == " " || $0 == "*" })] = String(parts[0])
        }
        return digests
    }

    /// Records an issue naming every case of one kind (fixture or corpus) that differs, is
    /// missing or was not recorded.
    func check(corpus: Bool) {
        let kind = corpus ? "corpus" : "fixture"
        let wanted = expected.keys.filter { Self.isCorpusCase($0) == corpus }.sorted()
        let produced = actual.keys.filter { Self.isCorpusCase($0) == corpus }
        #expect(!wanted.isEmpty, "expected.sha256 holds no \(kind) case")
        let missing = wanted.filter { actual[$0] == nil }
        let changed = wanted.filter { actual[$0] != nil && actual[$0] != expected[$0] }
        let unrecorded = produced.filter { expected[$0] == nil }.sorted()
        let hint = """
            Outputs kept in \(folder.path). To see what changed, snapshot the baseline binary and diff: \
            bash Tests/Golden/snapshot.sh /work/baseline/exhume-debug /tmp/golden-baseline && \
            diff -r /tmp/golden-baseline \(folder.path). If the change is intended, re-record: \
            bash Tests/Golden/record.sh \(Locations.exhumeBinary.path) (see Tests/Golden/README.md).
            """
        if !changed.isEmpty {
            Issue.record("\(changed.count) of \(wanted.count) \(kind) cases changed:\n\(changed.joined(separator: "\n"))\n\(hint)")
        }
        if !missing.isEmpty {
            Issue.record("\(missing.count) \(kind) cases missing from the snapshot:\n\(missing.joined(separator: "\n"))\n\(hint)")
        }
        if !unrecorded.isEmpty {
            Issue.record("\(unrecorded.count) \(kind) cases not in expected.sha256:\n\(unrecorded.joined(separator: "\n"))\n\(hint)")
        }
    }
}
