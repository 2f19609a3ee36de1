import Evidence
import ExhumeTestSupport
import Foundation
@testable import SleuthKit
import Testing

@Suite(.enabled(if: Locations.corpus != nil, Comment(rawValue: Locations.corpusMissing)))
struct SleuthKitCorpusTests {
    let corpus = Locations.corpus!

    func open(_ name: String) throws -> DiskImage {
        try DiskImage(source: try Image.open(corpus.appendingPathComponent(name).path))
    }

    func entries(_ fs: FileSystem) -> [FileEntry] {
        var all: [FileEntry] = []
        fs.walk { all.append($0); return true }
        return all
    }

    @Test func bareFileSystemHasNoVolumeSystemAndKnownLabel() throws {
        let image = try open("dfvfs-ext2.raw")
        #expect(VolumeSystem.open(image) == nil)
        let fs = try FileSystem(image: image, sectorOffset: 0)
        #expect(fs.info.type == "ext2")
        #expect(fs.describe().label == "ext2_test")
        #expect(fs.info.blockSize == 1024)
        let paths = Set(entries(fs).map(\.displayPath))
        #expect(paths.isSuperset(of: ["a_directory", "a_directory/a_file", "a_directory/another_file", "passwords.txt", "a_link"]))
        let link = try #require(entries(fs).first { $0.displayPath == "a_link" })
        #expect(link.metaType == .symbolicLink)
        #expect(link.linkTarget == Array("a_directory/another_file".utf8))
    }

    @Test func partitionsOfAnExtendedMBR() throws {
        let image = try open("dfvfs-mbr.raw")
        let vs = try #require(VolumeSystem.open(image))
        #expect(vs.typeName == "dos")
        let data = vs.partitions.filter { $0.kind == .allocated }
        #expect(data.map(\.start) == [1, 131])
        #expect(data.map(\.description) == ["Linux (0x83)", "Linux (0x83)"])
        let labels = try data.map { try FileSystem(image: image, sectorOffset: $0.start).describe().label }
        #expect(labels == ["ext3_test", "ext4_test"])
    }

    @Test func ntfsStreamsDeletedFilesAndAddresses() throws {
        let fs = try FileSystem(image: try open("dftt08-jpeg-search.dd"), sectorOffset: 0)
        let all = entries(fs)
        let stream = try #require(all.first { $0.streamName == Array("here".utf8) })
        #expect(stream.displayPath == "misc/file13.dll:here")
        #expect(stream.address == "44-128-5")
        let deleted = all.filter { $0.isDeleted && !$0.isFileNameAttribute }.map(\.displayPath)
        #expect(deleted.contains("del1/file6.jpg"))
        #expect(deleted.contains("del2/file7.hmm"))
        let fileName = try #require(all.first { $0.isFileNameAttribute && $0.displayPath == "alloc/file1.jpg" })
        #expect(fileName.attribute?.type == 48)
        #expect(fileName.fileNameTimes != nil)
    }

    @Test func fatDeletedNamesAndOrphans() throws {
        let fs = try FileSystem(image: try open("dftt06-fat-undel.dd"), sectorOffset: 0)
        let all = entries(fs)
        let deleted = all.filter(\.isDeleted)
        #expect(deleted.contains { $0.displayPath == "_ING.DAT" || $0.displayPath.hasSuffix("ing.dat") })
        #expect(all.contains { $0.nameType == .virtualDirectory && $0.displayPath == "$OrphanFiles" })
    }

    @Test func subSecondTimesAreKept() throws {
        let fs = try FileSystem(image: try open("dftt08-jpeg-search.dd"), sectorOffset: 0)
        let file = try #require(entries(fs).first { $0.displayPath == "alloc/file1.jpg" && !$0.isFileNameAttribute })
        // NTFS stores 100 ns ticks: 2004-06-10T03:27:36.7882128Z.
        #expect(file.times.accessed.seconds == 1_086_838_056)
        #expect(file.times.accessed.nanoseconds == 788_212_800)
    }

    @Test func walkCanStopEarly() throws {
        let fs = try FileSystem(image: try open("dftt08-jpeg-search.dd"), sectorOffset: 0)
        var seen = 0
        let error = fs.walk { _ in seen += 1; return seen < 3 }
        #expect(seen == 3)
        #expect(error == nil)
    }

    @Test func readFailuresBecomeErrorsNamingFileAndOffset() throws {
        let raw = try Image.open(corpus.appendingPathComponent("dfvfs-ext2.raw").path)
        // The superblock lives at byte 1024: fail it, and TSK cannot recognise the file system.
        let faulty = FaultyImageSource(base: raw, failing: [1024..<2048])
        let image = try DiskImage(source: faulty)
        do {
            _ = try FileSystem(image: image, sectorOffset: 0)
            Issue.record("opened a file system whose superblock cannot be read")
        } catch {
            #expect(error.description.contains("dfvfs-ext2.raw"))
        }
    }

    @Test func truncatedMediaStillListsWhatIsReachable() throws {
        let raw = try Image.open(corpus.appendingPathComponent("dfvfs-ext2.raw").path)
        let faulty = FaultyImageSource(base: raw, truncatedTo: 3_000_000)
        let fs = try FileSystem(image: try DiskImage(source: faulty), sectorOffset: 0)
        var count = 0
        _ = fs.walk { _ in count += 1; return true }
        #expect(count == 7)
    }
}
