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
}

/// A file, deleted file, orphan or stream whose bytes the content pipeline reads.
public struct ContentItem: Sendable {
    /// Position in the read order (image order).
    public var sequence: Int
    /// Index of its file system in ``Examination/fileSystems``.
    public var fileSystem: Int
    public var entry: FileEntry
    public var ref: ContentRef
    public var source: ItemSource

    public init(sequence: Int, fileSystem: Int, entry: FileEntry, ref: ContentRef, source: ItemSource) {
        self.sequence = sequence
        self.fileSystem = fileSystem
        self.entry = entry
        self.ref = ref
        self.source = source
    }

    /// The name the item's type is judged by: the file name, or the stream name for a stream.
    public var judgedName: [UInt8] { entry.streamName ?? entry.name }
}

/// Which items a command reads.
public struct ItemSelection: Sendable {
    public enum Allocation: Sendable {
        case all, deletedOnly, allocatedOnly
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
    func accepts(_ entry: FileEntry, fileSystemType: String) -> Bool {
        guard entry.hasMetadata, !entry.isFileNameAttribute, entry.content != nil else { return false }
        if entry.nameType == .directory { return false }
        if entry.nameType == .virtual || entry.nameType == .virtualDirectory { return false }
        if fileSystemType.hasPrefix("ntfs"), entry.name.first == UInt8(ascii: "$"), entry.metaAddress < 20 { return false }
        if skipEmpty, entry.size <= 0 { return false }
        switch allocation {
        case .all: return true
        case .deletedOnly: return entry.isDeleted
        case .allocatedOnly: return !entry.isDeleted
        }
    }

    static func source(of entry: FileEntry) -> ItemSource {
        if entry.streamName != nil { return .stream }
        if entry.isOrphan { return .orphan }
        return entry.isDeleted ? .deleted : .allocated
    }
}
