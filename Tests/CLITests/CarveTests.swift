import ExhumeTestSupport
import Foundation
import Testing

/// `exhume carve` on images with planted media: every planted file found
/// byte-exact, truncated ones as partial, decoys rejected.
@Suite(.serialized)
struct CarveTests {
    static let samples = Locations.packageRoot.appendingPathComponent("Tests/CarvingTests/Samples")
    static let planted = ["baseline.jpg", "progressive.jpg", "exif-thumb.jpg", "image.png", "doc.pdf", "incremental.pdf",
                          "archive.zip", "video.mp4", "video.mov", "multipage.tif", "image.webp", "image.bmp"]

    func sha256(_ data: Data) throws -> String {
        let dir = try Locations.temporaryDirectory("sha")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("x")
        try data.write(to: file)
        return String(try Oracle.run("sha256sum", [file.path]).text.prefix(64))
    }

    @Test func plantedMediaAreCarvedExactly() throws {
        var generator = SeededGenerator(seed: 7)
        var image = Data((0..<(4 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        var expected: [Int: Data] = [:]
        var offset = 8 * 512
        for (index, name) in Self.planted.enumerated() {
            let bytes = try Data(contentsOf: Self.samples.appendingPathComponent(name))
            image.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
            expected[offset] = bytes
            // Next one: sector-aligned, sometimes right after the previous file (no gap), sometimes 4 KiB-aligned.
            let end = offset + bytes.count
            offset = index % 3 == 0 ? (end + 511) / 512 * 512 : (end + 4096 + 4095) / 4096 * 4096 + (index % 2) * 512
        }
        // Decoys: bare headers in noise, and a PNG cut short at the end of the image.
        for decoy in [[0xFF, 0xD8, 0xFF, 0xE0], Array("%PDF-1.4\n".utf8), [0x50, 0x4B, 0x03, 0x04]] as [[UInt8]] {
            image.replaceSubrange(offset..<(offset + decoy.count), with: decoy)
            offset += 8192
        }
        let png = try Data(contentsOf: Self.samples.appendingPathComponent("image.png"))
        let cut = image.count - png.count / 2
        let partialOffset = cut / 512 * 512
        image.replaceSubrange(partialOffset..<image.count, with: png.prefix(image.count - partialOffset))

        let dir = try Locations.temporaryDirectory("carve")
        defer { try? FileManager.default.removeItem(at: dir) }
        let imagePath = dir.appendingPathComponent("evidence/planted.raw")
        try FileManager.default.createDirectory(at: imagePath.deletingLastPathComponent(), withIntermediateDirectories: true)
        try image.write(to: imagePath)
        let out = dir.appendingPathComponent("out")
        let run = try Oracle.exhume(["carve", imagePath.path, "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")

        let rows = try Data(contentsOf: out.appendingPathComponent("manifest.jsonl")).split(separator: 0x0A)
            .map { try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]) }
        for key in ["source", "offset", "length", "rule", "verdict", "mime", "md5", "sha1", "sha256", "hits", "exported"] {
            #expect(rows.allSatisfy { $0.keys.contains(key) }, "missing \(key)")
        }
        #expect(rows.allSatisfy { $0["source"] as? String == "carved" })
        var found = Set<Int>()
        for row in rows {
            let at = try #require(row["offset"] as? Int)
            if at == partialOffset {
                #expect(row["verdict"] as? String == "partial")
                continue
            }
            let bytes = try #require(expected[at], "an output at \(at) that was not planted (\(row["rule"] ?? "?"))")
            #expect(row["verdict"] as? String == "complete", "\(at)")
            #expect(row["length"] as? Int == bytes.count, "length at \(at)")
            #expect(row["sha256"] as? String == (try sha256(bytes)), "bytes at \(at)")
            let exported = try Data(contentsOf: out.appendingPathComponent(try #require(row["exported"] as? String)))
            #expect(exported == bytes)
            found.insert(at)
        }
        #expect(found == Set(expected.keys), "missing: \(Set(expected.keys).subtracting(found).sorted())")
        #expect(rows.contains { $0["offset"] as? Int == partialOffset }, "the cut PNG is reported as partial")
    }

    @Test(.enabled(if: Locations.corpus != nil, Comment(rawValue: Locations.corpusMissing)))
    func deletedJPEGsOfTheJPEGSearchImage() throws {
        // Foremost over blkls output finds exactly file6.jpg and file7.hmm (MANIFEST.md): so must we.
        let dir = try Locations.temporaryDirectory("carve8")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try Oracle.exhume(["carve", Locations.corpus!.appendingPathComponent("dftt08-jpeg-search.dd").path,
                                     "--out", dir.appendingPathComponent("out").path])
        #expect(run.status == 0)
        let md5 = try Oracle.run("bash", ["-c", "md5sum \"$1\"/out/carved/* | cut -c1-32 | sort", "_", dir.path]).text
        #expect(md5 == "0c452c5800fcfa7c66027ae89c4f068a\nafd55222024a4e22f7f5a3a665320763\n")
    }

    @Test func carvingBadInputs() throws {
        let dir = try Locations.temporaryDirectory("carvebad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let evidence = dir.appendingPathComponent("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        // A 0-byte image: refused like every command.
        let empty = evidence.appendingPathComponent("empty.raw")
        FileManager.default.createFile(atPath: empty.path, contents: Data())
        #expect(try Oracle.exhume(["carve", empty.path, "--out", dir.appendingPathComponent("o1").path]).status == 65)
        // An image made only of JPEG headers: bounded work, no explosion of outputs.
        var headers = Data()
        for _ in 0..<(2 << 20) / 512 { headers += Data([0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0, count: 508)) }
        let storm = evidence.appendingPathComponent("storm.raw")
        try headers.write(to: storm)
        let run = try Oracle.exhume(["carve", storm.path, "--out", dir.appendingPathComponent("o2").path], timeout: 120)
        #expect(run.status == 0 || run.status == 2)
        let outputs = (try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("o2/carved").path)) ?? []
        #expect(outputs.count < 100)
        // Broken rules: a clear error naming the file.
        let rules = dir.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try Data("- name: broken\n  extensions: [xx]\n  header: \"FF D8 ZZ\"\n  validator: jpeg\n".utf8)
            .write(to: rules.appendingPathComponent("bad.yaml"))
        let bad = try Oracle.exhume(["carve", storm.path, "--out", dir.appendingPathComponent("o3").path, "--rules", rules.path])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("bad.yaml"))
    }
}
