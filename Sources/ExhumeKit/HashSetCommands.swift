import CaseStore
import Hashing

/// How a hash set's hits are used: known-good (suppressed from review) or known-bad (alerts).
public typealias HashSetKind = Hashing.HashSetKind

/// `exhume hashset import`: reads a hash set once and writes its index.
public struct HashSetImportJob {
    /// The hash set file.
    public var source: String
    /// The index file to write.
    public var output: String
    /// Force how hits of the set are used; by default NSRL sets are known-good, all others known-bad.
    public var kind: HashSetKind?
    /// The set's name in hits (default: the source file name).
    public var name: String?
    /// Force the format (``isFormat(_:)``); by default it is detected from the content.
    public var format: String?

    public init(source: String, output: String) {
        self.source = source
        self.output = output
    }

    /// Whether `name` names a format `--format` accepts (`md5sum`, `hashdeep`, `nsrl`…).
    public static func isFormat(_ name: String) -> Bool {
        HashSetFormat(name: name) != nil
    }

    /// Imports the set; returns the summary lines.
    public func run() throws(ExhumeError) -> [String] {
        let detected: HashSetFormat
        let summary: HashSetIndexSummary
        do {
            detected = try format.flatMap { HashSetFormat(name: $0) } ?? HashSetFormat.detect(path: source)
        } catch {
            throw ExhumeError(error, during: .readingHashSet(source: source))
        }
        // NSRL lists known software: good unless told otherwise; everything else is an alert list.
        let kind = self.kind ?? (detected == .nsrlSQLite || detected == .nsrlLegacy ? .knownGood : .knownBad)
        do {
            summary = try HashSetImport.run(source: source, format: detected, output: output, name: name, kind: kind)
        } catch {
            throw ExhumeError(error, during: .readingHashSet(source: source))
        }
        return [
            "Imported \(summary.records) entries from \(source) (\(detected.rawValue)) as \(HitKind(kind)) set \"\(summary.name)\"",
            "MD5 \(summary.md5Count), SHA-1 \(summary.sha1Count), SHA-256 \(summary.sha256Count); index \(output) (\(summary.bytes) bytes)",
        ]
    }
}

/// `exhume hashset info`: an index's name, kind, source and counts.
public struct HashSetIndexReport {
    /// The index file as named on the command line.
    public let path: String
    /// Every table was checked (sorted, in bounds), not only the header.
    public let verified: Bool
    private let summary: HashSetIndexSummary

    /// Opens the index at `path`; with `verify`, checks every table.
    public init(path: String, verify: Bool) throws(ExhumeError) {
        do {
            let index = try HashSetIndex(path: path)
            if verify { try index.verify() }
            summary = index.summary
        } catch {
            throw ExhumeError(error, during: .readingHashSet(source: path))
        }
        self.path = path
        self.verified = verify
    }

    /// The report as text, or as one JSON object.
    public func write(json: Bool, to sink: OutputSink) {
        let s = summary
        if json {
            var o = JSONLine()
            o.add("index", path)
            o.add("name", s.name)
            o.add("kind", HitKind(s.kind).rawValue)
            o.add("source", s.sourceName)
            o.add("created", s.created)
            o.add("records", s.records)
            o.add("md5", s.md5Count)
            o.add("sha1", s.sha1Count)
            o.add("sha256", s.sha256Count)
            o.add("bytes", s.bytes)
            o.add("verified", verified)
            sink.line(o.finished())
        } else {
            sink.line("Index:    \(path)")
            sink.line("Set:      \(s.name) (\(HitKind(s.kind))), from \(s.sourceName)")
            sink.line("Entries:  \(s.records) (MD5 \(s.md5Count), SHA-1 \(s.sha1Count), SHA-256 \(s.sha256Count))")
            sink.line("Size:     \(s.bytes) bytes")
            if verified { sink.line("Verified: every table sorted and in bounds") }
        }
    }
}
