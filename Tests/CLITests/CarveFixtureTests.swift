import ExhumeTestSupport
import Foundation
import Testing

/// `exhume carve` on the carving evaluation fixtures (`carve-fat.raw`, `carve-ext4.raw`,
/// `carve-raw.raw`, built by Fixtures/make-fixtures.sh), scored against the ground truth in
/// manifest.json's `carving` key: every planted item whose expected verdict is `complete` must be
/// carved byte-exact at its offset (recall 1.0), every `partial` one reported partial at its
/// offset, `none` ones and decoys produce nothing, and there is no output that was not planted
/// (precision 1.0). Run once with the default sector scan and once with `--every-byte` (which must
/// also find the byte-adjacent file, `verdict_every_byte`).
@Suite(.serialized)
struct CarveFixtureTests {
    static let images = ["carve-fat.raw", "carve-ext4.raw", "carve-raw.raw"]

    struct Planted {
        var name: String
        var rule: String
        var offset: Int
        var length: Int
        var sha256: String
        var planted: String
        var verdict: String
    }

    struct Decoy {
        var offset: Int
        var length: Int
        var what: String
    }

    static func truth(_ image: String, everyByte: Bool) throws -> (items: [Planted], decoys: [Decoy]) {
        let data = try Data(contentsOf: Locations.fixtures.appendingPathComponent("manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let carving = try #require(manifest["carving"] as? [[String: Any]], "manifest.json has no carving key")
        let entry = try #require(carving.first { $0["image"] as? String == image }, "\(image) not in manifest carving")
        let items = try #require(entry["items"] as? [[String: Any]]).map { item in
            let verdict = try #require(item["verdict"] as? String)
            return Planted(name: try #require(item["name"] as? String), rule: try #require(item["rule"] as? String),
                           offset: try #require(item["offset"] as? Int), length: try #require(item["length"] as? Int),
                           sha256: try #require(item["sha256"] as? String), planted: try #require(item["planted"] as? String),
                           verdict: everyByte ? (item["verdict_every_byte"] as? String ?? verdict) : verdict)
        }
        let decoys = try #require(entry["decoys"] as? [[String: Any]]).map { decoy in
            Decoy(offset: try #require(decoy["offset"] as? Int), length: try #require(decoy["length"] as? Int),
                  what: decoy["what"] as? String ?? "?")
        }
        return (items, decoys)
    }

    func sha256(of file: URL) throws -> String {
        String(try Oracle.run("sha256sum", [file.path]).text.prefix(64))
    }

    /// A truncated file followed by never-written zeros (not by the end of the region) and the
    /// first fragment of a split JPEG must come out as partial, at their offsets.

    @Test(arguments: images, [false, true])
    func carvedOutputsMatchTheGroundTruth(image: String, everyByte: Bool) throws {
        let (items, decoys) = try Self.truth(image, everyByte: everyByte)
        #expect(!items.isEmpty)

        // The output folder must not be inside the evidence folder: copy the image into evidence/.
        let dir = try Locations.temporaryDirectory("carvefx")
        defer { try? FileManager.default.removeItem(at: dir) }
        let evidence = dir.appendingPathComponent("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        let imagePath = evidence.appendingPathComponent(image)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: try Fixtures.path(image)), to: imagePath)
        let out = dir.appendingPathComponent("out")
        let run = try Oracle.exhume(["carve", imagePath.path, "--out", out.path] + (everyByte ? ["--every-byte"] : []))
        #expect(run.status == 0, "\(run.stderr)")

        let rows = try Data(contentsOf: out.appendingPathComponent("manifest.jsonl")).split(separator: 0x0A)
            .map { try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]) }
        let mode = everyByte ? "\(image) --every-byte" : image
        let byOffset = Dictionary(uniqueKeysWithValues: items.map { ($0.offset, $0) })

        var exact = Set<Int>()          // complete items carved byte-exact
        var partials = Set<Int>()       // expected-partial items reported partial
        var wrong: [String] = []        // outputs that are not a planted item as expected
        for row in rows {
            let at = try #require(row["offset"] as? Int)
            let verdict = row["verdict"] as? String ?? "?"
            let rule = row["rule"] as? String ?? "?"
            guard let item = byOffset[at], item.verdict != "none" else {
                let decoy = decoys.first { at >= $0.offset && at < $0.offset + $0.length }
                wrong.append("\(at) \(rule) \(verdict): not planted" + (decoy.map { " (inside decoy: \($0.what))" } ?? ""))
                continue
            }
            if item.verdict == "partial" {
                // A fragmented/truncated item must never come out complete.
                if verdict == "partial" { partials.insert(at) } else { wrong.append("\(at) \(item.name): \(verdict), expected partial") }
                continue
            }
            let exported = out.appendingPathComponent(try #require(row["exported"] as? String))
            if verdict == "complete", row["sha256"] as? String == item.sha256, row["length"] as? Int == item.length,
               try sha256(of: exported) == item.sha256 {
                exact.insert(at)
                #expect(rule == item.rule, "\(mode): \(item.name) at \(at) carved by rule \(rule), expected \(item.rule)")
            } else {
                wrong.append("\(at) \(item.name): \(verdict), length \(row["length"] ?? "?"), sha256 \(row["sha256"] ?? "?")")
            }
        }

        let complete = items.filter { $0.verdict == "complete" }
        let missed = complete.filter { !exact.contains($0.offset) }.map { "\($0.offset) \($0.name) (\($0.planted))" }
        let recall = Double(exact.count) / Double(max(complete.count, 1))
        let precision = Double(exact.count + partials.count) / Double(max(rows.count, 1))
        let score = "\(mode): recall \(exact.count)/\(complete.count) = \(recall), precision "
            + "\(exact.count + partials.count)/\(rows.count) = \(precision), partial \(partials.count)"
        print(score)
        #expect(missed.isEmpty, "\(score); missed: \(missed)")
        #expect(wrong.isEmpty, "\(score); outputs that are not planted items: \(wrong)")
        #expect(recall == 1.0, "\(score)")
        #expect(precision == 1.0, "\(score)")

        for item in items where item.verdict == "partial" {
            #expect(partials.contains(item.offset),
                    "\(mode): \(item.name) (\(item.planted), \(item.length) bytes at \(item.offset)) not reported partial; \(score)")
        }
        // `none` items (the byte-adjacent file in the default sector scan) and decoys: nothing at their offsets.
        for item in items where item.verdict == "none" {
            #expect(!rows.contains { $0["offset"] as? Int == item.offset }, "\(mode): output at \(item.offset) (\(item.name))")
        }
        for decoy in decoys {
            #expect(!rows.contains { ($0["offset"] as? Int).map { $0 >= decoy.offset && $0 < decoy.offset + decoy.length } ?? false },
                    "\(mode): output inside decoy at \(decoy.offset) (\(decoy.what))")
        }
    }
}
