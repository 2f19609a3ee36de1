import Foundation
import Testing
import GRDB
@testable import CaseStore
import ExhumeTestSupport

/// A fresh case folder (not yet created: `CaseDatabase` must make it).
private func caseFolder(_ label: String) throws -> URL {
    try Locations.temporaryDirectory("case-\(label)").appendingPathComponent("case")
}

private func sampleImage(_ path: String = "/evidence/disk.E01") -> ImageRecord {
    ImageRecord(path: path, format: "ewf", size: 1 << 30, sectorSize: 512, caseNumber: "C-1",
                evidenceNumber: "E-7", examiner: "ana", description: "laptop", notes: "seized",
                acquired: "2024-03-01T10:00:00Z", software: "ewfacquire",
                storedMD5: String(repeating: "a", count: 32), storedSHA1: String(repeating: "b", count: 40))
}

private func item(_ image: Int64, _ n: Int, source: String = "allocated", hits: [HitRecord] = []) -> ItemRecord {
    ItemRecord(imageID: image, key: "fs@2048/addr \(n)", source: source, path: "dir/file\(n).jpg",
               addr: "\(n)", fsOffset: 2048, deleted: source == "deleted", size: Int64(n * 10),
               bytesRead: Int64(n * 10), atime: "2024-01-01T00:00:00Z", mtime: "2024-01-02T00:00:00Z",
               ctime: nil, crtime: "2023-12-31T00:00:00Z", mime: n % 2 == 0 ? "image/jpeg" : "text/plain",
               extensionMismatch: n % 2 == 1, md5: String(format: "%032x", n),
               sha1: String(format: "%040x", n), sha256: String(format: "%064x", n), hits: hits)
}

