import ExhumeTestSupport
import Foundation
import Testing

/// `exhume scan` when a disk really fills up (a small tmpfs, so these run as root).
/// On the case's `export/`: the export stops at the first "no space", the scan goes
/// on and records every item, and the analyst gets one clear line and exit 2
/// (finished with problems). Under `case.sqlite` itself: one clear error (exit 74),
/// nothing committed lost, and the same command resumes once there is room.
@Suite(.serialized)
struct ScanDiskFullTests {
    /// The same row per item as `ScanTests.caseItems`: source, path, carved offset, SHA-256.
    func caseItems(_ folder: URL) throws -> [String] {
        try sqlite(folder, "SELECT source || '|' || coalesce(path, '') || '|' || coalesce(image_offset, '') || '|' || sha256 FROM item ORDER BY 1")
    }

    func sqlite(_ folder: URL, _ sql: String) throws -> [String] {
        let run = try Oracle.run("sqlite3", [folder.appendingPathComponent("case.sqlite").path, sql])
        #expect(run.status == 0, "sqlite3: \(run.stderr)")
        return run.text.split(separator: "\n").map(String.init)
    }

    func evidenceCopy(_ name: String, in dir: URL) throws -> String { try EvidenceFiles.copy(name, in: dir) }

    func regularFiles(below folder: URL) -> Set<String> { EvidenceFiles.regularFiles(below: folder) }

    /// gpt.raw: 41 items, about 260 KB of content (one file of 200 000 bytes); 128 KiB of
    /// tmpfs takes the first few dozen small files, then runs out.
    @Test func theExportStopsOnceWhenTheDiskIsFull() throws {
        let rows = try scanIntoAFullDisk("gpt.raw", size: "128k")
        #expect(rows.filter(\.exported).count > 10)
    }

    /// carve-fat.raw: 4 files and 13 carved items (about 74 KB). Files and carved items
    /// are exported at the same time, from the files' lanes and the carver's, so which
    /// ones fit first is a matter of timing; what must hold is the same either way: the
    /// export stops once for both (one message), every item is recorded, and what was
    /// written is complete (checked in `scanIntoAFullDisk`).
    @Test(arguments: ["16k", "24k"])
    func filesAndCarvedItemsStopTogether(size: String) throws {
        let rows = try scanIntoAFullDisk("carve-fat.raw", size: size)
        #expect(rows.filter { $0.source == "carved" }.count > 5)
        #expect(rows.contains { $0.exported })
        #expect(rows.contains { $0.source == "carved" && !$0.exported }, "the carved items cannot all fit in \(size)")
    }

    /// After the export disk filled up: make room, run the scan again with --rescan, and
    /// the items that were not written are, once each; those written before are not
    /// written again, and every file is recorded.
    @Test func aRescanAfterMakingRoomExportsTheRest() throws {
        let dir = try Locations.temporaryDirectory("rescanexport")
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("case")
        let export = folder.appendingPathComponent("export")
        try FileManager.default.createDirectory(at: export, withIntermediateDirectories: true)
        let mount = try TmpfsMount.mount(at: export, size: "128k")
        defer { mount.unmount() }
        let image = try evidenceCopy("gpt.raw", in: dir)
        let reference = dir.appendingPathComponent("reference")
        #expect(try Oracle.exhume(["scan", image, "--case", reference.path, "--export", "all"]).status == 0)
        let expected = Set(try sqlite(reference, "SELECT key || '|' || sha256 FROM item WHERE exported_path IS NOT NULL"))

        let full = try Oracle.exhume(["scan", image, "--case", folder.path, "--export", "all"])
        #expect(full.status == 2)
        #expect(full.stderr.contains("--rescan to export the rest"), "\(full.stderr)")
        let before = try sqlite(folder, "SELECT exported_path FROM item WHERE exported_path IS NOT NULL")
        #expect(before.count > 0 && before.count < expected.count)
        var stamps: [String: Date] = [:]
        for path in before {
            stamps[path] = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(path).path)[.modificationDate] as? Date
        }

