@testable import Carving
import ExhumeTestSupport
import Testing

struct TypeIdentifierTests {
    let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]
        + [UInt8](repeating: 0, count: 64)
    let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        + [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89]

    func identify(_ bytes: [UInt8], _ name: String) throws -> ContentType {
        let identifier = try TypeIdentifier()
        return bytes.withUnsafeBytes { identifier.identify(head: $0, name: Array(name.utf8)) }
    }

    @Test func jpegNamedJpgIsFine() throws {
        let type = try identify(jpeg, "holiday.JPG")
        #expect(type.mime == "image/jpeg")
        #expect(type.description.contains("JPEG"))
        #expect(!type.extensionMismatch)
    }

    @Test(arguments: ["kernel32.dll", "notes.txt", "archive.zip", "noextension", "photo.png", "weird.qqq"])
    func jpegHiddenBehindAnotherNameIsFlagged(name: String) throws {
        #expect(try identify(jpeg, name).extensionMismatch)
    }

    @Test func pngNamedJpgIsFlagged() throws {
        let type = try identify(png, "image.jpg")
        #expect(type.mime == "image/png")
        #expect(type.extensionMismatch)
    }

    @Test func textNamedJpgIsFlaggedButTextNamedTxtIsNot() throws {
        let text = Array("This is not a picture at all, just some words.\n".utf8)
        #expect(try identify(text, "file3.jpg").extensionMismatch)
        #expect(try !identify(text, "readme.txt").extensionMismatch)
    }

    @Test func unknownDataIsNeverAMismatch() throws {
        // Seeded: libmagic sees a weak signature in some random blocks (an MPEG-4 LATM
        // sync word at the start reads as audio), which is then a fair mismatch to flag.
        var generator = SeededGenerator(seed: 42)
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let type = try identify(noise, "file4.jpg")
        #expect(type.mime == "application/octet-stream")
        #expect(!type.extensionMismatch)
    }

    @Test func extensionParsing() {
        #expect(ExtensionTable.extensionOf(Array("a.tar.GZ".utf8)) == "gz")
        #expect(ExtensionTable.extensionOf(Array(".bashrc".utf8)) == nil)
        #expect(ExtensionTable.extensionOf(Array("trailing.".utf8)) == nil)
        #expect(ExtensionTable.extensionOf([0x61, 0x2E, 0xFF]) == nil)
    }
}
