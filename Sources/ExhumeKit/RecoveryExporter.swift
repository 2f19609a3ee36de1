import Carving
import Export
import SleuthKit

/// Writes recovered items below an output folder through ``SafeExporter``:
/// `[vol_SECTOR/]dir/…/name` as `tsk_recover` lays them out, streams as
/// `name:stream`, every name sanitized, nothing overwritten or written outside.
public final class RecoveryExporter: ContentExporter {
    public let exporter: SafeExporter
    private let exam: Examination
    private var current: ExportedFile?
    private var failure: ExportError?
    /// With `--media-only`: identifies each item's head to keep only pictures, video and audio.
    private let mediaFilter: TypeIdentifier?

    /// Opens (creating) the output folder; refuses one inside the evidence
    /// folder or not empty unless `force`.
    public init(exam: Examination, outputFolder: String, force: Bool, mediaOnly: Bool = false) throws {
        self.exam = exam
        exporter = try SafeExporter(root: outputFolder, evidence: exam.source.files, force: force)
        mediaFilter = mediaOnly ? try TypeIdentifier() : nil
    }

    /// Path components of an item below the output folder.
    public func components(of item: ContentItem) -> [[UInt8]] {
        guard case .file(let index, let entry, _) = item.origin else {
            // Carved: carved/OFFSET.ext, the image byte offset padded so names sort in image order.
            let extent = item.carved!
            let offset = String(extent.offset)
            let padded = String(repeating: "0", count: max(0, 12 - offset.count)) + offset
            return [Array("carved".utf8), Array("\(padded)\(extent.complete ? "" : "-partial").\(extent.fileExtension)".utf8)]
        }
        var parts: [[UInt8]] = []
        let mounted = exam.fileSystems[index]
        if exam.volumeSystem != nil || exam.fileSystems.count > 1 {
            // tsk_recover's folder per file system: vol_<sector offset>.
            parts.append(Array("vol_\(mounted.info.sectorOffset)".utf8))
        }
        if let volume = mounted.poolVolume { parts.append(Array("poolVol\(volume.index)".utf8)) }
        parts += entry.directoryComponents
        var name = entry.name
        if let stream = entry.streamName { name += [UInt8(ascii: ":")] + stream }
        parts.append(name)
        return parts
    }

    public func begin(_ item: ContentItem, head: UnsafeRawBufferPointer) -> Bool {
        if let mediaFilter {
            let mime = mediaFilter.identify(head: head, name: item.judgedName).mime
            guard mime.hasPrefix("image/") || mime.hasPrefix("video/") || mime.hasPrefix("audio/") else { return false }
        }
        do {
            current = try exporter.create(components: components(of: item))
            failure = nil
            return true
        } catch {
            current = nil
            failure = error
            return true  // finish() reports why nothing was written
        }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) {
        guard let file = current, failure == nil else { return }
        do {
            try file.write(bytes)
        } catch {
            failure = error
            file.abandon()
        }
    }

    public func finish(readComplete: Bool) throws -> String {
        defer { current = nil }
        if let failure { throw failure }
        guard let file = current else { throw ExportError(.emptyPath, path: exporter.rootPath, message: "no file open") }
        return try file.finish().relativePath
    }

    /// Reserves `name` at the top of the output folder for our own file (the
    /// manifest), so that no exported file can take it.
    public func createReservedFile(_ name: String) throws(ExportError) -> ExportedFile {
        try exporter.create(components: [Array(name.utf8)])
    }
}
