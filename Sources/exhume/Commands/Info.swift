import ArgumentParser
import ExhumeKit

extension Exhume {
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the image format, size, acquisition metadata, partition table and file systems.")

        @OptionGroup var image: ImageOptions
        @OptionGroup var output: JSONOption

        func run() throws {
            let report = ImageReport(try image.examine(requireFileSystem: false))
            let out = OutputSink()
            report.write(json: output.json, to: out)
            try out.flush()
            try Diagnostics.finish(report.issues.filter { $0.severity == .warning })
        }
    }
}
