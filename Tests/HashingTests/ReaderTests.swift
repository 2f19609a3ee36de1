import GRDB
@testable import Hashing
import Testing

/// Each format: written by the test, detected, read, indexed, looked up (hits
/// and misses, hex in mixed case).
struct ReaderTests {
    typealias T = TestSets

    @Test func digestListsAllForms() throws {
        let dir = try ScratchFolder("md5sum")
        let path = try dir.write("""
            # made by md5sum and friends
            \(T.helloMD5)  hello.txt
            \(T.worldSHA1.uppercased()) *world.bin
            \(T.helloSHA256)  dir/with space.txt

            \\\(T.worldMD5)  back\\\\slash\\nnewline
            SHA256 (tagged.txt) = \(T.worldSHA256)
            \(T.otherMD5.uppercased())
            """, named: "list.md5")
        #expect(try HashSetFormat.detect(path: path) == .digestList)
        let entries = try T.readAll(path)
        try #require(entries.count == 6, "\(entries)")
        #expect(entries[0].md5?.hex == T.helloMD5 && entries[0].fileName == "hello.txt")
        #expect(entries[1].sha1?.hex == T.worldSHA1 && entries[1].fileName == "world.bin")
        #expect(entries[2].sha256?.hex == T.helloSHA256 && entries[2].fileName == "dir/with space.txt")
        #expect(entries[3].md5?.hex == T.worldMD5 && entries[3].fileName == "back\\slash\nnewline")
        #expect(entries[4].sha256?.hex == T.worldSHA256 && entries[4].fileName == "tagged.txt")
        #expect(entries[5].md5?.hex == T.otherMD5 && entries[5].fileName == nil)

        let index = try T.index(path, kind: .knownGood, name: "mine")
        #expect(index.summary.records == 6)
        #expect(index.count(of: .md5) == 3 && index.count(of: .sha1) == 1 && index.count(of: .sha256) == 2)
        let hits = index.lookup(try T.digest(T.mixedCase(T.helloMD5)))
        #expect(hits == [HashHit(setName: "mine", kind: .knownGood, category: nil, fileName: "hello.txt", matched: .md5)])
        #expect(index.contains(try T.digest(T.mixedCase(T.worldSHA1))))
        #expect(index.lookup(try T.digest(T.helloSHA1)).isEmpty)
        #expect(index.lookup(try T.digest("ffffffffffffffffffffffffffffffff")).isEmpty)
    }

    @Test func hashdeepColumnsInAnyOrder() throws {
        let dir = try ScratchFolder("hashdeep")
        let path = try dir.write("""
            %%%% HASHDEEP-1.0
            %%%% size,md5,sha256,filename
            ## Invoked from: /home/user
            ## $ hashdeep -r files
            ##
            5,\(T.helloMD5),\(T.helloSHA256),/home/user/files/hello.txt
            5,\(T.worldMD5.uppercased()),\(T.worldSHA256),/home/user/files/a,b,c.txt
            """, named: "known.hashdeep")
        #expect(try HashSetFormat.detect(path: path) == .hashdeep)
        let entries = try T.readAll(path)
        try #require(entries.count == 2, "\(entries)")
        #expect(entries[1].fileName == "/home/user/files/a,b,c.txt")
        #expect(entries[1].size == 5)
        #expect(entries[1].sha256?.hex == T.worldSHA256)

        let reordered = try dir.write("""
            %%%% HASHDEEP-1.0
            %%%% sha1,filename
            \(T.helloSHA1),x.txt
            """, named: "sha1.hashdeep")
        #expect(try T.readAll(reordered).first?.sha1?.hex == T.helloSHA1)

        let index = try T.index(path)
        let hits = index.lookup(md5: try T.digest(T.mixedCase(T.worldMD5)), sha256: try T.digest(T.worldSHA256))
        #expect(hits.count == 1)  // one record, found by two digests
        #expect(hits.first?.fileName == "/home/user/files/a,b,c.txt")
        #expect(hits.first?.matched == .md5)
        #expect(index.lookup(try T.digest(T.otherMD5)).isEmpty)
    }

