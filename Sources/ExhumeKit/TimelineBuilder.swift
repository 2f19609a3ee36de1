import Foundation
import SleuthKit
import Timeline

/// Walks the file systems of an examination and produces timeline output.
public struct TimelineBuilder {
    public var from: Timestamp?
    public var to: Timestamp?

    public init(from: Timestamp? = nil, to: Timestamp? = nil) {
        self.from = from
        self.to = to
    }

    /// Keeps the times in `window`.
    public init(window: TimeWindow) {
        self.init(from: window.from, to: window.to)
    }

    /// The formats of `exhume timeline`.
    public enum Format: String, Sendable, CaseIterable {
        /// The TSK 3 body format, streamed in walk order.
        case bodyfile
        /// A mactime-style CSV timeline, sorted by time.
        case csv
        /// The CSV's rows as JSON lines.
        case json
    }

    /// `exhume timeline`: the timeline of `exam` in `format`, written to `sink`.
    /// Returns the problems met (damaged directories, a sort cut short).
    public func write(_ exam: Examination, format: Format, to sink: OutputSink) -> [Issue] {
        switch format {
        case .bodyfile:
            return writeBodyfile(exam, to: sink)
        case .csv:
            sink.line(Self.csvHeader)
            return sortedEvents(exam) { sink.line(Self.csvRow($0)) }
        case .json:
            return sortedEvents(exam) { sink.line(Self.jsonRow($0)) }
        }
    }

    /// Streams body lines (`fls -m` / `tsk_gettimes` format) to `sink`.
    /// With a time window, a line is kept when any of its times falls inside.
    /// Returns the problems met (damaged directories).
    public func writeBodyfile(_ exam: Examination, to sink: OutputSink) -> [Issue] {
        walk(exam) { mounted, entry in
            guard from == nil && to == nil || inWindow(entry) else { return }
            sink.line { Bodyfile.append(entry, prefix: mounted.bodyPrefix, to: &$0) }
        }
    }

    /// Hands each body line (without newline) to `emit`, in walk order.
    public func bodyfile(_ exam: Examination, emit: ([UInt8]) -> Void) -> [Issue] {
        walk(exam) { mounted, entry in
            guard from == nil && to == nil || inWindow(entry) else { return }
            emit(Bodyfile.line(for: entry, prefix: mounted.bodyPrefix))
        }
    }

    /// All timeline events, sorted by time then name, within the window, in memory.
    public func events(_ exam: Examination) -> (events: [TimelineEvent], issues: [Issue]) {
        var events: [TimelineEvent] = []
        let issues = sortedEvents(exam, directory: nil, runLength: .max) { events.append($0) }
        return (events, issues)
    }

    /// The events of ``events(_:)``, in the same order, handed to `emit` one at
    /// a time; memory does not grow with the number of files: runs of
    /// `runLength` sorted events go to an unlinked temporary file in `directory`
    /// and are merged (in memory when there is no such folder or it is full).
    public func sortedEvents(_ exam: Examination, directory: URL? = ItemSpool.temporaryFolder, runLength: Int = 100_000,
                             emit: (TimelineEvent) -> Void) -> [Issue] {
        let sorter = EventSorter(directory: directory, runLength: runLength)
        var issues = walk(exam) { mounted, entry in
            for event in TimelineEvent.events(for: entry, prefix: mounted.bodyPrefix,
                                              fileSystemOffset: mounted.info.sectorOffset)
            where contains(event.time) {
                sorter.add(event)
            }
        }
        sorter.drain(emit)
        if let failure = sorter.failure {
            issues.append(Issue(severity: .warning, image: exam.source.path, partition: nil, sectorOffset: nil,
                                message: "timeline cut short: \(failure)"))
        }
        return issues
    }

    /// Every entry of every file system of `exam`; the walks that stopped early become issues.
    private func walk(_ exam: Examination, _ visit: (MountedFileSystem, FileEntry) -> Void) -> [Issue] {
        var issues: [Issue] = []
        for mounted in exam.fileSystems {
            let error = mounted.fileSystem.walk { entry in
                visit(mounted, entry)
                return true
            }
            if let error { issues.append(Issue(walkError: error, in: mounted, image: exam.source.path)) }
        }
        return issues
    }

    private func contains(_ t: Timestamp) -> Bool {
        if let from, t.seconds < from.seconds { return false }
        if let to, t.seconds > to.seconds { return false }
        return true
    }

    private func inWindow(_ entry: FileEntry) -> Bool {
        let t = entry.effectiveTimes
        return [t.modified, t.accessed, t.changed, t.created].contains { $0.seconds != 0 && contains($0) }
    }

    /// A mactime-style CSV row (`Date,Size,Type,Mode,UID,GID,Meta,File Name`), date in ISO 8601 UTC.
    public static func csvRow(_ e: TimelineEvent) -> String {
        [TimeFormat.iso8601(e.time), "\(e.size)", e.activity, e.mode, "\(e.uid)", "\(e.gid)", e.meta, csvField(e.name)]
            .joined(separator: ",")
    }

    public static let csvHeader = "Date,Size,Type,Mode,UID,GID,Meta,File Name"

    public static func jsonRow(_ e: TimelineEvent) -> [UInt8] {
        var o = JSONLine()
        o.add("time", TimeFormat.iso8601(e.time))
        o.add("size", e.size)
        o.add("activity", e.activity)
        o.add("mode", e.mode)
        o.add("uid", e.uid)
        o.add("gid", e.gid)
        o.add("meta", e.meta)
        o.add("name", e.name)
        o.add("offset", e.fileSystemOffset)
        o.add("deleted", e.deleted)
        return o.finished()
    }

    /// A CSV field, quoted (RFC 4180) when it holds a comma, quote or line break.
    public static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension Issue {
    init(walkError error: TSKError, in mounted: MountedFileSystem, image: String) {
        self.init(severity: .warning, image: image, partition: mounted.partition?.slot,
                  sectorOffset: mounted.info.sectorOffset,
                  message: "the directory walk stopped early; entries found before the problem are listed (\(error.message))")
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
