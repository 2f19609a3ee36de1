import ExhumeTestSupport
import Foundation
import Testing

/// The `exhume` binary end to end: exit codes, stderr messages, JSON shapes.
@Suite(.serialized)
struct CLITests {
    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Locations.exhumeBinary.path),
                     "build the CLI first (`swift build`; `make test` does): \(Locations.exhumeBinary.path)")
    }

    func json(_ line: some DataProtocol) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])
        return try #require(object as? [String: Any])
    }

    @Test func missingImageExits66NamingTheFile() throws {
        for command in ["info", "verify", "ls", "timeline"] {
            let run = try Oracle.exhume([command, "/nonexistent/case42.E01"])
            #expect(run.status == 66, "\(command)")
            #expect(run.stderr.contains("/nonexistent/case42.E01"), "\(command): \(run.stderr)")
            #expect(run.stdout.isEmpty)
        }
    }

    @Test func emptyAndRandomFilesExit65() throws {
        let dir = try Locations.temporaryDirectory("bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = dir.appendingPathComponent("empty.raw")
        FileManager.default.createFile(atPath: empty.path, contents: Data())
        var generator = SeededGenerator(seed: 42)
        let random = dir.appendingPathComponent("random.bin")
        try Data((0..<65536).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: random)
        for file in [empty, random] {
            for command in ["ls", "timeline"] {
                let run = try Oracle.exhume([command, file.path])
                #expect(run.status == 65, "\(command) \(file.lastPathComponent): \(run.stderr)")
                #expect(run.stderr.contains(file.lastPathComponent))
            }
        }
        #expect(try Oracle.exhume(["info", empty.path]).status == 65)
        // Random bytes are a readable raw image without a file system: info says so and succeeds.
        let info = try Oracle.exhume(["info", "--json", random.path])
        #expect(info.status == 0)
        #expect(try json(info.stdout)["file_systems"] as? [Any] != nil)
    }

    @Test func contradictoryFlagsAreAUsageError() throws {
        let run = try Oracle.exhume(["ls", "--deleted", "--allocated", "x.raw"])
        #expect(run.status == 64)
        let badDate = try Oracle.exhume(["timeline", "--from", "someday", "x.raw"])
        #expect(badDate.status == 64)
    }
}

@Suite(.serialized, .enabled(if: Locations.corpus != nil, Comment(rawValue: Locations.corpusMissing)))
struct CLICorpusTests {
    let corpus = Locations.corpus!

