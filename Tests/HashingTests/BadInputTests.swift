import Foundation
import GRDB
@testable import Hashing
import Testing

/// A hostile or damaged file per reader: a clear error naming the file and the
/// line (row, byte offset), never a crash.
struct BadInputTests {
    typealias T = TestSets

    /// Reads `path` and returns the error it must raise.
    func failure(_ path: String, format: HashSetFormat? = nil) throws -> HashSetError {
        let error = #expect(throws: HashSetError.self) { _ = try T.readAll(path, format: format) }
        return try #require(error)
    }

    @Test func digestListWrongLengthAndBadHex() throws {
        let dir = try ScratchFolder("bad-md5sum")
        let path = try dir.write("\(T.helloMD5)  a\n\(T.worldMD5)  b\n\(T.helloMD5.dropLast())  c\n", named: "short.md5")
        let error = try failure(path)
        #expect(error.code == .badDigest)
        #expect(error.path == path && error.line == 3)
        #expect(error.description.contains("short.md5 (line 3)"))
        #expect(error.message.contains("wrong hash length 31"))

        let nonHex = try dir.write("\(T.helloMD5)  a\nzz41402abc4b2a76b9719d911017c592  b\n", named: "nonhex.md5")
        let second = try failure(nonHex, format: .digestList)
        #expect(second.line == 2 && second.message.contains("not a hex digit at position 1"))

        let tagged = try dir.write("MD5 (x) = \(T.helloSHA1)\n", named: "tag.md5")
        #expect(try failure(tagged, format: .digestList).line == 1)
    }

    @Test func hashdeepMalformed() throws {
        let dir = try ScratchFolder("bad-hashdeep")
        let fields = try dir.write("""
            %%%% HASHDEEP-1.0
            %%%% size,md5,sha256,filename
            5,\(T.helloMD5),\(T.helloSHA256),ok.txt
            5,\(T.helloMD5)
            """, named: "fields.hashdeep")
        let error = try failure(fields)
        #expect(error.code == .malformed && error.line == 4 && error.path == fields)

        let size = try dir.write("""
            %%%% HASHDEEP-1.0
            %%%% size,md5,filename
            five,\(T.helloMD5),x
            """, named: "size.hashdeep")
        #expect(try failure(size).line == 3)

        let sha = try dir.write("""
            %%%% HASHDEEP-1.0
            %%%% md5,sha256,filename
            \(T.helloMD5),\(T.helloSHA1),x
            """, named: "sha.hashdeep")
        let wrong = try failure(sha)
        #expect(wrong.code == .badDigest && wrong.line == 3 && wrong.message.contains("expected 64"))

        let headless = try dir.write("%%%% HASHDEEP-1.0\n\(T.helloMD5),x\n", named: "headless.hashdeep")
        #expect(try failure(headless, format: .hashdeep).line == 2)
    }

