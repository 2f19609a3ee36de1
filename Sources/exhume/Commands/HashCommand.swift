import ArgumentParser
import ExhumeKit

extension Exhume {
    struct HashCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hash",
            abstract: "Hash every file's content (allocated, deleted, orphan, NTFS streams): MD5, SHA-1 and SHA-256 in one read, with content type and known-hash matches.",
            discussion: "Nothing is written anywhere. Files are read in image order; reading, MD5 and SHA-1/SHA-256/libmagic run on separate threads.")

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case hashdeep, md5sum, json

            var hash: HashJob.Format {
                switch self {
                case .hashdeep: .hashdeep
                case .md5sum: .md5sum
                case .json: .json
                }
            }
        }

        @OptionGroup var image: ImageOptions
        @OptionGroup var offset: OffsetOption
        @OptionGroup var hashSets: HashSetOptions

        @Flag(name: .customLong("deleted-only"), help: "Only deleted files, orphans and their streams.")
        var deletedOnly = false

        @Option(help: "hashdeep, md5sum or json (JSON lines).")
        var format: Format = .hashdeep

        @Flag(name: .customLong("no-identify"), help: "Skip libmagic (no MIME type, no extension check).")
        var noIdentify = false

        func run() throws {
            let exam = try image.examine(sectorOffset: offset.offset)
            var job = HashJob(imageArgument: image.image)
            job.format = format.hash
            job.deletedOnly = deletedOnly
            job.identify = !noIdentify
            job.hashSets = hashSets.specs
            let out = OutputSink()
            let outcome = try job.run(exam, to: out, progress: ProgressBar.start("hash"))
            try out.flush()
            Diagnostics.print(outcome.summary)
            try Diagnostics.finish(outcome.issues)
        }
    }
}
