import Foundation

/// Where the test suite finds its inputs: the repository's `Fixtures/`, the
/// shared third-party corpus and the built `exhume` binary.
public enum Locations {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Sources/ExhumeTestSupport/Locations.swift
        return url
    }()

    public static var fixtures: URL { packageRoot.appendingPathComponent("Fixtures") }

    /// `$EXHUME_CORPUS`, else `../shared/corpus` beside the repository; nil when absent.
    public static var corpus: URL? {
        if let env = ProcessInfo.processInfo.environment["EXHUME_CORPUS"], !env.isEmpty {
            return FileManager.default.fileExists(atPath: env) ? URL(fileURLWithPath: env) : nil
        }
        let candidate = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")
        return FileManager.default.fileExists(atPath: candidate.appendingPathComponent("MANIFEST.md").path) ? candidate : nil
    }

    /// Why corpus tests do not run, for the skip message.
    public static let corpusMissing =
        "third-party corpus not found: set EXHUME_CORPUS or put it at ../shared/corpus (see its MANIFEST.md); corpus conformance tests skipped"

    /// The `exhume` executable: `$EXHUME_BIN`, else the debug build.
    public static var exhumeBinary: URL {
        if let env = ProcessInfo.processInfo.environment["EXHUME_BIN"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return packageRoot.appendingPathComponent(".build/debug/exhume")
    }

    /// The test-only crash host `exhume-killpoint`, built beside `exhume`.
    public static var killPointBinary: URL {
        exhumeBinary.deletingLastPathComponent().appendingPathComponent("exhume-killpoint")
    }

    /// A fresh temporary folder for one test; removed by the caller or at exit.
    public static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("exhume-tests-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
