import ExhumeTestSupport
import Foundation
import Testing

/// Every bad input of Fixtures/bad: a clear error naming the file, the right
/// exit code, no crash, no hang, and what can still be read is read.
@Suite(.serialized)
struct FixtureBadInputTests {
    init() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Locations.exhumeBinary.path),
                     "build the CLI first (`swift build`; `make test` does)")
    }

    func run(_ arguments: [String]) throws -> ToolRun {
        try Oracle.exhume(arguments, timeout: 60)
    }

    @Test func emptyAndRandom() throws {
        for name in ["bad/empty.raw", "bad/random.bin"] {
            let path = try Fixtures.path(name)
            let ls = try run(["ls", path])
            #expect(ls.status == 65, "\(name): \(ls.stderr)")
            #expect(ls.stderr.contains(name.split(separator: "/").last!))
            #expect(try run(["timeline", path]).status == 65)
        }
    }

    @Test func truncatedE01() throws {
        let path = try Fixtures.path("bad/truncated.E01")
        let info = try run(["info", path])
        #expect(info.status == 2)
        #expect(info.stderr.contains("truncated.E01") && info.stderr.contains("truncated"))
        let verify = try run(["verify", "--json", path])
        #expect(verify.status == 1)
        let report = try JSONSerialization.jsonObject(with: verify.stdout) as? [String: Any]
        #expect(report?["verdict"] as? String == "mismatch")
        let ls = try run(["ls", path])
        #expect(ls.status == 65 || ls.status == 2, "\(ls.stderr)")
        #expect(ls.stderr.contains("truncated.E01"))
    }

    @Test func missingMiddleSegment() throws {
        let path = try Fixtures.path("bad/missing-segment/multi.E01")
        for command in ["info", "verify", "ls", "timeline"] {
            let result = try run([command, path])
            #expect(result.status == 66, "\(command): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("multi.E02"), "\(command): \(result.stderr)")
        }
        let json = try run(["verify", "--json", path])
        #expect(json.status == 66)
        let report = try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any]
        #expect(report?["verdict"] as? String == "unreadable")
    }

    @Test func corruptChunkIsReportedWhileListingWorks() throws {
        let path = try Fixtures.path("bad/corrupt-chunk.E01")
        let verify = try run(["verify", "--json", path])
        #expect(verify.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: verify.stdout) as? [String: Any])
        let errors = try #require(report["checksum_errors"] as? [[String: Any]])
        // ewfverify: "sector validation errors … at sector(s): 10688 - 10751".
        #expect(errors.count == 1)
        #expect(errors.first?["start_sector"] as? Int == 10688)
        #expect(errors.first?["sectors"] as? Int == 64)
        let ls = try run(["ls", "--json", path])
        #expect(ls.status == 0, "\(ls.stderr)")
        let offsets = Set(try ls.lines.map { try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }.compactMap { $0?["offset"] as? Int })
        #expect(offsets == [2048, 8192])
    }

    @Test func damagedFileSystems() throws {
        let ext4 = try run(["ls", try Fixtures.path("bad/damaged-fs.raw")])
        #expect(ext4.status == 65)
        #expect(ext4.stderr.contains("damaged-fs.raw") && ext4.stderr.contains("Cannot determine file system type"))
        // Broken FAT chains: TSK still lists every name; so must we.
        let fatPath = try Fixtures.path("bad/damaged-fat.raw")
        let fat = try run(["ls", fatPath])
        #expect(fat.status == 0 || fat.status == 2)
        let fls = try Oracle.run("fls", ["-r", "-p", fatPath])
        #expect(Set(fat.lines) == Set(fls.lines))
    }

    @Test func nothingIsWrittenNearTheEvidence() throws {
        let dir = try Fixtures.directory.appendingPathComponent("bad")
        let before = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        _ = try run(["verify", dir.appendingPathComponent("corrupt-chunk.E01").path])
        _ = try run(["timeline", "--format", "csv", dir.appendingPathComponent("damaged-fat.raw").path])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == before)
    }
}
