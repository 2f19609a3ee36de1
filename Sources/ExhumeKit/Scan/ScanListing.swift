import Carving
import Evidence
import Foundation
import SleuthKit

/// Phase 2 of an image's scan, before the stream starts: the carving rules and
/// regions (TSK's block walks), and every file system's items spooled in read
/// order (in a file of the case folder beyond 32 MiB of records, so memory does
/// not grow with the number of files).
struct ScanListing: @unchecked Sendable {
    let items: ItemSpool
    /// File systems whose orphans are searched during the stream (indexes, in order).
    let searchOrphans: [Int]
    let rules: CarvingRuleSet?
    let regions: [CarveRegion]
    /// Deleted files a carved item can be the twin of; nil when twins are not looked for.
    let twins: CarvedTwins?
    /// What the regions' and the listing's walks could not read.
    let issues: [Issue]

    static func make(_ opened: OpenedImage, pipeline: ContentPipeline, context: ScanContext) throws -> ScanListing {
        let exam = opened.exam
        let options = context.options
        var issues: [Issue] = []
        var rules: CarvingRuleSet?
        var regions: [CarveRegion] = []
        if options.carve {
            var set = try CarvingRuleSet.load()
            if !options.carveTypes.isEmpty { set = set.restricted(to: options.carveTypes) }
            rules = set
            let (found, regionIssues) = exam.carveRegions(allSpace: options.carveAllSpace, slack: options.carveSlack)
            regions = found
            issues += regionIssues
        }
        // FAT finds orphan entries by reading every unallocated cluster (TSK's walk of the
        // unallocated directory entries): half of a typical image, on one thread, before the
        // stream could start. Those file systems are listed without `$OrphanFiles` here;
        // their orphans are searched during the stream (``OrphanSearch``) and read after the files.
        let searchOrphans = exam.fileSystems.indices.filter { OrphanSearch.findsOrphansByReading(exam.fileSystems[$0]) }
        // A carved item that is exactly a deleted file's content takes the file's digests
        // (not when exporting: its own copy is written from its own bytes); the deleted
        // files that can have one are noted while the listing is made.
        let findTwins = options.carve && (options.export == .none || options.export == .hits)
        var candidates = CarvedTwins.Candidates()
        let (items, walkIssues) = pipeline.spool(ItemSelection(allocation: .all), withoutOrphans: Set(searchOrphans),
                                                 directory: context.folder) { item in
            if findTwins, item.source == .deleted, opened.unrecorded(item) { candidates.consider(item, in: exam) }
        }
        issues += walkIssues
        return ScanListing(items: items, searchOrphans: searchOrphans, rules: rules, regions: regions,
                           twins: findTwins ? CarvedTwins(candidates) : nil, issues: issues)
    }
}

/// Where a scan reads the media: readers (one libewf handle each for E01, so
/// chunks inflate on both cores) fill a window of stripes in image order; the
/// image digests take every stripe, TSK reads file contents through one cursor,
/// the carver and the orphan search through cursors of their own. Each cursor's
/// policy says what moves its mark.
struct ScanStream: @unchecked Sendable {
    let readers: [any ImageSource]
    let stream: MediaStream
    /// Content reads of 256 KiB and more move its mark (metadata reads do not); the
    /// files' reader also promises each item's first block.
    let content: MediaStream.Cursor
    /// The carver promises each page it scans.
    let carving: MediaStream.Cursor?
    /// The orphan search first walks the directories (reads here and there), then reads
    /// the unallocated clusters forward in TSK's 64 KiB blocks: only runs of those move its mark.
    let orphans: MediaStream.Cursor?

    init(_ exam: Examination, carving: Bool, orphans: Bool) throws {
        readers = [try exam.source.parallelReader(), try exam.source.parallelReader()]
        stream = MediaStream(readers: readers, fallback: exam.source)
        content = stream.cursor(.advancingReads(atLeast: 256 << 10))
        self.carving = carving ? stream.cursor(.promisesOnly) : nil
        self.orphans = orphans ? stream.cursor(.advancingRuns(1 << 20)) : nil
    }
}
