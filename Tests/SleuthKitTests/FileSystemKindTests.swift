import Evidence
import ExhumeTestSupport
@testable import SleuthKit
import Testing

struct FileSystemKindTests {
    /// The groupings are TSK's own macros: exFAT counts as FAT, as it does for TSK.
    @Test func groupsFollowTSK() {
        #expect(Set(FileSystemKind.allCases.filter(\.isFAT)) == [.fat12, .fat16, .fat32, .exfat])
        #expect(FileSystemKind.allCases.filter(\.isNTFS) == [.ntfs])
        for kind in FileSystemKind.allCases where kind != .unknown {
            #expect(FileSystemKind(kind.tskType) == kind)
        }
    }

    /// The kind of each fixture's file system agrees with TSK's type name.
    @Test func fixturesHaveTheirKinds() throws {
        let expected: [String: FileSystemKind] = ["fat16.raw": .fat16, "ntfs.raw": .ntfs, "ext4.raw": .ext4]
        for (name, kind) in expected {
            let image = try DiskImage(source: try Image.open(try Fixtures.path(name)))
            let fs = try FileSystem(image: image, sectorOffset: 0)
            #expect(fs.info.kind == kind, "\(name)")
            #expect(fs.info.type == kind.rawValue, "\(name)")
        }
    }
}
