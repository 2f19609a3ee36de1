import ArgumentParser
import ExhumeKit

extension Exhume {
    struct Recover: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write deleted (or all) files under an output folder, hashed on the way, with a manifest.",
            discussion: """
                Files go to DIR/[vol_SECTOR/]path as tsk_recover lays them out (NTFS streams as name:stream), \
                names sanitized so nothing can escape DIR, nothing overwritten. DIR/manifest.jsonl has one \
                object per item: the fields of `hash --format json` plus `exported` (path relative to DIR), \
                written as items complete.

                When the output disk fills up, the export stops at the first file that does not fit (its \
                partial file is removed) and no more files are tried; every item is still hashed and listed, \
                those not written with export_error. Room for each file's manifest line is set aside before \
                the file is written, so every file on disk is in the manifest. Lines of unwritten items that \
                find no room in it are printed on standard output instead (the same JSON objects, before the \
                summary); the manifest always ends with a whole line. One warning says so; exit status 2.
                """)

        @OptionGroup var image: ImageOptions
        @OptionGroup var offset: OffsetOption
        @OptionGroup var hashSets: HashSetOptions
        @OptionGroup var output: OutputFolderOption

        @Flag(help: "Allocated and deleted files (tsk_recover -e).")
        var all = false

        @Flag(name: .customLong("deleted-only"), help: "Deleted files and orphans (the default, as tsk_recover).")
        var deletedOnly = false

        @Flag(name: .customLong("allocated-only"), help: "Only allocated files.")
        var allocatedOnly = false

        @Flag(name: .customLong("media-only"), help: "Only write pictures, video and audio (by content, not name); everything is still hashed and listed.")
        var mediaOnly = false

        @OptionGroup var force: ForceOption

        func validate() throws {
            if [all, deletedOnly, allocatedOnly].filter({ $0 }).count > 1 {
                throw ValidationError("--all, --deleted-only and --allocated-only exclude each other")
            }
        }

        func run() throws {
            let exam = try image.examine(sectorOffset: offset.offset)
            var job = RecoverJob(outputFolder: output.out)
            job.force = force.force
            job.allocation = all ? .all : (allocatedOnly ? .allocatedOnly : .deletedOnly)
            job.mediaOnly = mediaOnly
            job.hashSets = hashSets.specs
            try Diagnostics.conclude(printing: try job.run(exam, progress: ProgressBar.start("recover")))
        }
    }
}