    func json(_ line: some DataProtocol) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(line), options: [])
        return try #require(object as? [String: Any])
    }

    @Test func infoJSONCarriesMetadataPartitionsAndFileSystems() throws {
        let run = try Oracle.exhume(["info", "--json", corpus.appendingPathComponent("tsk-imageformat_mmls_1.E01").path])
        #expect(run.status == 0)
        let info = try json(run.stdout)
        #expect(info["format"] as? String == "ewf")
        #expect(info["size"] as? Int == 62_915_072)
        let ewf = try #require(info["ewf"] as? [String: Any])
        #expect(ewf["examiner"] as? String == "Rishwanth")
        #expect(ewf["stored_sha1"] as? String == "067bc6ab29685ee19b0cf82c9d15ac510d1e7d95")
        let vs = try #require(info["volume_system"] as? [String: Any])
        let partitions = try #require(vs["partitions"] as? [[String: Any]])
        #expect(partitions.count == 5)
        let fss = try #require(info["file_systems"] as? [[String: Any]])
        #expect(fss.map { $0["offset"] as? Int } == [128, 55424])
        #expect(fss.map { $0["label"] as? String } == ["Part 1", "Part 2"])
        #expect(fss.map { $0["type"] as? String } == ["ntfs", "ntfs"])
    }

    @Test func lsJSONHasEveryFieldAndFiltersDeleted() throws {
        let image = corpus.appendingPathComponent("dftt08-jpeg-search.dd").path
        let all = try Oracle.exhume(["ls", "--json", image])
        #expect(all.status == 0)
        let rows = try all.lines.map { try json($0) }
        let required = ["offset", "fs", "path", "addr", "name_type", "meta_type", "allocated", "deleted", "size",
                        "atime", "mtime", "ctime", "crtime", "stream"]
        for row in rows {
            for key in required { #expect(row.keys.contains(key), "missing \(key) in \(row)") }
        }
        let ads = try #require(rows.first { $0["stream"] as? String == "here" })
        #expect(ads["path"] as? String == "misc/file13.dll:here")
        #expect(ads["addr"] as? String == "44-128-5")
        #expect((ads["mtime"] as? String)?.hasSuffix("Z") == true)

        let deleted = try Oracle.exhume(["ls", "--deleted", "--json", image]).lines.map { try json($0) }
        #expect(!deleted.isEmpty)
        #expect(deleted.allSatisfy { $0["deleted"] as? Bool == true })
        #expect(deleted.contains { $0["path"] as? String == "del1/file6.jpg" })
        let allocated = try Oracle.exhume(["ls", "--allocated", image]).lines
        #expect(allocated.count + deleted.count == rows.count)
    }

    @Test func textListingEqualsFls() throws {
        let image = corpus.appendingPathComponent("dftt06-fat-undel.dd").path
        let ours = try Oracle.exhume(["ls", image])
        let fls = try Oracle.run("fls", ["-r", "-p", image])
        #expect(Set(ours.lines) == Set(fls.lines))
    }

    @Test func timelineFormatsAndWindow() throws {
        let image = corpus.appendingPathComponent("dftt05-fat-daylight.dd").path
        let body = try Oracle.exhume(["timeline", image])
        #expect(body.status == 0)
        #expect(Set(body.lines) == Set(try Oracle.run("tsk_gettimes", [image]).lines))

        let csv = try Oracle.exhume(["timeline", "--format", "csv", image])
        #expect(csv.status == 0)
        let rows = csv.text.split(separator: "\n")
        #expect(rows.first == "Date,Size,Type,Mode,UID,GID,Meta,File Name")
        let dates = rows.dropFirst().map { String($0.prefix(20)) }
        #expect(dates == dates.sorted())
        #expect(rows.contains { $0.contains("WINTER.TXT") || $0.contains("winter.txt") })

        let jsonRows = try Oracle.exhume(["timeline", "--format", "json", image]).lines.map { try json($0) }
        #expect(jsonRows.count == rows.count - 1)
        #expect(jsonRows.allSatisfy { ($0["activity"] as? String)?.count == 4 })

        let window = try Oracle.exhume(["timeline", "--format", "json", "--from", "2004-05-01", "--to", "2004-06-30", image])
        let windowRows = try window.lines.map { try json($0) }
        #expect(!windowRows.isEmpty && windowRows.count < jsonRows.count)
        #expect(windowRows.allSatisfy { ($0["time"] as? String ?? "") >= "2004-05-01" && ($0["time"] as? String ?? "") < "2004-07" })
    }

    @Test func timelineWithOffsetEqualsFlsM() throws {
        let image = corpus.appendingPathComponent("tsk-imageformat_mmls_1.E01").path
        let ours = try Oracle.exhume(["timeline", "--offset", "55424", image])
        let fls = try Oracle.run("fls", ["-r", "-m", "/", "-o", "55424", image])
        #expect(ours.status == 0)
        #expect(Set(ours.lines) == Set(fls.lines))
    }

    @Test func verifyExitCodesAndJSON() throws {
        let good = try Oracle.exhume(["verify", "--json", corpus.appendingPathComponent("tsk-imageformat_mmls_1.E01").path])
        #expect(good.status == 0)
        let report = try json(good.stdout)
        #expect(report["verdict"] as? String == "verified")
        #expect(report["md5"] as? String == "8ec671e301095c258224aad701740503")
        #expect(report["sha1_match"] as? Bool == true)

        let raw = try Oracle.exhume(["verify", "--md5", "3ebb0b7dcd6b5fcd59a0020625d70994",
                                     corpus.appendingPathComponent("tsk-image.dd").path])
        #expect(raw.status == 0)
        let wrong = try Oracle.exhume(["verify", "--md5", String(repeating: "a", count: 32),
                                       corpus.appendingPathComponent("tsk-image.dd").path])
        #expect(wrong.status == 1)
    }

    @Test func corruptChunkIsReportedAndListingStillWorks() throws {
        let dir = try Locations.temporaryDirectory("corrupt")
        defer { try? FileManager.default.removeItem(at: dir) }
        // tsk-image.E01 is uncompressed: flip bytes inside the data of its second chunk.
        let copy = dir.appendingPathComponent("corrupt.E01")
        var bytes = try Data(contentsOf: corpus.appendingPathComponent("tsk-image.E01"))
        let target = try #require(bytes.range(of: Data("sectors".utf8))).upperBound + 76 + 40_000
        for i in 0..<16 { bytes[target + i] ^= 0xFF }
        try bytes.write(to: copy)

        let verify = try Oracle.exhume(["verify", "--json", copy.path])
        #expect(verify.status == 1)
        let report = try JSONSerialization.jsonObject(with: verify.stdout) as? [String: Any]
        #expect(report?["verdict"] as? String == "mismatch")
        #expect((report?["checksum_errors"] as? [Any])?.isEmpty == false)
        let oracle = try Oracle.run("ewfverify", ["-q", copy.path])
        #expect(oracle.status != 0, "ewfverify agrees the image is damaged")

        let ls = try Oracle.exhume(["ls", copy.path])
        #expect(ls.status == 0 || ls.status == 2)
        #expect(!ls.lines.isEmpty)
    }

    @Test func truncatedE01IsAClearError() throws {
        let dir = try Locations.temporaryDirectory("truncated")
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appendingPathComponent("cut.E01")
        let bytes = try Data(contentsOf: corpus.appendingPathComponent("tsk-image.E01"))
        try bytes.prefix(bytes.count / 2).write(to: copy)
        // info still shows what the header says, but warns (exit 2); ls cannot find the
        // file system (65); verify reports the unreadable tail (1). Each names the file.
        let expected = ["info": Int32(2), "ls": 65, "verify": 1]
        for (command, status) in expected {
            let run = try Oracle.exhume([command, copy.path])
            #expect(run.status == status, "\(command): \(run.status) \(run.stderr)")
            #expect(run.stderr.contains("cut.E01") || run.text.contains("cut.E01"), "\(command): \(run.stderr)")
        }
        let verify = try Oracle.exhume(["verify", copy.path])
        #expect(verify.text.contains("Read error") || verify.text.contains("Checksum error"))
        #expect(verify.stderr.contains("truncated"))
    }

    @Test func nothingIsWrittenBesideTheEvidence() throws {
        let dir = try Locations.temporaryDirectory("readonly")
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["plaso-image-split.E01", "plaso-image-split.E02", "dftt08-jpeg-search.dd"] {
            try FileManager.default.copyItem(at: corpus.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        func snapshot() throws -> [String: Data] {
            var result: [String: Data] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
                result[name] = try Data(contentsOf: dir.appendingPathComponent(name))
            }
            return result
        }
        let before = try snapshot()
        for image in ["plaso-image-split.E01", "dftt08-jpeg-search.dd"] {
            let path = dir.appendingPathComponent(image).path
            for args in [["info"], ["verify"], ["ls"], ["timeline"], ["timeline", "--format", "csv"]] {
                _ = try Oracle.exhume(args + [path])
            }
        }
        #expect(try snapshot() == before)
    }
}

