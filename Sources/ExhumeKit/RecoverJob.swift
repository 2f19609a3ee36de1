import Hashing

/// `exhume recover`: writes the selected files under an output folder as
/// `tsk_recover` lays them out, hashed and typed on the way, with a manifest line
/// per item.
public struct RecoverJob {
    public var outputFolder: String
    /// Accept an output folder that is not empty or lies in the evidence folder.
    public var force = false
    public var allocation: ItemSelection.Allocation = .deletedOnly
    /// Write only pictures, video and audio (judged by content); list everything.
    public var mediaOnly = false
    /// `--hashset PATH[:good|:bad]` specs.
    public var hashSets: [String] = []

    public init(outputFolder: String) {
        self.outputFolder = outputFolder
    }

    /// Recovers the items of `exam`. Throws when the output folder cannot be made or
    /// the items cannot be read; an export cut short by the disk is in the outcome.
    public func run(_ exam: Examination, progress: ProgressStart) throws(ExhumeError) -> JobOutcome {
        let output = try ManifestedOutput.open(exam, folder: outputFolder, force: force, mediaOnly: mediaOnly)
        var options = ContentPipeline.Options()
        options.hashSets = try HashSetLibrary.load(specs: hashSets)
        let pipeline = ContentPipeline(exam: exam, options: options)
        let (items, walkIssues) = pipeline.spool(ItemSelection(allocation: allocation, skipEmpty: true),
                                                 directory: ItemSpool.temporaryFolder)
        let total = items.totalSize
        let report = progress()
        let (tally, export) = try output.run(items, of: exam, through: pipeline, mediaOnly: mediaOnly,
                                             progress: { report(min($0, total), total) })
        report(total, total)
        let (written, exportReport) = output.finish(export, image: exam.source.path)
        var lines = ["Recovered \(tally.exported) of \(tally.items) items (\(tally.bytes) bytes) into \(outputFolder)"]
        if tally.readErrors > 0 {
            lines.append("Read incompletely: \(tally.readErrors) (content TSK could not fully recover; see read_error in the manifest)")
        }
        if let notWritten = ManifestedOutput.notWrittenLine(tally, written) { lines.append(notWritten) }
        if tally.hits > 0 { lines.append("Known-hash hits: \(tally.hits)") }
        if tally.mismatches > 0 { lines.append("Extension mismatches: \(tally.mismatches)") }
        lines.append(ManifestedOutput.manifestLine(written))
        let issues = exam.issues + walkIssues + items.issues(image: exam.source.path) + exportReport.issues
        return JobOutcome(lines: lines, issues: issues, error: exportReport.error)
    }
}
