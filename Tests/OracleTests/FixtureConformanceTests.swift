import ExhumeKit
import ExhumeTestSupport
import Foundation
import SleuthKit
import Testing

/// The self-contained suite: the same oracle checks on the images
/// make-fixtures.sh builds, plus their ground truth from manifest.json.
struct FixtureConformanceTests {
    init() { Conformance.prepare() }

    static let images = (try? Fixtures.manifest().images.map(\.name)) ?? []

    @Test("the manifest lists the fixture images")
    func manifestIsReadable() throws {
        let names = try Fixtures.manifest().images.map(\.name)
        #expect(Set(names).isSuperset(of: ["fat16.raw", "ext4.raw", "ntfs.raw", "mbr.raw", "gpt.raw", "mbr.E01", "multi.E01", "split.001"]))
    }

    @Test("whole-image bodyfile equals tsk_gettimes", arguments: images)
    func bodyfile(name: String) throws {
        try Conformance.bodyfileMatchesTskGettimes(try Fixtures.path(name))
    }

    @Test("per-file-system bodyfile and listing equal fls", arguments: images)
    func perFileSystem(name: String) throws {
        try Conformance.perFileSystemMatchesFls(try Fixtures.path(name))
    }

    @Test("partitions equal mmls", arguments: images)
    func partitions(name: String) throws {
        try Conformance.partitionsMatchMmls(try Fixtures.path(name))
    }

    @Test("csv timeline rows equal mactime's", arguments: images)
    func timelineMatchesMactime(name: String) throws {
        try Conformance.timelineMatchesMactime(try Fixtures.path(name))
    }

    @Test("verify equals ewfverify", arguments: images.filter { $0.hasSuffix(".E01") })
    func verify(name: String) throws {
        try Conformance.verifyMatchesEwfverify(try Fixtures.path(name))
    }

    @Test("ground truth: file systems, labels, every file written and every file deleted", arguments: images)
    func groundTruth(name: String) throws {
        let truth = try #require(try Fixtures.manifest().images.first { $0.name == name })
        let exam = try Examination(path: try Fixtures.path(name))
        #expect(exam.source.size == truth.media_size)
        #expect(exam.fileSystems.map(\.info.sectorOffset) == truth.filesystems.map(\.offset_sectors))
        for (mounted, fsTruth) in zip(exam.fileSystems, truth.filesystems) {
            #expect(mounted.fileSystem.describe().label == fsTruth.label, "label of \(name) at \(fsTruth.offset_sectors)")
            #expect(mounted.fileSystem.describe().typeDescription == fsTruth.type)
            var entries: [FileEntry] = []
            mounted.fileSystem.walk { entries.append($0); return true }
            let listed = entries.filter { !$0.isFileNameAttribute }
            #expect(listed.filter(\.isDeleted).count == fsTruth.fls?.deleted, "deleted entries in \(name)")
            #expect(listed.filter { !$0.isDeleted }.count == fsTruth.fls?.allocated, "allocated entries in \(name)")
            let byPath = Dictionary(grouping: listed, by: \.displayPath)
            for file in fsTruth.files {
                var path = String(file.path.dropFirst())
                if path.hasSuffix("/") { path.removeLast() }
                // FAT overwrites the first byte of a deleted 8.3 name; TSK shows `_`.
                let candidates = byPath[path] ?? byPath[fatDeletedForm(path)] ?? []
                let match = candidates.first { $0.isDeleted == file.deleted }
                #expect(match != nil, "\(name) @\(fsTruth.offset_sectors): \(file.path) (deleted: \(file.deleted)) not listed as such")
                if let match, let size = file.size, !file.deleted, file.type == "file" {
                    #expect(match.size == size, "size of \(file.path)")
                }
            }
        }
    }

    /// `dir/_ame.txt` for `dir/name.txt`, and the same for every component (deleted directories).
    func fatDeletedForm(_ path: String) -> String {
        path.split(separator: "/").map { "_" + $0.dropFirst() }.joined(separator: "/")
    }
}
