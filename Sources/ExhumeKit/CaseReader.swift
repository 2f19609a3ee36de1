import CaseStore
import Foundation
import Timeline

/// What a scan recorded in a case folder, read back: `report`, `ls --case` and
/// `timeline --case`.
public struct CaseReader {
    /// The case folder as named on the command line.
    public let folder: String
    private let database: CaseDatabase

    /// Opens the case database of `folder`; a folder without one is a missing input.
    public init(folder: String) throws(ExhumeError) {
        let url = URL(fileURLWithPath: folder)
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent(CaseDatabase.fileName).path) else {
            throw ExhumeError(.missingInput, "\(folder): no case database here (case.sqlite)")
        }
        do {
            database = try CaseDatabase(folder: url)
        } catch {
            throw ExhumeError(error, during: .readingCase(folder: folder))
        }
        self.folder = folder
    }

    /// Which recorded items `ls --case` lists.
    public struct ItemFilter: Sendable {
        /// Only items of this source (`allocated`, `deleted`, `orphan`, `stream`, `carved`).
        public var source: String?
        /// Only items with a hash-set hit.
        public var hitsOnly = false
        /// Only items whose content contradicts their extension.
        public var mismatchOnly = false

        public init(source: String? = nil, hitsOnly: Bool = false, mismatchOnly: Bool = false) {
            self.source = source
            self.hitsOnly = hitsOnly
            self.mismatchOnly = mismatchOnly
        }
    }

    /// `ls --case`: one line per recorded item (source, SHA-256, path, hits, mismatch),
    /// or every recorded field as JSON lines, in the order they were recorded.
    public func writeItems(_ filter: ItemFilter, json: Bool, to sink: OutputSink) throws(ExhumeError) {
        let items = try read { try $0.items(source: filter.source, hitsOnly: filter.hitsOnly, mismatchOnly: filter.mismatchOnly) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for item in items {
            if json {
                sink.line(Array((try? encoder.encode(item)) ?? Data()))
            } else {
                var line = "\(item.source)\t\(item.sha256 ?? "-")\t\(item.path ?? "-")"
                if !item.hits.isEmpty {
                    line += "\t[" + item.hits.map { "\($0.setName):\($0.category ?? $0.kind.rawValue)" }.joined(separator: ", ") + "]"
                }
                if item.extensionMismatch { line += "\t(mismatch: \(item.mime ?? "?"))" }
                sink.line(line)
            }
        }
    }

    /// `timeline --case`: one row per item and distinct second of its times, MACB letters,
    /// sorted by time (mactime style), as CSV or JSON lines.
    public func writeTimeline(json: Bool, window: TimeWindow, to sink: OutputSink) throws(ExhumeError) {
        let items = try read { try $0.items() }
        let from = window.from.map { TimeFormat.iso8601($0).prefix(19) }
        let to = window.to.map { TimeFormat.iso8601($0).prefix(19) }
        var rows: [(time: String, row: [String])] = []
        for item in items {
            let times = [item.mtime, item.atime, item.ctime, item.crtime]
            var seen = Set<String>()
            for time in times.compactMap({ $0 }) {
                let second = String(time.prefix(19))
                guard seen.insert(second).inserted else { continue }
                if let from, second < from { continue }
                if let to, second > to { continue }
                let letters = zip(times, ["m", "a", "c", "b"]).map { $0.0.map { String($0.prefix(19)) } == second ? $0.1 : "." }.joined()
                rows.append((time, ["\(item.size)", letters, item.source, item.addr ?? "", item.path ?? "", item.sha256 ?? ""]))
            }
        }
        rows.sort { ($0.time, $0.row[4]) < ($1.time, $1.row[4]) }
        if !json { sink.line("Date,Size,Type,Source,Meta,File Name,SHA-256") }
        for (time, row) in rows {
            if json { sink.line(Self.jsonRow(time, row)) } else { sink.line(Self.csvRow(time, row)) }
        }
    }

    private static func jsonRow(_ time: String, _ row: [String]) -> [UInt8] {
        var o = JSONLine()
        o.add("time", time)
        o.add("size", Int64(row[0]) ?? 0)
        o.add("activity", row[1])
        o.add("source", row[2])
        o.add("meta", row[3])
        o.add("name", row[4])
        o.add("sha256", row[5])
        return o.finished()
    }

    private static func csvRow(_ time: String, _ row: [String]) -> String {
        [time, row[0], row[1], row[2], row[3], TimelineBuilder.csvField(row[4]), row[5]].joined(separator: ",")
    }

    /// A query of the case database; its failure is the case being unreadable.
    func read<T>(_ query: (CaseDatabase) throws -> T) throws(ExhumeError) -> T {
        do {
            return try query(database)
        } catch {
            throw ExhumeError(error, during: .readingCase(folder: folder))
        }
    }
}
