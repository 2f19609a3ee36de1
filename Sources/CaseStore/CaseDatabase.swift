import Foundation
import GRDB

/// The case database: one `case.sqlite` file in a case folder, behind a plain synchronous API.
///
/// The class is the one owner of its `DatabaseQueue`. It is `Sendable` because the queue
/// serializes every access: pipeline stages may share one instance, and each call is one
/// transaction.
public final class CaseDatabase: Sendable {
    /// The file name of the database inside a case folder.
    public static let fileName = "case.sqlite"

    /// The case folder.
    public let folder: URL
    let queue: DatabaseQueue

    /// Opens the case in `folder`, creating the folder and `case.sqlite` when they are missing,
    /// and brings the schema up to date (`DatabaseMigrator`). The database runs in WAL mode.
    ///
    /// Throws `CaseError.Code.corruptDatabase` when `case.sqlite` is not a SQLite database,
    /// `.io` when the folder cannot be made.
    public init(folder: URL) throws {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw CaseError(.io, "cannot create the case folder \(folder.path)",
                            underlying: "\(error.localizedDescription)")
        }
        let path = folder.appendingPathComponent(Self.fileName).path
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // WAL: readers (report, ls) never block the scan's writes. synchronous=NORMAL is
            // durable across a killed process, which is what resume relies on; only an OS
            // crash may lose the last batches, and resume redoes those.
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try CaseSchema.migrator.migrate(queue)
        } catch let error as DatabaseError {
            throw Self.openError(error, path: path)
        }
    }

    static func openError(_ error: DatabaseError, path: String) -> CaseError {
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_CORRUPT:
            return CaseError(.corruptDatabase,
                             "\(path) is not a valid case database; it may be damaged or not a SQLite file",
                             underlying: error.message ?? "\(error.resultCode)")
        case .SQLITE_FULL:
            return CaseError(.noSpace, "no space left to open the case database \(path)",
                             underlying: error.message ?? "\(error.resultCode)")
        default:
            return CaseError(.io, "cannot open the case database \(path)",
                             underlying: error.message ?? "\(error.resultCode)")
        }
    }

    /// `queue.write` (one transaction), with the failures of the disk under the case turned
    /// into `CaseError`s naming `case.sqlite`: `SQLITE_FULL` is `.noSpace`, other I/O
    /// failures `.io`. SQLite has rolled the transaction back by then, so everything committed
    /// before is kept and a resumed scan redoes only this batch. Other errors pass unchanged.
    func write<T>(_ updates: (Database) throws -> T) throws -> T {
        do {
            return try queue.write(updates)
        } catch let error as DatabaseError {
            throw Self.writeError(error, path: folder.appendingPathComponent(Self.fileName).path)
        }
    }

    /// The `CaseError` for a failed write to `path`, or `error` itself when it is not about the disk.
    static func writeError(_ error: DatabaseError, path: String) -> any Error {
        let underlying = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_FULL:
            return CaseError(.noSpace, "no space left for the case database \(path)", underlying: underlying)
        case .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_CANTOPEN:
            return CaseError(.io, "cannot write the case database \(path)", underlying: underlying)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return CaseError(.corruptDatabase, "\(path) is damaged", underlying: underlying)
        default:
            return error
        }
    }

    static func now() -> String {
        ISO8601DateFormatter().string(from: Date())
    }

    // MARK: Scans

    /// Records the start of a scan (status `running`, start time now) and returns its id.
    public func beginScan(toolVersion: String, commandLine: String) throws -> Int64 {
        try write { db in
            try db.execute(sql: """
                INSERT INTO scan (tool_version, command_line, started, status)
                VALUES (?, ?, ?, ?)
                """, arguments: [toolVersion, commandLine, Self.now(), ScanStatus.running])
            return db.lastInsertedRowID
        }
    }

    /// Records the end of a scan: its final status and the end time.
    public func finishScan(_ id: Int64, status: ScanStatus) throws {
        try write { db in
            try db.execute(sql: "UPDATE scan SET ended = ?, status = ? WHERE id = ?",
                           arguments: [Self.now(), status, id])
            if db.changesCount == 0 { throw CaseError(.notFound, "no scan with id \(id)") }
        }
    }

    /// All scans, oldest first.
    public func scans() throws -> [ScanRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM scan ORDER BY id").map {
                ScanRecord(id: $0["id"], toolVersion: $0["tool_version"], commandLine: $0["command_line"],
                           started: $0["started"], ended: $0["ended"], status: try $0.decode(forColumn: "status"))
            }
        }
    }

    // MARK: Images, volumes, file systems

    /// The image stored with exactly this path, or nil.
    public func image(path: String) throws -> ImageRecord? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM image WHERE path = ?", arguments: [path])
                .map { try ImageRecord(row: $0) }
        }
    }

    /// All images, in the order they were added.
    public func images() throws -> [ImageRecord] {
        try queue.read { db in try Self.images(db) }
    }

    static func images(_ db: Database) throws -> [ImageRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM image ORDER BY id").map { try ImageRecord(row: $0) }
    }

    /// Adds an image and returns its id. Throws `.duplicateImage` when the path is already in
    /// the case (look it up with `image(path:)` first to resume).
    public func addImage(_ image: ImageRecord) throws -> Int64 {
        try write { db in
            if try Int64.fetchOne(db, sql: "SELECT id FROM image WHERE path = ?", arguments: [image.path]) != nil {
                throw CaseError(.duplicateImage, "the image \(image.path) is already in this case")
            }
            try db.execute(sql: """
                INSERT INTO image (path, format, size, sector_size, case_number, evidence_number,
                    examiner, description, notes, acquired, software, stored_md5, stored_sha1,
                    computed_md5, computed_sha1, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [image.path, image.format, image.size, image.sectorSize,
                                 image.caseNumber, image.evidenceNumber, image.examiner,
                                 image.description, image.notes, image.acquired, image.software,
                                 image.storedMD5, image.storedSHA1, image.computedMD5,
                                 image.computedSHA1, image.status])
            return db.lastInsertedRowID
        }
    }

    /// Sets an image's status, the digests computed over its media and their verdict.
    public func setImageStatus(_ id: Int64, status: ImageStatus, computedMD5: String?, computedSHA1: String?,
                               verification: VerificationVerdict? = nil) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE image SET status = ?, computed_md5 = ?, computed_sha1 = ?, verification = ? WHERE id = ?
                """, arguments: [status, computedMD5, computedSHA1, verification, id])
            if db.changesCount == 0 { throw CaseError(.notFound, "no image with id \(id)") }
        }
    }

    /// Adds a partition-table entry; a second add of the same (image, slot) is ignored, so a
    /// resumed scan can add them again.
    public func addVolume(_ v: VolumeRecord) throws {
        try write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO volume (image_id, slot, start, length, description, kind)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [v.imageID, v.slot, v.start, v.length, v.description, v.kind])
        }
    }

    /// Adds a file system and returns its id; when (image, sector offset) is already stored,
    /// returns the existing id unchanged (resume).
    public func addFileSystem(_ f: FileSystemRecord) throws -> Int64 {
        try write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO filesystem (image_id, sector_offset, type, label, block_size, block_count)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [f.imageID, f.sectorOffset, f.type, f.label, f.blockSize, f.blockCount])
            return try Int64.fetchOne(db, sql: "SELECT id FROM filesystem WHERE image_id = ? AND sector_offset = ?",
                                      arguments: [f.imageID, f.sectorOffset])!
        }
    }

    /// The volumes of one image, by slot.
    public func volumes(image: Int64) throws -> [VolumeRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM volume WHERE image_id = ? ORDER BY slot", arguments: [image]).map {
                VolumeRecord(imageID: $0["image_id"], slot: $0["slot"], start: $0["start"],
                             length: $0["length"], description: $0["description"], kind: $0["kind"])
            }
        }
    }

    /// The file systems of one image, by sector offset.
    public func fileSystems(image: Int64) throws -> [FileSystemRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM filesystem WHERE image_id = ? ORDER BY sector_offset",
                             arguments: [image]).map {
                FileSystemRecord(imageID: $0["image_id"], sectorOffset: $0["sector_offset"], type: $0["type"],
                                 label: $0["label"], blockSize: $0["block_size"], blockCount: $0["block_count"])
            }
        }
    }
}

/// One run of `exhume scan` (provenance).
public struct ScanRecord: Sendable, Codable, Equatable {
    public var id: Int64
    public var toolVersion: String
    public var commandLine: String
    /// ISO 8601 UTC.
    public var started: String
    public var ended: String?
    public var status: ScanStatus
}

extension ImageRecord {
    /// Throws when a status column holds a word this version does not know.
    init(row: Row) throws {
        self.init(id: row["id"], path: row["path"], format: row["format"], size: row["size"],
                  sectorSize: row["sector_size"], caseNumber: row["case_number"],
                  evidenceNumber: row["evidence_number"], examiner: row["examiner"],
                  description: row["description"], notes: row["notes"], acquired: row["acquired"],
                  software: row["software"], storedMD5: row["stored_md5"], storedSHA1: row["stored_sha1"],
                  computedMD5: row["computed_md5"], computedSHA1: row["computed_sha1"], status: try row.decode(forColumn: "status"),
                  verification: try row.decode(forColumn: "verification"))
    }
}
