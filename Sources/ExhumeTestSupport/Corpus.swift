import Foundation

/// The shared third-party corpus (`../shared/corpus`), read-only; gzipped
/// images are unpacked once per test process into a temporary folder.
public enum Corpus {
    public struct Entry: Sendable, CustomStringConvertible {
        /// Path of the image to open (the unpacked copy for `compressed/`).
        public var path: String
        /// Name of its folder under `oracle/`.
        public var oracleName: String
        public var description: String { oracleName }
    }

    /// Containers TSK 4.11 or we do not read; listed here so a test says so
    /// instead of failing (see MANIFEST.md, "Known TSK behaviour").
    public static let unsupported: [String: String] = [
        "virtual__dfvfs__ext2.vmdk": "VMDK container: not an E01/raw image",
        "virtual__dfvfs__ext2.vhd": "VHD container: not an E01/raw image",
        "virtual__dfvfs__ext2.qcow2": "QCOW2: TSK 4.11 cannot read it either",
    ]

    /// Every image that has an oracle folder, supported ones only; nil without corpus.
    public static func images() -> [Entry]? {
        guard let root = Locations.corpus else { return nil }
        let oracle = root.appendingPathComponent("oracle")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: oracle.path) else { return nil }
        var entries: [Entry] = []
        for name in names.sorted() where unsupported[name] == nil {
            let relative = name.replacingOccurrences(of: "__", with: "/")
            let image = root.appendingPathComponent(relative)
            if relative.hasSuffix(".gz") {
                guard let unpacked = try? unpack(image) else { continue }
                entries.append(Entry(path: unpacked.path, oracleName: name))
            } else if FileManager.default.fileExists(atPath: image.path) {
                entries.append(Entry(path: image.path, oracleName: name))
            }
        }
        return entries
    }

    /// Names of images for parameterized tests (computed without unpacking).
    public static var imageNames: [String] {
        guard let root = Locations.corpus,
              let names = try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("oracle").path)
        else { return [] }
        return names.sorted().filter { unsupported[$0] == nil }
    }

    public static func entry(named name: String) -> Entry? {
        guard let root = Locations.corpus else { return nil }
        let relative = name.replacingOccurrences(of: "__", with: "/")
        let image = root.appendingPathComponent(relative)
        if relative.hasSuffix(".gz") {
            guard let unpacked = try? unpack(image) else { return nil }
            return Entry(path: unpacked.path, oracleName: name)
        }
        return Entry(path: image.path, oracleName: name)
    }

    private static let unpackLock = NSLock()
    private static let unpackDirectory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("exhume-corpus-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// gunzips `image` into a temporary folder (once per process).
    static func unpack(_ image: URL) throws -> URL {
        unpackLock.lock()
        defer { unpackLock.unlock() }
        let target = unpackDirectory.appendingPathComponent(image.deletingPathExtension().lastPathComponent)
        if !FileManager.default.fileExists(atPath: target.path) { try Gunzip.file(image, to: target) }
        return target
    }
}
