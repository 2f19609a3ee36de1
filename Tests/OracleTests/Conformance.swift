import Evidence
import ExhumeKit
import ExhumeTestSupport
import Foundation
import SleuthKit
import Testing
import Timeline

/// The checks shared by the corpus and fixture conformance suites.
enum Conformance {
    /// TSK converts FAT local times with the process zone; the oracles run with TZ=UTC.
    static func prepare() {
        setenv("TZ", "UTC", 1)
        tzset()
    }

    static func ourBodyfile(_ path: String, offset: UInt64? = nil) throws -> (lines: [[UInt8]], opened: Bool) {
        let exam: Examination
        do {
            exam = try Examination(path: path, sectorOffset: offset)
        } catch {
            return ([], false)
        }
        var lines: [[UInt8]] = []
        _ = TimelineBuilder().bodyfile(exam) { lines.append($0) }
        return (lines, true)
    }

    static func bodyfileMatchesTskGettimes(_ path: String) throws {
        let oracle = try Oracle.run("tsk_gettimes", [path])
        let ours = try ourBodyfile(path)
        if oracle.lines.isEmpty {
            // TSK found nothing to walk: we must say so too, not invent entries.
            #expect(ours.lines.isEmpty, "tsk_gettimes found nothing in \(path) but we listed \(ours.lines.count) lines")
            return
        }
        #expect(ours.opened, "we could not open \(path) which tsk_gettimes walks")
        compareLineSets(ours.lines, oracle.lines, what: "bodyfile of \(path)")
    }

    static func fileSystemOffsets(_ path: String) throws -> [UInt64] {
        let mmls = try Oracle.run("mmls", [path])
        if mmls.status != 0 { return [0] }
        return OracleParsing.mmlsRows(mmls.text)
            .filter { !$0.description.contains("Unallocated") && !$0.description.contains("Table") && !$0.description.contains("Extended") }
            .map(\.start)
    }

    static func perFileSystemMatchesFls(_ path: String) throws {
        for offset in try fileSystemOffsets(path) {
            let exam: Examination
            do {
                exam = try Examination(path: path, sectorOffset: offset)
            } catch {
                let fls = try Oracle.run("fls", ["-r", "-p", "-o", "\(offset)", path])
                #expect(fls.status != 0, "fls reads the file system at sector \(offset) of \(path) but we fail: \(error)")
                continue
            }
            for mounted in exam.fileSystems {
                // A pool volume (APFS) is reached with fls -B BLOCK; we name it poolVolN/ under the prefix.
                let pool = mounted.poolVolume.map { ["-B", "\($0.block)"] } ?? []
                let fls = try Oracle.run("fls", ["-r", "-p", "-o", "\(offset)"] + pool + [path])
                let flsBody = try Oracle.run("fls", ["-r", "-m", "/", "-o", "\(offset)"] + pool + [path])
                #expect(fls.status == 0, "we open a file system at sector \(offset) of \(path) that fls cannot")
                var listing: [[UInt8]] = []
                var body: [[UInt8]] = []
                var deleted = 0
                let prefix = mounted.bodyPrefix
                mounted.fileSystem.walk { entry in
                    body.append(Bodyfile.line(for: entry, prefix: Array("/".utf8)))
                    guard !entry.isFileNameAttribute else { return true }
                    listing.append(Listing.flsLine(entry))
                    if entry.isDeleted { deleted += 1 }
                    return true
                }
                #expect(prefix == Array("/".utf8) || mounted.poolVolume != nil)
                let counts = OracleParsing.flsCounts(fls.lines)
                #expect(listing.count == counts.total, "entries at sector \(offset) of \(path)")
                #expect(deleted == counts.deleted, "deleted entries at sector \(offset) of \(path)")
                compareLineSets(listing, fls.lines, what: "fls -r -p -o \(offset) \(path)")
                compareLineSets(body, flsBody.lines, what: "fls -r -m / -o \(offset) \(path)")
            }
        }
    }

