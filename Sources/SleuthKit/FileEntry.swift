/// One line of a file listing: a name TSK found in a directory (allocated or
/// not), with its metadata and, on NTFS, the attribute it stands for.
///
/// A file with several NTFS data streams yields one entry per stream, plus one
/// for the `$FILE_NAME` attribute whose times TSK collected, exactly as `fls`
/// lists them. Names are bytes from the image: they are attacker-controlled,
/// may hold control characters or invalid UTF-8, and are kept as they are.
public struct FileEntry: Sendable, Hashable {
    /// The parent directory path as TSK builds it during the walk: empty at the
    /// root, otherwise ending with `/` (e.g. `dir/sub/`).
    public var parentPath: [UInt8]
    /// The name in its directory.
    public var name: [UInt8]
    /// Metadata address (inode, MFT entry, FAT directory-entry address).
    public var metaAddress: UInt64
    /// The NTFS attribute this entry stands for (type and id), nil elsewhere.
    public var attribute: AttributeID?
    /// Name of a non-default data stream (NTFS alternate data stream).
    public var streamName: [UInt8]?
    /// True for the entry that carries an NTFS `$FILE_NAME` attribute's times.
    public var isFileNameAttribute: Bool
    /// Type as recorded in the directory entry.
    public var nameType: EntryType
    /// Type as recorded in the metadata; nil when TSK found no metadata.
    public var metaType: EntryType?
    /// TSK marks the name unallocated: the entry is deleted.
    public var isDeleted: Bool
    /// The metadata structure is currently allocated (for a deleted name: reallocated).
    public var isMetaAllocated: Bool
    public var hasMetadata: Bool
    /// Size in bytes: the stream's size on NTFS, the file's size elsewhere.
    public var size: Int64
    public var uid: UInt32
    public var gid: UInt32
    /// TSK's mode bits (`TSK_FS_META_MODE_ENUM`, the Unix permission bits).
    public var mode: UInt32
    /// Permissions as `ls -l` shows them (`tsk_fs_meta_make_ls`), e.g. `rrwxr-xr-x`.
    public var lsMode: String
    /// Times from the file's metadata (`$STANDARD_INFORMATION` on NTFS).
    public var times: MACBTimes
    /// For the `$FILE_NAME` entry on NTFS: the times stored in that attribute.
    public var fileNameTimes: MACBTimes?
    /// Target of a symbolic link.
    public var linkTarget: [UInt8]?
    /// Where the entry's bytes are; set by walks that ask for it
    /// (``FileSystem/walk(locatingContent:_:)``), nil for directories.
    public var content: ContentRef?
    /// The parent directories' names one by one, set by content walks. TSK
    /// joins them with `/` in ``parentPath``, which is ambiguous when a
    /// crafted name holds a `/`; these are exact.
    public var parentComponents: [[UInt8]]?

    /// The parent directories' names: exact when the walk recorded them,
    /// else ``parentPath`` split on `/`.
    public var directoryComponents: [[UInt8]] {
        parentComponents ?? parentPath.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map(Array.init)
    }

    public init(parentPath: [UInt8], name: [UInt8], metaAddress: UInt64, attribute: AttributeID?,
                streamName: [UInt8]?, isFileNameAttribute: Bool, nameType: EntryType, metaType: EntryType?,
                isDeleted: Bool, isMetaAllocated: Bool, hasMetadata: Bool, size: Int64, uid: UInt32, gid: UInt32,
                mode: UInt32, lsMode: String, times: MACBTimes, fileNameTimes: MACBTimes?, linkTarget: [UInt8]?,
                content: ContentRef? = nil) {
        self.parentPath = parentPath
        self.name = name
        self.metaAddress = metaAddress
        self.attribute = attribute
        self.streamName = streamName
        self.isFileNameAttribute = isFileNameAttribute
        self.nameType = nameType
        self.metaType = metaType
        self.isDeleted = isDeleted
        self.isMetaAllocated = isMetaAllocated
        self.hasMetadata = hasMetadata
        self.size = size
        self.uid = uid
        self.gid = gid
        self.mode = mode
        self.lsMode = lsMode
        self.times = times
        self.fileNameTimes = fileNameTimes
        self.linkTarget = linkTarget
        self.content = content
    }

