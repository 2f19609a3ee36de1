import CaseStore
import SleuthKit

/// How an item was found: the provenance every output carries.
public enum ItemSource: String, Sendable, Codable, CaseIterable {
    /// A file whose name is allocated.
    case allocated
    /// A deleted name (TSK marks it unallocated) whose metadata still points to content.
    case deleted
    /// A file TSK found without a name, under `$OrphanFiles`.
    case orphan
    /// An NTFS alternate data stream (of an allocated or deleted file).
    case stream
    /// Found by signature in unallocated or unpartitioned space.
    case carved
}

/// A byte range the carver found by signature and checked by structure.
public struct CarvedExtent: Sendable, Hashable {
    /// Byte offset in the image.
    public var offset: Int64
    public var length: Int64
    /// The carving rule that matched (`jpeg`, `png`…) and its usual extension.
    public var rule: String
    public var fileExtension: String
    /// The validator found the whole file, or only its beginning (truncated).
    public var complete: Bool
    /// Where it was found (unallocated blocks, unpartitioned space…).
    public var region: CarveRegion.Kind

    /// ``complete`` as the manifest and the case database say it.
    public var verdict: CarveVerdict { complete ? .complete : .partial }

    public init(offset: Int64, length: Int64, rule: String, fileExtension: String, complete: Bool, region: CarveRegion.Kind) {
        self.offset = offset
        self.length = length
        self.rule = rule
        self.fileExtension = fileExtension
        self.complete = complete
        self.region = region
    }
}

/// A file, deleted file, orphan, stream or carved range whose bytes the content pipeline reads.
public struct ContentItem: Sendable {
    /// Where the bytes come from.
    public enum Origin: Sendable {
        /// A file system entry: its file system's index in ``Examination/fileSystems``.
        case file(fileSystem: Int, entry: FileEntry, ref: ContentRef)
        /// A carved byte range of the image.
        case carved(CarvedExtent)
    }

    /// Position in the read order (image order).
    public var sequence: Int
    public var origin: Origin
    public var source: ItemSource
    /// Where it was found, made here and carried unchanged to every output.
    public let provenance: Provenance

    /// An entry of file system `fileSystem` (its index in ``Examination/fileSystems``), which lies at `place`.
    public init(sequence: Int, fileSystem: Int, place: Provenance.Place, entry: FileEntry, ref: ContentRef, source: ItemSource) {
        self.sequence = sequence
        self.origin = .file(fileSystem: fileSystem, entry: entry, ref: ref)
        self.source = source
        self.provenance = Provenance(place, entry: entry, ref: ref)
    }

    /// A range of `image` found by signature.
    public init(sequence: Int, carved: CarvedExtent, image: String) {
        self.sequence = sequence
        self.origin = .carved(carved)
        self.source = .carved
        self.provenance = Provenance(image: image, carved: carved)
    }

    /// The file system entry, for items that have one.
    public var entry: FileEntry? {
        if case .file(_, let entry, _) = origin { return entry }
        return nil
    }

    public var carved: CarvedExtent? {
        if case .carved(let extent) = origin { return extent }
        return nil
    }

    /// Index of the item's file system, nil for carved items.
    public var fileSystem: Int? {
        if case .file(let index, _, _) = origin { return index }
        return nil
    }

    /// Bytes the item should hold.
    public var size: Int64 {
        switch origin {
        case .file(_, _, let ref): return ref.size
        case .carved(let extent): return extent.length
        }
    }

    /// The name the item's type is judged by: the file name, the stream name
    /// for a stream, `offset.ext` for a carved item (its rule's type).
    public var judgedName: [UInt8] {
        switch origin {
        case .file(_, let entry, _): return entry.streamName ?? entry.name
        case .carved(let extent): return Array("\(extent.offset).\(extent.fileExtension)".utf8)
        }
    }

    /// Image-order sort key: file system then first block; carved items by offset, after files.
    var sortKey: (Int, Int64) {
        switch origin {
        case .file(let index, _, let ref): return (index, Int64(ref.firstBlock ?? 0))
        case .carved(let extent): return (Int.max, extent.offset)
        }
    }
}

/// Which items a command reads.
public struct ItemSelection: Sendable {
    /// Which names are kept, by TSK's allocation flag of the name: every one, the
    /// unallocated ones (deleted files, orphans), or the allocated ones. The one
    /// allocation filter: `ls --deleted/--allocated`, `hash`, `recover`, `scan`.
    public enum Allocation: Sendable {
        case all, deletedOnly, allocatedOnly

        public func accepts(_ entry: FileEntry) -> Bool {
            switch self {
            case .all: return true
            case .deletedOnly: return entry.isDeleted
            case .allocatedOnly: return !entry.isDeleted
            }
        }
    }

    public var allocation: Allocation
    /// Skip empty files (`tsk_recover` writes none).
    public var skipEmpty: Bool

    public init(allocation: Allocation, skipEmpty: Bool = false) {
        self.allocation = allocation
        self.skipEmpty = skipEmpty
    }

    /// The rules `tsk_recover` applies, so `recover` writes the same set: no
    /// directories, no `.`/`..`, no NTFS system files (`$` names below MFT
    /// entry 20), no FAT virtual files (`$MBR`, `$FAT1`, `$FAT2`), nothing
    /// without metadata.
    func accepts(_ entry: FileEntry, in fileSystem: FileSystemKind) -> Bool {
        guard entry.hasMetadata, !entry.isFileNameAttribute, entry.content != nil else { return false }
        if entry.nameType == .directory { return false }
        if entry.nameType == .virtual || entry.nameType == .virtualDirectory { return false }
        if fileSystem.isNTFS, entry.name.first == UInt8(ascii: "$"), entry.metaAddress < 20 { return false }
        if skipEmpty, entry.size <= 0 { return false }
        return allocation.accepts(entry)
    }

    static func source(of entry: FileEntry) -> ItemSource {
        if entry.streamName != nil { return .stream }
        if entry.isOrphan { return .orphan }
        return entry.isDeleted ? .deleted : .allocated
    }
}
