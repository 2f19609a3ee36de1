import ArgumentParser
import ExhumeKit
import Timeline

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
            if let from, TimeFormat.parse(from) == nil { throw ValidationError("cannot read --from date '\(from)'") }
            if let to, TimeFormat.parse(to) == nil { throw ValidationError("cannot read --to date '\(to)'") }
        }

        func run() throws {
            if let caseFolder = image.caseFolder {
                guard format != .bodyfile else {
                    throw Diagnostics.fail(ExhumeError(.usage, "a case holds no modes or owners: use --format csv or json with --case, or give the image for a body file"))
                }
                try CaseListing.timeline(caseFolder, json: format == .json, from: from.flatMap(TimeFormat.parse),
                                         to: to.flatMap(TimeFormat.parse))
                return
            }
            let exam = try image.examine(sectorOffset: offset.offset)
            var to = self.to.flatMap(TimeFormat.parse)
            if let text = self.to, !text.contains("T"), !text.contains(" "), let day = to, Int64(text) == nil {
                to = .init(seconds: day.seconds + 86_399)  // a bare date includes the whole day
            }
            let builder = TimelineBuilder(from: from.flatMap(TimeFormat.parse), to: to)
            let out = OutputSink()
            var issues = exam.issues
            switch format {
            case .bodyfile:
                issues += builder.writeBodyfile(exam, to: out)
            case .csv, .json:
                if format == .csv { out.line(TimelineBuilder.csvHeader) }
                issues += builder.sortedEvents(exam) { event in
                    if format == .csv { out.line(TimelineBuilder.csvRow(event)) } else { out.line(TimelineBuilder.jsonRow(event)) }
                }
            }
            do { try out.flush() } catch { throw Diagnostics.fail(error) }
            try Diagnostics.finish(issues)
        }
    }
}
