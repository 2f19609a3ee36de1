import ArgumentParser
import CaseStore
import ExhumeKit
import Foundation

extension Exhume {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarise a case: items per source and type, hash-set hits by category, extension mismatches, carved items by verdict, the images.")

        @Argument(help: "The case folder.")
        var caseFolder: String

        @Flag(help: "Print one JSON object.")
        var json = false

        func run() throws {
            let folder = URL(fileURLWithPath: caseFolder)
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(CaseDatabase.fileName).path) else {
                throw Diagnostics.fail(ExhumeError(.missingInput, "\(caseFolder): no case database here (case.sqlite)"))
            }
            let report: CaseReport
            do {
                report = try CaseDatabase(folder: folder).report()
            } catch {
                throw Diagnostics.fail(ExhumeError(.badInput, "\(caseFolder): \(error)"))
            }
            let sink = OutputSink()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                let data = (try? encoder.encode(report)) ?? Data("{}".utf8)
                sink.line(Array(data))
            } else {
                sink.line("Case: \(folder.path)")
                for image in report.images {
                    sink.line("Image: \(image.path) (\(image.format), \(image.size) bytes) — scan \(image.status)")
                    switch image.verification {
                    case "verified"?:
                        sink.line("  verified: computed MD5 \(image.computedMD5 ?? "?") equals the stored one"
                                  + (image.computedSHA1 != nil && image.storedSHA1 != nil ? ", and SHA-1 too" : ""))
                    case "mismatch"?:
                        sink.line("  NOT verified: computed MD5 \(image.computedMD5 ?? "?"), stored \(image.storedMD5 ?? "none")"
                                  + (image.status == "complete-with-errors" ? " (chunks failed their checksum)" : ""))
                    case "no-stored-hash"?:
                        sink.line("  no stored hash; computed MD5 \(image.computedMD5 ?? "?")"
                                  + (image.computedSHA1.map { ", SHA-1 \($0)" } ?? ""))
                    default:
                        sink.line("  not verified yet" + (image.storedMD5.map { "; stored MD5 \($0)" } ?? ""))
                    }
                }
                sink.line("Items by source:")
                for (source, count) in report.countsBySource.sorted(by: { $0.key < $1.key }) { sink.line("  \(source): \(count)") }
                sink.line("Items by type (top 15):")
                for (mime, count) in report.countsByMime.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }).prefix(15) {
                    sink.line("  \(mime): \(count)")
                }
                sink.line("Hash-set hits:")
                if report.hits.isEmpty { sink.line("  none") }
                for hit in report.hits {
                    sink.line("  \(hit.setName) (\(hit.kind))\(hit.category.map { ", category \($0)" } ?? ""): \(hit.count)")
                }
                sink.line("Extension mismatches: \(report.mismatches)")
                sink.line("Carved: " + (report.carvedByVerdict.isEmpty ? "none"
                    : report.carvedByVerdict.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")))
            }
            do { try sink.flush() } catch { throw Diagnostics.fail(error) }
        }
    }
}
