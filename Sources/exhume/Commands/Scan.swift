import ArgumentParser
import ExhumeKit

extension Exhume {
    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scan images into a case: every allocated, deleted, orphan, stream and carved item, typed, hashed and matched, in one read.",
            discussion: """
                The case folder holds case.sqlite (see the README for its schema) and export/. An interrupted \
                scan (kill, crash, power loss) continues where it stopped when the same command is run again; \
                items committed before are kept and not read again. A finished image is not scanned twice \
                unless --rescan. Only one scan runs on a case at a time. When the export disk fills up \
                the export stops there (one message at the end, exit 2) and every item is still \
                recorded; when the disk under case.sqlite fills up the scan stops (exit 74) and the \
                same command continues it once there is room.
                """)

        @Argument(help: "One or more images (.E01, raw, split raw).")
        var images: [String]

        @Option(name: .customLong("case"), help: ArgumentHelp("The case folder (created).", valueName: "DIR"))
        var caseFolder: String

        @OptionGroup var hashSets: HashSetOptions

        @Option(help: "Which items to copy into DIR/export: none, hits (known-bad or known-good hits), media or all.")
        var export: String = "none"

        @Flag(inversion: .prefixedNo, help: "Carve unallocated and unpartitioned space (default on).")
        var carve = true

        @Option(help: ArgumentHelp("Carve only these types (jpg,png,…).", valueName: "TYPES"))
        var types: String?

        @Flag(help: "Also carve file slack (the end of allocated files' last blocks).")
        var slack = false

        @Flag(name: .customLong("all-space"), help: "Carve the whole image, allocated space too (finds files embedded in other files).")
        var allSpace = false

        @Flag(help: "Scan an image again even if the case already holds a finished scan of it (after the export disk filled up, this writes the rest).")
        var rescan = false

        @Option(name: .customLong("batch-size"), help: ArgumentHelp("Items per database transaction.", visibility: .hidden))
        var batchSize: Int = 1000

        @Option(name: .customLong("fs-timezone"), help: ArgumentHelp("Time zone of the seized machine (FAT local times).", valueName: "ZONE"))
        var fsTimezone: String = "UTC"

        func validate() throws {
            if ScanJob.ExportPolicy(rawValue: export) == nil {
                throw ValidationError("--export must be none, hits, media or all")
            }
        }

        func run() throws {
            FileSystemTimeZone.use(fsTimezone)
            var options = ScanJob.Options()
            options.export = ScanJob.ExportPolicy(rawValue: export) ?? .none
            options.carve = carve
            options.carveTypes = types.map { $0.split(separator: ",").map { $0.lowercased() } } ?? []
            options.rescan = rescan
            options.carveSlack = slack
            options.carveAllSpace = allSpace
            options.batchSize = batchSize
            let outcome = try ScanJob.scan(images, caseFolder: caseFolder, options: options, hashSets: hashSets.specs,
                                           toolVersion: Exhume.configuration.version,
                                           commandLine: CommandLine.arguments.joined(separator: " ")) {
                let bar = ProgressBar(label: "scan")
                return { bar.update(done: min($0.done, $0.total), total: $0.total, detail: $0.countsText) }
            }
            try Diagnostics.finish(printing: outcome)
        }
    }
}
