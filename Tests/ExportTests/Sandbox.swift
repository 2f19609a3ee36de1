import ExhumeTestSupport
import Export
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A scratch tree for one test: `BASE/l1/l2/out` is the output root (nested two levels so
/// an escape through `..` lands inside BASE), with a sibling folder holding a file and an
/// empty `elsewhere/` as a symlink target. `assertNothingOutside()` compares BASE minus
/// `out` with the snapshot taken at creation.
final class Sandbox {
    let base: String
    let out: String
    let elsewhere: String
    private var before: [String: String] = [:]

    init(_ label: String) throws {
        base = try Locations.temporaryDirectory("export-\(label)").path
        out = base + "/l1/l2/out"
        elsewhere = base + "/elsewhere"
        let fm = FileManager.default
        try fm.createDirectory(atPath: base + "/l1/l2/sibling", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        try Data("do not touch\n".utf8).write(to: URL(fileURLWithPath: base + "/l1/l2/sibling/keep.txt"))
        try Data("planted\n".utf8).write(to: URL(fileURLWithPath: base + "/l1/passwd"))
        snapshotNow()
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }

    /// Takes the "before" picture again (after a test planted things of its own).
    func snapshotNow() { before = Self.snapshot(base, excluding: out) }

    func assertNothingOutside(sourceLocation: SourceLocation = #_sourceLocation) {
        let now = Self.snapshot(base, excluding: out)
        #expect(now == before, "something changed outside the output root", sourceLocation: sourceLocation)
    }

    /// Every regular file below `out`, relative path → content (symlinks listed as `-> target`).
    func filesInOut() -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        for (path, kind) in Self.walk(out, relative: "") {
            if case .file(let content) = kind { files[path] = content }
            if case .symlink(let target) = kind { files[path] = Array("-> \(target)".utf8) }
        }
        return files
    }

    enum Kind: Equatable { case directory, file([UInt8]), symlink(String), other }

    /// Walks `root` without following symlinks (`opendir`/`readdir`/`lstat`).
    static func walk(_ root: String, relative: String, excluding: String? = nil) -> [(String, Kind)] {
        guard let dir = opendir(root) else { return [] }
        defer { closedir(dir) }
        var result: [(String, Kind)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let full = root + "/" + name
            if full == excluding { continue }
            let rel = relative.isEmpty ? name : relative + "/" + name
            var st = stat()
            guard lstat(full, &st) == 0 else { continue }
            switch st.st_mode & S_IFMT {
            case S_IFDIR:
                result.append((rel, .directory))
                result += walk(full, relative: rel, excluding: excluding)
            case S_IFREG:
                result.append((rel, .file(Array((try? Data(contentsOf: URL(fileURLWithPath: full))) ?? Data()))))
            case S_IFLNK:
                var buffer = [CChar](repeating: 0, count: 4096)
                let n = readlink(full, &buffer, buffer.count - 1)
                result.append((rel, .symlink(n >= 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?")))
            default:
                result.append((rel, .other))
            }
        }
        return result
    }

    static func snapshot(_ root: String, excluding: String) -> [String: String] {
        var picture: [String: String] = [:]
        for (path, kind) in walk(root, relative: "", excluding: excluding) {
            switch kind {
            case .directory: picture[path] = "dir"
            case .file(let content): picture[path] = "file " + content.map { String(format: "%02x", $0) }.joined()
            case .symlink(let target): picture[path] = "link " + target
            case .other: picture[path] = "other"
            }
        }
        return picture
    }
}

extension SafeExporter {
    /// Creates, writes and finishes one file (test convenience).
    func export(_ components: [[UInt8]], _ content: [UInt8]) throws -> ExportRecord {
        let file = try create(components: components)
        try file.write(content)
        return try file.finish()
    }

    func export(_ path: String, _ content: String) throws -> ExportRecord {
        try export(path.split(separator: "/").map { Array($0.utf8) }, Array(content.utf8))
    }
}