@Suite struct CaseStoreTests {
    @Test func createsFolderAndMigrates() throws {
        let folder = try caseFolder("create")
        do {
            let db = try CaseDatabase(folder: folder)
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("case.sqlite").path))
            let tables = try db.queue.read { db in
                try String.fetchSet(db, sql: "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
            }
            for name in ["scan", "image", "volume", "filesystem", "item", "hit", "hash", "item_event"] {
                #expect(tables.contains(name), "missing \(name)")
            }
            let mode = try db.queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
            #expect(mode == "wal")
            let id = try db.addImage(sampleImage())
            #expect(id > 0)
        }
        // Reopening runs the migrator again, which must be a no-op and keep the data.
        let again = try CaseDatabase(folder: folder)
        let image = try #require(try again.image(path: "/evidence/disk.E01"))
        var expected = sampleImage()
        expected.id = image.id
        #expect(image == expected)
        #expect(try again.image(path: "/nope") == nil)
    }

    @Test func scansImagesVolumesFileSystems() throws {
        let db = try CaseDatabase(folder: try caseFolder("scan"))
        let scan = try db.beginScan(toolVersion: "0.1", commandLine: "exhume scan x --case y")
        #expect(try db.scans().first?.status == .running)
        try db.finishScan(scan, status: .complete)
        let stored = try #require(try db.scans().first)
        #expect(stored.status == .complete && stored.ended != nil && stored.commandLine == "exhume scan x --case y")
        #expect(throws: CaseError.self) { try db.finishScan(999, status: .failed) }

        let image = try db.addImage(sampleImage())
        #expect { try db.addImage(sampleImage()) } throws: { ($0 as? CaseError)?.code == .duplicateImage }
        try db.setImageStatus(image, status: .complete, computedMD5: "aa", computedSHA1: "bb", verification: .verified)
        let read = try #require(try db.image(path: "/evidence/disk.E01"))
        #expect(read.status == .complete && read.verification == .verified && read.computedMD5 == "aa" && read.computedSHA1 == "bb")

        let volume = VolumeRecord(imageID: image, slot: 2, start: 2048, length: 4096, description: "Linux (0x83)", kind: "allocated")
        try db.addVolume(volume)
        try db.addVolume(volume)  // resume: ignored
        #expect(try db.volumes(image: image) == [volume])
        let fs = FileSystemRecord(imageID: image, sectorOffset: 2048, type: "ext4", label: "root", blockSize: 4096, blockCount: 512)
        let fsID = try db.addFileSystem(fs)
        #expect(try db.addFileSystem(fs) == fsID)
        #expect(try db.fileSystems(image: image) == [fs])
    }

    @Test func insertsBatchesWithHitsAndReadsThemBack() throws {
        let db = try CaseDatabase(folder: try caseFolder("items"))
        let image = try db.addImage(sampleImage())
        let bad = HitRecord(setName: "vics", kind: .knownBad, category: "1", matched: String(format: "%032x", 3))
        let good = HitRecord(setName: "nsrl", kind: .knownGood, category: nil, matched: String(format: "%040x", 3))
        var all: [ItemRecord] = []
        for n in 1...2500 {
            all.append(item(image, n, source: n % 5 == 0 ? "deleted" : "allocated", hits: n == 3 ? [bad, good] : []))
        }
        var carved = ItemRecord(imageID: image, key: "carved@12345", source: "carved", size: 99, bytesRead: 99,
                                imageOffset: 12345, imageLength: 99, rule: "jpeg", verdict: .complete,
                                mime: "image/jpeg", md5: "ff", hits: [bad])
        all.append(carved)
        for start in stride(from: 0, to: all.count, by: 1000) {
            try db.insert(Array(all[start..<min(start + 1000, all.count)]))
        }

        let back = try db.items()
        #expect(back.count == all.count)
        for (stored, original) in zip(back, all) {
            var expected = original
            expected.id = stored.id
            #expect(stored == expected)
        }
        let withHits = try db.items(hitsOnly: true)
        #expect(withHits.map(\.key) == ["fs@2048/addr 3", "carved@12345"])
        #expect(withHits[0].hits == [bad, good])
        carved.id = withHits[1].id
        #expect(withHits[1] == carved)
        #expect(try db.items(source: "carved").map(\.key) == ["carved@12345"])
        #expect(try db.items(source: "deleted", limit: 3).map(\.key) == ["fs@2048/addr 5", "fs@2048/addr 10", "fs@2048/addr 15"])
        #expect(try db.items(mismatchOnly: true).count == 1250)
        #expect(try db.items(source: "allocated", hitsOnly: true, mismatchOnly: true).map(\.key) == ["fs@2048/addr 3"])

        // The views: hashes by item, one timeline row per set MACB time (a, m, b here).
        let hashes = try db.queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM hash WHERE md5 IS NOT NULL") }
        #expect(hashes == all.count)
        let events = try db.queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM item_event") }
        #expect(events == 2500 * 3)
    }

    @Test func duplicateKeysAreIgnoredAndKeysSupportResume() throws {
        let db = try CaseDatabase(folder: try caseFolder("dup"))
        let image = try db.addImage(sampleImage())
        let other = try db.addImage(sampleImage("/evidence/other.dd"))
        let hit = HitRecord(setName: "vics", kind: .knownBad, category: "2", matched: "x")
        try db.insert([item(image, 1, hits: [hit]), item(image, 2)])
        // A resumed scan re-sends item 2 (changed) and item 1 with its hit, in one batch with new ones.
        var changed = item(image, 2)
        changed.path = "changed"
        try db.insert([item(image, 1, hits: [hit]), changed, item(image, 3), item(image, 3)])
        // The same key in another image is a different item.
        try db.insert([item(other, 1)])

        func keys(_ image: Int64) throws -> Set<String> {
            var found = Set<String>()
            try db.forEachItemKey(image: image) { found.insert($0) }
            return found
        }
        #expect(try keys(image) == ["fs@2048/addr 1", "fs@2048/addr 2", "fs@2048/addr 3"])
        #expect(try keys(other) == ["fs@2048/addr 1"])
        #expect(try keys(999) == [])
        let items = try db.items()
        #expect(items.count == 4)
        #expect(items.first { $0.key == "fs@2048/addr 2" && $0.imageID == image }?.path == "dir/file2.jpg")
        #expect(try db.items(hitsOnly: true).map(\.hits) == [[hit]])
    }

    @Test func countsAndReport() throws {
        let db = try CaseDatabase(folder: try caseFolder("report"))
        let image = try db.addImage(sampleImage())
        let other = try db.addImage(sampleImage("/evidence/usb.dd"))
        let bad = HitRecord(setName: "vics", kind: .knownBad, category: "1", matched: "m")
        let good = HitRecord(setName: "nsrl", kind: .knownGood, matched: "m")
        try db.insert([
            item(image, 1, hits: [good]), item(image, 2, hits: [bad]), item(image, 3, source: "deleted", hits: [bad]),
            ItemRecord(imageID: image, key: "carved@1", source: "carved", verdict: .complete, mime: "image/png"),
            ItemRecord(imageID: image, key: "carved@2", source: "carved", verdict: .partial),
            ItemRecord(imageID: other, key: "carved@1", source: "carved"),
        ])
        #expect(try db.counts(image: image) == ["allocated": 2, "deleted": 1, "carved": 2])
        #expect(try db.counts(image: other) == ["carved": 1])
        #expect(try db.counts(image: nil) == ["allocated": 2, "deleted": 1, "carved": 3])
        try db.setImageStatus(image, status: .completeWithErrors, computedMD5: "a", computedSHA1: nil, verification: .mismatch)

        let report = try db.report()
        #expect(report.countsBySource == ["allocated": 2, "deleted": 1, "carved": 3])
        #expect(report.countsByMime == ["text/plain": 2, "image/jpeg": 1, "image/png": 1, "unknown": 2])
        #expect(report.hits == [HitSummary(setName: "nsrl", kind: .knownGood, category: nil, count: 1),
                                HitSummary(setName: "vics", kind: .knownBad, category: "1", count: 2)])
        #expect(report.mismatches == 2)
        #expect(report.carvedByVerdict == ["complete": 1, "partial": 1, "unknown": 1])
        #expect(report.images.map(\.status) == [.completeWithErrors, .pending])
        // The report is Codable for `--json`.
        let json = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(CaseReport.self, from: json) == report)
    }

    @Test func setExportedRecordsPathsByKey() throws {
        let db = try CaseDatabase(folder: try caseFolder("export"))
        let image = try db.addImage(sampleImage())
        try db.insert([item(image, 1), item(image, 2)])
        try db.setExported(image: image, paths: ["fs@2048/addr 2": "export/file2.jpg", "no such key": "x"])
        #expect(try db.items().map(\.exportedPath) == [nil, "export/file2.jpg"])
    }

    @Test func lockRefusesASecondHolderUntilReleased() throws {
        let folder = try caseFolder("lock")
        var first: ScanLock? = try CaseDatabase.acquireScanLock(folder: folder)
        #expect(first != nil)
        #expect { try CaseDatabase.acquireScanLock(folder: folder) } throws: { error in
            guard let error = error as? CaseError else { return false }
            return error.code == .scanRunning && error.message.contains("another scan is running on this case")
        }
        first = nil  // deinit releases
        let second = try CaseDatabase.acquireScanLock(folder: folder)
        _ = second
    }

    /// SQLITE_FULL (here from `max_page_count`, as a full disk gives it) is `.noSpace`, names
    /// the case file, and leaves every batch committed before intact.
    @Test func aFullDatabaseIsNoSpaceAndKeepsWhatWasCommitted() throws {
        let folder = try caseFolder("full")
        let db = try CaseDatabase(folder: folder)
        let image = try db.addImage(sampleImage())
        try db.insert((1...5).map { item(image, $0) })
        try db.queue.inDatabase { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages)")
        }
        #expect { try db.insert((6...2000).map { item(image, $0) }) } throws: { error in
            guard let error = error as? CaseError else { return false }
            return error.code == .noSpace && error.message.contains(folder.appendingPathComponent("case.sqlite").path)
        }
        #expect(try db.items().map(\.key) == (1...5).map { "fs@2048/addr \($0)" })
        let check = try db.queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
        #expect(check == "ok")
    }

    @Test func corruptDatabaseGivesAClearError() throws {
        let folder = try caseFolder("corrupt")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var generator = SeededGenerator(seed: 42)
        let bytes = (0..<8192).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try Data(bytes).write(to: folder.appendingPathComponent("case.sqlite"))
        #expect { try CaseDatabase(folder: folder) } throws: { error in
            guard let error = error as? CaseError else { return false }
            return error.code == .corruptDatabase && error.message.contains("case.sqlite")
                && error.message.contains("not a valid case database")
        }
    }

    /// The typed statuses are stored as the same words the strings were.
    @Test func statusesAreStoredAsTheirWords() throws {
        let db = try CaseDatabase(folder: try caseFolder("words"))
        let scan = try db.beginScan(toolVersion: "0.1", commandLine: "exhume scan x --case y")
        try db.finishScan(scan, status: .failed)
        let image = try db.addImage(sampleImage())
        try db.setImageStatus(image, status: .completeWithErrors, computedMD5: "a", computedSHA1: nil, verification: .noStoredHash)
        try db.insert([ItemRecord(imageID: image, key: "carved@1", source: "carved", verdict: .partial,
                                  hits: [HitRecord(setName: "vics", kind: .knownBad, matched: "m")])])
        let words = try db.queue.read { db in
            [try String.fetchOne(db, sql: "SELECT status FROM scan"),
             try String.fetchOne(db, sql: "SELECT status || ' ' || verification FROM image"),
             try String.fetchOne(db, sql: "SELECT verdict FROM item"),
             try String.fetchOne(db, sql: "SELECT kind FROM hit")]
        }
        #expect(words == ["failed", "complete-with-errors no-stored-hash", "partial", "known-bad"])
        #expect(ImageStatus.completeWithErrors.description == "complete-with-errors")
        #expect(String(decoding: try JSONEncoder().encode([HitKind.knownGood]), as: UTF8.self) == "[\"known-good\"]")
    }

    /// A word this version does not know is an error to report, not a crash.
    @Test func unknownStatusWordIsAnError() throws {
        let db = try CaseDatabase(folder: try caseFolder("unknown-word"))
        _ = try db.addImage(sampleImage())
        try db.queue.write { try $0.execute(sql: "UPDATE image SET status = 'frozen'") }
        #expect(throws: (any Error).self) { try db.images() }
        #expect(throws: (any Error).self) { try db.report() }
    }
}
