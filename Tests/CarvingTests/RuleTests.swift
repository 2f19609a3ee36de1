@testable import Carving
import Foundation
import Testing

/// A fresh folder under the system temporary folder, with the given files.
func makeRuleFolder(_ files: [String: String]) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("exhume-rules-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    for (name, text) in files {
        try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return url
}

/// The repository's CarvingRules folder, found from this test file.
let repositoryRules: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/CarvingTests/RuleTests.swift
    return url.appendingPathComponent("CarvingRules")
}()

/// The validator names the rules may use (the validators are another file's concern).
let validatorNames: Set<String> = ["jpeg", "png", "gif", "bmp", "tiff", "riff", "isobmff", "pdf", "zip", "footer"]

@Suite struct CarvingRuleLoadingTests {
    @Test func builtInRulesLoad() throws {
        let set = try CarvingRuleSet.load(directories: [repositoryRules], knownValidators: validatorNames)
        let names = Set(set.rules.map(\.name))
        for expected in ["jpeg", "png", "gif", "bmp", "tiff-le", "tiff-be", "webp", "heic", "avif",
                         "mp4", "mov", "mov-wide", "3gp", "avi", "pdf", "zip"] {
            #expect(names.contains(expected), "missing built-in rule \(expected)")
        }
        for rule in set.rules {
            #expect(rule.minSize <= rule.maxSize)
            #expect(!rule.extensions.isEmpty)
            #expect(rule.origin.file.hasPrefix(repositoryRules.path))
        }
        let mp4 = try #require(set.rule(named: "mp4"))
        #expect(mp4.headerOffset == 4)
        #expect(mp4.validator == "isobmff")
        #expect(mp4.headers.contains(try ByteSignature(text: "ftypisom")))
        let zip = try #require(set.rule(named: "zip"))
        #expect(zip.accepts(mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
        #expect(zip.accepts(mime: "application/epub+zip"))
        #expect(!zip.accepts(mime: "image/jpeg"))
        #expect(try #require(set.rule(named: "jpeg")).maxSize == 128 << 20)
    }

    @Test func defaultLookupFindsTheRepositoryRules() throws {
        let set = try CarvingRuleSet.load(knownValidators: validatorNames)
        #expect(set.rule(named: "jpeg") != nil)
        let url = try CarvingRuleSet.builtInDirectory(environment: [:])
        #expect(FileManager.default.fileExists(atPath: url.appendingPathComponent("images.yaml").path))
    }

    @Test func environmentVariableWinsAndMustExist() throws {
        let folder = try makeRuleFolder(["only.yaml": """
            - name: only
              extensions: [bin]
              header: "AA BB"
              max_size: 1KiB
              validator: zip
            """])
        defer { try? FileManager.default.removeItem(at: folder) }
        let found = try CarvingRuleSet.builtInDirectory(environment: ["EXHUME_RULES": folder.path])
        #expect(found.path == folder.path)
        let error = #expect(throws: CarvingRuleError.self) {
            try CarvingRuleSet.builtInDirectory(environment: ["EXHUME_RULES": folder.path + "/absent"])
        }
        #expect(error?.code == .unreadable)
        #expect(error?.file == folder.path + "/absent")
    }

    @Test func lookupOrder() {
        let candidates = CarvingRuleSet.builtInDirectoryCandidates(
            environment: [:], executablePaths: ["/opt/exhume/bin/exhume", "/src/exhume/.build/x86_64-unknown-linux-gnu/release/exhume"],
            sourceFile: "/src/exhume/Sources/Carving/Rules/CarvingRuleSet+Locate.swift")
        #expect(candidates.map(\.path) == [
            "/opt/exhume/share/exhume/CarvingRules",
            "/opt/CarvingRules",
            "/CarvingRules",
            "/src/exhume/.build/x86_64-unknown-linux-gnu/share/exhume/CarvingRules",
            "/src/exhume/.build/CarvingRules",
            "/src/exhume/CarvingRules",
        ])
    }

    @Test func userFolderOverridesByNameAndAdds() throws {
        let folder = try makeRuleFolder(["mine.yaml": """
            # my rules
            - name: jpeg
              extensions: [jpg]
              mime: [image/jpeg]
              header: "FF D8 FF E1"
              max_size: 1MiB
              validator: jpeg

            - name: sqlite
              extensions: [sqlite, db]
              mime: [application/vnd.sqlite3, application/x-sqlite3]
              header_text: "SQLite format 3"
              footer: "00 00"
              min_size: 512
              max_size: 2GiB
              validator: footer
            """])
        defer { try? FileManager.default.removeItem(at: folder) }
        let builtIn = try CarvingRuleSet.load(directories: [repositoryRules], knownValidators: validatorNames)
        let set = try CarvingRuleSet.load(directories: [repositoryRules, folder], knownValidators: validatorNames)
        #expect(set.rules.count == builtIn.rules.count + 1)
        let index = try #require(set.rules.firstIndex { $0.name == "jpeg" })
        #expect(index == builtIn.rules.firstIndex { $0.name == "jpeg" })   // overridden in place
        #expect(set.rules[index].maxSize == 1 << 20)
        #expect(set.rules[index].headers == [try ByteSignature(hex: "FF D8 FF E1")])
        #expect(set.rules[index].origin == .init(file: folder.appendingPathComponent("mine.yaml").path, line: 2))
        let sqlite = try #require(set.rules.last)
        #expect(sqlite.name == "sqlite")
        #expect(sqlite.headers == [try ByteSignature(text: "SQLite format 3")])
        #expect(sqlite.footer == (try ByteSignature(hex: "0000")))
        #expect(sqlite.minSize == 512 && sqlite.maxSize == 2 << 30)
    }

    @Test func restrictedToTypes() throws {
        let set = try CarvingRuleSet.load(directories: [repositoryRules], knownValidators: validatorNames)
        let some = set.restricted(to: ["JPG", "docx", "mp4"])
        // Files load by name: archives, documents, images, video.
        #expect(some.rules.map(\.name) == ["zip", "jpeg", "mp4"])
    }
}

