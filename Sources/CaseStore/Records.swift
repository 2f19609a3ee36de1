/// One evidence image in the case, with its acquisition metadata and verification state.
public struct ImageRecord: Sendable, Codable, Equatable {
    /// Row id; nil until stored.
    public var id: Int64?
    public var path: String
    /// `ewf`, `raw`, `split-raw`…
    public var format: String
    public var size: Int64
    public var sectorSize: Int
    public var caseNumber: String?
    public var evidenceNumber: String?
    public var examiner: String?
    public var description: String?
    public var notes: String?
    /// Acquisition date as the image states it (ISO 8601 when known).
    public var acquired: String?
    public var software: String?
    public var storedMD5: String?
    public var storedSHA1: String?
    public var computedMD5: String?
    public var computedSHA1: String?
    /// The scan's state for this image.
    public var status: ImageStatus
    /// The media's computed digests against the stored ones; nil until a scan has
    /// read the whole media.
    public var verification: VerificationVerdict?

    public init(id: Int64? = nil, path: String, format: String, size: Int64, sectorSize: Int,
                caseNumber: String? = nil, evidenceNumber: String? = nil, examiner: String? = nil,
                description: String? = nil, notes: String? = nil, acquired: String? = nil,
                software: String? = nil, storedMD5: String? = nil, storedSHA1: String? = nil,
                computedMD5: String? = nil, computedSHA1: String? = nil, status: ImageStatus = .pending,
                verification: VerificationVerdict? = nil) {
        self.id = id; self.path = path; self.format = format; self.size = size
        self.sectorSize = sectorSize; self.caseNumber = caseNumber; self.evidenceNumber = evidenceNumber
        self.examiner = examiner; self.description = description; self.notes = notes
        self.acquired = acquired; self.software = software; self.storedMD5 = storedMD5
        self.storedSHA1 = storedSHA1; self.computedMD5 = computedMD5; self.computedSHA1 = computedSHA1
        self.status = status
        self.verification = verification
    }
}

/// One partition-table entry, numbered as `mmls` numbers it; start and length in sectors.
public struct VolumeRecord: Sendable, Codable, Equatable {
    public var imageID: Int64
    public var slot: Int
    public var start: Int64
    public var length: Int64
    public var description: String?
    /// `allocated`, `unallocated`, `meta`.
    public var kind: String?

    public init(imageID: Int64, slot: Int, start: Int64, length: Int64,
                description: String? = nil, kind: String? = nil) {
        self.imageID = imageID; self.slot = slot; self.start = start; self.length = length
        self.description = description; self.kind = kind
    }
}

/// One file system found in an image, located by its sector offset (TSK's `-o`).
public struct FileSystemRecord: Sendable, Codable, Equatable {
    public var imageID: Int64
    public var sectorOffset: Int64
    /// TSK type name (`ntfs`, `fat32`, `ext4`…).
    public var type: String
    public var label: String?
    public var blockSize: Int?
    public var blockCount: Int64?

    public init(imageID: Int64, sectorOffset: Int64, type: String, label: String? = nil,
                blockSize: Int? = nil, blockCount: Int64? = nil) {
        self.imageID = imageID; self.sectorOffset = sectorOffset; self.type = type
        self.label = label; self.blockSize = blockSize; self.blockCount = blockCount
    }
}

/// A match of an item's digest in a known-hash set.
public struct HitRecord: Sendable, Codable, Equatable, Hashable {
    public var setName: String
    /// How the set is used: known-good (e.g. NSRL) or known-bad.
    public var kind: HitKind
    public var category: String?
    /// The digest that matched, lowercase hex.
    public var matched: String

    public init(setName: String, kind: HitKind, category: String? = nil, matched: String) {
        self.setName = setName; self.kind = kind; self.category = category; self.matched = matched
    }
}

/// One item found in an image (a file, stream, orphan, carved range or slack), with its
/// provenance, type, digests and hash-set hits.
public struct ItemRecord: Sendable, Codable, Equatable {
    /// Row id; nil until stored.
    public var id: Int64?
    public var imageID: Int64
    /// Provenance text, unique per image (`fs@2048/addr 64-128-2`, `carved@12345`).
    public var key: String
    /// `allocated`, `deleted`, `orphan`, `stream`, `carved` or `slack`.
    public var source: String
    public var path: String?
    public var addr: String?
    /// Sector offset of the file system the item belongs to.
    public var fsOffset: Int64?
    public var deleted: Bool
    public var size: Int64
    public var bytesRead: Int64
    /// MACB times, ISO 8601 UTC text, nil when not set.
    public var atime: String?
    public var mtime: String?
    public var ctime: String?
    public var crtime: String?
    /// Byte offset and length in the image, for carved items.
    public var imageOffset: Int64?
    public var imageLength: Int64?
    /// Carving rule and validator verdict.
    public var rule: String?
    public var verdict: CarveVerdict?
    public var mime: String?
    public var description: String?
    public var extensionMismatch: Bool
    public var md5: String?
    public var sha1: String?
    public var sha256: String?
    public var readError: String?
    public var exportedPath: String?
    public var hits: [HitRecord]
    /// For an item found inside another (schema v3): the parent's provenance key
    /// (stored as the parent's row id, `parent_item`), and the path or byte offset inside it.
    public var parentKey: String?
    public var pathInParent: [UInt8]?
    public var offsetInParent: Int64?

    public init(id: Int64? = nil, imageID: Int64, key: String, source: String, path: String? = nil,
                addr: String? = nil, fsOffset: Int64? = nil, deleted: Bool = false, size: Int64 = 0,
                bytesRead: Int64 = 0, atime: String? = nil, mtime: String? = nil, ctime: String? = nil,
                crtime: String? = nil, imageOffset: Int64? = nil, imageLength: Int64? = nil,
                rule: String? = nil, verdict: CarveVerdict? = nil, mime: String? = nil,
                description: String? = nil, extensionMismatch: Bool = false, md5: String? = nil,
                sha1: String? = nil, sha256: String? = nil, readError: String? = nil,
                exportedPath: String? = nil, hits: [HitRecord] = []) {
        self.id = id; self.imageID = imageID; self.key = key; self.source = source; self.path = path
        self.addr = addr; self.fsOffset = fsOffset; self.deleted = deleted; self.size = size
        self.bytesRead = bytesRead; self.atime = atime; self.mtime = mtime; self.ctime = ctime
        self.crtime = crtime; self.imageOffset = imageOffset; self.imageLength = imageLength
        self.rule = rule; self.verdict = verdict; self.mime = mime; self.description = description
        self.extensionMismatch = extensionMismatch; self.md5 = md5; self.sha1 = sha1
        self.sha256 = sha256; self.readError = readError; self.exportedPath = exportedPath
        self.hits = hits
    }
}

/// Hits grouped by set, kind and category, for the report.
public struct HitSummary: Sendable, Codable, Equatable {
    public var setName: String
    public var kind: HitKind
    public var category: String?
    public var count: Int
}

/// What `exhume report` prints.
public struct CaseReport: Sendable, Codable, Equatable {
    public var countsBySource: [String: Int]
    /// Items with no MIME type are counted under `unknown`.
    public var countsByMime: [String: Int]
    public var hits: [HitSummary]
    /// Number of items whose content contradicts their extension.
    public var mismatches: Int
    /// Carved items per validator verdict (`unknown` when none).
    public var carvedByVerdict: [String: Int]
    public var images: [ImageRecord]
}
