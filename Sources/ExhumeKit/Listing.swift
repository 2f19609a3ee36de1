import SleuthKit
import Timeline

/// Formats of a file listing.
public enum Listing {
    /// `exhume ls`: the entries `filter` keeps, of every file system of `exam`, in TSK's
    /// walk order: `fls -r -p` lines under a header per file system when there are
    /// several, or JSON lines. Returns the examination's problems and the walks'.
    public static func write(_ exam: Examination, filter: ItemSelection.Allocation, json: Bool, to out: OutputSink) -> [Issue] {
        var issues = exam.issues
        let several = exam.fileSystems.count > 1
        for mounted in exam.fileSystems {
            if several && !json {
                out.line("# file system at sector \(mounted.info.sectorOffset) (\(mounted.info.type))"
                         + (mounted.partition.map { ", partition \($0.slot)" } ?? ""))
            }
            let error = mounted.fileSystem.walk { entry in
                // `$FILE_NAME` entries are timeline rows, not files: fls lists them only with -m.
                guard !entry.isFileNameAttribute, filter.accepts(entry) else { return true }
                out.line(json ? Listing.json(entry, in: mounted) : Listing.flsLine(entry))
                return true
            }
            if let error {
                issues.append(Issue(severity: .warning, image: exam.source.path, partition: mounted.partition?.slot,
                                    sectorOffset: mounted.info.sectorOffset,
                                    message: "listing may be incomplete: \(error.message)"))
            }
        }
        return issues
    }

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