@Suite struct CarvingRuleErrorTests {
    static let good = """
        - name: good
          extensions: [bin]
          header: "AA BB"
          max_size: 1MiB
          validator: zip
        """   // lines 1–5, then a blank line; the rule under test starts on line 7

    struct Case: Sendable, CustomStringConvertible {
        var label: String
        var yaml: String
        var code: CarvingRuleError.Code
        var line: Int
        var reason: String
        var description: String { label }
    }

    static let cases: [Case] = [
        Case(label: "broken hex", yaml: """
            - name: bad
              extensions: [bin]
              header: "FF D8 FZ"
              max_size: 1MiB
              validator: jpeg
            """, code: .badSignature, line: 9, reason: "'FZ'"),
        Case(label: "broken hex in a list of alternatives", yaml: """
            - name: bad
              extensions: [bin]
              header:
                - "FF D8"
                - "FF D"
              max_size: 1MiB
              validator: jpeg
            """, code: .badSignature, line: 11, reason: "odd number"),
        Case(label: "unknown validator", yaml: """
            - name: bad
              extensions: [bin]
              header: "FF D8"
              max_size: 1MiB
              validator: jpg
            """, code: .unknownValidator, line: 11, reason: "unknown validator 'jpg'"),
        Case(label: "min above max", yaml: """
            - name: bad
              extensions: [bin]
              header: "FF D8"
              min_size: 2MiB
              max_size: 1MiB
              validator: jpeg
            """, code: .sizeRange, line: 10, reason: "min_size 2MiB is above max_size 1MiB"),
        Case(label: "duplicate name", yaml: """
            - name: good
              extensions: [bin]
              header: "FF D8"
              max_size: 1MiB
              validator: jpeg
            """, code: .duplicateName, line: 7, reason: "duplicate rule name 'good' (first defined on line 1)"),
        Case(label: "missing header", yaml: """
            - name: bad
              extensions: [bin]
              max_size: 1MiB
              validator: jpeg
            """, code: .missingKey, line: 7, reason: "has no header"),
        Case(label: "unknown key", yaml: """
            - name: bad
              extensions: [bin]
              header: "FF D8"
              colour: red
              max_size: 1MiB
              validator: jpeg
            """, code: .unknownKey, line: 10, reason: "unknown key 'colour'"),
        Case(label: "misspelt key", yaml: """
            - name: bad
              extensions: [bin]
              header: "FF D8"
              maxsize: 1MiB
              validator: jpeg
            """, code: .unknownKey, line: 10, reason: "unknown key 'maxsize'"),
        Case(label: "bad size", yaml: """
            - name: bad
              extensions: [bin]
              header: "FF D8"
              max_size: 12 parsecs
              validator: jpeg
            """, code: .badSize, line: 10, reason: "'12 parsecs' is not a size"),
        Case(label: "footer validator without footer", yaml: """
            - name: bad
              extensions: [bin]
              header: "FF D8"
              max_size: 1MiB
              validator: footer
            """, code: .missingFooter, line: 11, reason: "needs 'footer'"),
        Case(label: "only wildcards", yaml: """
            - name: bad
              extensions: [bin]
              header: "?? ?? FF"
              max_size: 1MiB
              validator: jpeg
            """, code: .badSignature, line: 9, reason: "at least 2 fixed"),
        Case(label: "hex and text", yaml: """
            - name: bad
              extensions: [bin]
              header: "FF D8"
              header_text: "AB"
              max_size: 1MiB
              validator: jpeg
            """, code: .badValue, line: 10, reason: "not both"),
        Case(label: "non-ASCII text", yaml: """
            - name: bad
              extensions: [bin]
              header_text: "café"
              max_size: 1MiB
              validator: jpeg
            """, code: .badSignature, line: 9, reason: "non-ASCII"),
        Case(label: "negative header offset", yaml: """
            - name: bad
              extensions: [bin]
              header: "FF D8"
              header_offset: -4
              max_size: 1MiB
              validator: jpeg
            """, code: .badValue, line: 10, reason: "header_offset"),
        Case(label: "missing max size", yaml: """
            - name: bad
              extensions: [bin]
              header: "FF D8"
              validator: jpeg
            """, code: .missingKey, line: 7, reason: "max_size"),
        Case(label: "YAML syntax", yaml: """
            - name: bad
              extensions: [bin
              header: "FF D8"
            """, code: .syntax, line: 9, reason: "YAML"),
        Case(label: "not a mapping", yaml: """
            - just a string
            """, code: .structure, line: 7, reason: "mapping"),
    ]

