import ExhumeTestSupport
import Foundation
import Testing

/// `exhume recover` and `exhume carve` when the output disk fills up (a small tmpfs, so
/// these run as root; see ``TmpfsMount``). The export stops, and what was found is not
/// lost: every file on the disk is complete and has exactly one manifest line with its
/// SHA-256, every item's line is in the manifest or, when even the manifest is full, on
/// standard output; the manifest ends with a whole line; one warning says so; exit 2.
@Suite(.serialized)
struct RecoverDiskFullTests {
    /// gpt.raw (`--all`): 32 items, about 260 KB of content. 128 KiB holds some of the files
    /// and, with room set aside for the lines, the manifest of every item.
    @Test func recoverKeepsEveryLineWhenTheDiskFills() throws {
        let outcome = try exportIntoAFullDisk(["recover", "--all"], fixture: "gpt.raw", size: "128k")
        #expect(outcome.stdoutLines == 0, "every line fits in the manifest")
        #expect(outcome.written > 0, "some files fit")
        #expect(outcome.message.contains("every item is listed in \(outcome.manifest)"), "\(outcome.message)")
    }

    /// 16 KiB: a file or two, and only some lines; the other lines are printed on stdout.
    @Test func recoverPrintsTheLinesTheFullManifestCannotTake() throws {
        let outcome = try exportIntoAFullDisk(["recover", "--all"], fixture: "gpt.raw", size: "16k")
        #expect(outcome.stdoutLines > 0, "the manifest is full too")
        #expect(outcome.message.contains("\(outcome.manifest) is full too"), "\(outcome.message)")
        #expect(outcome.message.contains("(every written file among them) and ends with a whole line"), "\(outcome.message)")
        #expect(outcome.message.contains("the lines of the other \(outcome.stdoutLines) items (hashes and all) are on standard output"),
                "\(outcome.message)")
        #expect(outcome.summary.contains("Manifest: \(outcome.manifest) (\(outcome.manifestLines) items; the other \(outcome.stdoutLines) above)"),
                "\(outcome.summary)")
    }

    /// carve-fat.raw: 13 carved files, about 53 KB. 36 KiB takes a few.
    @Test func carveKeepsEveryLineWhenTheDiskFills() throws {
        let outcome = try exportIntoAFullDisk(["carve"], fixture: "carve-fat.raw", size: "36k")
        #expect(outcome.stdoutLines == 0, "every line fits in the manifest")
        #expect(outcome.written > 0, "some files fit")
    }

    @Test func carvePrintsTheLinesTheFullManifestCannotTake() throws {
        let outcome = try exportIntoAFullDisk(["carve"], fixture: "carve-fat.raw", size: "8k")
        #expect(outcome.stdoutLines > 0, "the manifest is full too")
        #expect(outcome.message.contains("\(outcome.manifest) is full too"), "\(outcome.message)")
    }

    /// ext2 has no `fallocate` (its files have no extents): the room for the lines is held
    /// with blank lines past the last one, cut off at the end.
    @Test func recoverKeepsEveryLineOnAFileSystemWithoutFallocate() throws {
        let outcome = try exportIntoAFullDisk(["recover", "--all"], fixture: "gpt.raw", disk: .ext2(kilobytes: 90))
        #expect(outcome.stdoutLines == 0, "every line fits in the manifest")
        #expect(outcome.written > 0, "some files fit")
    }

    /// What a run into a full disk left, once every common check has passed.
    struct Outcome {
        var message: String
        var summary: String
        var manifest: String
        var manifestLines: Int
        var stdoutLines: Int
        /// Files on the disk.
        var written: Int
    }

    /// Runs `command IMAGE --out OUT` with OUT a tmpfs of `size`, and `command` into a
    /// folder with room as the reference, then checks what the analyst relies on.
    func exportIntoAFullDisk(_ command: [String], fixture: String, size: String,
                             sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome {
        try exportIntoAFullDisk(command, fixture: fixture, disk: .tmpfs(size), sourceLocation: sourceLocation)
    }

    /// The small disk the output folder is on.
    enum Disk {
        /// `mount -t tmpfs -o size=SIZE`.
        case tmpfs(String)
        /// An ext2 image made with `mkfs.ext2` (1 KiB blocks), mounted with `-o loop`.
        case ext2(kilobytes: Int)
    }

    func exportIntoAFullDisk(_ command: [String], fixture: String, disk: Disk,
                             sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome {
        let dir = try Locations.temporaryDirectory("exportfull")
        defer { try? FileManager.default.removeItem(at: dir) }
        let evidence = dir.appendingPathComponent("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        let image = evidence.appendingPathComponent(fixture).path
        try FileManager.default.copyItem(atPath: try Fixtures.path(fixture), toPath: image)

        let reference = dir.appendingPathComponent("reference")
        let whole = try Oracle.exhume([command[0], image, "--out", reference.path] + command.dropFirst())
        #expect(whole.status == 0, "\(whole.stderr)", sourceLocation: sourceLocation)
        let expected = try lines(of: Data(contentsOf: reference.appendingPathComponent("manifest.jsonl")))
        #expect(expected.count > 10, sourceLocation: sourceLocation)

        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let mount: TmpfsMount
        switch disk {
        case .tmpfs(let size):
            mount = try TmpfsMount.mount(at: out, size: size)
        case .ext2(let kilobytes):
            mount = try Self.mountExt2(at: out, kilobytes: kilobytes, image: dir.appendingPathComponent("ext2.img"))
        }
        defer { mount.unmount() }
        let run = try Oracle.exhume([command[0], image, "--out", out.path] + command.dropFirst())
        #expect(run.status == 2, "finished with problems: \(run.stderr)", sourceLocation: sourceLocation)

        // One clear line, naming the output folder; not one per file.
        let problems = run.stderr.split(separator: "\n").filter { $0.hasPrefix("exhume:") }
        #expect(problems.count == 1, "\(run.stderr)", sourceLocation: sourceLocation)
        let message = String(problems.first ?? "")
        #expect(message.contains("export stopped: no space left on \(out.path) after"), "\(message)", sourceLocation: sourceLocation)

        // The manifest is there, every line whole JSON, the last one ended.
        let manifestData = try Data(contentsOf: out.appendingPathComponent("manifest.jsonl"))
        #expect(manifestData.last == 0x0A, "the manifest ends with a whole line", sourceLocation: sourceLocation)
        #expect(!manifestData.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().contains { $0.isEmpty },
                "no blank line is left", sourceLocation: sourceLocation)
        let manifest = try lines(of: manifestData)
        #expect(!manifest.isEmpty, sourceLocation: sourceLocation)
        // Lines the manifest could not take are on stdout, before the summary.
        let printed = try lines(of: Data(run.lines.filter { $0.first == UInt8(ascii: "{") }.joined(separator: [0x0A])))

        // Every item has exactly one line, with the digests of a run that had room.
        let all = manifest + printed
        #expect(all.count == expected.count, sourceLocation: sourceLocation)
        func key(_ row: [String: Any]) -> String {
            "\(row["source"] ?? "")|\(row["path"] ?? "")|\(row["offset"] ?? "")|\(row["sha256"] ?? "")"
        }
        #expect(all.map(key).sorted() == expected.map(key).sorted(), sourceLocation: sourceLocation)

        // Every file on disk is complete and has exactly one line, in the manifest; nothing
        // else is there (no partial file).
        var exported: [String: [String: Any]] = [:]
        for row in manifest {
            guard let path = row["exported"] as? String else {
                #expect(row["export_error"] is String, "\(row)", sourceLocation: sourceLocation)
                continue
            }
            #expect(exported.updateValue(row, forKey: path) == nil, "\(path) listed twice", sourceLocation: sourceLocation)
        }
        #expect(!printed.contains { $0["exported"] is String }, "a written file's line is in the manifest",
                sourceLocation: sourceLocation)
        var onDisk = regularFiles(below: out)
        #expect(onDisk.remove("manifest.jsonl") != nil, sourceLocation: sourceLocation)
        #expect(onDisk == Set(exported.keys), "no partial or unlisted file", sourceLocation: sourceLocation)
        for (path, row) in exported {
            let file = out.appendingPathComponent(path)
            let sum = try Oracle.run("sha256sum", [file.path])
            #expect(sum.text.split(separator: " ").first.map(String.init) == row["sha256"] as? String, "\(path)",
                    sourceLocation: sourceLocation)
        }
        #expect(exported.count < expected.count, "the tmpfs is smaller than the content", sourceLocation: sourceLocation)

        // The counts in the message are the manifest's.
        let notWritten = all.filter { row in
            guard let error = (row["export_error"] as? String)?.lowercased() else { return false }
            return error.contains("no space left") || error.contains("disk became full")
        }.count
        #expect(message.contains("after \(exported.count) files; \(notWritten) items not exported"), "\(message)",
                sourceLocation: sourceLocation)

        let summary = run.text.split(separator: "\n").filter { $0.first != "{" }.joined(separator: "\n")
        return Outcome(message: message, summary: summary, manifest: out.appendingPathComponent("manifest.jsonl").path,
                       manifestLines: manifest.count, stdoutLines: printed.count, written: exported.count)
    }

    /// Makes and loop-mounts a small ext2 file system; cancels the test, with the reason,
    /// where that cannot be done.
    static func mountExt2(at point: URL, kilobytes: Int, image: URL) throws -> TmpfsMount {
        guard Oracle.available("mkfs.ext2") else { try Test.cancel("mkfs.ext2 is not installed (e2fsprogs)") }
        try Data(count: kilobytes << 10).write(to: image)
        let make = try Oracle.run("mkfs.ext2", ["-q", "-F", "-b", "1024", "-m", "0", "-N", "48", image.path])
        guard make.status == 0 else { throw TmpfsError(message: "mkfs.ext2: \(make.stderr)") }
        let run = try Oracle.run("mount", ["-o", "loop", image.path, point.path])
        if run.status != 0 {
            try Test.cancel(Comment(rawValue: "cannot loop-mount an ext2 image here (needs root and a loop device): \(run.stderr.split(separator: "\n").first ?? ""); skipped"))
        }
        let mount = TmpfsMount(point: point)
        // The output folder must be empty.
        do {
            try FileManager.default.removeItem(at: point.appendingPathComponent("lost+found"))
        } catch {
            mount.unmount()
            throw error
        }
        return mount
    }

    func lines(of data: Data) throws -> [[String: Any]] {
        try data.split(separator: 0x0A).map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any], "\(String(decoding: line, as: UTF8.self))")
        }
    }

    func regularFiles(below folder: URL) -> Set<String> { EvidenceFiles.regularFiles(below: folder) }
}
