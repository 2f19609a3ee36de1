import Foundation

enum Gunzip {
    /// Decompresses `source` into `target` with gzip(1), writing to a `.part`
    /// file first so a half-written image is never taken for a whole one.
    static func file(_ source: URL, to target: URL) throws {
        let partial = target.appendingPathExtension("part")
        FileManager.default.createFile(atPath: partial.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", source.path]
        process.standardOutput = try FileHandle(forWritingTo: partial)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(at: partial)
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: source.path])
        }
        try FileManager.default.moveItem(at: partial, to: target)
    }
}