    static func partitionsMatchMmls(_ path: String) throws {
        let mmls = try Oracle.run("mmls", [path])
        let exam: Examination
        do {
            exam = try Examination(path: path, requireFileSystem: false)
        } catch {
            Issue.record("cannot open \(path): \(error)")
            return
        }
        guard mmls.status == 0 else {
            #expect(exam.volumeSystem == nil, "mmls finds no partition table in \(path), we do")
            return
        }
        let vs = try #require(exam.volumeSystem, "mmls finds a partition table in \(path), we do not")
        let ours = vs.partitions.map {
            OracleParsing.MmlsRow(slot: $0.slot, start: $0.start, length: $0.length, description: $0.description)
        }
        #expect(ours == OracleParsing.mmlsRows(mmls.text))
        let report = ImageReport(exam)
        let oracleRows = mmls.text.split(separator: "\n").filter { $0.first?.isNumber == true }.map(String.init)
        #expect(report.mmlsRows() == oracleRows, "mmls-style rows of \(path)")
    }

    static func verifyMatchesEwfverify(_ path: String) throws {
        let oracle = try Oracle.run("ewfverify", ["-q", path])
        let source = try Image.open(path)
        let result = try MediaVerifier(stripeSize: 1 << 20).verify(source)
        let oracleMD5 = try #require(OracleParsing.ewfverifyMD5(oracle.text), "ewfverify output: \(oracle.text)")
        #expect(result.computedMD5 == oracleMD5)
        #expect((result.verdict == .verified) == (oracle.status == 0), "verdict \(result.verdict) vs ewfverify exit \(oracle.status)")
    }

    static func compareLineSets(_ ours: [[UInt8]], _ theirs: [[UInt8]], what: String,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        let a = Set(ours)
        let b = Set(theirs)
        let missing = b.subtracting(a).map { String(decoding: $0, as: UTF8.self) }.sorted()
        let extra = a.subtracting(b).map { String(decoding: $0, as: UTF8.self) }.sorted()
        #expect(missing.isEmpty && extra.isEmpty,
                "\(what): \(missing.count) lines missing, \(extra.count) extra\nmissing: \(missing.prefix(5))\nextra: \(extra.prefix(5))",
                sourceLocation: sourceLocation)
        #expect(ours.count == theirs.count, "\(what): \(ours.count) lines, oracle \(theirs.count)", sourceLocation: sourceLocation)
    }
}

extension Conformance {
    /// Our mactime-style rows against TSK's `mactime -d -y` over `tsk_gettimes`'
    /// body file: same rows (date to the second, size, MACB letters, mode,
    /// uid, gid, meta, name). mactime also prints times of 0 as
    /// `0000-00-00…`; we leave unset times out, so those rows are skipped.
    static func timelineMatchesMactime(_ path: String) throws {
        let body = try Oracle.run("tsk_gettimes", [path])
        guard !body.lines.isEmpty else { return }
        let dir = try Locations.temporaryDirectory("mactime")
        defer { try? FileManager.default.removeItem(at: dir) }
        let bodyFile = dir.appendingPathComponent("body.txt")
        try body.stdout.write(to: bodyFile)
        let mactime = try Oracle.run("mactime", ["-b", bodyFile.path, "-d", "-y", "-z", "UTC"])
        let theirs = mactime.text.split(separator: "\n").dropFirst().compactMap { line -> String? in
            guard !line.hasPrefix("0000-00-00") else { return nil }
            var fields = line.split(separator: ",", maxSplits: 7, omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 8 else { return nil }
            if fields[7].hasPrefix("\""), fields[7].hasSuffix("\""), fields[7].count >= 2 {
                fields[7] = String(fields[7].dropFirst().dropLast())
            }
            return fields.joined(separator: ",")
        }
        let exam = try Examination(path: path)
        let ours = TimelineBuilder().events(exam).events.map { event -> String in
            var date = TimelineBuilder.csvRow(event).split(separator: ",", maxSplits: 1).first.map(String.init) ?? ""
            if let dot = date.firstIndex(of: ".") { date = String(date[..<dot]) + "Z" }
            return [date, "\(event.size)", event.activity, event.mode, "\(event.uid)", "\(event.gid)", event.meta, event.name]
                .joined(separator: ",")
        }
        #expect(ours.sorted() == theirs.sorted(), "mactime rows of \(path): \(ours.count) vs \(theirs.count); first differences: \(Array(Set(ours).symmetricDifference(Set(theirs)).sorted().prefix(4)))")
    }
}