    @Test(arguments: cases)
    func invalidRuleNamesFileAndLine(_ c: Case) throws {
        let folder = try makeRuleFolder(["broken.yaml": Self.good + "\n\n" + c.yaml + "\n"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("broken.yaml")
        let error = #expect(throws: CarvingRuleError.self) {
            try CarvingRuleSet.load(directories: [repositoryRules, folder], knownValidators: validatorNames)
        }
        #expect(error?.code == c.code)
        #expect(error?.file == file.path)
        #expect(error?.line == c.line)
        #expect(error?.reason.contains(c.reason) == true, "reason: \(error?.reason ?? "none")")
        #expect(error?.description.hasPrefix("\(file.path):\(c.line):") == true)
    }

    @Test func topLevelMustBeAList() {
        let error = #expect(throws: CarvingRuleError.self) {
            try CarvingRuleSet.parse(yaml: "name: jpeg\nheader: FF\n", file: "x.yaml")
        }
        #expect(error?.code == .structure)
        #expect(error?.line == 1)
    }

    @Test func emptyFileHoldsNoRules() throws {
        #expect(try CarvingRuleSet.parse(yaml: "# nothing yet\n", file: "empty.yaml").isEmpty)
    }

    @Test func missingUserFolderIsAnError() {
        let error = #expect(throws: CarvingRuleError.self) {
            try CarvingRuleSet.load(directories: [URL(fileURLWithPath: "/nonexistent/rules")])
        }
        #expect(error?.code == .unreadable)
        #expect(error?.file == "/nonexistent/rules")
    }
}

@Suite struct CarvingRuleSyntaxTests {
    @Test func hexWithWildcardsMatches() throws {
        let signature = try ByteSignature(hex: "FF D8 FF ??")
        #expect(signature.count == 4 && signature.fixedCount == 3)
        #expect(signature.description == "FF D8 FF ??")
        for fourth: UInt8 in [0xE0, 0xE1, 0x00, 0xFF] {
            #expect([0x00, 0xFF, 0xD8, 0xFF, fourth].withUnsafeBytes { signature.matches($0, at: 1) })
        }
        #expect(![0xFF, 0xD8, 0xFE, 0xE0].withUnsafeBytes { signature.matches($0, at: 0) })
        #expect(![0xFF, 0xD8, 0xFF].withUnsafeBytes { signature.matches($0, at: 0) })   // runs past the end
        #expect(try ByteSignature(hex: "ffd8FF??") == signature)
        #expect(try ByteSignature(hex: "FFD8 FF??") == signature)
    }

    @Test func textIsLiteralASCII() throws {
        let pdf = try ByteSignature(text: "%PDF-")
        #expect(pdf.bytes == Array("%PDF-".utf8))
        #expect(Array("xx%PDF-1.7".utf8).withUnsafeBytes { pdf.matches($0, at: 2) })
    }

    @Test(arguments: ["", "F", "FF D", "GG", "F?", "FF ?"])
    func brokenHexIsRejected(_ text: String) {
        #expect(throws: SignatureSyntaxError.self) { try ByteSignature(hex: text) }
    }

    @Test func sizes() {
        #expect(ByteSize.parse("512") == 512)
        #expect(ByteSize.parse("64MiB") == 64 << 20)
        #expect(ByteSize.parse("2GB") == 2_000_000_000)
        #expect(ByteSize.parse("4 KiB") == 4096)
        #expect(ByteSize.parse("10kb") == 10_000)
        #expect(ByteSize.parse("1TiB") == 1 << 40)
        #expect(ByteSize.parse("7B") == 7)
        for bad in ["", "MiB", "1.5MiB", "-1", "2G", "12 parsecs", "99999999999TiB"] {
            #expect(ByteSize.parse(bad) == nil, "\(bad)")
        }
        #expect(ByteSize.format(64 << 20) == "64MiB")
        #expect(ByteSize.format(1000) == "1000")
    }
}
