import ArgumentParser
import ExhumeKit

extension Exhume {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarise a case: items per source and type, hash-set hits by category, extension mismatches, carved items by verdict, the images.")

        @Argument(help: "The case folder.")
        var caseFolder: String

        @OptionGroup var output: JSONOption

        func run() throws {
            let sink = OutputSink()
            try CaseReader(folder: caseFolder).writeReport(json: output.json, to: sink)
            try sink.flush()
        }
    }
}
