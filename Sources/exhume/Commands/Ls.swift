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
            let out = OutputSink()
            if let caseFolder = image.caseFolder {
                let filter = CaseReader.ItemFilter(source: source ?? (deleted ? "deleted" : nil), hitsOnly: hits, mismatchOnly: mismatch)
                try CaseReader(folder: caseFolder).writeItems(filter, json: json, to: out)
                try out.flush()
                return
            }
            let exam = try image.examine(sectorOffset: offset.offset)
            let issues = Listing.write(exam, filter: deleted ? .deletedOnly : (allocated ? .allocatedOnly : .all), json: json, to: out)
            try out.flush()
            try Diagnostics.finish(issues)
        }
    }
}
