import ArgumentParser
import ExhumeKit

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
        @OptionGroup var output: OutputFolderOption

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

        @OptionGroup var force: ForceOption

        func run() throws {
            let exam = try image.examine(requireFileSystem: false)
            var job = CarveJob(outputFolder: output.out)
            job.force = force.force
            job.types = types
            job.ruleFolders = rules
            job.everyByte = everyByte
            job.slack = slack
            job.allSpace = allSpace
            job.hashSets = hashSets.specs
            try Diagnostics.conclude(printing: try job.run(exam, progress: ProgressBar.start("carve")))
        }
    }
}
