import ExhumeTestSupport
import Foundation

/// Files the CLI tests set up and inspect around a command.
enum EvidenceFiles {
    /// Copies fixture `name` into `dir/evidence/` (outputs then go beside, not inside, the evidence folder).
    static func copy(_ name: String, in dir: URL) throws -> String {
        let evidence = dir.appendingPathComponent("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        let target = evidence.appendingPathComponent(URL(fileURLWithPath: name).lastPathComponent)
        try FileManager.default.copyItem(atPath: try Fixtures.path(name), toPath: target.path)
        return target.path
    }

    /// Every regular file below `folder`, as paths relative to it.
    static func regularFiles(below folder: URL) -> Set<String> {
        var files = Set<String>()
        let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = walker?.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                files.insert(String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1)))
            }
        }
        return files
    }
}
