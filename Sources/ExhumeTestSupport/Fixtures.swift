import Foundation

/// The repository's own fixtures (`Fixtures/`), unpacked once per test process:
/// `.gz` files are gunzipped into a temporary folder, the others copied, and
/// `bad/missing-segment/` is built from the multi-segment set without `multi.E02`.
public enum Fixtures {
    /// The unpacked fixture folder.
    public static var directory: URL {
        get throws {
            lock.lock()
            defer { lock.unlock() }
            if let unpacked { return unpacked }
            let target = FileManager.default.temporaryDirectory.appendingPathComponent("exhume-fixtures-\(getpid())")
            try? FileManager.default.removeItem(at: target)
            try unpack(from: Locations.fixtures, to: target)
            unpacked = target
            return target
        }
    }

    /// Path of an unpacked fixture (e.g. `ntfs.raw`, `bad/damaged-fs.raw`).
    public static func path(_ name: String) throws -> String {
        try directory.appendingPathComponent(name).path
    }

    /// The ground truth written by make-fixtures.sh.
    public static func manifest() throws -> Manifest {
        let data = try Data(contentsOf: Locations.fixtures.appendingPathComponent("manifest.json"))
        return try JSONDecoder().decode(Manifest.self, from: data)
    }

    nonisolated(unsafe) private static var unpacked: URL?
    private static let lock = NSLock()

    private static func unpack(from source: URL, to target: URL) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: target, withIntermediateDirectories: true)
        guard let walker = fm.enumerator(at: source, includingPropertiesForKeys: [.isDirectoryKey]) else { return }
        for case let url as URL in walker {
            let relative = String(url.path.dropFirst(source.path.count + 1))
            let isDirectory = (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
            if isDirectory {
                try fm.createDirectory(at: target.appendingPathComponent(relative), withIntermediateDirectories: true)
            } else if relative.hasSuffix(".gz") {
                try Gunzip.file(url, to: target.appendingPathComponent(String(relative.dropLast(3))))
            } else {
                try fm.copyItem(at: url, to: target.appendingPathComponent(relative))
            }
        }
        let missing = target.appendingPathComponent("bad/missing-segment")
        try fm.createDirectory(at: missing, withIntermediateDirectories: true)
        for segment in ["multi.E01", "multi.E03", "multi.E04", "multi.E05"] {
            try fm.copyItem(at: target.appendingPathComponent(segment), to: missing.appendingPathComponent(segment))
        }
    }

    /// The parts of manifest.json the tests read.
    public struct Manifest: Decodable, Sendable {
        public var images: [ImageTruth]
    }

    public struct ImageTruth: Decodable, Sendable {
        public var name: String
        public var format: String
        public var media_size: Int64
        public var media_md5: String
        public var media_sha1: String?
        public var filesystems: [FileSystemTruth]
    }

    public struct FileSystemTruth: Decodable, Sendable {
        public var offset_sectors: UInt64
        public var type: String
        public var label: String?
        public var files: [FileTruth]
        public var fls: FlsTruth?
    }

    public struct FileTruth: Decodable, Sendable {
        public var path: String
        public var deleted: Bool
        public var type: String?
        public var size: Int64?
        public var md5: String?
    }

    public struct FlsTruth: Decodable, Sendable {
        public var allocated: Int?
        public var deleted: Int?
    }
}
