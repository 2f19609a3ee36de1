import ArgumentParser
import ExhumeKit

extension Exhume {
    struct Ls: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every file, allocated and deleted, of every file system (like fls -r -p).")

        @OptionGroup var image: ImageOrCaseOptions
        @OptionGroup var offset: OffsetOption

        @Option(help: ArgumentHelp("With --case: only items of this source (allocated, deleted, orphan, stream, carved).", valueName: "SOURCE"))
        var source: String?

        @Flag(help: "With --case: only items with a hash-set hit.")
        var hits = false

        @Flag(help: "With --case: only items whose content contradicts their extension.")
        var mismatch = false

        @Flag(help: "Only deleted entries (names TSK marks unallocated, orphans included).")
        var deleted = false

        @Flag(help: "Only allocated entries.")
        var allocated = false

        @Flag(help: "JSON lines, one object per entry.")
        var json = false

        func validate() throws {
            if deleted && allocated { throw ValidationError("--deleted and --allocated exclude each other") }
        }

        func run() throws {
            if let caseFolder = image.caseFolder {
                try CaseListing.ls(caseFolder, source: source ?? (deleted ? "deleted" : nil), hits: hits,
                                   mismatch: mismatch, json: json)
                return
            }
            let exam = try image.examine(sectorOffset: offset.offset)
            let filter: EntryFilter = deleted ? .deleted : (allocated ? .allocated : .all)
            let out = OutputSink()
            var issues = exam.issues
            let several = exam.fileSystems.count > 1
            for mounted in exam.fileSystems {
                if several && !json {
                    out.line("# file system at sector \(mounted.info.sectorOffset) (\(mounted.info.type))"
                             + (mounted.partition.map { ", partition \($0.slot)" } ?? ""))
                }
                let error = mounted.fileSystem.walk { entry in
                    // `$FILE_NAME` entries are timeline rows, not files: fls lists them only with -m.
                    guard !entry.isFileNameAttribute, filter.accepts(entry) else { return true }
                    out.line(json ? Listing.json(entry, in: mounted) : Listing.flsLine(entry))
                    return true
                }
                if let error {
                    issues.append(Issue(severity: .warning, image: exam.source.path, partition: mounted.partition?.slot,
                                        sectorOffset: mounted.info.sectorOffset,
                                        message: "listing may be incomplete: \(error.message)"))
                }
            }
            do { try out.flush() } catch { throw Diagnostics.fail(error) }
            try Diagnostics.finish(issues)
        }
    }
}