        try mount.resize("16m")
        let rescan = try Oracle.exhume(["scan", image, "--case", folder.path, "--export", "all", "--rescan"])
        #expect(rescan.status == 0, "\(rescan.stderr)")
        #expect(Set(try sqlite(folder, "SELECT key || '|' || sha256 FROM item WHERE exported_path IS NOT NULL")) == expected)
        // Every recorded file is there, complete; nothing unrecorded, nothing written twice.
        let rows = try sqlite(folder, "SELECT exported_path || '|' || sha256 FROM item WHERE exported_path IS NOT NULL")
        for row in rows {
            let fields = row.split(separator: "|").map(String.init)
            let sum = try Oracle.run("sha256sum", [folder.appendingPathComponent(fields[0]).path])
            #expect(sum.text.split(separator: " ").first.map(String.init) == fields[1], "\(fields[0])")
        }
        #expect(regularFiles(below: export) == Set(rows.map { String($0.split(separator: "|")[0].dropFirst("export/".count)) }))
        for (path, stamp) in stamps {
            let now = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(path).path)[.modificationDate] as? Date
            #expect(now == stamp, "\(path) was not written again")
        }
    }

    /// The whole case folder on a tmpfs too small for the database: the batch that does not
    /// fit is rolled back, the scan ends with one clear error (exit 74), what was committed
    /// stays and the database is sound; with more room the same command resumes, and the case
    /// equals an uninterrupted scan.
    @Test func aFullCaseDiskStopsTheScanCleanlyAndTheSameCommandResumes() throws {
        let dir = try Locations.temporaryDirectory("dbfull")
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("case")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // ntfs.raw has 26 items; in batches of 3, 300 KiB holds the schema and some batches
        // (SQLite's write-ahead log grows with each commit) but not all.
        let mount = try TmpfsMount.mount(at: folder, size: "300k")
        defer { mount.unmount() }

        let image = try evidenceCopy("ntfs.raw", in: dir)
        let reference = dir.appendingPathComponent("reference")
        let whole = try Oracle.exhume(["scan", image, "--case", reference.path])
        #expect(whole.status == 0, "\(whole.stderr)")
        let expected = try caseItems(reference)

        let command = ["scan", image, "--case", folder.path, "--batch-size", "3"]
        let full = try Oracle.exhume(command)
        #expect(full.status == 74, "the output cannot be written: \(full.stderr)")
        let problems = full.stderr.split(separator: "\n").filter { $0.hasPrefix("exhume:") }
        #expect(problems.count == 1, "\(full.stderr)")
        let line = String(problems.first ?? "")
        #expect(line.contains("no space left for the case database \(folder.path)/case.sqlite"), "\(line)")
        #expect(line.contains("run the same command again"), "\(line)")

        #expect(try sqlite(folder, "PRAGMA integrity_check") == ["ok"])
        let committed = try caseItems(folder)
        #expect(committed.count > 0 && committed.count < expected.count, "\(committed.count) of \(expected.count) committed")
        #expect(Set(committed).isSubset(of: Set(expected)))

        try mount.resize("16m")
        let resumed = try Oracle.exhume(command)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.text.contains("resumed; \(committed.count) were already recorded"), "\(resumed.text)")
        #expect(try caseItems(folder) == expected)
        #expect(try sqlite(folder, "PRAGMA integrity_check") == ["ok"])
        #expect(try sqlite(folder, "SELECT status FROM image") == ["complete"])
        #expect(try Oracle.exhume(["report", folder.path]).status == 0)
    }

    struct Row {
        var source: String
        var exported: Bool
    }

    /// Scans `fixture` with `--export all` into a case whose `export/` is a tmpfs of `size`,
    /// checks everything the analyst relies on after a full disk, and returns each item's
    /// source and whether it was exported.
    func scanIntoAFullDisk(_ fixture: String, size: String) throws -> [Row] {
        let dir = try Locations.temporaryDirectory("diskfull")
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = dir.appendingPathComponent("case")
        let export = folder.appendingPathComponent("export")
        try FileManager.default.createDirectory(at: export, withIntermediateDirectories: true)
        let mount = try TmpfsMount.mount(at: export, size: size)
        defer { mount.unmount() }

        let image = try evidenceCopy(fixture, in: dir)
        let reference = dir.appendingPathComponent("reference")
        let whole = try Oracle.exhume(["scan", image, "--case", reference.path, "--export", "none"])
        #expect(whole.status == 0, "\(whole.stderr)")
        let expected = try caseItems(reference)
        #expect(expected.count > 10)

        let run = try Oracle.exhume(["scan", image, "--case", folder.path, "--export", "all"])
        #expect(run.status == 2, "finished with problems: \(run.stderr)")

        // One clear line about it, naming the export folder; not one line per file.
        let problems = run.stderr.split(separator: "\n").filter { $0.hasPrefix("exhume:") }
        #expect(problems.count == 1, "\(run.stderr)")
        let line = try #require(problems.first.map(String.init))
        #expect(line.contains("no space left on \(export.path)/img1"), "\(line)")
        #expect(line.contains("export stopped"), "\(line)")

        // Every item is recorded, with the same digests as a scan without export.
        #expect(try caseItems(folder) == expected)

        // Exported items have their complete file; nothing else is on the disk (no partial files).
        let rows = try sqlite(folder, "SELECT exported_path || '|' || sha256 || '|' || size FROM item WHERE exported_path IS NOT NULL")
        #expect(rows.count > 0, "some files fit before the disk was full")
        #expect(rows.count < expected.count, "the tmpfs is smaller than the content")
        var exported = Set<String>()
        for row in rows {
            let fields = row.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            try #require(fields.count == 3 && fields[0].hasPrefix("export/"), "\(row)")
            let file = folder.appendingPathComponent(fields[0])
            exported.insert(String(fields[0].dropFirst("export/".count)))
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            #expect((attributes[.size] as? NSNumber)?.int64Value == Int64(fields[2]), "\(fields[0]) is complete")
            let sum = try Oracle.run("sha256sum", [file.path])
            #expect(sum.text.split(separator: " ").first.map(String.init) == fields[1], "\(fields[0])")
        }
        #expect(regularFiles(below: export) == exported, "no partial or unrecorded file is left")

        // The message's counts are the case's.
        let notExported = expected.count - rows.count
        #expect(line.contains("after \(rows.count) files; \(notExported) items not exported"), "\(line)")

        // The database is intact and the case reads back.
        #expect(try sqlite(folder, "PRAGMA integrity_check") == ["ok"])
        #expect(try sqlite(folder, "SELECT status FROM scan") == ["complete"])
        let report = try Oracle.exhume(["report", "--json", folder.path])
        #expect(report.status == 0, "\(report.stderr)")
        let summary = try JSONSerialization.jsonObject(with: report.stdout) as? [String: Any]
        let bySource = summary?["countsBySource"] as? [String: Int] ?? [:]
        #expect(bySource.values.reduce(0, +) == expected.count)

        return try sqlite(folder, "SELECT source || '|' || (exported_path IS NOT NULL) FROM item ORDER BY id").map { row in
            let fields = row.split(separator: "|").map(String.init)
            return Row(source: fields.first ?? "", exported: fields.last == "1")
        }
    }
}

