import ExhumeTestSupport
import Foundation
import Testing

/// `exhume hash` and `exhume recover` end to end, against the answer keys of
/// the images and against tsk_recover.
@Suite(.serialized)
struct HashRecoverTests {
    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Locations.exhumeBinary.path),
                     "build the CLI first (`swift build`; `make test` does)")
    }

    func jsonLines(_ run: ToolRun) throws -> [[String: Any]] {
        try run.lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]) }
    }

    @Test func hashJSONCarriesEveryFieldAndMatchesFixtureTruth() throws {
        let path = try Fixtures.path("ntfs.raw")
        let run = try Oracle.exhume(["hash", "--format", "json", path])
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try jsonLines(run)
        for key in ["path", "addr", "source", "size", "md5", "sha1", "sha256", "mime", "mismatch", "hits"] {
            #expect(rows.allSatisfy { $0.keys.contains(key) }, "missing \(key)")
        }
        let truth = try #require(try Fixtures.manifest().images.first { $0.name == "ntfs.raw" })
        for file in truth.filesystems[0].files where file.type == "file" {
            guard let md5 = file.md5 else { continue }
            let path = String(file.path.dropFirst())
            let row = rows.first { $0["path"] as? String == path && ($0["deleted"] as? Bool) == file.deleted }
            #expect(row?["md5"] as? String == md5, "\(file.path) deleted=\(file.deleted)")
        }
        #expect(rows.contains { $0["source"] as? String == "stream" && ($0["path"] as? String)?.hasSuffix(":secret") == true })
        #expect(rows.contains { $0["source"] as? String == "deleted" })
    }

    @Test func hashdeepAndMd5sumFormats() throws {
        let path = try Fixtures.path("ext4.raw")
        let deep = try Oracle.exhume(["hash", path])
        #expect(deep.status == 0)
        let lines = deep.text.split(separator: "\n")
        #expect(lines.first == "%%%% HASHDEEP-1.0")
        #expect(lines.contains { $0.hasSuffix(",dir1/big.bin") && $0.hasPrefix("300000,") })
        let md5 = try Oracle.exhume(["hash", "--format", "md5sum", "--deleted-only", path])
        #expect(md5.status == 0)
        #expect(md5.text.split(separator: "\n").allSatisfy { $0.count > 34 && $0.dropFirst(32).hasPrefix("  ") })
    }

    @Test func recoverEqualsTskRecoverOnEveryFixture() throws {
        for name in ["fat16.raw", "ext4.raw", "ntfs.raw", "mbr.raw", "gpt.raw", "mbr.E01", "split.001"] {
            for all in [false, true] {
                try RecoverCheck.compareWithTskRecover(image: try Fixtures.path(name), all: all)
            }
        }
    }

    @Test func recoverRefusesUnsafeOutputFolders() throws {
        let image = try Fixtures.path("fat16.raw")
        // Inside the evidence folder.
        let inside = URL(fileURLWithPath: image).deletingLastPathComponent().appendingPathComponent("out-\(getpid())")
        let refused = try Oracle.exhume(["recover", image, "--out", inside.path])
        #expect(refused.status == 74)
        #expect(refused.stderr.contains("evidence"))
        #expect(!FileManager.default.fileExists(atPath: inside.appendingPathComponent("manifest.jsonl").path))
        // An existing, non-empty folder.
        let dir = try Locations.temporaryDirectory("busy")
        defer { try? FileManager.default.removeItem(at: dir) }
        FileManager.default.createFile(atPath: dir.appendingPathComponent("keep.txt").path, contents: Data("x".utf8))
        let busy = try Oracle.exhume(["recover", image, "--out", dir.path])
        #expect(busy.status == 74)
        #expect(try String(contentsOf: dir.appendingPathComponent("keep.txt"), encoding: .utf8) == "x")
        let forced = try Oracle.exhume(["recover", image, "--out", dir.path, "--force"])
        #expect(forced.status == 0)
    }
}

