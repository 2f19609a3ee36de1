import SleuthKit
import Timeline

/// Which entries a listing keeps.
public enum EntryFilter: Sendable {
    case all
    /// Names TSK marks unallocated (deleted files, orphans).
    case deleted
    /// Names that are allocated.
    case allocated

    public func accepts(_ entry: FileEntry) -> Bool {
        switch self {
        case .all: return true
        case .deleted: return entry.isDeleted
        case .allocated: return !entry.isDeleted
        }
    }
}

/// Formats of a file listing.
public enum Listing {
    /// A line as `fls -r -p` prints it: `r/r * 12:\tdir/name`.
    public static func flsLine(_ entry: FileEntry) -> [UInt8] {
        var out: [UInt8] = []
        out.append(contentsOf: entry.nameType.letter.utf8)
        out.append(UInt8(ascii: "/"))
        if let metaType = entry.metaType {
            // fls shows a data stream of a directory as a file.
            let isDirData = entry.attribute?.type == 128 && (metaType == .directory || metaType == .virtualDirectory)
            out.append(contentsOf: (isDirData ? "r" : metaType.letter).utf8)
        } else {
            out.append(UInt8(ascii: "-"))
        }
        out.append(UInt8(ascii: " "))
        if entry.isDeleted { out.append(contentsOf: "* ".utf8) }
        out.append(contentsOf: entry.address.utf8)
        if entry.hasMetadata, entry.isMetaAllocated, entry.isDeleted { out.append(contentsOf: "(realloc)".utf8) }
        out.append(contentsOf: ":\t".utf8)
        out.append(contentsOf: FileEntry.sanitized(entry.pathBytes))
        return out
    }

    /// One JSON object for `ls --json`.
    public static func json(_ entry: FileEntry, in mounted: MountedFileSystem) -> [UInt8] {
        var o = JSONLine()
        o.add("offset", mounted.info.sectorOffset)
        o.add("partition", mounted.partition?.slot)
        o.add("fs", mounted.info.type)
        o.add("path", entry.displayPath)
        o.add("addr", entry.address)
        o.add("name_type", entry.nameType.name)
        o.add("meta_type", entry.metaType?.name)
        o.add("allocated", entry.hasMetadata && entry.isMetaAllocated)
        o.add("deleted", entry.isDeleted)
        o.add("reallocated", entry.isDeleted && entry.hasMetadata && entry.isMetaAllocated)
        o.add("orphan", entry.isOrphan)
        o.add("size", entry.size)
        let t = entry.effectiveTimes
        o.add("atime", TimeFormat.iso8601OrNil(t.accessed))
        o.add("mtime", TimeFormat.iso8601OrNil(t.modified))
        o.add("ctime", TimeFormat.iso8601OrNil(t.changed))
        o.add("crtime", TimeFormat.iso8601OrNil(t.created))
        o.add("stream", entry.streamName.map { FileEntry.display($0) })
        o.add("file_name_attribute", entry.isFileNameAttribute)
        o.add("uid", entry.hasMetadata ? entry.uid : nil)
        o.add("gid", entry.hasMetadata ? entry.gid : nil)
        o.add("mode", entry.hasMetadata ? entry.nameType.letter + "/" + entry.lsMode : nil)
        o.add("link", entry.linkTarget.map { FileEntry.display($0) })
        return o.finished()
    }
}