    @Test func nsrlRDSv3SQLite() throws {
        let dir = try ScratchFolder("nsrl3")
        let path = dir.path("RDS_minimal.db")
        do {
            try DatabaseQueue(path: path).write { try $0.execute(sql: """
                CREATE TABLE FILE (sha256 VARCHAR NOT NULL, sha1 VARCHAR NOT NULL, md5 VARCHAR NOT NULL,
                    crc32 VARCHAR NOT NULL, file_name VARCHAR NOT NULL, file_size INTEGER NOT NULL,
                    package_id INTEGER NOT NULL);
                INSERT INTO FILE VALUES ('\(T.helloSHA256.uppercased())', '\(T.helloSHA1.uppercased())',
                    '\(T.helloMD5.uppercased())', '3610A686', 'hello.txt', 5, 1234);
                INSERT INTO FILE VALUES ('\(T.worldSHA256.uppercased())', '\(T.worldSHA1.uppercased())',
                    '\(T.worldMD5.uppercased())', '3A771143', 'world.dll', 5, 99);
                """) }
        }
        #expect(try HashSetFormat.detect(path: path) == .nsrlSQLite)
        let entries = try T.readAll(path)
        try #require(entries.count == 2, "\(entries)")
        #expect(entries[0].extra["crc32"] == "3610A686")
        #expect(entries[0].extra["package_id"] == "1234")
        #expect(entries[1].size == 5 && entries[1].fileName == "world.dll")

        let index = try T.index(path, kind: .knownGood, name: "NSRL")
        for hex in [T.worldMD5, T.worldSHA1, T.worldSHA256] {
            let hits = index.lookup(try T.digest(T.mixedCase(hex)))
            #expect(hits.map(\.fileName) == ["world.dll"])
            #expect(hits.first?.kind == .knownGood)
        }
        #expect(index.lookup(try T.digest(T.otherMD5)).isEmpty)
    }

