import ArgumentParser
import CaseStore
import ExhumeKit
import Foundation
import SleuthKit
import Timeline

/// `ls --case` and `timeline --case`: what a scan recorded, read back.
enum CaseListing {
    static func open(_ folder: String) throws -> CaseDatabase {
        let url = URL(fileURLWithPath: folder)
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent(CaseDatabase.fileName).path) else {
            throw Diagnostics.fail(ExhumeError(.missingInput, "\(folder): no case database here (case.sqlite)"))
        }
        do {
            return try CaseDatabase(folder: url)
        } catch {
            throw Diagnostics.fail(ExhumeError(.badInput, "\(folder): \(error)"))
        }
    }

    static func ls(_ folder: String, source: String?, hits: Bool, mismatch: Bool, json: Bool) throws {
        let items: [CaseStore.ItemRecord]
        do {
            items = try open(folder).items(source: source, hitsOnly: hits, mismatchOnly: mismatch)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw Diagnostics.fail(ExhumeError(.badInput, "\(folder): \(error)"))
        }
        let sink = OutputSink()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for item in items {
            if json {
                sink.line(Array((try? encoder.encode(item)) ?? Data()))
            } else {
                var line = "\(item.source)\t\(item.sha256 ?? "-")\t\(item.path ?? "-")"
                if !item.hits.isEmpty { line += "\t[" + item.hits.map { "\($0.setName):\($0.category ?? $0.kind)" }.joined(separator: ", ") + "]" }
                if item.extensionMismatch { line += "\t(mismatch: \(item.mime ?? "?"))" }
                sink.line(line)
            }
        }
        do { try sink.flush() } catch { throw Diagnostics.fail(error) }
    }

    /// One row per item and distinct time, MACB letters, sorted by time (mactime style).
    static func timeline(_ folder: String, json: Bool, from: Timestamp?, to: Timestamp?) throws {
        let items: [CaseStore.ItemRecord]
        do {
            items = try open(folder).items()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw Diagnostics.fail(ExhumeError(.badInput, "\(folder): \(error)"))
        }
        var rows: [(time: String, row: [String])] = []
        for item in items {
            let times = [item.mtime, item.atime, item.ctime, item.crtime]
            var seen = Set<String>()
            for time in times.compactMap({ $0 }) {
                let second = String(time.prefix(19))
                guard seen.insert(second).inserted else { continue }
                if let from, second < TimeFormat.iso8601(from).prefix(19) { continue }
                if let to, second > TimeFormat.iso8601(to).prefix(19) { continue }
                let letters = zip(times, ["m", "a", "c", "b"]).map { $0.0.map { String($0.prefix(19)) } == second ? $0.1 : "." }.joined()
                rows.append((time, ["\(item.size)", letters, item.source, item.addr ?? "", item.path ?? "", item.sha256 ?? ""]))
            }
        }
        rows.sort { ($0.time, $0.row[4]) < ($1.time, $1.row[4]) }
        let sink = OutputSink()
        if !json { sink.line("Date,Size,Type,Source,Meta,File Name,SHA-256") }
        for (time, row) in rows {
            if json {
                var o = JSONLine()
                o.add("time", time)
                o.add("size", Int64(row[0]) ?? 0)
                o.add("activity", row[1])
                o.add("source", row[2])
                o.add("meta", row[3])
                o.add("name", row[4])
                o.add("sha256", row[5])
                sink.line(o.finished())
            } else {
                sink.line([time, row[0], row[1], row[2], row[3], TimelineBuilder.csvField(row[4]), row[5]].joined(separator: ","))
            }
        }
        do { try sink.flush() } catch { throw Diagnostics.fail(error) }
    }
}
