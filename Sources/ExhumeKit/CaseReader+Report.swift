import CaseStore
import Foundation

extension CaseReader {
    /// `exhume report`: items per source and type, hash-set hits by set and category,
    /// extension mismatches, carved items by verdict, and the images with their scan
    /// status and verification; or all of it as one JSON object.
    public func writeReport(json: Bool, to sink: OutputSink) throws(ExhumeError) {
        let report = try read { try $0.report() }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            sink.line(Array((try? encoder.encode(report)) ?? Data("{}".utf8)))
            return
        }
        sink.line("Case: \(URL(fileURLWithPath: folder).path)")
        for image in report.images {
            sink.line("Image: \(image.path) (\(image.format), \(image.size) bytes) — scan \(image.status)")
            sink.line(Self.verificationLine(image))
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

    /// How the image's computed digests compare with the stored ones.
    private static func verificationLine(_ image: ImageRecord) -> String {
        switch image.verification {
        case .verified?:
            "  verified: computed MD5 \(image.computedMD5 ?? "?") equals the stored one"
                + (image.computedSHA1 != nil && image.storedSHA1 != nil ? ", and SHA-1 too" : "")
        case .mismatch?:
            "  NOT verified: computed MD5 \(image.computedMD5 ?? "?"), stored \(image.storedMD5 ?? "none")"
                + (image.status == .completeWithErrors ? " (chunks failed their checksum)" : "")
        case .noStoredHash?:
            "  no stored hash; computed MD5 \(image.computedMD5 ?? "?")"
                + (image.computedSHA1.map { ", SHA-1 \($0)" } ?? "")
        case nil:
            "  not verified yet" + (image.storedMD5.map { "; stored MD5 \($0)" } ?? "")
        }
    }
}
