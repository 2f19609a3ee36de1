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
        append(entry, prefix: prefix, to: &out)
        return out
    }

    /// Appends the body line of `entry` (without newline) to `out`: the
    /// allocation-free form of ``line(for:prefix:)`` for streaming output.
    public static func append(_ entry: FileEntry, prefix: [UInt8], to out: inout [UInt8]) {
        out.append(contentsOf: "0|".utf8)
        out.append(contentsOf: prefix)
        appendSanitized(entry.parentPath, to: &out)
        appendSanitized(entry.name, to: &out)
        if let stream = entry.streamName {
            out.append(UInt8(ascii: ":"))
            appendSanitized(stream, to: &out)
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
        appendDecimal(entry.metaAddress, to: &out)
        if let attribute = entry.attribute {
            out.append(UInt8(ascii: "-"))
            appendDecimal(UInt64(attribute.type), to: &out)
            out.append(UInt8(ascii: "-"))
            appendDecimal(UInt64(attribute.id), to: &out)
        }
        out.append(UInt8(ascii: "|"))
        out.append(contentsOf: entry.nameType.letter.utf8)
        out.append(UInt8(ascii: "/"))
        if !entry.hasMetadata {
            out.append(contentsOf: "----------|0|0|0|0|0|0|0".utf8)
            return
        }
        out.append(contentsOf: entry.lsMode.utf8)
        let t = entry.effectiveTimes
        // Hot path (one line per entry): integers are appended digit by digit, no Strings.
        out.append(UInt8(ascii: "|"))
        appendDecimal(UInt64(entry.uid), to: &out)
        out.append(UInt8(ascii: "|"))
        appendDecimal(UInt64(entry.gid), to: &out)
        out.append(UInt8(ascii: "|"))
        if entry.size < 0 { out.append(UInt8(ascii: "-")) }
        appendDecimal(entry.size.magnitude, to: &out)
        out.append(UInt8(ascii: "|"))
        appendDecimal(UInt64(u32(t.accessed)), to: &out)
        out.append(UInt8(ascii: "|"))
        appendDecimal(UInt64(u32(t.modified)), to: &out)
        out.append(UInt8(ascii: "|"))
        appendDecimal(UInt64(u32(t.changed)), to: &out)
        out.append(UInt8(ascii: "|"))
        appendDecimal(UInt64(u32(t.created)), to: &out)
    }

    /// Appends `bytes` with 0x01–0x1f replaced by `^` (TSK's `tsk_print_sanitized`).
    static func appendSanitized(_ bytes: [UInt8], to out: inout [UInt8]) {
        for byte in bytes { out.append(byte < 0x20 ? UInt8(ascii: "^") : byte) }
    }

    /// Appends the decimal digits of `value`.
    static func appendDecimal(_ value: UInt64, to out: inout [UInt8]) {
        if value < 10 {
            out.append(0x30 + UInt8(value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { buffer in
            while rest > 0 {
                buffer[19 - count] = 0x30 + UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            out.append(contentsOf: buffer[(20 - count)...])
        }
    }

    /// TSK prints times with `%u` from a `time_t`: pre-1970 times wrap.
    private static func u32(_ t: Timestamp) -> UInt32 {
        UInt32(truncatingIfNeeded: t.seconds)
    }
}
