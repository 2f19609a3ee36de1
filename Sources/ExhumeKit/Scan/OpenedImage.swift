import CaseStore
import Evidence
import Foundation

/// Phase 1 of an image's scan: the image opened, TSK reading through a router
/// (straight from the evidence while the file systems are listed, from the
/// media stream while contents are read), and its place in the case: new rows,
/// or what an interrupted run recorded (skipped now) and exported (not written again).
struct OpenedImage: @unchecked Sendable {
    let path: String
    let exam: Examination
    let router: RoutedSource
    let imageID: Int64
    /// Items an interrupted run recorded: not read again.
    let known: RecordedKeys
    /// Items with an exported file: not written again (a rescan after the export disk filled up).
    let exportedBefore: RecordedKeys

    static func open(_ path: String, in context: ScanContext) throws -> OpenedImage {
        nonisolated(unsafe) var routed: RoutedSource?
        let exam = try Examination(path: path, requireFileSystem: false, readThrough: { source in
            let router = RoutedSource(source)
            routed = router
            return router
        })
        guard let router = routed else { preconditionFailure("Examination did not open its image through the router") }
        let database = context.database
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let existing = try database.image(path: absolute), let id = existing.id else {
            let id = try database.addImage(ScanRecords.image(exam, path: absolute))
            for volume in ScanRecords.volumes(exam, image: id) { try database.addVolume(volume) }
            for fileSystem in ScanRecords.fileSystems(exam, image: id) { _ = try database.addFileSystem(fileSystem) }
            return OpenedImage(path: path, exam: exam, router: router, imageID: id, known: RecordedKeys(),
                               exportedBefore: RecordedKeys())
        }
        if existing.status == .complete && !context.options.rescan {
            throw ExhumeError(.usage, "\(path) was already scanned into this case; use --rescan to scan it again")
        }
        // Resume: skip what is recorded. --rescan reads everything again; what is
        // already recorded stays as it is, new items (new rules, new data) are added.
        let exportedBefore = try RecordedKeys(database, image: id, exportedOnly: true)
        var known = RecordedKeys()
        if existing.status != .complete {
            known = try RecordedKeys(database, image: id, exportedOnly: false)
            // Files the interrupted run wrote for items it had not committed yet are
            // written again now: remove them, or they would stay unrecorded beside `name~2`.
            try removeUnrecordedExports(in: context, image: id)
        }
        return OpenedImage(path: path, exam: exam, router: router, imageID: id, known: known, exportedBefore: exportedBefore)
    }

    /// Whether `item` is still to be read (not recorded by an interrupted run).
    func unrecorded(_ item: ContentItem) -> Bool {
        known.isEmpty || !known.contains(item.provenance.key)
    }

    /// The summary this image's scan starts from.
    func summary(issues: [Issue]) -> ScanJob.ImageSummary {
        var summary = ScanJob.ImageSummary(path: path)
        summary.issues = exam.issues + issues
        summary.resumedFrom = known.count
        return summary
    }

    /// Deletes files under `export/img<N>/` that no item of the case points to.
    /// Only the scan writes there, so such a file is a leftover of an interrupted run.
    private static func removeUnrecordedExports(in context: ScanContext, image: Int64) throws {
        let root = context.exportFolder(image)
        guard FileManager.default.fileExists(atPath: root.path) else { return }
        let recorded = try context.database.exportedPaths(image: image)
        let prefix = "export/img\(image)/"
        let rootPath = root.standardizedFileURL.path + "/"
        guard let walk = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey]) else { return }
        for case let url as URL in walk {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(rootPath),
                  (try? url.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) != true else { continue }
            if !recorded.contains(prefix + path.dropFirst(rootPath.count)) {
                try FileManager.default.removeItem(at: url)
            }
        }
    }
}