/// A tmpfs of a fixed size mounted (as root) on a folder for one test. Tests that need
/// one are skipped with a reason when mounting is not allowed here (not root, no
/// CAP_SYS_ADMIN, a container without mount rights).
struct TmpfsMount {
    let point: URL

    /// `mount -t tmpfs -o size=SIZE`; cancels (skips) the running test, with mount's reason,
    /// when mounting is refused: whether it is allowed is only known by trying.
    static func mount(at point: URL, size: String) throws -> TmpfsMount {
        let run = try Oracle.run("mount", ["-t", "tmpfs", "-o", "size=\(size),mode=0755", "exhume-test", point.path])
        if run.status != 0 {
            try Test.cancel(Comment(rawValue: "cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): \(run.stderr.split(separator: "\n").first ?? ""); disk-full tests skipped"))
        }
        return TmpfsMount(point: point)
    }

    /// `mount -o remount,size=SIZE`: more (or less) room without losing what is there.
    func resize(_ size: String) throws {
        let run = try Oracle.run("mount", ["-o", "remount,size=\(size)", point.path])
        guard run.status == 0 else { throw TmpfsError(message: "remount \(point.path): \(run.stderr)") }
    }

    /// `umount`, lazily if something still holds the mount.
    func unmount() {
        if (try? Oracle.run("umount", [point.path]))?.status != 0 {
            _ = try? Oracle.run("umount", ["-l", point.path])
        }
    }
}

struct TmpfsError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
