import ArgumentParser
import ExhumeKit
import Hashing

extension Exhume {
    struct HashSetCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hashset",
            abstract: "Build and inspect known-hash set indexes (NSRL, Project VIC / CAID, ICSE, HashKeeper, hashdeep, md5sum lists).",
            subcommands: [Import.self, Info.self])

        struct Import: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Read a hash set once and write a compact sorted index that lookups memory-map.",
                discussion: "The format is detected from the content: md5sum/sha1sum/sha256sum lists, hashdeep, NSRL RDS v3 (SQLite) or NSRLFile.txt, VICS/CAID JSON, ICSE CSV, HashKeeper CSV.")

            @Argument(help: "The hash set file.")
            var source: String

            @Option(name: .customLong("out"), help: ArgumentHelp("The index file to write.", valueName: "INDEX"))
            var out: String

            @Flag(name: .customLong("known-good"), help: "Hits are known files to suppress from review (NSRL).")
            var knownGood = false

            @Flag(name: .customLong("known-bad"), help: "Hits are alerts (the default for every format but NSRL).")
            var knownBad = false

            @Option(help: ArgumentHelp("Name of the set in hits (default: the source file name).", valueName: "NAME"))
            var name: String?

            @Option(help: ArgumentHelp("Force the format: md5sum, hashdeep, nsrl, nsrl-txt, vics, caid, icse, hashkeeper.", valueName: "FORMAT"))
            var format: String?

            func validate() throws {
                if knownGood && knownBad { throw ValidationError("--known-good and --known-bad exclude each other") }
                if let format, HashSetFormat(name: format) == nil { throw ValidationError("unknown format '\(format)'") }
            }

            func run() throws {
                let detected: HashSetFormat
                do {
                    detected = try format.flatMap { HashSetFormat(name: $0) } ?? HashSetFormat.detect(path: source)
                } catch let error as HashSetError {
                    throw Diagnostics.fail(ExhumeError(error.code == .notFound ? .missingInput : .badInput, error.description))
                } catch {
                    throw Diagnostics.fail(ExhumeError(.badInput, "\(source): \(error)"))
                }
                // NSRL lists known software: good unless told otherwise; everything else is an alert list.
                let kind: HashSetKind = knownGood ? .knownGood : (knownBad ? .knownBad
                    : (detected == .nsrlSQLite || detected == .nsrlLegacy ? .knownGood : .knownBad))
                let summary: HashSetIndexSummary
                do {
                    summary = try HashSetImport.run(source: source, format: detected, output: out, name: name, kind: kind)
                } catch let error as HashSetError {
                    throw Diagnostics.fail(ExhumeError(error.code == .notFound ? .missingInput
                                                       : (error.code == .writeFailed ? .outputFailed : .badInput), error.description))
                } catch {
                    throw Diagnostics.fail(ExhumeError(.badInput, "\(source): \(error)"))
                }
                let sink = OutputSink()
                sink.line("Imported \(summary.records) entries from \(source) (\(detected.rawValue)) as \(kind == .knownGood ? "known-good" : "known-bad") set \"\(summary.name)\"")
                sink.line("MD5 \(summary.md5Count), SHA-1 \(summary.sha1Count), SHA-256 \(summary.sha256Count); index \(out) (\(summary.bytes) bytes)")
                do { try sink.flush() } catch { throw Diagnostics.fail(error) }
            }
        }

        struct Info: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show an index's name, kind, source and counts.")

            @Argument(help: "The index file.")
            var index: String

            @Flag(help: "Check every table (sorted, in bounds) instead of the header only.")
            var verify = false

            @Flag(help: "Print one JSON object.")
            var json = false

            func run() throws {
                let opened: HashSetIndex
                do {
                    opened = try HashSetIndex(path: index)
                    if verify { try opened.verify() }
                } catch {
                    throw Diagnostics.fail(ExhumeError(error.code == .notFound ? .missingInput : .badInput, error.description))
                }
                let s = opened.summary
                let sink = OutputSink()
                if json {
                    var o = JSONLine()
                    o.add("index", index)
                    o.add("name", s.name)
                    o.add("kind", s.kind == .knownGood ? "known-good" : "known-bad")
                    o.add("source", s.sourceName)
                    o.add("created", s.created)
                    o.add("records", s.records)
                    o.add("md5", s.md5Count)
                    o.add("sha1", s.sha1Count)
                    o.add("sha256", s.sha256Count)
                    o.add("bytes", s.bytes)
                    o.add("verified", verify)
                    sink.line(o.finished())
                } else {
                    sink.line("Index:    \(index)")
                    sink.line("Set:      \(s.name) (\(s.kind == .knownGood ? "known-good" : "known-bad")), from \(s.sourceName)")
                    sink.line("Entries:  \(s.records) (MD5 \(s.md5Count), SHA-1 \(s.sha1Count), SHA-256 \(s.sha256Count))")
                    sink.line("Size:     \(s.bytes) bytes")
                    if verify { sink.line("Verified: every table sorted and in bounds") }
                }
                do { try sink.flush() } catch { throw Diagnostics.fail(error) }
            }
        }
    }
}