@Suite(.serialized, .enabled(if: Locations.corpus != nil, Comment(rawValue: Locations.corpusMissing)))
struct HashCorpusTests {
    let corpus = Locations.corpus!

    /// DFTT #8's answer key: every JPEG, hidden or deleted, with its MD5.
    @Test func jpegSearchAnswerKey() throws {
        let run = try Oracle.exhume(["hash", "--format", "json", corpus.appendingPathComponent("dftt08-jpeg-search.dd").path])
        #expect(run.status == 0)
        let rows = try run.lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]) }
        func row(_ path: String) -> [String: Any]? { rows.first { $0["path"] as? String == path } }
        let key: [(String, String)] = [
            ("alloc/file1.jpg", "75b8d00568815a36c3809b46fc84ba6d"), ("alloc/file2.dat", "de5d83153339931371719f4e5c924eba"),
            ("invalid/file3.jpg", "1ba4e91591f0541eda255ee26f7533bc"), ("invalid/file4.jpg", "c8de721102617158e8492121bdad3711"),
            ("invalid/file5.rtf", "86f14fc525648c39d878829f288c0543"), ("del1/file6.jpg", "afd55222024a4e22f7f5a3a665320763"),
            ("del2/file7.hmm", "0c452c5800fcfa7c66027ae89c4f068a"), ("archive/file8.zip", "d41b56e0a9f84eb2825e73c24cedd963"),
            ("archive/file9.boo", "73c3029066aee9416a5aeb98a5c55321"), ("archive/file10.tar.gz", "d4f8cf643141f0c2911c539750e18ef2"),
            ("misc/file11.dat", "f407ab92da959c7ab03292cfe596a99d"), ("misc/file12.doc", "61c0b55639e52d1ce82aba834ada2bab"),
            ("misc/file13.dll:here", "9b787e63e3b64562730c5aecaab1e1f8"),
        ]
        for (path, md5) in key {
            #expect(row(path)?["md5"] as? String == md5, "\(path)")
        }
        // Hidden material: a JPEG named .dat, a deleted JPEG named .hmm, a JPEG in a stream of a .dll.
        for path in ["alloc/file2.dat", "del2/file7.hmm", "misc/file13.dll:here", "archive/file9.boo"] {
            #expect(row(path)?["mismatch"] as? Bool == true, "\(path) should be flagged")
        }
        for path in ["alloc/file1.jpg", "del1/file6.jpg", "archive/file8.zip"] {
            #expect(row(path)?["mismatch"] as? Bool == false, "\(path) should not be flagged")
        }
        #expect(row("alloc/file2.dat")?["mime"] as? String == "image/jpeg")
        #expect(row("del1/file6.jpg")?["source"] as? String == "deleted")
        #expect(row("misc/file13.dll:here")?["source"] as? String == "stream")
    }

    /// DFTT #6: the deleted FAT files TSK recovers correctly, and the fragmented
    /// ones where its contiguous guess is wrong (the answer key says which).
    @Test func fatUndeleteMatchesIcatR() throws {
        let image = corpus.appendingPathComponent("dftt06-fat-undel.dd").path
        let run = try Oracle.exhume(["hash", "--deleted-only", "--format", "md5sum", image])
        #expect(run.status == 0)
        for md5 in ["59b20779f69ff9f0ac5fcd2c38835a79", "ffd27bd782bdce67750b6b9ee069d2ef", "59cf0e9cd107bc1e75afb7374f6e05bb",
                    "c4f3b9a0f17d464f4fc61b94ecf6cc21", "965370acfa85aa7e26ab04bbd45cdcae", "a7a14ac62f79fdea4056ed5e8bcf97ef"] {
            #expect(run.text.contains(md5), "\(md5) (icat -r result)")
        }
    }

    @Test("recover = tsk_recover (and -e) on every corpus image", arguments: Corpus.imageNames)
    func recoverEqualsTskRecover(name: String) throws {
        let entry = try #require(Corpus.entry(named: name))
        for all in [false, true] {
            try RecoverCheck.compareWithTskRecover(image: entry.path, all: all)
        }
    }
}

