import ExhumeTestSupport
import Foundation
import Hashing
import Testing
@testable import ExhumeKit

/// `scan --export hits` writes each hit from the bytes its lane held while the
/// item was hashed: no second read, unless a hit is bigger than the budget.
@Suite(.serialized)
struct HitExportTests {
    /// Scans `image` into a new case with a set holding every third file's MD5.
    func scan(_ image: String, hold: Int, in dir: URL, label: String) throws -> (ScanJob.ImageSummary, [String]) {
        let list = dir.appendingPathComponent("set.md5"), index = dir.appendingPathComponent("set.idx")
        if !FileManager.default.fileExists(atPath: index.path) {
            let hashed = try Oracle.exhume(["hash", image, "--format", "md5sum"])
            let lines = hashed.text.split(separator: "\n").enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
            try (lines.joined(separator: "\n") + "\n").write(to: list, atomically: true, encoding: .utf8)
            #expect(try Oracle.exhume(["hashset", "import", list.path, "--out", index.path, "--known-bad"]).status == 0)
        }
        var options = ScanJob.Options()
        options.hashSets = try HashSetLibrary(specs: [index.path])
        options.export = .hits
        options.hitHoldBytes = hold
        let folder = dir.appendingPathComponent(label)
        let summary = try ScanJob(caseFolder: folder, options: options).run(images: [image], toolVersion: "test", commandLine: label)[0]
        let root = folder.appendingPathComponent("export")
        let files = EvidenceFilesList.regularFiles(below: root).sorted().map { relative -> String in
            let data = (try? Data(contentsOf: root.appendingPathComponent(relative))) ?? Data()
            return "\(relative) \(Digests.hex(Array(data)))"
        }
        return (summary, files)
    }

    @Test(arguments: ["ntfs.raw", "fat16.raw"])
    func hitsAreWrittenFromTheOneRead(_ name: String) throws {
        let dir = try Locations.temporaryDirectory("hitexport")
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = try Fixtures.path(name)
        let (held, heldFiles) = try scan(image, hold: 64 << 20, in: dir, label: "held")
        let (again, againFiles) = try scan(image, hold: 0, in: dir, label: "again")
        #expect(held.hits > 2)
        #expect(held.exported == held.hits)
        #expect(held.hitsReadAgain == 0, "every hit was written from the bytes its lane held")
        #expect(again.hitsReadAgain > 0 && again.hitsReadAgain <= again.hits, "no room: every hit with content read again")
        #expect(heldFiles.count == held.exported)
        #expect(heldFiles == againFiles)
        #expect(held.exported == again.exported)
    }
}

/// Relative paths of the regular files below a folder.
enum EvidenceFilesList {
    static func regularFiles(below root: URL) -> [String] {
        guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        let prefix = root.standardizedFileURL.path + "/"
        return walk.compactMap { element -> String? in
            guard let url = element as? URL, (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
            else { return nil }
            return String(url.standardizedFileURL.path.dropFirst(prefix.count))
        }
    }
}