    /// Values are read as SQLite converts them to text (`sqlite3_column_text`), whatever their
    /// storage class: integers, reals and blobs; NULL is no value. A UTF-16 database reads the same.
    @Test(arguments: ["UTF-8", "UTF-16le"])
    func nsrlColumnsOfEveryStorageClass(encoding: String) throws {
        let dir = try ScratchFolder("nsrl3-types")
        let path = dir.path("types.db")
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA encoding = '\(encoding)'")
            try db.execute(sql: """
                CREATE TABLE FILE (sha256, SHA1, md5, crc32, file_name, file_size, package_id, ratio);
                INSERT INTO FILE VALUES (NULL, ' \(T.helloSHA1.uppercased()) ', CAST('\(T.helloMD5)' AS BLOB), 12345,
                    'ünïcode.txt', '12abc', NULL, 0.1);
                INSERT INTO FILE VALUES ('\(T.worldSHA256)', '', NULL, '', '', 7.9, 3, 1e20);
                """)
        }
        #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA encoding") } == encoding)
        let entries = try T.readAll(path)
        try #require(entries.count == 2, "\(entries)")
        #expect(entries[0].sha1?.hex == T.helloSHA1 && entries[0].md5?.hex == T.helloMD5 && entries[0].sha256 == nil)
        #expect(entries[0].fileName == "ünïcode.txt")
        #expect(entries[0].size == 12)
        #expect(entries[0].extra == ["crc32": "12345", "ratio": "0.1"])
        #expect(entries[1].sha256?.hex == T.worldSHA256 && entries[1].sha1 == nil && entries[1].md5 == nil)
        #expect(entries[1].fileName == "" && entries[1].size == 7)
        #expect(entries[1].extra == ["crc32": "", "package_id": "3", "ratio": "1.0e+20"])
    }

    @Test func nsrlLegacyText() throws {
        let dir = try ScratchFolder("nsrl2")
        let path = try dir.write("""
            "SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode","SpecialCode"
            "\(T.helloSHA1.uppercased())","\(T.helloMD5.uppercased())","3610A686","hello.txt",5,3095,"WIN",""
            "\(T.worldSHA1.uppercased())","\(T.worldMD5.uppercased())","3A771143","say ""world"".txt",5,3096,"358",""
            """, named: "NSRLFile.txt")
        #expect(try HashSetFormat.detect(path: path) == .nsrlLegacy)
        let entries = try T.readAll(path)
        try #require(entries.count == 2, "\(entries)")
        #expect(entries[1].fileName == "say \"world\".txt")
        #expect(entries[0].extra["productcode"] == "3095")
        #expect(entries[0].extra["opsystemcode"] == "WIN")
        let index = try T.index(path, kind: .knownGood)
        #expect(index.lookup(try T.digest(T.mixedCase(T.helloSHA1))).first?.fileName == "hello.txt")
        #expect(index.lookup(try T.digest(T.worldMD5)).count == 1)
        #expect(!index.contains(try T.digest(T.helloSHA256)))
    }

    @Test func vicsVersion1CaseWithMedia() throws {
        let dir = try ScratchFolder("vics1")
        let path = try dir.write("""
            {
              "odata.metadata": "http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml/$metadata#Cases",
              "value": [
                {
                  "odata.id": "http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml/Cases(1)",
                  "CaseNumber": "2024-17",
                  "Media": [
                    {"MediaID": 1, "Category": 1, "MD5": "\(T.mixedCase(T.helloMD5))", "SHA1": "\(T.helloSHA1.uppercased())",
                     "MediaSize": 5, "IsPrecategorized": true, "PhotoDNA": null,
                     "MediaFiles": [{"FileName": "hello.jpg", "FilePath": "C:\\\\x"}]},
                    {"MediaID": 2, "Category": 2, "MD5": "\(T.worldMD5)", "Name": "w\\u00f6rld.jpg", "Comments": "a \\"quoted\\" note"},
                    {"MediaID": 3, "Category": 0, "PhotoDNA": "AAAA"}
                  ]
                }
              ]
            }
            """, named: "vics1.json")
        #expect(try HashSetFormat.detect(path: path) == .vics)
        let entries = try T.readAll(path)
        try #require(entries.count == 2, "\(entries)")
        #expect(entries[0].category == "1")
        #expect(entries[0].fileName == "hello.jpg")
        #expect(entries[0].size == 5)
        #expect(entries[0].extra["MediaID"] == "1")
        #expect(entries[0].extra["IsPrecategorized"] == "true")
        #expect(entries[1].fileName == "wörld.jpg")
        #expect(entries[1].extra["Comments"] == "a \"quoted\" note")

        let index = try T.index(path, name: "ProjectVIC")
        let hits = index.lookup(try T.digest(T.worldMD5.uppercased()))
        #expect(hits == [HashHit(setName: "ProjectVIC", kind: .knownBad, category: "2", fileName: "wörld.jpg", matched: .md5)])
        #expect(index.lookup(try T.digest(T.helloSHA1)).first?.category == "1")
        #expect(index.lookup(try T.digest(T.otherMD5)).isEmpty)
    }

    @Test func vicsVersion2AndCAIDSpellings() throws {
        let dir = try ScratchFolder("vics2")
        let path = try dir.write("""
            \u{FEFF}{"@odata.context": "https://example.org/$metadata#Media",
             "value": [
               {"category": "CAID-1", "md5": "\(T.helloMD5.uppercased())", "sha256": "\(T.helloSHA256)", "fileName": "one.png"},
               {"Category": 3, "Hashes": [{"HashName": "SHA1", "HashValue": "\(T.worldSHA1)"},
                                          {"hashName": "md5", "hashValue": "\(T.mixedCase(T.worldMD5))"}],
                "MediaFiles": [{"FileName": "two.png", "MD5": "\(T.otherMD5)"}]},
               {"Category": 3, "hashes": {"SHA-256": "\(T.worldSHA256)"}},
               {"SHA-1": null, "Category": 9}
             ]}
            """, named: "caid.json")
        let entries = try T.readAll(path)
        try #require(entries.count == 4, "\(entries)")
        #expect(entries[0].category == "CAID-1" && entries[0].sha256?.hex == T.helloSHA256)
        #expect(entries[1].sha1?.hex == T.worldSHA1 && entries[1].md5?.hex == T.worldMD5)
        #expect(entries[1].fileName == "two.png")
        #expect(entries[2].md5?.hex == T.otherMD5 && entries[2].category == "3")  // a MediaFiles child with its own digest
        #expect(entries[3].sha256?.hex == T.worldSHA256)

        let topArray = try dir.write("""
            [{"MD5": "\(T.helloMD5)", "Category": "1"}, 42]
            """, named: "array.json")
        #expect(try T.readAll(topArray).map(\.category) == ["1"])

        let index = try T.index(path, name: "CAID")
        #expect(index.lookup(try T.digest(T.mixedCase(T.helloSHA256))).first?.category == "CAID-1")
        #expect(index.lookup(try T.digest(T.otherMD5)).first?.fileName == "two.png")
        #expect(index.lookup(try T.digest(T.helloSHA1)).isEmpty)
    }

    @Test func icseExport() throws {
        let dir = try ScratchFolder("icse")
        let path = try dir.write("""
            MD5;SHA1;PhotoDNA;Image ID;Category;Series
            \(T.helloMD5.uppercased());\(T.helloSHA1);AAAA;1001;A1;S-7
            ;\(T.worldSHA1.uppercased());BBBB;1002;B2;
            ;;CCCC;1003;A1;
            """, named: "icse.csv")
        #expect(try HashSetFormat.detect(path: path) == .icse)
        let entries = try T.readAll(path)
        #expect(entries.count == 2)  // the PhotoDNA-only row is skipped
        #expect(entries[0].extra["image id"] == "1001" && entries[0].extra["photodna"] == "AAAA")
        #expect(entries[0].category == "A1")
        let index = try T.index(path, name: "ICSE")
        #expect(index.lookup(try T.digest(T.mixedCase(T.worldSHA1))).first?.category == "B2")
        #expect(index.lookup(try T.digest(T.helloMD5)).count == 1)
        #expect(index.lookup(try T.digest(T.worldMD5)).isEmpty)
    }

    @Test func hashKeeperCSV() throws {
        let dir = try ScratchFolder("hk")
        let path = try dir.write("""
            "file_id","hashset_id","file_name","directory","hash","file_size","date_modified","time_modified","time_zone","comments","date_accessed","time_accessed"
            1,42,"hello.txt","C:\\docs","\(T.helloMD5.uppercased())",5,"01/02/2003","10:11:12","UTC","","",""
            2,42,"world, again.txt","C:\\docs","\(T.worldMD5)",5,"","","","note","",""
            """, named: "set.hke")
        #expect(try HashSetFormat.detect(path: path) == .hashKeeper)
        let entries = try T.readAll(path)
        try #require(entries.count == 2, "\(entries)")
        #expect(entries[1].fileName == "world, again.txt")
        #expect(entries[0].extra["hashset_id"] == "42")
        #expect(entries[0].extra["directory"] == "C:\\docs")
        let index = try T.index(path)
        #expect(index.lookup(try T.digest(T.mixedCase(T.helloMD5))).first?.fileName == "hello.txt")
        #expect(index.lookup(try T.digest(T.otherMD5)).isEmpty)
    }

    @Test func explicitFormatOverridesDetection() throws {
        let dir = try ScratchFolder("override")
        // A one-column ICSE export looks like nothing in particular without a ';'.
        let path = try dir.write("MD5\n\(T.helloMD5)\n", named: "one-column.csv")
        #expect(throws: HashSetError.self) { try HashSetFormat.detect(path: path) }
        #expect(HashSetFormat(name: "ICSE") == .icse)
        #expect(HashSetFormat(name: "caid") == .vics)
        #expect(HashSetFormat(name: "sha256sum") == .digestList)
        let entries = try T.readAll(path, format: HashSetFormat(name: "icse"))
        #expect(entries.first?.md5?.hex == T.helloMD5)
    }
}
