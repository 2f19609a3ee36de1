import ExhumeTestSupport
import Foundation
import Testing
@testable import Export
#if canImport(Glibc)
import Glibc
#endif

/// Writing below the output root with hostile names. Every test ends by checking that
/// nothing changed outside the root (`Sandbox.assertNothingOutside`) and that the files in
/// the root are exactly the recorded relative paths with their contents.
struct SafeExporterTests {
    func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func hostileFixtureNamesStayInsideTheRoot() throws {
        let box = try Sandbox("fixture")
        let exporter = try SafeExporter(root: box.out)
        var written: [String: [UInt8]] = [:]
        for entry in HostileFixture.entries {
            let record = try exporter.export([bytes("vol1")] + entry.components, entry.content)
            if let expected = entry.expectedOutput {
                #expect(record.relativePath == "vol1/" + expected, "\(entry)")
            } else {
                #expect(record.relativePath.utf8.count <= "vol1/".utf8.count + 255)
                #expect(record.relativePath.hasPrefix("vol1/%25é%25é"))
            }
            #expect(record.size == Int64(entry.content.count))
            #expect(written[record.relativePath] == nil)
            written[record.relativePath] = entry.content
        }
        #expect(box.filesInOut() == written)
        box.assertNothingOutside()
    }

    @Test func dotDotAsADirectoryComponentStaysInside() throws {
        let box = try Sandbox("dotdot-dir")
        let exporter = try SafeExporter(root: box.out)
        let a = try exporter.export([bytes(".."), bytes(".."), bytes("x")], bytes("a"))
        let b = try exporter.export([bytes("."), bytes(""), bytes("y")], bytes("b"))
        let c = try exporter.export([bytes("../../l1"), bytes("passwd")], bytes("c"))
        #expect(a.relativePath == "%2E%2E/%2E%2E/x")
        #expect(b.relativePath == "%2E/%empty/y")
        #expect(c.relativePath == "..%2F..%2Fl1/passwd")
        #expect(box.filesInOut() == [a.relativePath: bytes("a"), b.relativePath: bytes("b"), c.relativePath: bytes("c")])
        box.assertNothingOutside()
    }

