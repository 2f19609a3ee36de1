import ArgumentParser
import Carving
import Export
import ExhumeKit
import Foundation
import Synchronization

extension Exhume {
    struct Carve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Carve media and documents by signature out of unallocated blocks, unpartitioned space and unknown partitions.",
            discussion: """
                Each candidate header is confirmed with libmagic and its structure walked to find the file's \
                true end (JPEG, PNG, GIF, BMP, TIFF, WebP/AVI, MP4/MOV/HEIC, PDF, ZIP…). Carved files go to \
                DIR/carved/OFFSET.ext (OFFSET-partial.ext when truncated), hashed and typed on the way; \
                DIR/manifest.jsonl has one object per carved file, written as files complete.

                When the output disk fills up, the export stops at the first file that does not fit (its \
                partial file is removed); every carved item is still hashed and listed, those not written \
                with export_error. Room for each file's manifest line is set aside before the file is \
                written, so every file on disk is in the manifest. Lines that find no room in it are printed \
                on standard output instead (the same JSON objects, before the summary); the manifest always \
                ends with a whole line. One warning says so; exit status 2.
                """)

        @OptionGroup var image: ImageOptions
        @OptionGroup var hashSets: HashSetOptions

        @Option(name: .customLong("out"), help: ArgumentHelp("Output folder (created; must be empty and outside the evidence folder unless --force).", valueName: "DIR"))
        var out: String

        @Option(help: ArgumentHelp("Only these rules or extensions (jpg,png,pdf…).", valueName: "TYPES"))
        var types: String?

        @Option(help: ArgumentHelp("A folder of extra carving rules (YAML); they add to or override the built-in ones.", valueName: "DIR"))
        var rules: [String] = []

        @Flag(name: .customLong("every-byte"), help: "Look for headers at every byte offset, not only at sector boundaries.")
        var everyByte = false

        @Flag(help: "Also carve file slack (the end of allocated files' last blocks).")
        var slack = false

        @Flag(name: .customLong("all-space"), help: "Carve the whole image, allocated space included (for damaged file systems).")
        var allSpace = false

        @Flag(help: "Accept an output folder that is not empty or lies in the evidence folder.")
        var force = false

        func run() throws {
            let exam = try image.examine(requireFileSystem: false)
            var ruleSet: CarvingRuleSet
            do {
                ruleSet = try CarvingRuleSet.load(userDirectories: rules.map { URL(fileURLWithPath: $0) })
            } catch {
                throw Diagnostics.fail(ExhumeError(.usage, "carving rules: \(error)"))
            }
            if let types {
                let wanted = types.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                ruleSet = ruleSet.restricted(to: wanted)
                if ruleSet.rules.isEmpty { throw Diagnostics.fail(ExhumeError(.usage, "no carving rule matches --types \(types)")) }
            }
            let exporter: RecoveryExporter
            let manifest: ManifestWriter
            do {
                exporter = try RecoveryExporter(exam: exam, outputFolder: out, force: force)
                manifest = try ManifestWriter(in: exporter, image: exam.source.path)
            } catch let error as ExhumeError {
                throw Diagnostics.fail(error)
            } catch {
                throw Diagnostics.fail(ExhumeError(.outputFailed, "\(error)"))
            }
            let (regions, regionIssues) = exam.carveRegions(allSpace: allSpace, slack: slack)
            let total = regions.reduce(Int64(0)) { $0 + $1.extent.length }
            var carverOptions = Carver.Options()
            carverOptions.alignment = everyByte ? 1 : 512
            let carved: [CarvedExtent]
            let carveIssues: [Issue]
            let statistics: Carver.Statistics
            do {
                let bar = ProgressBar(label: "carve")
                (carved, carveIssues, statistics) = try Carver(exam: exam, rules: ruleSet, options: carverOptions)
                    .carve(regions) { bar.update(done: $0, total: total) }
                bar.update(done: total, total: total)
            } catch {
                manifest.close()
                throw Diagnostics.fail(ExhumeError(.badInput, "\(error)"))
            }

            var options = ContentPipeline.Options()
            options.hashSets = try hashSets.library()
            let pipeline = ContentPipeline(exam: exam, options: options)
            let items = carved.enumerated().map { ContentItem(sequence: $0.offset, carved: $0.element, image: exam.source.path) }
            let tally = Mutex(RunTally())
            let export = ManifestedExporter(exporter, manifest: manifest)
            do {
                try pipeline.run(items, exporter: export) { result in
                    tally.withLock { $0.add(result) }
                    manifest.append(result, line: ItemRecord.json(result, in: exam, exported: true))
                }
            } catch {
                manifest.close()
                throw Diagnostics.fail(ExhumeError(.badInput, "\(error)"))
            }
            // Lines the manifest had no room for are printed here, before the summary.
            let written = manifest.close()
            let report = ExportReport(export, manifest: written, image: exam.source.path)
            let result = tally.withLock { $0 }
            let sink = OutputSink()
            sink.line("Carved \(carved.count) files (\(statistics.complete) complete, \(statistics.partial) partial) from \(statistics.bytesScanned) bytes in \(regions.count) regions into \(out)")
            sink.line("Candidates: \(statistics.candidates); rejected by libmagic \(statistics.rejectedByMagic), by structure \(statistics.rejectedByStructure)")
            if result.hits > 0 { sink.line("Known-hash hits: \(result.hits)") }
            if result.exportErrors > 0 { sink.line("Not written: \(result.exportErrors) (see export_error in \(written.overflowed > 0 ? "the manifest and the lines above" : "the manifest"))") }
            sink.line("Manifest: \(written.path)\(written.overflowed > 0 ? " (\(written.lines) items; the other \(written.overflowed) above)" : "")")
            let issues = exam.issues.filter { $0.severity == .warning } + regionIssues + carveIssues + report.issues
            try Diagnostics.conclude(flushing: sink, issues: issues, error: report.error)
        }
    }
}
