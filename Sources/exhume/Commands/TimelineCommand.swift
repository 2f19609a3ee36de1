import ArgumentParser
import ExhumeKit

extension Exhume {
    struct TimelineCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "timeline",
            abstract: "Write the file system timeline: TSK body file, or a mactime-style CSV or JSON timeline.",
            discussion: """
                bodyfile: the TSK 3 body format, identical to tsk_gettimes for a whole image (partition paths \
                start with volN/) and to fls -r -m / with --offset. csv/json: one row per distinct time of \
                each entry, sorted by time, MACB activity letters, dates in UTC.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case bodyfile, csv, json

            var timeline: TimelineBuilder.Format {
                switch self {
                case .bodyfile: .bodyfile
                case .csv: .csv
                case .json: .json
                }
            }
        }

        @OptionGroup var image: ImageOrCaseOptions
        @OptionGroup var offset: OffsetOption

        @Option(help: "bodyfile, csv or json.")
        var format: Format = .bodyfile

        @Option(help: ArgumentHelp("Only times at or after this date (YYYY-MM-DD[THH:MM[:SS]], UTC, or seconds since 1970).", valueName: "DATE"))
        var from: String?

        @Option(help: ArgumentHelp("Only times at or before this date.", valueName: "DATE"))
        var to: String?

        func validate() throws {
            if let from, !TimeWindow.isDate(from) { throw ValidationError("cannot read --from date '\(from)'") }
            if let to, !TimeWindow.isDate(to) { throw ValidationError("cannot read --to date '\(to)'") }
            if image.caseFolder != nil, format == .bodyfile {
                throw Diagnostics.fail(ExhumeError(.usage, "a case holds no modes or owners: use --format csv or json with --case, or give the image for a body file"))
            }
        }

        func run() throws {
            let out = OutputSink()
            if let caseFolder = image.caseFolder {
                // A case's timeline reads a bare --to date as its first second.
                try CaseReader(folder: caseFolder).writeTimeline(json: format == .json, window: TimeWindow(from: from, to: to, wholeLastDay: false),
                                                                to: out)
                try out.flush()
                return
            }
            let exam = try image.examine(sectorOffset: offset.offset)
            let builder = TimelineBuilder(window: TimeWindow(from: from, to: to, wholeLastDay: true))
            let issues = exam.issues + builder.write(exam, format: format.timeline, to: out)
            try out.flush()
            try Diagnostics.finish(issues)
        }
    }
}