    @Test func twoEntriesWithTheSameOutputNameBothSurvive() throws {
        let box = try Sandbox("collide")
        let exporter = try SafeExporter(root: box.out)
        let first = try exporter.export("vol2/_ILE.TXT", "one")
        let second = try exporter.export("vol2/_ILE.TXT", "two")
        let third = try exporter.export("vol2/_ILE.TXT", "three")
        let real = try exporter.export("vol2/_ILE~2.TXT", "real")
        let noExt = try exporter.export("vol2/.profile", "p1")
        let noExt2 = try exporter.export("vol2/.profile", "p2")
        #expect([first, second, third, real, noExt, noExt2].map(\.relativePath) ==
                ["vol2/_ILE.TXT", "vol2/_ILE~2.TXT", "vol2/_ILE~3.TXT", "vol2/_ILE~2~2.TXT", "vol2/.profile", "vol2/.profile~2"])
        #expect(box.filesInOut() == ["vol2/_ILE.TXT": bytes("one"), "vol2/_ILE~2.TXT": bytes("two"), "vol2/_ILE~3.TXT": bytes("three"),
                                     "vol2/_ILE~2~2.TXT": bytes("real"), "vol2/.profile": bytes("p1"), "vol2/.profile~2": bytes("p2")])
        box.assertNothingOutside()
    }

    @Test func a255ByteNameThatCollidesStillFits() throws {
        let box = try Sandbox("long-collide")
        let exporter = try SafeExporter(root: box.out)
        let name = String(repeating: "é", count: 125) + ".txt"           // 254 bytes
        let a = try exporter.export([bytes(name)], bytes("a"))
        let b = try exporter.export([bytes(name)], bytes("b"))
        let long = [UInt8](repeating: 0x6E, count: 300)
        let c = try exporter.export([long], bytes("c"))
        let d = try exporter.export([long], bytes("d"))
        #expect(a.relativePath == name)
        #expect(b.relativePath.utf8.count <= 255 && b.relativePath.hasSuffix("~2.txt"))
        #expect(String(validating: Array(b.relativePath.utf8), as: UTF8.self) != nil)
        #expect(c.relativePath.utf8.count == 255 && d.relativePath.hasSuffix("~2"))
        #expect(box.filesInOut() == [a.relativePath: bytes("a"), b.relativePath: bytes("b"),
                                     c.relativePath: bytes("c"), d.relativePath: bytes("d")])
        box.assertNothingOutside()
    }

    @Test func aSymlinkPlantedInTheOutputTreeIsNotFollowed() throws {
        let box = try Sandbox("symlink")
        try FileManager.default.createDirectory(atPath: box.out, withIntermediateDirectories: true)
        #expect(symlink(box.elsewhere, box.out + "/vol1") == 0)
        box.snapshotNow()
        let exporter = try SafeExporter(root: box.out, force: true)
        let error = #expect(throws: ExportError.self) { try exporter.export("vol1/x", "secret") }
        #expect(error?.code == .symlinkInPath)
        #expect(error?.path == box.out + "/vol1")
        #expect(error?.description.contains("vol1") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: box.elsewhere).isEmpty)
        #expect(box.filesInOut() == ["vol1": bytes("-> " + box.elsewhere)])
        box.assertNothingOutside()
    }

    @Test func aSymlinkPlantedWhereAFileGoesIsNotFollowed() throws {
        let box = try Sandbox("symlink-file")
        try FileManager.default.createDirectory(atPath: box.out + "/vol1", withIntermediateDirectories: true)
        #expect(symlink(box.elsewhere + "/target.txt", box.out + "/vol1/x.txt") == 0)
        #expect(symlink("../../../passwd", box.out + "/vol1/y.txt") == 0)
        box.snapshotNow()
        let exporter = try SafeExporter(root: box.out, force: true)
        let x = try exporter.export("vol1/x.txt", "x")
        let y = try exporter.export("vol1/y.txt", "y")
        #expect(x.relativePath == "vol1/x~2.txt")
        #expect(y.relativePath == "vol1/y~2.txt")
        #expect(!FileManager.default.fileExists(atPath: box.elsewhere + "/target.txt"))
        #expect(box.filesInOut() == ["vol1/x.txt": bytes("-> " + box.elsewhere + "/target.txt"),
                                     "vol1/y.txt": bytes("-> ../../../passwd"),
                                     "vol1/x~2.txt": bytes("x"), "vol1/y~2.txt": bytes("y")])
        box.assertNothingOutside()
    }

    @Test func anExistingFileIsNeverOverwritten() throws {
        let box = try Sandbox("existing")
        try FileManager.default.createDirectory(atPath: box.out + "/vol1", withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: box.out + "/vol1/a.txt"))
        let exporter = try SafeExporter(root: box.out, force: true)
        let record = try exporter.export("vol1/a.txt", "new")
        #expect(record.relativePath == "vol1/a~2.txt")
        #expect(box.filesInOut() == ["vol1/a.txt": bytes("keep"), "vol1/a~2.txt": bytes("new")])
        box.assertNothingOutside()
    }

    @Test func aDirectoryWhereAFileWasWrittenGetsASuffix() throws {
        let box = try Sandbox("file-then-dir")
        let exporter = try SafeExporter(root: box.out)
        let file = try exporter.export("vol1/d", "file d")
        let f = try exporter.export("vol1/d/f", "f")
        let g = try exporter.export("vol1/d/g", "g")
        let file2 = try exporter.export("vol1/d", "second file d")
        #expect([file, f, g, file2].map(\.relativePath) == ["vol1/d", "vol1/d~2/f", "vol1/d~2/g", "vol1/d~3"])
        #expect(box.filesInOut() == ["vol1/d": bytes("file d"), "vol1/d~2/f": bytes("f"), "vol1/d~2/g": bytes("g"),
                                     "vol1/d~3": bytes("second file d")])
        box.assertNothingOutside()
    }

    @Test func aFIFOWhereADirectoryIsNeededIsAnError() throws {
        let box = try Sandbox("fifo")
        try FileManager.default.createDirectory(atPath: box.out, withIntermediateDirectories: true)
        #expect(mkfifo(box.out + "/vol1", 0o600) == 0)
        let exporter = try SafeExporter(root: box.out, force: true)
        let error = #expect(throws: ExportError.self) { try exporter.export("vol1/x", "x") }
        #expect(error?.code == .notADirectory)
        #expect(error?.path == box.out + "/vol1")
        box.assertNothingOutside()
    }

    @Test func anOutputFolderInsideTheEvidenceFolderIsRefused() throws {
        let box = try Sandbox("evidence")
        let evidenceDir = box.base + "/l1/l2/evidence"
        try FileManager.default.createDirectory(atPath: evidenceDir, withIntermediateDirectories: true)
        try Data("image".utf8).write(to: URL(fileURLWithPath: evidenceDir + "/image.raw"))
        #expect(symlink(evidenceDir, box.base + "/l1/l2/shortcut") == 0)
        box.snapshotNow()
        for root in [evidenceDir + "/out", evidenceDir, evidenceDir + "/a/b", box.base + "/l1/l2/shortcut/out",
                     evidenceDir + "/../evidence/out"] {
            let error = #expect(throws: ExportError.self) {
                _ = try SafeExporter(root: root, evidence: [evidenceDir + "/image.raw"])
            }
            #expect(error?.code == .outputInsideEvidence, "\(root)")
            #expect(error?.description.contains("evidence folder") == true)
        }
        box.assertNothingOutside()                                          // nothing was created
        // beside the evidence folder is fine, and force overrides
        _ = try SafeExporter(root: box.out, evidence: [evidenceDir + "/image.raw"])
        _ = try SafeExporter(root: evidenceDir + "/forced", evidence: [evidenceDir + "/image.raw"], force: true)
        #expect(FileManager.default.fileExists(atPath: evidenceDir + "/forced"))
    }

    @Test func aNonEmptyOutputFolderIsRefusedWithoutForce() throws {
        let box = try Sandbox("non-empty")
        try FileManager.default.createDirectory(atPath: box.out, withIntermediateDirectories: true)
        _ = try SafeExporter(root: box.out)                               // empty: fine
        try Data("old".utf8).write(to: URL(fileURLWithPath: box.out + "/.old"))
        let error = #expect(throws: ExportError.self) { _ = try SafeExporter(root: box.out) }
        #expect(error?.code == .outputNotEmpty)
        #expect(error?.path == box.out)
        let forced = try SafeExporter(root: box.out, force: true)
        let record = try forced.export(".old", "new")
        #expect(record.relativePath == ".old~2")
        #expect(box.filesInOut() == [".old": bytes("old"), ".old~2": bytes("new")])
        // a file where the root should be
        try Data("x".utf8).write(to: URL(fileURLWithPath: box.base + "/l1/l2/sibling/file"))
        box.snapshotNow()
        let notDir = #expect(throws: ExportError.self) {
            _ = try SafeExporter(root: box.base + "/l1/l2/sibling/file", force: true)
        }
        #expect(notDir?.code == .notADirectory)
        box.assertNothingOutside()
    }

    @Test func diskFullRemovesThePartialFile() throws {
        let box = try Sandbox("enospc")
        let exporter = try SafeExporter(root: box.out)
        let file = try exporter.create(components: [bytes("vol1"), bytes("big.bin")])
        try file.write([UInt8](repeating: 7, count: 1000))
        let full = open("/dev/full", O_WRONLY)
        try #require(full >= 0)
        defer { close(full) }
        #expect(dup2(full, file.fd) == file.fd)                           // every later write: ENOSPC
        let error = #expect(throws: ExportError.self) { try file.write([UInt8](repeating: 8, count: 10)) }
        #expect(error?.code == .noSpace)
        #expect(error?.errno == ENOSPC)
        #expect(error?.path == box.out + "/vol1/big.bin")
        #expect(error?.description.contains("No space left on device") == true)
        #expect(error?.description.contains("partial file removed") == true)
        #expect(throws: ExportError.self) { _ = try file.finish() }         // never claimed complete
        #expect(box.filesInOut().isEmpty)
        box.assertNothingOutside()
    }

    @Test func abandonedAndDroppedFilesAreRemoved() throws {
        let box = try Sandbox("abandon")
        let exporter = try SafeExporter(root: box.out)
        let a = try exporter.create(components: [bytes("a.bin")])
        try a.write(bytes("partial"))
        a.abandon()
        do {
            let b = try exporter.create(components: [bytes("b.bin")])
            try b.write(bytes("partial"))
        }                                                                   // dropped without finish()
        let c = try exporter.export("c.bin", "done")
        #expect(box.filesInOut() == [c.relativePath: bytes("done")])
        let error = #expect(throws: ExportError.self) { try a.write(bytes("more")) }
        #expect(error?.code == .fileClosed)
        #expect(throws: ExportError.self) { _ = try exporter.create(components: []) }
        box.assertNothingOutside()
    }

    @Test func chunksAreStreamedInOrder() throws {
        let box = try Sandbox("chunks")
        let exporter = try SafeExporter(root: box.out)
        let file = try exporter.create(components: [bytes("vol1"), bytes("stream.bin")])
        var expected: [UInt8] = []
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<50 {
            let chunk = (0..<Int(rng.next() % 70_000)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            try chunk.withUnsafeBytes { try file.write($0) }
            expected += chunk
        }
        let record = try file.finish()
        #expect(record == ExportRecord(relativePath: "vol1/stream.bin", size: Int64(expected.count)))
        #expect(box.filesInOut() == ["vol1/stream.bin": expected])
        box.assertNothingOutside()
    }
}
