@testable import Hashing
import Foundation
import Testing

/// Small hash sets that the tests write themselves, and helpers around them.
enum TestSets {
    // md5/sha1/sha256 of "hello"
    static let helloMD5 = "5d41402abc4b2a76b9719d911017c592"
    static let helloSHA1 = "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"
    static let helloSHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
    // md5/sha1/sha256 of "world"
    static let worldMD5 = "7d793037a0760186574b0282f2f435e7"
    static let worldSHA1 = "7c211433f02071597741e6ff5a8ea34789abbf43"
    static let worldSHA256 = "486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7"
    /// A digest in no set.
    static let otherMD5 = "00112233445566778899aabbccddeeff"

    /// Writes `text` as `name` in a fresh folder; returns the file's path.
    static func write(_ text: String, named name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Every entry a reader yields.
    static func readAll(_ path: String, format: HashSetFormat? = nil) throws -> [KnownHash] {
        var out: [KnownHash] = []
        try HashSetFormat.reader(path: path, format: format).forEach { out.append($0) }
        return out
    }

    /// Imports `path` into an index beside it and opens it.
    static func index(_ path: String, kind: HashSetKind = .knownBad, name: String = "test-set",
                      format: HashSetFormat? = nil) throws -> HashSetIndex {
        let output = path + ".exhidx"
        try HashSetImport.run(source: path, format: format, output: output, name: name, kind: kind)
        return try HashSetIndex(path: output)
    }

    /// Mixed case, as a careless export or a user would type it.
    static func mixedCase(_ hex: String) -> String {
        String(hex.enumerated().map { $0.offset % 2 == 0 ? Character($0.element.uppercased()) : $0.element })
    }

    static func digest(_ hex: String) throws -> Digest {
        try #require(Digest(hex: hex))
    }
}

/// A scratch folder removed when the test ends.
final class ScratchFolder {
    let url: URL

    init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("exhume-hashing-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    func write(_ text: String, named name: String) throws -> String {
        try TestSets.write(text, named: name, in: url)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}
