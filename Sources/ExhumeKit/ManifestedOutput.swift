import Synchronization

/// The output folder of `recover` and `carve` with its manifest, from creating
/// them to the summary's last lines.
struct ManifestedOutput {
    let exporter: RecoveryExporter
    let manifest: ManifestWriter

    /// Creates the output folder (refused inside the evidence folder or when not
    /// empty, unless `force`) and its manifest.
    static func open(_ exam: Examination, folder: String, force: Bool, mediaOnly: Bool = false) throws(ExhumeError) -> ManifestedOutput {
        do {
            let exporter = try RecoveryExporter(exam: exam, outputFolder: folder, force: force, mediaOnly: mediaOnly)
            return ManifestedOutput(exporter: exporter, manifest: try ManifestWriter(in: exporter, image: exam.source.path))
        } catch {
            throw ExhumeError(error, during: .openingOutput)
        }
    }

    /// Reads `items` through `pipeline`, writing each one's file and manifest line.
    func run(_ items: some Sequence<ContentItem>, of exam: Examination, through pipeline: ContentPipeline, mediaOnly: Bool = false,
             progress: (@Sendable (Int64) -> Void)?) throws(ExhumeError) -> (tally: RunTally, export: ManifestedExporter) {
        let export = ManifestedExporter(exporter, manifest: manifest, mediaOnly: mediaOnly)
        let tally = Mutex(RunTally())
        let manifest = self.manifest
        do {
            try pipeline.run(items, exporter: export, progress: progress) { result in
                tally.withLock { $0.add(result) }
                manifest.append(result, line: ItemRecord.json(result, in: exam, exported: true))
            }
        } catch {
            manifest.close()
            throw ExhumeError(error, during: .processing)
        }
        return (tally.withLock { $0 }, export)
    }

    /// Closes the manifest, printing the lines it had no room for (before the summary),
    /// and says how the export ended.
    func finish(_ export: ManifestedExporter, image: String) -> (manifest: ManifestWriter.Summary, report: ExportReport) {
        let written = manifest.close()
        return (written, ExportReport(export, manifest: written, image: image))
    }

    /// The summary's line on items not written, when there are some.
    static func notWrittenLine(_ tally: RunTally, _ written: ManifestWriter.Summary) -> String? {
        guard tally.exportErrors > 0 else { return nil }
        return "Not written: \(tally.exportErrors) (see export_error in \(written.overflowed > 0 ? "the manifest and the lines above" : "the manifest"))"
    }

    /// The summary's last line: where the manifest is.
    static func manifestLine(_ written: ManifestWriter.Summary) -> String {
        "Manifest: \(written.path)\(written.overflowed > 0 ? " (\(written.lines) items; the other \(written.overflowed) above)" : "")"
    }
}