/// The tsk_recover comparison, shared by the fixture and corpus suites.
enum RecoverCheck {
    /// SHA-256 of every regular file below `root`, by path relative to it.
    static func tree(_ root: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        let run = try Oracle.run("bash", ["-c", "cd \"$1\" && find . -type f ! -name manifest.jsonl -print0 | xargs -0 -r sha256sum", "_", root.path])
        for line in run.text.split(separator: "\n") {
            let hash = String(line.prefix(64))
            var path = String(line.dropFirst(66))
            if path.hasPrefix("./") { path.removeFirst(2) }
            result[path] = hash
        }
        return result
    }

    static func compareWithTskRecover(image: String, all: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let dir = try Locations.temporaryDirectory("recover")
        defer { try? FileManager.default.removeItem(at: dir) }
        let ours = dir.appendingPathComponent("ours")
        let theirs = dir.appendingPathComponent("theirs")
        try FileManager.default.createDirectory(at: theirs, withIntermediateDirectories: true)
        let run = try Oracle.exhume(["recover", image, "--out", ours.path] + (all ? ["--all"] : []))
        if run.status == 65 {
            // No file system we can read: tsk_recover must not find one either.
            let oracle = try Oracle.run("tsk_recover", (all ? ["-e"] : []) + [image, theirs.path])
            let written = try tree(theirs)
            #expect(oracle.status != 0 || written.isEmpty, "\(image): tsk_recover reads what we cannot",
                    sourceLocation: sourceLocation)
            return
        }
        #expect(run.status == 0 || run.status == 2, "\(image): \(run.stderr)", sourceLocation: sourceLocation)
        // tsk_recover 4.11 reads one file system (-o, and -B for a pool volume); ours walks the
        // partition table, each file system under vol_SECTOR when there is one. Run it per file system.
        let info = try #require(try JSONSerialization.jsonObject(with: try Oracle.exhume(["info", "--json", image]).stdout) as? [String: Any])
        let fileSystems = info["file_systems"] as? [[String: Any]] ?? []
        let partitioned = !(info["volume_system"] is NSNull) || fileSystems.count > 1
        for fs in fileSystems {
            guard let offset = fs["offset"] as? Int else { continue }
            var target = partitioned ? theirs.appendingPathComponent("vol_\(offset)") : theirs
            var pool: [String] = []
            if let index = fs["pool_volume"] as? Int, let block = fs["pool_volume_block"] as? Int {
                target = target.appendingPathComponent("poolVol\(index)")
                pool = ["-B", "\(block)"]
            }
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            _ = try Oracle.run("tsk_recover", (all ? ["-e"] : []) + ["-o", "\(offset)"] + pool + [image, target.path])
        }
        let ourTree = try tree(ours).filter { !$0.key.contains(":") }  // tsk_recover writes no NTFS streams
        let theirTree = try tree(theirs)
        // Same files, same bytes. Where tsk_recover wrote two entries to one path (the second
        // overwrote the first), we kept both, the later one as name~2.
        for (path, hash) in theirTree {
            #expect(ourTree[path] == hash || ourTree.contains { $0.value == hash && $0.key.contains("~") },
                    "\(image) all=\(all): \(path)", sourceLocation: sourceLocation)
        }
        for (path, hash) in ourTree where theirTree[path] == nil {
            #expect(path.contains("~"), "\(image) all=\(all): extra \(path) \(hash)", sourceLocation: sourceLocation)
        }
        let manifest = try Data(contentsOf: ours.appendingPathComponent("manifest.jsonl"))
        let rows = manifest.split(separator: 0x0A).compactMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
        #expect(rows.filter { $0["exported"] is String }.count == (try tree(ours)).count, sourceLocation: sourceLocation)
        for row in rows {
            guard let exported = row["exported"] as? String, let sha = row["sha256"] as? String else { continue }
            #expect(try tree(ours)[exported] == sha, "manifest sha256 of \(exported)", sourceLocation: sourceLocation)
        }
    }

}

