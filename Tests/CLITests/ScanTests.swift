import ExhumeKit
import ExhumeTestSupport
import Foundation
import Testing

/// `exhume scan` and `exhume report`: one pass into a case, resume after a
/// crash, one scan at a time.
@Suite(.serialized)
struct ScanTests {
    /// The (key-free) content of a case: every item's path/offset, source and SHA-256.
    func caseItems(_ folder: URL) throws -> [String] {
        let run = try Oracle.run("sqlite3", [folder.appendingPathComponent("case.sqlite").path,
                                             "SELECT source || '|' || coalesce(path, '') || '|' || coalesce(image_offset, '') || '|' || sha256 FROM item ORDER BY 1"])
        return run.text.split(separator: "\n").map(String.init)
    }

    func evidenceCopy(_ name: String, in dir: URL) throws -> String { try EvidenceFiles.copy(name, in: dir) }

    /// Builds `name` in `dir/evidence/` with a bash `script` run as
    /// `script IMAGE SAMPLES EVIDENCE ARGS…` (SAMPLES: the carving test samples).
    func builtImage(_ name: String, in dir: URL, script: String, arguments: [String] = []) throws -> String {
        let evidence = dir.appendingPathComponent("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        let image = evidence.appendingPathComponent(name).path
        let samples = Locations.packageRoot.appendingPathComponent("Tests/CarvingTests/Samples")
        let build = try Oracle.run("bash", ["-c", "set -e\n" + script, "_", image, samples.path, evidence.path] + arguments)
        #expect(build.status == 0, "\(build.stderr)")
        return image
    }

    /// What a scan of `image` must record: `hash`'s items and `carve`'s, as
    /// `caseItems` renders them (source|path|offset|sha256), sorted.
    func hashPlusCarve(_ image: String, scratch: URL, carveFlags: [String] = []) throws -> (items: [String], hashed: [[String: Any]], carved: [[String: Any]]) {
        let hashed = try Oracle.exhume(["hash", "--format", "json", image]).lines
            .compactMap { try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
        let carveOut = scratch.appendingPathComponent("carved-\(UUID().uuidString.prefix(8))")
        let carve = try Oracle.exhume(["carve", image, "--out", carveOut.path] + carveFlags)
        #expect(carve.status == 0, "carve: \(carve.stderr)")
        let carved = try Data(contentsOf: carveOut.appendingPathComponent("manifest.jsonl")).split(separator: 0x0A)
            .compactMap { try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
        var expected = hashed.map { "\($0["source"]!)|\($0["path"]!)||\($0["sha256"]!)" }
        expected += carved.map { "carved|carved/\($0["offset"]!).\(($0["exported"] as? String ?? "").split(separator: ".").last ?? "")|\($0["offset"]!)|\($0["sha256"]!)" }
        return (expected.sorted(), hashed, carved)
    }

    /// On every corpus image (E01, raw, split raw; FAT, exFAT, NTFS, ext, HFS+,
    /// ISO 9660, APFS): the scan records exactly `hash`'s and `carve`'s items with
    /// their digests, and verifies the E01s against their stored hashes.
    @Test("scan = hash + carve on every corpus image", arguments: Corpus.imageNames)
    func scanEqualsHashPlusCarveOnTheCorpus(name: String) throws {
        let entry = try #require(Corpus.entry(named: name))
        let dir = try Locations.temporaryDirectory("scancorpus")
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("case")
        let scan = try Oracle.exhume(["scan", entry.path, "--case", folder.path])
        #expect(scan.status == 0 || scan.status == 2, "\(scan.stderr)")
        #expect(scan.text.contains(entry.path.hasSuffix(".E01") ? "image verified: computed MD5" : "no hash stored in the image"))
        #expect(try caseItems(folder) == (try hashPlusCarve(entry.path, scratch: dir)).items)
        let verification = try Oracle.run("sqlite3", [folder.appendingPathComponent("case.sqlite").path,
                                                      "SELECT verification FROM image"]).text
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(verification == (entry.path.hasSuffix(".E01") ? "verified" : "no-stored-hash"))
    }

    /// `--slack` and `--all-space` carve what `carve` does with the same flags.
    @Test(arguments: [["--slack"], ["--all-space"]])
    func scanCarvesSlackAndAllSpaceLikeCarve(flags: [String]) throws {
        let dir = try Locations.temporaryDirectory("scanflags")
        defer { try? FileManager.default.removeItem(at: dir) }
        for fixture in ["carve-fat.raw", "carve-ext4.raw", "mbr.E01"] {
            let image = try evidenceCopy(fixture, in: dir)
            let folder = dir.appendingPathComponent("case-\(fixture)")
            let scan = try Oracle.exhume(["scan", image, "--case", folder.path] + flags)
            #expect(scan.status == 0, "\(scan.stderr)")
            let (expected, _, carved) = try hashPlusCarve(image, scratch: dir, carveFlags: flags)
            #expect(try caseItems(folder) == expected, "\(fixture) \(flags)")
            if flags == ["--all-space"], fixture != "mbr.E01" {
                #expect(carved.count > 0)
            }
        }
    }

    @Test func scanEqualsHashPlusCarveAndReports() throws {
        let dir = try Locations.temporaryDirectory("scan")
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = try evidenceCopy("carve-fat.raw", in: dir)
        let folder = dir.appendingPathComponent("case")
        let scan = try Oracle.exhume(["scan", image, "--case", folder.path])
        #expect(scan.status == 0, "\(scan.stderr)")

        let (expected, hashed, carved) = try hashPlusCarve(image, scratch: dir)
        #expect(try caseItems(folder) == expected)

        let report = try Oracle.exhume(["report", "--json", folder.path])
        #expect(report.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: report.stdout) as? [String: Any])
        let bySource = try #require(json["countsBySource"] as? [String: Int])
        #expect(bySource["carved"] == carved.count)
        #expect(bySource.values.reduce(0, +) == hashed.count + carved.count)

        // ls and timeline read the case back.
        let carvedRows = try Oracle.exhume(["ls", "--case", folder.path, "--source", "carved", "--json"]).lines
        #expect(carvedRows.count == carved.count)
        let all = try Oracle.exhume(["ls", "--case", folder.path])
        #expect(all.lines.count == hashed.count + carved.count)
        let timeline = try Oracle.exhume(["timeline", "--case", folder.path, "--format", "csv"])
        #expect(timeline.status == 0)
        let dates = timeline.text.split(separator: "\n").dropFirst().map { String($0.prefix(19)) }
        #expect(!dates.isEmpty && dates == dates.sorted())
        #expect(try Oracle.exhume(["timeline", "--case", folder.path]).status == 64, "no body file from a case")

        // The same image again is refused; --rescan is accepted and adds nothing new.
        let again = try Oracle.exhume(["scan", image, "--case", folder.path])
        #expect(again.status == 64)
        #expect(again.stderr.contains("--rescan"))
        #expect(try Oracle.exhume(["scan", image, "--case", folder.path, "--rescan"]).status == 0)
        #expect(try caseItems(folder) == expected.sorted())
    }

    /// A deleted picture whose clusters are intact is listed as a deleted file and
    /// carved again; the carved item takes the file's digests instead of being hashed
    /// twice, and they must be exactly what `carve` computes from the carved bytes.
    @Test func aCarvedTwinOfADeletedFileGetsTheSameDigestsAsCarve() throws {
        let dir = try Locations.temporaryDirectory("twins")
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = try builtImage("twins.raw", in: dir, script: """
            mkfs.fat -C -n TWINS -s 1 "$1" 4096 >/dev/null
            for f in baseline.jpg image.png doc.pdf video.mp4; do mcopy -i "$1" "$2/$f" "::/$f"; done
            mcopy -i "$1" "$2/multipage.tif" ::/kept.tif
            mdel -i "$1" ::/baseline.jpg ::/image.png ::/doc.pdf ::/video.mp4
            """)
        let folder = dir.appendingPathComponent("case")
        let scan = try Oracle.run("env", ["EXHUME_STREAM_STATS=1", Locations.exhumeBinary.path, "scan", image, "--case", folder.path])
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(scan.stderr.contains("carved twins of deleted files (digests taken from the file): 4"), "\(scan.stderr)")

        let (expected, hashed, carved) = try hashPlusCarve(image, scratch: dir)
        #expect(try caseItems(folder) == expected)

        // The situation happened: the four deleted pictures were carved again.
        let deleted = Set(hashed.filter { "\($0["source"]!)" == "deleted" }.map { "\($0["sha256"]!)" })
        let twins = carved.filter { deleted.contains("\($0["sha256"]!)") }
        #expect(twins.count == 4, "carved twins of deleted files: \(twins.count)")
        // Their type is judged by their own (carved) name.
        let mismatches = try Oracle.run("sqlite3", [folder.appendingPathComponent("case.sqlite").path,
                                                    "SELECT count(*) FROM item WHERE source = 'carved' AND (ext_mismatch = 1 OR mime IS NULL)"]).text
        #expect(mismatches.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    /// FAT finds orphans by reading every unallocated cluster; a scan lists FAT
    /// without them and searches them during the stream, on a second TSK handle
    /// reading through a cursor of its own. A directory deleted and then
    /// forgotten by its parent leaves three orphan files: the scan must record
    /// them exactly as `hash` lists and hashes them, from a raw image and an E01.
    @Test(arguments: ["raw", "E01"])
    func orphansOfAFATVolumeAreFoundDuringTheStream(format: String) throws {
        let dir = try Locations.temporaryDirectory("orphans")
        defer { try? FileManager.default.removeItem(at: dir) }
        // GONE's directory entry in the root is deleted and then reused by new empty
        // files (uppercase 8.3 names: no long-name entries), so only its cluster knows its files.
        let raw = try builtImage("orphans.raw", in: dir, script: """
            mkfs.fat -C -n ORPHANS -s 1 "$1" 4096 >/dev/null
            mmd -i "$1" ::/GONE
            for f in baseline.jpg image.png doc.pdf; do mcopy -i "$1" "$2/$f" "::/GONE/$f"; done
            mcopy -i "$1" "$2/multipage.tif" ::/KEPT.TIF
            mdeltree -i "$1" ::/GONE
            : > "$3/empty"
            for i in 1 2 3 4 5 6 7 8; do mcopy -i "$1" "$3/empty" "::/E$i.TXT"; done
            rm "$3/empty"
            if [ "$4" = E01 ]; then ewfacquire -u -q -t "$3/orphans" -c fast -f encase6 "$1" >/dev/null; rm "$1"; fi
            """, arguments: [format])
        let image = format == "E01" ? raw.replacingOccurrences(of: ".raw", with: ".E01") : raw
        let folder = dir.appendingPathComponent("case")
        let scan = try Oracle.exhume(["scan", image, "--case", folder.path])
        #expect(scan.status == 0, "\(scan.stderr)")

        let (expected, hashed, _) = try hashPlusCarve(image, scratch: dir)
        let orphans = hashed.filter { "\($0["source"]!)" == "orphan" }.map { "\($0["path"]!)" }.sorted()
        #expect(orphans == ["$OrphanFiles/_aseline.jpg", "$OrphanFiles/_mage.png", "$OrphanFiles/_oc.pdf"])
        #expect(try caseItems(folder) == expected)
    }

    @Test func resumeAfterACrashEqualsAnUninterruptedScan() throws {
        let dir = try Locations.temporaryDirectory("resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = try evidenceCopy("ntfs.raw", in: dir)
        let reference = dir.appendingPathComponent("reference")
        #expect(try Oracle.exhume(["scan", image, "--case", reference.path, "--batch-size", "3"]).status == 0)
        let expected = try caseItems(reference)
        #expect(expected.count > 10)
        for crashAfter in [1, 2, 5] {
            let folder = dir.appendingPathComponent("crash\(crashAfter)")
            // The kill point ends the process with _exit after N committed batches, as kill -9 would.
            let crashed = try Oracle.run(Locations.killPointBinary.path, ["--after-batches", "\(crashAfter)",
                                                                          image, folder.path, "--batch-size", "3"])
            #expect(crashed.status == KillPoint.status)
            let partial = try caseItems(folder)
            #expect(partial.count == min(3 * crashAfter, expected.count))
            let resumed = try Oracle.exhume(["scan", image, "--case", folder.path, "--batch-size", "3"])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(resumed.text.contains("resumed"))
            #expect(try caseItems(folder) == expected, "crash after \(crashAfter) batches")
        }
        // A real kill -9 in the middle of a scan of a bigger image, then resume.
        guard let corpus = Locations.corpus else { return }
        let big = corpus.appendingPathComponent("tsk-imageformat_mmls_1.E01").path
        let full = dir.appendingPathComponent("full")
        #expect(try Oracle.exhume(["scan", big, "--case", full.path, "--batch-size", "2"]).status == 0)
        let killed = dir.appendingPathComponent("killed")
        _ = try Oracle.run("bash", ["-c", "\"$1\" scan \"$2\" --case \"$3\" --batch-size 2 & pid=$!; sleep 0.15; kill -9 $pid; wait $pid; true",
                                    "_", Locations.exhumeBinary.path, big, killed.path])
        #expect(try Oracle.exhume(["scan", big, "--case", killed.path, "--batch-size", "2"]).status == 0)
        #expect(try caseItems(killed) == (try caseItems(full)))
    }

    /// A scan stopped as each phase begins (as kill -9 would) and run again ends
    /// with the case an uninterrupted scan makes.
    @Test(arguments: ScanPhase.allCases)
    func resumeAfterAKillAtEachPhase(_ phase: ScanPhase) throws {
        let dir = try Locations.temporaryDirectory("killphase")
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = try evidenceCopy("fat16.raw", in: dir)
        let reference = dir.appendingPathComponent("reference")
        #expect(try Oracle.exhume(["scan", image, "--case", reference.path, "--batch-size", "4"]).status == 0)
        let folder = dir.appendingPathComponent("killed")
        let killed = try Oracle.run(Locations.killPointBinary.path, ["--at-phase", phase.rawValue, image, folder.path,
                                                                     "--batch-size", "4"])
        #expect(killed.status == KillPoint.status, "\(killed.stderr)")
        let resumed = try Oracle.exhume(["scan", image, "--case", folder.path, "--batch-size", "4"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try caseItems(folder) == (try caseItems(reference)), "killed as \(phase) began")
        let status = try Oracle.run("sqlite3", [folder.appendingPathComponent("case.sqlite").path,
                                                "SELECT status, verification FROM image"]).text
        #expect(status == (try Oracle.run("sqlite3", [reference.appendingPathComponent("case.sqlite").path,
                                                      "SELECT status, verification FROM image"]).text))
    }

    @Test func resumeWithExportWritesEachFileOnce() throws {
        let dir = try Locations.temporaryDirectory("resumeexport")
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = try evidenceCopy("ntfs.raw", in: dir)
        let reference = dir.appendingPathComponent("reference")
        #expect(try Oracle.exhume(["scan", image, "--case", reference.path, "--batch-size", "3", "--export", "all"]).status == 0)
        let expectedFiles = try exportedFiles(reference)
        #expect(expectedFiles.count > 5)
        let folder = dir.appendingPathComponent("crashed")
        // Killed after two commits: items of the third batch were exported but not recorded.
        let crashed = try Oracle.run(Locations.killPointBinary.path, ["--after-batches", "2", image, folder.path,
                                                                      "--batch-size", "3", "--export", "all"])
        #expect(crashed.status == KillPoint.status)
        let resumed = try Oracle.exhume(["scan", image, "--case", folder.path, "--batch-size", "3", "--export", "all"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try caseItems(folder) == (try caseItems(reference)))
        // The same files on disk as an uninterrupted run, each recorded, none twice (no `name~2`).
        #expect(try exportedFiles(folder) == expectedFiles)
        let recorded = try Oracle.run("sqlite3", [folder.appendingPathComponent("case.sqlite").path,
                                                  "SELECT exported_path FROM item WHERE exported_path IS NOT NULL"]).text
        #expect(Set(recorded.split(separator: "\n").map(String.init)) == Set(expectedFiles.keys.map { "export/img1/\($0)" }))
    }

    /// Exported files under `export/img1`: relative path → SHA-256 of the content.
    private func exportedFiles(_ folder: URL) throws -> [String: String] {
        let root = folder.appendingPathComponent("export/img1")
        let listing = try Oracle.run("bash", ["-c", "cd \"$1\" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum", "_", root.path]).text
        var files: [String: String] = [:]
        for line in listing.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            files[String(parts[1].trimmingCharacters(in: .whitespaces).dropFirst(2))] = String(parts[0])
        }
        return files
    }

    @Test func aSecondScanOfTheSameCaseIsRefused() throws {
        let dir = try Locations.temporaryDirectory("lock")
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = try evidenceCopy("fat16.raw", in: dir)
        let folder = dir.appendingPathComponent("case")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Hold the case lock the way a running scan does (flock on case.lock).
        let run = try Oracle.run("flock", [folder.appendingPathComponent("case.lock").path, "-c",
                                           "\"\(Locations.exhumeBinary.path)\" scan \"\(image)\" --case \"\(folder.path)\""])
        #expect(run.status == 64)
        #expect(run.stderr.contains("another scan"))
        // Once released, the scan runs and the database is intact.
        #expect(try Oracle.exhume(["scan", image, "--case", folder.path]).status == 0)
        #expect(try Oracle.exhume(["report", folder.path]).status == 0)
    }

    @Test func aCorruptChunkIsRecordedAndNothingElseIsLost() throws {
        let dir = try Locations.temporaryDirectory("scancorrupt")
        defer { try? FileManager.default.removeItem(at: dir) }
        let corrupt = try evidenceCopy("bad/corrupt-chunk.E01", in: dir)
        let good = try evidenceCopy("mbr.raw", in: dir)   // the same media, undamaged
        let folder = dir.appendingPathComponent("case")
        let run = try Oracle.exhume(["scan", corrupt, good, "--case", folder.path])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("10688"), "the damaged sectors are named: \(run.stderr)")
        let status = try Oracle.run("sqlite3", [folder.appendingPathComponent("case.sqlite").path,
                                                "SELECT status, (SELECT count(*) FROM item WHERE image_id = image.id) FROM image ORDER BY id"]).text
        let rows = status.split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        #expect(rows.count == 2)
        #expect(rows.first?.first == "complete-with-errors")
        #expect(rows.last?.first == "complete")
        #expect(rows.first?.last == rows.last?.last, "every item of the damaged copy is there")
    }

    @Test func hashSetHitsAreRecorded() throws {
        let dir = try Locations.temporaryDirectory("scanhits")
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = try evidenceCopy("ntfs.raw", in: dir)
        let truth = try #require(try Fixtures.manifest().images.first { $0.name == "ntfs.raw" })
        let deleted = try #require(truth.filesystems[0].files.first { $0.deleted && $0.md5 != nil })
        let list = dir.appendingPathComponent("bad.md5")
        try Data("\(deleted.md5!)  planted\n".utf8).write(to: list)
        let index = dir.appendingPathComponent("bad.idx").path
        #expect(try Oracle.exhume(["hashset", "import", list.path, "--out", index, "--name", "planted"]).status == 0)
        let folder = dir.appendingPathComponent("case")
        #expect(try Oracle.exhume(["scan", image, "--case", folder.path, "--hashset", index, "--export", "hits"]).status == 0)
        let hits = try Oracle.run("sqlite3", [folder.appendingPathComponent("case.sqlite").path,
                                              "SELECT i.path || '|' || h.set_name || '|' || h.kind || '|' || coalesce(i.exported_path, '') FROM hit h JOIN item i ON i.id = h.item_id"]).text
        #expect(hits.contains("|planted|known-bad|export/img1/"), "\(hits)")
        let exported = try #require(hits.split(separator: "|").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(exported).path))
    }
}
