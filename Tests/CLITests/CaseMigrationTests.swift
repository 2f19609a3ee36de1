import ExhumeTestSupport
import Foundation
import Testing

/// Cases written by the release before schema v3 (`Fixtures/cases/v2-*.sqlite.gz`:
/// `exhume scan Fixtures/mbr.E01 --batch-size 3` at commit 916a19c, one run to the
/// end, one stopped after two committed batches) open, migrate, report and
/// resume with today's code as a case it writes itself.
@Suite(.serialized)
struct CaseMigrationTests {
    /// The image copied into `dir` and the old case unpacked beside it, its image
    /// row pointed at the copy (the case stores the absolute path it was made with).
    func oldCase(_ name: String, in dir: URL) throws -> (image: String, folder: URL) {
        let image = dir.appendingPathComponent("mbr.E01")
        try FileManager.default.copyItem(at: Locations.fixtures.appendingPathComponent("mbr.E01"), to: image)
        let folder = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let packed = Locations.fixtures.appendingPathComponent("cases/v2-\(name).sqlite.gz")
        let unpack = try Oracle.run("bash", ["-c", "gunzip -c \"$1\" > \"$2\"", "_", packed.path,
                                             folder.appendingPathComponent("case.sqlite").path])
        #expect(unpack.status == 0, "\(unpack.stderr)")
        #expect(try sqlite(folder, "UPDATE image SET path = '\(image.path)'; SELECT count(*) FROM image") == ["1"])
        return (image.path, folder)
    }

    func sqlite(_ folder: URL, _ sql: String) throws -> [String] {
        let run = try Oracle.run("sqlite3", [folder.appendingPathComponent("case.sqlite").path, sql])
        #expect(run.status == 0, "sqlite3: \(run.stderr)")
        return run.text.split(separator: "\n").map(String.init)
    }

    func caseItems(_ folder: URL) throws -> [String] {
        try sqlite(folder, "SELECT key || '|' || source || '|' || coalesce(path, '') || '|' || coalesce(sha256, '') || '|' || coalesce(mime, '') FROM item ORDER BY key")
    }

    @Test func aCompleteOldCaseMigratesAndReportsAsANewOne() throws {
        let dir = try Locations.temporaryDirectory("migrate")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (image, old) = try oldCase("complete", in: dir)
        #expect(try sqlite(old, "SELECT identifier FROM grdb_migrations ORDER BY 1") == ["v1", "v2"])
        let fresh = dir.appendingPathComponent("fresh")
        #expect(try Oracle.exhume(["scan", image, "--case", fresh.path, "--batch-size", "3"]).status == 0)

        for arguments in [["report"], ["report", "--json"], ["ls", "--case"], ["ls", "--case", "--json"],
                          ["timeline", "--case", "--format", "csv"]] {
            func run(_ folder: URL) throws -> ToolRun {
                var command = arguments
                command.insert(folder.path, at: arguments.contains("--case") ? arguments.firstIndex(of: "--case")! + 1 : 1)
                return try Oracle.exhume(command)
            }
            let before = try run(old), after = try run(fresh)
            #expect(before.status == 0, "\(arguments): \(before.stderr)")
            // The report names its case folder; everything else must be the same.
            #expect(before.text.replacingOccurrences(of: old.path, with: "CASE")
                    == after.text.replacingOccurrences(of: fresh.path, with: "CASE"), "\(arguments)")
        }
        // Reading migrated it: the new columns exist, empty for every item of the image itself.
        #expect(try sqlite(old, "SELECT identifier FROM grdb_migrations ORDER BY 1") == ["v1", "v2", "v3"])
        #expect(try sqlite(old, "SELECT count(*) FROM item WHERE parent_item IS NOT NULL OR path_in_parent IS NOT NULL OR offset_in_parent IS NOT NULL") == ["0"])
        #expect(try caseItems(old) == (try caseItems(fresh)))
        // Scanned to the end already: refused without --rescan, as a case of today's would be.
        let again = try Oracle.exhume(["scan", image, "--case", old.path])
        #expect(again.status == 64)
        #expect(again.stderr.contains("already scanned"))
    }

    @Test func anInterruptedOldCaseResumesToTheCaseAFullScanMakes() throws {
        let dir = try Locations.temporaryDirectory("migrate-resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (image, old) = try oldCase("interrupted", in: dir)
        #expect(try sqlite(old, "SELECT count(*), (SELECT status FROM image) FROM item") == ["6|scanning"])
        let resumed = try Oracle.exhume(["scan", image, "--case", old.path, "--batch-size", "3"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.text.contains("resumed"))
        let fresh = dir.appendingPathComponent("fresh")
        #expect(try Oracle.exhume(["scan", image, "--case", fresh.path, "--batch-size", "3"]).status == 0)
        #expect(try caseItems(old) == (try caseItems(fresh)))
        let imageRow = "SELECT status, computed_md5, verification FROM image"
        #expect(try sqlite(old, imageRow) == (try sqlite(fresh, imageRow)))
    }
}
