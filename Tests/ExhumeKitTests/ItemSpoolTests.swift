import ExhumeTestSupport
import Foundation
import SleuthKit
import Testing
@testable import ExhumeKit

/// The spooled listing must give exactly the in-memory listing's items, in
/// the same order, whether its records stay in memory or go to a file.
struct ItemSpoolTests {
    /// Everything an item carries, for comparison (`ContentItem` is not Equatable).
    struct Seen: Equatable {
        var sequence: Int
        var fileSystem: Int?
        var entry: FileEntry?
        var parentComponents: [[UInt8]]?
        var ref: ContentRef?
        var source: ItemSource
        var provenance: Provenance

        init(_ item: ContentItem) {
            provenance = item.provenance
            sequence = item.sequence
            fileSystem = item.fileSystem
            entry = item.entry
            parentComponents = item.entry?.parentComponents
            if case .file(_, _, let ref) = item.origin { self.ref = ref }
            source = item.source
        }
    }

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("exhume-spool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test(arguments: ["ntfs.raw", "fat16.raw", "ext4.raw", "hostile.raw", "mbr.E01"])
    func theSpoolListsWhatTheListingDoesInTheSameOrder(_ name: String) throws {
        let exam = try Examination(path: try Fixtures.path(name), requireFileSystem: false)
        let pipeline = ContentPipeline(exam: exam)
        let selection = ItemSelection(allocation: .all)
        let (listed, listingIssues) = pipeline.items(selection)
        #expect(!listed.isEmpty, "\(name) has items")
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for spillAbove in [0, 300, 32 << 20] {
            let (spool, issues) = pipeline.spool(selection, directory: folder, spillAbove: spillAbove)
            #expect(issues.count == listingIssues.count)
            if spillAbove == 0 { #expect(spool.isSpilled, "\(name): a file from the first record") }
            if spillAbove == 32 << 20 { #expect(!spool.isSpilled, "\(name): a small listing stays in memory") }
            #expect(spool.count == listed.count)
            #expect(spool.totalSize == listed.reduce(0) { $0 + max(0, $1.size) })
            // Twice: a spool can be read more than once.
            for _ in 0..<2 {
                #expect(spool.map(Seen.init) == listed.map(Seen.init), "\(name), spill above \(spillAbove)")
            }
            #expect(spool.failure == nil)
            // The temporary file is unlinked as soon as it is made: nothing is left in the folder.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        }
    }

    @Test func withNowhereToSpillTheItemsStayInMemory() throws {
        let exam = try Examination(path: try Fixtures.path("ntfs.raw"), requireFileSystem: false)
        let pipeline = ContentPipeline(exam: exam)
        let (listed, _) = pipeline.items(ItemSelection(allocation: .all))
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("exhume-no-such-folder-\(UUID().uuidString)")
        for directory in [missing, nil] {
            let (spool, _) = pipeline.spool(ItemSelection(allocation: .all), directory: directory, spillAbove: 0)
            #expect(!spool.isSpilled)
            #expect(spool.map(Seen.init) == listed.map(Seen.init))
        }
    }

    @Test func aTemporaryDiskThatFillsUpPartWayLosesNothing() throws {
        let exam = try Examination(path: try Fixtures.path("ntfs.raw"), requireFileSystem: false)
        let (listed, _) = ContentPipeline(exam: exam).items(ItemSelection(allocation: .all))
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Room for no record, for some, for all.
        for capacity: Int64 in [0, 700, 1 << 30] {
            let spool = ItemSpool(directory: folder, places: exam.places, spillAbove: 0)
            spool.scratchCapacity = capacity
            for item in listed {
                guard case .file(let index, let entry, let ref) = item.origin else { continue }
                spool.append(fileSystem: index, entry: entry, ref: ref, source: item.source)
            }
            spool.finishListing()
            #expect(spool.isSpilled == (capacity == 1 << 30), "capacity \(capacity)")
            #expect(spool.map(Seen.init) == listed.map(Seen.init), "capacity \(capacity)")
            #expect(spool.failure == nil)
        }
    }

    @Test func everyFieldSurvivesTheRecord() {
        let times = MACBTimes(modified: Timestamp(seconds: -5, nanoseconds: 7), accessed: Timestamp(seconds: Int64.max),
                              changed: Timestamp(seconds: 1), created: Timestamp(seconds: 0, nanoseconds: 999_999_999))
        var full = FileEntry(parentPath: Array("a/\u{1}b/".utf8), name: [0x2E, 0x2E, 0x2F, 0x00, 0xFF, 0x0A],
                             metaAddress: UInt64.max, attribute: AttributeID(type: 128, id: 3),
                             streamName: Array("ads:x".utf8), isFileNameAttribute: true, nameType: .virtualDirectory,
                             metaType: .symbolicLink, isDeleted: true, isMetaAllocated: true, hasMetadata: true,
                             size: Int64.max, uid: UInt32.max, gid: 7, mode: 0o4755, lsMode: "lrwsr-xr-x",
                             times: times, fileNameTimes: .unset, linkTarget: Array("/etc/passwd".utf8),
                             content: ContentRef(metaAddress: 9, attribute: nil, firstBlock: 0, size: 0, contiguous: true))
        full.parentComponents = [Array("a".utf8), [0x01, 0x62], []]
        let bare = FileEntry(parentPath: [], name: [], metaAddress: 0, attribute: nil, streamName: nil,
                             isFileNameAttribute: false, nameType: .undefined, metaType: nil, isDeleted: false,
                             isMetaAllocated: false, hasMetadata: false, size: -1, uid: 0, gid: 0, mode: 0, lsMode: "",
                             times: .unset, fileNameTimes: nil, linkTarget: nil)
        let refs = [ContentRef(metaAddress: 1, attribute: AttributeID(type: 128, id: 0), firstBlock: UInt64.max, size: 5),
                    ContentRef(metaAddress: 0, attribute: nil, firstBlock: nil, size: 0)]
        let places = (0...3).map {
            Provenance.Place(image: "evidence.E01", volumeSlot: $0 == 3 ? nil : $0, sectorOffset: UInt64($0) * 2048,
                             fileSystemType: "ntfs", poolVolume: $0 == 2 ? 1 : nil)
        }
        for (entry, ref, source) in [(full, refs[0], ItemSource.stream), (bare, refs[1], .orphan), (full, refs[1], .deleted)] {
            var writer = RecordWriter(bytes: [])
            writer.item(fileSystem: 3, entry: entry, ref: ref, source: source)
            let record = writer.bytes
            let item = record.withUnsafeBytes { bytes -> ContentItem? in
                var reader = RecordReader(bytes)
                return reader.item(places: places)
            }
            #expect(item.map(Seen.init) == Seen(ContentItem(sequence: 0, fileSystem: 3, place: places[3], entry: entry, ref: ref, source: source)))
            // A record cut short, or with bytes after it, does not decode (and does not crash).
            for cut in [0, 1, record.count / 2, record.count - 1] {
                let shorter = Array(record[0..<cut])
                #expect(shorter.withUnsafeBytes { bytes -> ContentItem? in
                    var reader = RecordReader(bytes)
                    return reader.item(places: places)
                } == nil, "cut at \(cut)")
            }
            #expect((record + [0]).withUnsafeBytes { bytes -> ContentItem? in
                var reader = RecordReader(bytes)
                return reader.item(places: places)
            } == nil)
        }
    }
}
