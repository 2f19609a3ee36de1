import ExhumeTestSupport
import Foundation
import SleuthKit
import Testing
@testable import ExhumeKit

/// The provenance key is what a case recognises items by across runs: it must
/// not change for items of the image itself, and items found inside others
/// must get keys of their own.
struct ProvenanceTests {
    /// The key as every release before `Provenance` wrote it (`ScanRecords.key`, 916a19c).
    static func releasedKey(_ item: ContentItem, in exam: Examination) -> String {
        switch item.origin {
        case .file(let index, let entry, let ref):
            let mounted = exam.fileSystems[index]
            var key = "fs@\(mounted.info.sectorOffset)"
            if let volume = mounted.poolVolume { key += "/pool\(volume.index)" }
            key += "/\(entry.address)"
            if ref.attribute == nil, entry.attribute != nil { key += "/default" }
            key += "/" + (entry.parentPath + [0x2F] + entry.name).map { String(format: "%02x", $0) }.joined()
            return key
        case .carved(let extent):
            return "carved@\(extent.offset)"
        }
    }

    @Test(arguments: ["ntfs.raw", "fat16.raw", "ext4.raw", "hostile.raw", "mbr.E01", "gpt.raw"])
    func keysAreThoseOfEarlierReleases(_ name: String) throws {
        let exam = try Examination(path: try Fixtures.path(name), requireFileSystem: false)
        let (items, _) = ContentPipeline(exam: exam).items(ItemSelection(allocation: .all))
        #expect(!items.isEmpty)
        var keys = Set<String>()
        for item in items {
            #expect(item.provenance.key == Self.releasedKey(item, in: exam))
            #expect(item.provenance.image == exam.source.path)
            #expect(item.provenance.parent == nil)
            keys.insert(item.provenance.key)
        }
        #expect(keys.count == items.count, "keys are unique within an image")
    }

    @Test func aFileSystemPlaceNamesItsPartition() throws {
        let exam = try Examination(path: try Fixtures.path("mbr.E01"))
        for mounted in exam.fileSystems {
            let place = mounted.place(image: exam.source.path)
            #expect(place.volumeSlot == mounted.partition?.slot)
            #expect(place.sectorOffset == mounted.info.sectorOffset)
            #expect(place.fileSystemType == mounted.info.type)
        }
    }

    @Test func carvedAndContainedItemsHaveKeysOfTheirOwn() {
        let extent = CarvedExtent(offset: 12_345, length: 99, rule: "jpeg", fileExtension: "jpg", complete: true,
                                  region: .unallocated)
        let carved = ContentItem(sequence: 0, carved: extent, image: "/evidence/disk.E01")
        #expect(carved.provenance.key == "carved@12345")
        #expect(carved.provenance.imageOffset == 12_345)
        #expect(carved.provenance.description == "/evidence/disk.E01: carved@12345")
        var member = carved.provenance
        member.parent = Provenance.Parent(key: "fs@2048/64-128-2/2f61", path: Array("a/b.jpg".utf8))
        #expect(member.key == "fs@2048/64-128-2/2f61>612f622e6a7067")
        member.parent = Provenance.Parent(key: "fs@2048/64-128-2/2f61", offset: 1_572)
        #expect(member.key == "fs@2048/64-128-2/2f61>@1572")
        #expect(member != carved.provenance)
    }
}