    @Test func nsrlDatabaseWithoutFileTable() throws {
        let dir = try ScratchFolder("bad-nsrl3")
        let path = dir.path("empty.db")
        do {
            try DatabaseQueue(path: path).write { try $0.execute(sql: "CREATE TABLE PKG (package_id INTEGER, name VARCHAR);") }
        }
        let error = try failure(path)
        #expect(error.code == .database && error.path == path)
        #expect(error.message.contains("no FILE table"))

        let badRow = dir.path("badrow.db")
        do {
            try DatabaseQueue(path: badRow).write { try $0.execute(sql: """
                CREATE TABLE FILE (sha256, sha1, md5, crc32, file_name, file_size, package_id);
                INSERT INTO FILE VALUES ('\(T.helloSHA256)', '\(T.helloSHA1)', '\(T.helloMD5)', '0', 'a', 5, 1);
                INSERT INTO FILE VALUES ('\(T.worldSHA256)', '\(T.worldSHA1)', 'ABC', '0', 'b', 5, 1);
                """) }
        }
        let rowError = try failure(badRow)
        #expect(rowError.row == 2 && rowError.code == .badDigest && rowError.description.contains("row 2"))

        // Not a database at all, read as one.
        let text = try dir.write("hello", named: "not.db")
        let notDatabase = try failure(text, format: .nsrlSQLite)
        #expect(notDatabase.code == .database && notDatabase.path == text)
        #expect(notDatabase.underlying == "file is not a database")

        // A database damaged part-way through FILE: the rows before it were read, then a clear error.
        let damaged = dir.path("damaged.db")
        try DatabaseQueue(path: damaged).write { db in
            try db.execute(sql: "CREATE TABLE FILE (sha256, sha1, md5, crc32, file_name, file_size, package_id)")
            for i in 0..<5_000 {
                try db.execute(sql: "INSERT INTO FILE VALUES (NULL, NULL, ?, '0', ?, 5, 1)",
                               arguments: [T.helloMD5, "file \(i) with a name long enough to fill some pages"])
            }
        }
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: damaged)))
        for i in (bytes.count / 2)..<(bytes.count / 2 + 8_192) { bytes[i] = 0x55 }
        try Data(bytes).write(to: URL(fileURLWithPath: damaged))
        var read = 0
        let midway = #expect(throws: HashSetError.self) {
            try HashSetFormat.reader(path: damaged, format: .nsrlSQLite).forEach { _ in read += 1 }
        }
        #expect(midway?.code == .database && midway?.path == damaged)
        #expect(midway?.message == "reading the database failed" && midway?.underlying == "database disk image is malformed")
        #expect(read > 0 && read < 5_000)
    }

    @Test func nsrlLegacyBroken() throws {
        let dir = try ScratchFolder("bad-nsrl2")
        let path = try dir.write("""
            "SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode","SpecialCode"
            "\(T.helloSHA1)","\(T.helloMD5)","0","a",5,1,"WIN",""
            "\(T.worldSHA1)","\(T.worldMD5)","0","unterminated,5,1,"WIN",""
            """, named: "NSRLFile.txt")
        let error = try failure(path)
        #expect(error.line == 3 && error.code == .malformed && error.path == path)

        let open = try dir.write("""
            "SHA-1","MD5"
            "\(T.helloSHA1)","\(T.helloMD5)
            """, named: "open.txt")
        let unclosed = try failure(open, format: .nsrlLegacy)
        #expect(unclosed.line == 2 && unclosed.message.contains("quoted field is not closed"))

        let short = try dir.write("""
            "SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode","SpecialCode"
            "\(T.helloSHA1.dropLast(2))","\(T.helloMD5)","0","a",5,1,"WIN",""
            """, named: "short.txt")
        let second = try failure(short)
        #expect(second.line == 2 && second.message.contains("wrong hash length 38"))
    }

    @Test func vicsTruncatedAndWrongHash() throws {
        let dir = try ScratchFolder("bad-vics")
        let truncated = try dir.write("""
            {"value": [
              {"MD5": "\(T.helloMD5)", "Category": 1},
              {"MD5": "\(T.worldMD5)", "Cat
            """, named: "truncated.json")
        var seen: [KnownHash] = []
        let error = #expect(throws: HashSetError.self) {
            try VICSReader(path: truncated).forEach { seen.append($0) }
        }
        #expect(seen.count == 1)  // streamed: the first entry came before the damage
        #expect(error?.code == .malformed)
        #expect(error?.line == 3)
        #expect(error?.offset != nil)
        #expect(error?.message.contains("truncated") == true)
        #expect(error?.path == truncated)

        let wrong = try dir.write("""
            {"value": [
              {"MD5": "\(T.helloMD5)"},
              {"MD5": "\(T.helloSHA1)"}
            ]}
            """, named: "wrong.json")
        let second = try failure(wrong)
        #expect(second.code == .badDigest && second.line == 3 && second.message.contains("expected 32"))

        let garbage = try dir.write("{\"value\": [1, 2,, 3]}", named: "garbage.json")
        #expect(try failure(garbage).line == 1)

        let trailing = try dir.write("{\"value\": []} x", named: "trailing.json")
        #expect(try failure(trailing).message.contains("after the end"))

        let deep = try dir.write(String(repeating: "[", count: 100_000), named: "deep.json")
        #expect(try failure(deep).message.contains("nested deeper"))
    }

    @Test func icseAndHashKeeperBroken() throws {
        let dir = try ScratchFolder("bad-csv")
        let icse = try dir.write("""
            MD5;SHA1;PhotoDNA;Image ID
            \(T.helloMD5);\(T.helloSHA1);A;1
            \(T.worldMD5);\(T.worldSHA1);B
            """, named: "icse.csv")
        let error = try failure(icse)
        #expect(error.line == 3 && error.message.contains("3 fields"))

        let icseHash = try dir.write("""
            MD5;SHA1;PhotoDNA;Image ID
            \(T.helloSHA1);;A;1
            """, named: "icse2.csv")
        #expect(try failure(icseHash).line == 2)

        let hk = try dir.write("""
            "file_id","hashset_id","file_name","directory","hash","file_size","date_modified","time_modified","time_zone","comments","date_accessed","time_accessed"
            1,42,"a","d","\(T.helloSHA256)",5,"","","","","",""
            """, named: "bad.hke")
        let hkError = try failure(hk)
        #expect(hkError.line == 2 && hkError.message.contains("expected 32"))
    }

    @Test func unknownAndMissingFiles() throws {
        let dir = try ScratchFolder("bad-any")
        let random = try dir.write("this is not a hash set\nat all\n", named: "notes.txt")
        let error = #expect(throws: HashSetError.self) { try HashSetFormat.detect(path: random) }
        #expect(error?.code == .unsupportedFormat && error?.path == random)
        let empty = try dir.write("", named: "empty")
        #expect(throws: HashSetError.self) { try HashSetFormat.detect(path: empty) }
        let missing = dir.path("missing.md5")
        let notFound = #expect(throws: HashSetError.self) { try T.readAll(missing, format: .digestList) }
        #expect(notFound?.code == .notFound)
        #expect(throws: HashSetError.self) { try T.readAll(dir.url.path, format: .digestList) }
    }
}
