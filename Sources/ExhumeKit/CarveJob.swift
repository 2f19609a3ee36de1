import Carving
import Hashing
import Foundation

/// `exhume carve`: finds files by signature in unallocated and unpartitioned
/// space (or the whole image), checks each by structure, and writes them under
/// `DIR/carved/`, hashed and typed on the way, with a manifest line per file.
public struct CarveJob {
    public var outputFolder: String
    /// Accept an output folder that is not empty or lies in the evidence folder.
    public var force = false
    /// `--types`: only these rules or extensions, comma-separated, as given.
    public var types: String?
    /// Folders of extra rules (YAML), adding to or overriding the built-in ones.
    public var ruleFolders: [String] = []
    /// Look for headers at every byte offset, not only at sector boundaries.
    public var everyByte = false
    /// Also carve file slack.
    public var slack = false
    /// Carve the whole image, allocated space included.
    public var allSpace = false
    /// `--hashset PATH[:good|:bad]` specs.
    public var hashSets: [String] = []

    public init(outputFolder: String) {
        self.outputFolder = outputFolder
    }

    /// Carves `exam`. Throws when the rules are invalid or match no `--types`, when the
    /// output folder cannot be made, or when the image cannot be read; an export cut
    /// short by the disk is in the outcome.
    public func run(_ exam: Examination, progress: ProgressStart) throws(ExhumeError) -> JobOutcome {
        let rules = try loadRules()
        let output = try ManifestedOutput.open(exam, folder: outputFolder, force: force)
        let (regions, regionIssues) = exam.carveRegions(allSpace: allSpace, slack: slack)
        let (carved, carveIssues, statistics) = try carve(exam, rules: rules, regions: regions, output: output, progress: progress)
        var options = ContentPipeline.Options()
        options.hashSets = try HashSetLibrary.load(specs: hashSets)
        let pipeline = ContentPipeline(exam: exam, options: options)
        let items = carved.enumerated().map { ContentItem(sequence: $0.offset, carved: $0.element, image: exam.source.path) }
        let (tally, export) = try output.run(items, of: exam, through: pipeline, progress: nil)
        let (written, report) = output.finish(export, image: exam.source.path)
        var lines = [
            "Carved \(carved.count) files (\(statistics.complete) complete, \(statistics.partial) partial) from "
                + "\(statistics.bytesScanned) bytes in \(regions.count) regions into \(outputFolder)",
            "Candidates: \(statistics.candidates); rejected by libmagic \(statistics.rejectedByMagic), "
                + "by structure \(statistics.rejectedByStructure)",
        ]
        if tally.hits > 0 { lines.append("Known-hash hits: \(tally.hits)") }
        if let notWritten = ManifestedOutput.notWrittenLine(tally, written) { lines.append(notWritten) }
        lines.append(ManifestedOutput.manifestLine(written))
        let issues = exam.issues.filter { $0.severity == .warning } + regionIssues + carveIssues + report.issues
        return JobOutcome(lines: lines, issues: issues, error: report.error)
    }

    /// The built-in rules with `--rules` added, restricted to `--types`.
    private func loadRules() throws(ExhumeError) -> CarvingRuleSet {
        var ruleSet: CarvingRuleSet
        do {
            ruleSet = try CarvingRuleSet.load(userDirectories: ruleFolders.map { URL(fileURLWithPath: $0) })
        } catch {
            throw ExhumeError(error, during: .loadingCarvingRules)
        }
        if let types {
            let wanted = types.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            ruleSet = ruleSet.restricted(to: wanted)
            if ruleSet.rules.isEmpty { throw ExhumeError(.usage, "no carving rule matches --types \(types)") }
        }
        return ruleSet
    }

    /// The extents the carver finds in `regions`, confirmed and checked by structure.
    private func carve(_ exam: Examination, rules: CarvingRuleSet, regions: [CarveRegion], output: ManifestedOutput,
                       progress: ProgressStart) throws(ExhumeError)
        -> (extents: [CarvedExtent], issues: [Issue], statistics: Carver.Statistics) {
        let total = regions.reduce(Int64(0)) { $0 + $1.extent.length }
        var options = Carver.Options()
        options.alignment = everyByte ? 1 : 512
        do {
            let report = progress()
            let result = try Carver(exam: exam, rules: rules, options: options).carve(regions) { report($0, total) }
            report(total, total)
            return result
        } catch {
            output.manifest.close()
            throw ExhumeError(error, during: .processing)
        }
    }
}