    /// The address as `fls` prints it: `12`, or `64-128-2` on NTFS (entry-type-id).
    public var address: String {
        if let attribute { return "\(metaAddress)-\(attribute.type)-\(attribute.id)" }
        return "\(metaAddress)"
    }

    /// Path bytes as `fls -p` prints them: parent path, name, `:stream`.
    public var pathBytes: [UInt8] {
        var bytes = parentPath + name
        if let streamName {
            bytes.append(UInt8(ascii: ":"))
            bytes += streamName
        }
        return bytes
    }

    /// The path for display and JSON: control bytes become `^` as in TSK's
    /// output, invalid UTF-8 becomes U+FFFD.
    public var displayPath: String { Self.display(pathBytes) }

    /// Whether the entry lives under TSK's virtual `$OrphanFiles` directory.
    public var isOrphan: Bool {
        parentPath.starts(with: Array("$OrphanFiles/".utf8))
    }

    /// The times to report for this entry: the `$FILE_NAME` times on that entry, the metadata times otherwise.
    public var effectiveTimes: MACBTimes { fileNameTimes ?? times }

    /// Replaces bytes 0x01–0x1f with `^` (TSK's `tsk_print_sanitized`).
    public static func sanitized(_ bytes: [UInt8]) -> [UInt8] {
        bytes.map { $0 < 0x20 ? UInt8(ascii: "^") : $0 }
    }

    /// Bytes for display: sanitized as TSK does, decoded as UTF-8 with U+FFFD for invalid sequences.
    public static func display(_ bytes: [UInt8]) -> String {
        String(decoding: sanitized(bytes), as: UTF8.self)
    }
}

/// An NTFS attribute reference: type (128 = `$DATA`, 48 = `$FILE_NAME`,
/// 144 = `$INDEX_ROOT`) and id within the MFT entry.
public struct AttributeID: Sendable, Hashable, Codable {
    public var type: UInt32
    public var id: UInt16

    public init(type: UInt32, id: UInt16) {
        self.type = type
        self.id = id
    }
}

/// File types as TSK names them, with the letter `fls` prints.
public enum EntryType: String, Sendable, Hashable, Codable, CaseIterable {
    case undefined = "-"
    case regular = "r"
    case directory = "d"
    case fifo = "p"
    case characterDevice = "c"
    case blockDevice = "b"
    case symbolicLink = "l"
    case socket = "s"
    case shadow = "h"
    case whiteout = "w"
    case virtual = "v"
    case virtualDirectory = "V"

    /// The letter `fls` prints.
    public var letter: String { rawValue }

    /// A readable name for JSON.
    public var name: String {
        switch self {
        case .undefined: return "unknown"
        case .regular: return "file"
        case .directory: return "directory"
        case .fifo: return "fifo"
        case .characterDevice: return "char-device"
        case .blockDevice: return "block-device"
        case .symbolicLink: return "symlink"
        case .socket: return "socket"
        case .shadow: return "shadow"
        case .whiteout: return "whiteout"
        case .virtual: return "virtual"
        case .virtualDirectory: return "virtual-directory"
        }
    }
}

/// A time as TSK reports it: seconds since 1970 UTC plus nanoseconds; TSK
/// uses 0 for "not set".
public struct Timestamp: Sendable, Hashable, Codable, Comparable {
    public var seconds: Int64
    public var nanoseconds: UInt32

    public init(seconds: Int64, nanoseconds: UInt32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// Whether the file system recorded this time (TSK reports 0 otherwise).
    public var isSet: Bool { seconds != 0 || nanoseconds != 0 }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }
}

/// Modified, accessed, changed (metadata), born (created) times.
public struct MACBTimes: Sendable, Hashable, Codable {
    public var modified: Timestamp
    public var accessed: Timestamp
    public var changed: Timestamp
    public var created: Timestamp

    public init(modified: Timestamp, accessed: Timestamp, changed: Timestamp, created: Timestamp) {
        self.modified = modified
        self.accessed = accessed
        self.changed = changed
        self.created = created
    }

    public static let unset = MACBTimes(modified: .init(seconds: 0), accessed: .init(seconds: 0),
                                        changed: .init(seconds: 0), created: .init(seconds: 0))
}
