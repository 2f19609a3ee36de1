import ExhumeKit
import ExhumeTestSupport
import Foundation
import SleuthKit
import Testing

/// The unallocated blocks we carve are exactly those `blkls` lists.
struct UnallocatedSpaceTests {
    static let fixtureImages = ["fat16.raw", "ext4.raw", "ntfs.raw", "mbr.raw", "gpt.raw"]

    static func check(_ path: String) throws {
        let exam = try Examination(path: path)
        for mounted in exam.fileSystems where mounted.poolVolume == nil {
            let (extents, error) = mounted.fileSystem.unallocatedExtents()
            #expect(error == nil)
            let blockSize = Int64(mounted.info.blockSize)
            var ours = Set<Int64>()
            for extent in extents {
                #expect(extent.offset % blockSize == mounted.info.byteOffset % blockSize)
                let first = (extent.offset - mounted.info.byteOffset) / blockSize
                for block in first..<(first + extent.length / blockSize) { ours.insert(block) }
            }
            let blkls = try Oracle.run("blkls", ["-l", "-o", "\(mounted.info.sectorOffset)", path])
            let theirs = Set(blkls.text.split(separator: "\n").compactMap { line -> Int64? in
                let parts = line.split(separator: "|")
                guard parts.count == 2, parts[1] == "f" else { return nil }
                return Int64(parts[0])
            })
            #expect(!theirs.isEmpty || ours.isEmpty)
            #expect(ours == theirs, "\(path) @\(mounted.info.sectorOffset): \(ours.count) blocks vs blkls \(theirs.count)")
        }
        // Regions never overlap and stay inside the image.
        let regions = exam.carveRegions().regions
        for (a, b) in zip(regions, regions.dropFirst()) { #expect(a.extent.end <= b.extent.offset) }
        #expect(regions.allSatisfy { $0.extent.offset >= 0 && $0.extent.end <= exam.source.size })
    }

    @Test(arguments: fixtureImages)
    func fixture(name: String) throws {
        try Self.check(try Fixtures.path(name))
    }

    @Test(.enabled(if: Locations.corpus != nil, Comment(rawValue: Locations.corpusMissing)),
          arguments: ["dftt06-fat-undel.dd", "dftt08-jpeg-search.dd", "dfvfs-mbr.raw", "tsk-imageformat_mmls_1.E01", "dfvfs-hfsplus.raw"])
    func corpus(name: String) throws {
        try Self.check(try #require(Corpus.entry(named: name)).path)
    }

    @Test func mbrGapsAndTailAreCarved() throws {
        let exam = try Examination(path: try Fixtures.path("mbr.raw"))
        let regions = exam.carveRegions().regions
        // The marker planted at sector 6144, between the partitions, and the free tail after 14336.
        #expect(regions.contains { $0.kind == .unpartitioned && $0.extent.offset <= 6144 * 512 && $0.extent.end > 6144 * 512 })
        #expect(regions.contains { $0.kind == .unpartitioned && $0.extent.end == exam.source.size })
        let whole = exam.carveRegions(allSpace: true).regions
        #expect(whole.count == 1 && whole[0].extent.length == exam.source.size)
    }
}

/// File slack equals what `icat -s` adds to `icat` for every allocated file.
struct SlackSpaceTests {
    @Test(arguments: ["ext4.raw", "fat16.raw"])
    func slackMatchesIcat(name: String) throws {
        let path = try Fixtures.path(name)
        let exam = try Examination(path: path)
        let mounted = try #require(exam.fileSystems.first)
        let (extents, error) = mounted.fileSystem.slackExtents()
        #expect(error == nil)
        var expected: Int64 = 0
        var seen = Set<UInt64>()
        mounted.fileSystem.walk { entry in
            guard !entry.isDeleted, entry.isMetaAllocated, entry.metaType == .regular, entry.streamName == nil,
                  seen.insert(entry.metaAddress).inserted else { return true }
            let plain = (try? Oracle.run("icat", [path, "\(entry.metaAddress)"]).stdout.count) ?? 0
            let withSlack = (try? Oracle.run("icat", ["-s", path, "\(entry.metaAddress)"]).stdout.count) ?? 0
            expected += Int64(withSlack - plain)
            return true
        }
        #expect(expected > 0)
        #expect(extents.reduce(0) { $0 + $1.length } == expected)
        let regions = exam.carveRegions(slack: true).regions
        #expect(regions.filter { $0.kind == .slack }.reduce(0) { $0 + $1.extent.length } == expected)
    }
}