/// Names from an image are hostile: the crafted ext4 fixture (names with `/`,
/// `..`, control bytes, invalid UTF-8, 255 bytes, collisions, a symlink).
@Suite(.serialized)
struct HostileNameTests {
    @Test func recoverNeverLeavesTheOutputFolder() throws {
        let sandbox = try Locations.temporaryDirectory("hostile")
        defer { try? FileManager.default.removeItem(at: sandbox) }
        let evidence = sandbox.appendingPathComponent("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        let image = evidence.appendingPathComponent("hostile.raw")
        try FileManager.default.copyItem(atPath: try Fixtures.path("hostile.raw"), toPath: image.path)
        // Two levels down, so `../../x` written naively would land in the sandbox.
        let work = sandbox.appendingPathComponent("l1/l2")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let planted = sandbox.appendingPathComponent("l1/etc")
        try FileManager.default.createDirectory(at: planted, withIntermediateDirectories: true)
        try Data("original".utf8).write(to: planted.appendingPathComponent("passwd"))
        let out = work.appendingPathComponent("out")

        let run = try Oracle.exhume(["recover", "--all", image.path, "--out", out.path])
        #expect(run.status == 0, "\(run.stderr)")

        // Nothing outside out/: the sandbox holds only what we put there.
        let everything = try Oracle.run("find", [sandbox.path, "-mindepth", "1"]).text.split(separator: "\n").map(String.init)
        let outside = everything.filter { !$0.hasPrefix(out.path) }
        #expect(Set(outside) == Set([evidence.path, image.path, sandbox.appendingPathComponent("l1").path, work.path,
                                     planted.path, planted.appendingPathComponent("passwd").path]))
        #expect(try String(contentsOf: planted.appendingPathComponent("passwd"), encoding: .utf8) == "original")

        // Every item is written, under a sanitized name, and the manifest keeps the original bytes.
        let rows = try Data(contentsOf: out.appendingPathComponent("manifest.jsonl")).split(separator: 0x0A)
            .map { try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]) }
        let exported = rows.compactMap { $0["exported"] as? String }
        #expect(exported.count == rows.count)
        #expect(Set(exported).count == exported.count, "two items written to one file")
        #expect(exported.contains("..%2F..%2Fetc%2Fpasswd"))
        #expect(exported.contains("sub/%2E%2E"))
        #expect(exported.contains("%FF%FE.txt"))
        #expect(exported.contains("sub/..%2F..%2Fevil%07.txt"))
        #expect(rows.contains { $0["original_path"] as? String == "\\xff\\xfe.txt" })
        for path in exported {
            let real = out.appendingPathComponent(path).resolvingSymlinksInPath().path
            #expect(real.hasPrefix(out.resolvingSymlinksInPath().path + "/"), "\(path)")
            var isDirectory: ObjCBool = false
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(path).path, isDirectory: &isDirectory) && !isDirectory.boolValue)
        }
        // The symlink's content is exported as a file, not followed as a link.
        let link = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("link-out").path)
        #expect(link[.type] as? FileAttributeType == .typeRegular)
    }
}

