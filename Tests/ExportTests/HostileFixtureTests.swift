import ExhumeTestSupport
import Foundation
import Testing
import Export

/// The vectors in `HostileFixture` are the names `make-fixtures.sh` put into `hostile.raw`:
/// checked against `manifest.json`'s `hostile[]` (raw name bytes as hex, digests), so the
/// unit tests and the image cannot drift apart.
struct HostileFixtureTests {
    struct Manifest: Decodable { var hostile: [Image] }
    struct Image: Decodable { var name: String; var filesystems: [FS] }
    struct FS: Decodable { var files: [File] }
    struct File: Decodable { var path_hex: String; var name_hex: String; var deleted: Bool; var type: String; var size: Int }

    @Test func vectorsMatchTheManifest() throws {
        let data = try Data(contentsOf: Locations.fixtures.appendingPathComponent("manifest.json"))
        let manifest = try JSONDecoder().decode(Manifest.self, from: data)
        let image = try #require(manifest.hostile.first { $0.name == "hostile.raw" })
        let files = try #require(image.filesystems.first).files
        #expect(files.count == HostileFixture.entries.count)
        for (file, entry) in zip(files, HostileFixture.entries) {
            let path = entry.components.map { $0 }.joined(separator: [0x2F])
            #expect(file.path_hex == hex(Array(path)), "\(entry)")
            #expect(file.name_hex == hex(entry.components.last!))
            #expect(file.deleted == entry.deleted)
            #expect(file.type == (entry.isSymlink ? "symlink" : "file"))
            #expect(file.size == entry.content.count)
        }
    }

    func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
