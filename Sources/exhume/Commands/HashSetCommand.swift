import ArgumentParser
import ExhumeKit

extension Exhume {
    struct HashSetCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hashset",
            abstract: "Build and inspect known-hash set indexes (NSRL, Project VIC / CAID, ICSE, HashKeeper, hashdeep, md5sum lists).",
            subcommands: [Import.self, Info.self])

        struct Import: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Read a hash set once and write a compact sorted index that lookups memory-map.",
                discussion: "The format is detected from the content: md5sum/sha1sum/sha256sum lists, hashdeep, NSRL RDS v3 (SQLite) or NSRLFile.txt, VICS/CAID JSON, ICSE CSV, HashKeeper CSV.")

            @Argument(help: "The hash set file.")
            var source: String

            @Option(name: .customLong("out"), help: ArgumentHelp("The index file to write.", valueName: "INDEX"))
            var out: String

            @Flag(name: .customLong("known-good"), help: "Hits are known files to suppress from review (NSRL).")
            var knownGood = false

            @Flag(name: .customLong("known-bad"), help: "Hits are alerts (the default for every format but NSRL).")
            var knownBad = false

            @Option(help: ArgumentHelp("Name of the set in hits (default: the source file name).", valueName: "NAME"))
            var name: String?

            @Option(help: ArgumentHelp("Force the format: md5sum, hashdeep, nsrl, nsrl-txt, vics, caid, icse, hashkeeper.", valueName: "FORMAT"))
            var format: String?

            func validate() throws {
                if knownGood && knownBad { throw ValidationError("--known-good and --known-bad exclude each other") }
                if let format, !HashSetImportJob.isFormat(format) { throw ValidationError("unknown format '\(format)'") }
            }

            func run() throws {
                var job = HashSetImportJob(source: source, output: out)
                job.kind = knownGood ? .knownGood : (knownBad ? .knownBad : nil)
                job.name = name
                job.format = format
                try Diagnostics.finish(printing: JobOutcome(lines: try job.run(), issues: []))
            }
        }

        struct Info: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show an index's name, kind, source and counts.")

            @Argument(help: "The index file.")
            var index: String

            @Flag(help: "Check every table (sorted, in bounds) instead of the header only.")
            var verify = false

            @OptionGroup var output: JSONOption

            func run() throws {
                let report = try HashSetIndexReport(path: index, verify: verify)
                let sink = OutputSink()
                report.write(json: output.json, to: sink)
                try sink.flush()
            }
        }
    }
}
