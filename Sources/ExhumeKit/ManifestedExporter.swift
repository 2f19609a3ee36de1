import Carving
import Export
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ``RecoveryExporter`` with the manifest's room for each file's line set aside before
/// the file is created (``ManifestWriter/setAside(for:)``). When that room cannot be had
/// the disk is full: the export stops there, as it does when a file meets the full disk,
/// and later items are hashed and listed but not written.
///
/// Used from the pipeline's export lane; read the counts once it has finished.
final class ManifestedExporter: ContentExporter {
    let exporter: RecoveryExporter
    private let manifest: ManifestWriter
    private let mediaOnly: Bool
    /// Judges `--media-only` for the items this exporter turns away itself (the same test as
    /// ``RecoveryExporter``'s, which is not asked then: asking it creates the file).
    private var mediaFilter: TypeIdentifier?
    private var refusing = false

    /// The `errno` of the manifest room that could not be had (`ENOSPC`, `EDQUOT`).
    private(set) var stoppedBy: Int32?
    /// Items meant for export and not written because the manifest had no room for their line.
    private(set) var refused = 0

    init(_ exporter: RecoveryExporter, manifest: ManifestWriter, mediaOnly: Bool = false) {
        self.exporter = exporter
        self.manifest = manifest
        self.mediaOnly = mediaOnly
    }

    func begin(_ item: ContentItem, head: UnsafeRawBufferPointer) -> Bool {
        refusing = false
        // Once the exporter itself has stopped it writes nothing more: no room needed.
        guard exporter.stoppedBy == nil else { return exporter.begin(item, head: head) }
        if stoppedBy == nil { stoppedBy = manifest.setAside(for: item) }
        guard stoppedBy != nil else { return exporter.begin(item, head: head) }
        guard isMedia(item, head: head) else { return false }
        refusing = true
        return true
    }

    func write(_ bytes: UnsafeRawBufferPointer) {
        if !refusing { exporter.write(bytes) }
    }

    func finish(readComplete: Bool) throws -> String {
        guard refusing else { return try exporter.finish(readComplete: readComplete) }
        refusing = false
        refused += 1
        throw ExportError(.noSpace, path: exporter.exporter.rootPath,
                          message: "not written: the export stopped when the disk became full", errno: stoppedBy)
    }

    /// Files written completely.
    var written: Int { exporter.exportedCount }

    /// What stopped the export, whichever met it: a file's write or its manifest line's
    /// room (that one only when it kept a file out: with `--media-only` it may not have).
    var stoppedByErrno: Int32? { exporter.stoppedBy?.errno ?? (refused > 0 ? stoppedBy : nil) }

    /// Items meant for export that the full disk kept out.
    var notWrittenForSpace: Int { exporter.notExportedForSpace + refused }

    private func isMedia(_ item: ContentItem, head: UnsafeRawBufferPointer) -> Bool {
        guard mediaOnly else { return true }
        if mediaFilter == nil { mediaFilter = try? TypeIdentifier() }
        guard let mediaFilter else { return true }
        let mime = mediaFilter.mime(head: head)
        return mime.hasPrefix("image/") || mime.hasPrefix("video/") || mime.hasPrefix("audio/")
    }
}
