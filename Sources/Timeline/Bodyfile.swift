import SleuthKit

/// The TSK 3.x body format (`MD5|name|inode|mode|UID|GID|size|atime|mtime|ctime|crtime`),
/// byte for byte as `fls -m` and `tsk_gettimes` write it.
public enum Bodyfile {
    /// One body line for `entry` (without the newline). `prefix` is put before
    /// the path: `/` for `fls -m /`, `volN/` for `tsk_gettimes`' partitions.
    ///
    /// As TSK does: control bytes in names become `^`; `:stream` follows an
    /// alternate data stream; ` ($FILE_NAME)` marks the NTFS file-name
    /// attribute; ` -> target` follows a symlink; ` (deleted)` (or
    /// `(deleted-realloc)`) a deleted name; times are whole seconds, printed as
    /// TSK's unsigned 32-bit fields.
    public static func line(for entry: FileEntry, prefix: [UInt8] = []) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96 + entry.parentPath.count + entry.name.count)
        out.append(contentsOf: "0|".utf8)
        out.append(contentsOf: prefix)
        out.append(contentsOf: FileEntry.sanitized(entry.parentPath))
        out.append(contentsOf: FileEntry.sanitized(entry.name))
        if let stream = entry.streamName {
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: FileEntry.sanitized(stream))
        }
        if entry.isFileNameAttribute { out.append(contentsOf: " ($FILE_NAME)".utf8) }
        if entry.metaType == .symbolicLink, let target = entry.linkTarget {
            out.append(contentsOf: " -> ".utf8)
            out.append(contentsOf: target)
        }
        if entry.isDeleted {
            out.append(contentsOf: (entry.hasMetadata && entry.isMetaAllocated ? " (deleted-realloc)" : " (deleted)").utf8)
        }
        out.append(UInt8(ascii: "|"))
        out.append(contentsOf: entry.address.utf8)
        out.append(UInt8(ascii: "|"))
        out.append(contentsOf: entry.nameType.letter.utf8)
        out.append(UInt8(ascii: "/"))
        if !entry.hasMetadata {
            out.append(contentsOf: "----------|0|0|0|0|0|0|0".utf8)
            return out
        }
        out.append(contentsOf: entry.lsMode.utf8)
        out.append(contentsOf: "|\(entry.uid)|\(entry.gid)|\(entry.size)|".utf8)
        let t = entry.effectiveTimes
        out.append(contentsOf: "\(u32(t.accessed))|\(u32(t.modified))|\(u32(t.changed))|\(u32(t.created))".utf8)
        return out
    }

    /// TSK prints times with `%u` from a `time_t`: pre-1970 times wrap.
    private static func u32(_ t: Timestamp) -> UInt32 {
        UInt32(truncatingIfNeeded: t.seconds)
    }
}
