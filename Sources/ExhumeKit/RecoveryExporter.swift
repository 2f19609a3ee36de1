import Carving
import Foundation
import Export
import SleuthKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes recovered items below an output folder through ``SafeExporter``:
/// `[vol_SECTOR/]dir/…/name` as `tsk_recover` lays them out, streams as
/// `name:stream`, every name sanitized, nothing overwritten or written outside.
///
/// Once the output disk is full (`ENOSPC`, or `EDQUOT` over quota) the export
/// stops, as PhotoRec's does: later items are still read, hashed and listed by
/// the caller, but no more files are tried, so a full disk costs one failing
/// write instead of one per remaining item. ``issues`` then holds one line
/// saying so, with how many files were written and how many items were not.
///
/// Used from one thread at a time (the pipeline's export lane); read
/// ``issues`` and the counts after the pipeline has finished.
public final class RecoveryExporter: ContentExporter {
    public let exporter: SafeExporter
    private let exam: Examination
    private var current: ExportedFile?
    private var failure: ExportError?
    /// With `--media-only`: identifies each item's head to keep only pictures, video and audio.
    private let mediaFilter: TypeIdentifier?

    /// Files written completely.
    public private(set) var exportedCount = 0
    /// The disk-full (or over-quota) error that stopped the export, if one did;
    /// shared by the exporters of one scan (files and carved items are written
    /// from two lanes into the same folder).
    public var stoppedBy: ExportError? { halt.error }
    private let halt: ExportHalt
    /// Items meant for export but not written because the disk was full: the one
    /// that met the full disk and every one after it.
    public private(set) var notExportedForSpace = 0
    /// Items whose export failed for another reason (the export goes on after those).
    public private(set) var otherFailures = 0
    private var firstOtherFailure: ExportError?

    /// Opens (creating) the output folder; refuses one inside the evidence
    /// folder or not empty unless `force`.
    public init(exam: Examination, outputFolder: String, force: Bool, mediaOnly: Bool = false,
                sharing halt: ExportHalt = ExportHalt()) throws {
        self.exam = exam
        self.halt = halt
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

    /// Items (by provenance key) whose file an earlier run wrote: not written again.
    public var alreadyExported = RecordedKeys()

    public func begin(_ item: ContentItem, head: UnsafeRawBufferPointer) -> Bool {
        if !alreadyExported.isEmpty, alreadyExported.contains(item.provenance.key) { return false }
        if let mediaFilter {
            let mime = mediaFilter.mime(head: head)
            guard mime.hasPrefix("image/") || mime.hasPrefix("video/") || mime.hasPrefix("audio/") else { return false }
        }
        current = nil
        failure = nil
        if let stoppedBy {
            // Not tried: finish() says why, without touching the disk.
            failure = ExportError(.noSpace, path: exporter.rootPath,
                                  message: "not written: the export stopped when the disk became full", errno: stoppedBy.errno)
            return true
        }
        do {
            current = try exporter.create(components: components(of: item))
        } catch {
            failed(error)
        }
        return true  // finish() reports why nothing was written
    }

    public func write(_ bytes: UnsafeRawBufferPointer) {
        guard let file = current, failure == nil else { return }
        do {
            try file.write(bytes)
        } catch {
            failed(error)   // the partial file is already removed
        }
    }

    public func finish(readComplete: Bool) throws -> String {
        defer { current = nil }
        if failure == nil, let file = current {
            do {
                let record = try file.finish()
                exportedCount += 1
                return record.relativePath
            } catch {
                failed(error)
            }
        }
        let error = failure ?? ExportError(.emptyPath, path: exporter.rootPath, message: "no file open")
        if error.code == .noSpace {
            notExportedForSpace += 1
        } else {
            otherFailures += 1
            if firstOtherFailure == nil { firstOtherFailure = error }
        }
        throw error
    }

    /// Remembers why the current item failed; the first full disk stops the export.
    private func failed(_ error: ExportError) {
        current?.abandon()
        current = nil
        failure = error
        if error.code == .noSpace { halt.stop(error) }
    }

    /// One line per kind of export problem, for the end of the run: the full
    /// disk that stopped the export, and the count of other failures with the
    /// first one. Empty when every item meant for export was written.
    public var issues: [Issue] { RecoveryExporter.issues(of: [self]) }

    /// The same lines for exporters that shared one folder (and one ``ExportHalt``).
    public static func issues(of exporters: [RecoveryExporter], whenFull hint: String = "") -> [Issue] {
        guard let first = exporters.first else { return [] }
        var issues: [Issue] = []
        let written = exporters.reduce(0) { $0 + $1.exportedCount }
        if let stoppedBy = exporters.lazy.compactMap(\.stoppedBy).first {
            // ENOSPC says what the message says; EDQUOT (over quota) is worth naming.
            let reason = stoppedBy.errno == ENOSPC ? "" : stoppedBy.reason.map { " (\($0))" } ?? ""
            let skipped = exporters.reduce(0) { $0 + $1.notExportedForSpace }
            issues.append(Issue(severity: .warning, image: first.exam.source.path, partition: nil, sectorOffset: nil,
                                message: "export stopped: no space left on \(first.exporter.rootPath)\(reason) after \(written) files; "
                                    + "\(skipped) items not exported (every item is still hashed and recorded)\(hint)"))
        }
        return issues + otherFailureIssues(of: exporters)
    }

    /// Only the line about failures other than a full disk, for callers that tell
    /// about the full disk themselves (`recover` and `carve`, with their manifest).
    public static func otherFailureIssues(of exporters: [RecoveryExporter]) -> [Issue] {
        guard let first = exporters.first else { return [] }
        let others = exporters.reduce(0) { $0 + $1.otherFailures }
        guard others > 0, let firstOther = exporters.lazy.compactMap(\.firstOtherFailure).first else { return [] }
        return [Issue(severity: .warning, image: first.exam.source.path, partition: nil, sectorOffset: nil,
                      message: "\(others) items could not be exported into \(first.exporter.rootPath); the first: \(firstOther)")]
    }

    /// Reserves `name` at the top of the output folder for our own file (the
    /// manifest), so that no exported file can take it.
    public func createReservedFile(_ name: String) throws(ExportError) -> ExportedFile {
        try exporter.create(components: [Array(name.utf8)])
    }
}

/// The first full-disk error of an export, shared by the exporters writing
/// into one folder from different threads: once one meets a full disk, none
/// tries again.
public final class ExportHalt: @unchecked Sendable {
    private let lock = NSLock()
    private var first: ExportError?

    public init() {}

    var error: ExportError? {
        lock.lock()
        defer { lock.unlock() }
        return first
    }

    func stop(_ error: ExportError) {
        lock.lock()
        if first == nil { first = error }
        lock.unlock()
    }
}