/// Known-hash sets end to end: import (VICS JSON, md5sum, NSRL CSV), then
/// `hash --hashset` and `recover --hashset` flag the planted files.
@Suite(.serialized)
struct HashSetEndToEndTests {
    @Test func plantedHashesAreFoundWithTheirCategory() throws {
        let dir = try Locations.temporaryDirectory("sets")
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = try Fixtures.path("ntfs.raw")
        let truth = try #require(try Fixtures.manifest().images.first { $0.name == "ntfs.raw" })
        let files = truth.filesystems[0].files.filter { $0.type == "file" && $0.md5 != nil }
        let deleted = try #require(files.first { $0.deleted })
        let allocated = try #require(files.first { !$0.deleted && !$0.path.contains(":") })
        let known = try #require(files.last { !$0.deleted && !$0.path.contains(":") && $0.path != allocated.path })

        // VICS v1 JSON (OData), category 1, for the deleted file; upper-case hex on purpose.
        let vics = dir.appendingPathComponent("case.json")
        try Data("""
            {"odata.metadata":"http://github.com/ICMEC/ProjectVic/DataModels/1.2.xml/$metadata#Media",
             "value":[{"MediaID":1,"Category":1,"MD5":"\(deleted.md5!.uppercased())","MediaSize":\(deleted.size ?? 0)}]}
            """.utf8).write(to: vics)
        // An md5sum list for an allocated file.
        let list = dir.appendingPathComponent("alerts.md5")
        try Data("\(allocated.md5!)  whatever.bin\n".utf8).write(to: list)
        // NSRL legacy CSV (known-good) with one file's MD5.
        let nsrl = dir.appendingPathComponent("NSRLFile.txt")
        try Data("""
            "SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode","SpecialCode"
            "0000000000000000000000000000000000000000","\(known.md5!.uppercased())","00000000","known.dll",\(known.size ?? 0),1,"WIN",""

            """.utf8).write(to: nsrl)

        var indexes: [String] = []
        for (source, extra) in [(vics, ["--name", "VICS case"]), (list, []), (nsrl, [])] {
            let index = source.appendingPathExtension("idx").path
            let run = try Oracle.exhume(["hashset", "import", source.path, "--out", index] + extra)
            #expect(run.status == 0, "\(source.lastPathComponent): \(run.stderr)")
            indexes.append(index)
        }
        let info = try Oracle.exhume(["hashset", "info", "--json", "--verify", indexes[2]])
        #expect(info.status == 0)
        let infoJSON = try JSONSerialization.jsonObject(with: info.stdout) as? [String: Any]
        #expect(infoJSON?["kind"] as? String == "known-good")
        #expect(infoJSON?["records"] as? Int == 1)

        let hash = try Oracle.exhume(["hash", "--format", "json", image] + indexes.flatMap { ["--hashset", $0] })
        #expect(hash.status == 0, "\(hash.stderr)")
        let rows = try hash.lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]) }
        func hits(_ path: String, deleted: Bool) -> [[String: Any]] {
            rows.first { $0["path"] as? String == String(path.dropFirst()) && $0["deleted"] as? Bool == deleted }?["hits"] as? [[String: Any]] ?? []
        }
        let deletedHits = hits(deleted.path, deleted: true)
        #expect(deletedHits.count == 1)
        #expect(deletedHits.first?["set"] as? String == "VICS case")
        #expect(deletedHits.first?["category"] as? String == "1")
        #expect(deletedHits.first?["kind"] as? String == "known-bad")
        #expect(hits(allocated.path, deleted: false).first?["kind"] as? String == "known-bad")
        #expect(hits(known.path, deleted: false).first?["kind"] as? String == "known-good")
        #expect(rows.filter { !($0["hits"] as? [Any] ?? []).isEmpty }.count == 3)

        // A `:good` suffix overrides the stored kind.
        let overridden = try Oracle.exhume(["hash", "--format", "json", "--deleted-only", image, "--hashset", indexes[0] + ":good"])
        #expect(overridden.text.contains("\"kind\":\"known-good\""))
    }

    @Test func badSetsAreClearErrors() throws {
        let dir = try Locations.temporaryDirectory("badsets")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("broken.md5")
        try Data("d41d8cd98f00b204e9800998ecf8427e  ok.txt\nnot-a-hash  x\n".utf8).write(to: bad)
        let run = try Oracle.exhume(["hashset", "import", bad.path, "--out", dir.appendingPathComponent("x.idx").path])
        #expect(run.status == 65)
        #expect(run.stderr.contains("broken.md5") && run.stderr.contains("line 2"))
        let missing = try Oracle.exhume(["hash", try Fixtures.path("fat16.raw"), "--hashset", "/nonexistent.idx"])
        #expect(missing.status == 65 || missing.status == 66)
        #expect(missing.stderr.contains("/nonexistent.idx"))
    }
}
