internal import CSleuthKit
#if canImport(Glibc)
import Glibc
#endif

extension FileEntry {
    /// The entries `fls` would print for one `TSK_FS_FILE` of a directory walk.
    ///
    /// On NTFS every `$DATA` attribute (default and alternate streams), the
    /// `$INDEX_ROOT` of a directory and the `$FILE_NAME` attribute whose times
    /// TSK collected each become an entry; elsewhere one entry per name. `.`
    /// and `..` are skipped, as `fls` does without `-a`. Everything is copied
    /// out: TSK reuses the `TSK_FS_FILE` for the next callback.
    static func entries(of file: UnsafeMutablePointer<TSK_FS_FILE>, parentPath: UnsafeRawPointer?,
                        in fileSystem: FileSystem, locatingContent: Bool = false) -> [FileEntry] {
        guard let namePointer = file.pointee.name else { return [] }
        let fsName = namePointer.pointee
        // fls skips `.` and `..`. A content walk keeps a *file* so named: a
        // crafted image can hide one (TSK hands it over; tsk_recover tries to write it).
        let isDot = (fsName.name.map { exhume_tsk_is_dot($0) != 0 } ?? false)
            && !(locatingContent && fsName.type != TSK_FS_NAME_TYPE_DIR && fsName.type != TSK_FS_NAME_TYPE_UNDEF)
        let base = FileEntry.base(file, parentPath: parentPath)

        guard fileSystem.info.kind.isNTFS, let meta = file.pointee.meta else {
            if isDot { return [] }
            var entry = base
            if locatingContent { entry.content = contentRef(of: file, attribute: nil, entry: entry) }
            return [entry]
        }
        var result: [FileEntry] = []
        var printed = false
        let count = tsk_fs_file_attr_getsize(file)
        let isDirectory = meta.pointee.type == TSK_FS_META_TYPE_DIR
        let nameBytes = base.name
        for index in 0..<max(0, count) {
            guard let attr = tsk_fs_file_attr_get_idx(file, Int32(index)) else { continue }
            let type = attr.pointee.type
            let attrName: [UInt8]? = attr.pointee.name.map { Array(UnsafeRawBufferPointer(start: $0, count: strlen($0))) }
            if type == TSK_FS_ATTR_TYPE_NTFS_DATA {
                printed = true
                // fls skips the data streams of "..": a two-character name starting with '.'.
                if isDirectory, nameBytes.count == 2, nameBytes[0] == UInt8(ascii: ".") { continue }
                var entry = base.with(attribute: attr.pointee, name: attrName, fileName: false)
                if locatingContent { entry.content = contentRef(of: file, attribute: attr, entry: entry) }
                result.append(entry)
            } else if type == TSK_FS_ATTR_TYPE_NTFS_IDXROOT {
                printed = true
                if !isDot { result.append(base.with(attribute: attr.pointee, name: attrName, fileName: false)) }
            } else if type == TSK_FS_ATTR_TYPE_NTFS_FNAME, attr.pointee.id == meta.pointee.time2.ntfs.fn_id {
                printed = true
                if !isDot {
                    var entry = base.with(attribute: attr.pointee, name: attrName, fileName: true)
                    let ntfs = meta.pointee.time2.ntfs
                    entry.fileNameTimes = MACBTimes(
                        modified: Timestamp(seconds: Int64(ntfs.fn_mtime), nanoseconds: UInt32(truncatingIfNeeded: ntfs.fn_mtime_nano)),
                        accessed: Timestamp(seconds: Int64(ntfs.fn_atime), nanoseconds: UInt32(truncatingIfNeeded: ntfs.fn_atime_nano)),
                        changed: Timestamp(seconds: Int64(ntfs.fn_ctime), nanoseconds: UInt32(truncatingIfNeeded: ntfs.fn_ctime_nano)),
                        created: Timestamp(seconds: Int64(ntfs.fn_crtime), nanoseconds: UInt32(truncatingIfNeeded: ntfs.fn_crtime_nano)))
                    result.append(entry)
                }
            }
        }
        if !printed {
            var entry = base
            if locatingContent { entry.content = contentRef(of: file, attribute: nil, entry: entry) }
            result.append(entry)
        }
        return result
    }

    private static func base(_ file: UnsafeMutablePointer<TSK_FS_FILE>, parentPath: UnsafeRawPointer?) -> FileEntry {
        let fsName = file.pointee.name.pointee
        let name = fsName.name.map { Array(UnsafeRawBufferPointer(start: $0, count: strlen($0))) } ?? []
        let parent = parentPath.map { pointer -> [UInt8] in
            let c = pointer.assumingMemoryBound(to: CChar.self)
            return Array(UnsafeRawBufferPointer(start: c, count: strlen(c)))
        } ?? []
        let nameType = EntryType(tskNameType: fsName.type)
        var entry = FileEntry(
            parentPath: parent, name: name, metaAddress: UInt64(fsName.meta_addr), attribute: nil,
            streamName: nil, isFileNameAttribute: false, nameType: nameType, metaType: nil,
            isDeleted: fsName.flags.rawValue & TSK_FS_NAME_FLAG_UNALLOC.rawValue != 0,
            isMetaAllocated: false, hasMetadata: false, size: 0, uid: 0, gid: 0, mode: 0,
            lsMode: "----------", times: .unset, fileNameTimes: nil, linkTarget: nil)
        if let metaPointer = file.pointee.meta {
            let meta = metaPointer.pointee
            entry.hasMetadata = true
            entry.metaType = EntryType(tskMetaType: meta.type)
            entry.isMetaAllocated = meta.flags.rawValue & TSK_FS_META_FLAG_ALLOC.rawValue != 0
            entry.size = Int64(meta.size)
            entry.uid = UInt32(truncatingIfNeeded: meta.uid)
            entry.gid = UInt32(truncatingIfNeeded: meta.gid)
            entry.mode = UInt32(meta.mode.rawValue)
            var ls = [CChar](repeating: 0, count: 12)
            if tsk_fs_meta_make_ls(metaPointer, &ls, ls.count) == 0 {
                entry.lsMode = String(decoding: ls.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            entry.times = MACBTimes(
                modified: Timestamp(seconds: Int64(meta.mtime), nanoseconds: meta.mtime_nano),
                accessed: Timestamp(seconds: Int64(meta.atime), nanoseconds: meta.atime_nano),
                changed: Timestamp(seconds: Int64(meta.ctime), nanoseconds: meta.ctime_nano),
                created: Timestamp(seconds: Int64(meta.crtime), nanoseconds: meta.crtime_nano))
            if meta.type == TSK_FS_META_TYPE_LNK, let link = meta.link {
                entry.linkTarget = Array(UnsafeRawBufferPointer(start: link, count: strlen(link)))
            }
        }
        return entry
    }

    private func with(attribute attr: TSK_FS_ATTR, name attrName: [UInt8]?, fileName: Bool) -> FileEntry {
        var copy = self
        copy.attribute = AttributeID(type: attr.type.rawValue, id: attr.id)
        copy.size = Int64(attr.size)
        copy.isFileNameAttribute = fileName
        // A named attribute is an alternate stream, except $FILE_NAME and a
        // directory's $I30 index (as in tsk_fs_name_print_mac).
        if let attrName, !fileName,
           !(attr.type == TSK_FS_ATTR_TYPE_NTFS_IDXROOT && attrName == Array("$I30".utf8)) {
            copy.streamName = attrName
        }
        return copy
    }
}

extension EntryType {
    init(tskNameType type: TSK_FS_NAME_TYPE_ENUM) {
        switch type {
        case TSK_FS_NAME_TYPE_FIFO: self = .fifo
        case TSK_FS_NAME_TYPE_CHR: self = .characterDevice
        case TSK_FS_NAME_TYPE_DIR: self = .directory
        case TSK_FS_NAME_TYPE_BLK: self = .blockDevice
        case TSK_FS_NAME_TYPE_REG: self = .regular
        case TSK_FS_NAME_TYPE_LNK: self = .symbolicLink
        case TSK_FS_NAME_TYPE_SOCK: self = .socket
        case TSK_FS_NAME_TYPE_SHAD: self = .shadow
        case TSK_FS_NAME_TYPE_WHT: self = .whiteout
        case TSK_FS_NAME_TYPE_VIRT: self = .virtual
        case TSK_FS_NAME_TYPE_VIRT_DIR: self = .virtualDirectory
        default: self = .undefined
        }
    }

    init(tskMetaType type: TSK_FS_META_TYPE_ENUM) {
        switch type {
        case TSK_FS_META_TYPE_REG: self = .regular
        case TSK_FS_META_TYPE_DIR: self = .directory
        case TSK_FS_META_TYPE_FIFO: self = .fifo
        case TSK_FS_META_TYPE_CHR: self = .characterDevice
        case TSK_FS_META_TYPE_BLK: self = .blockDevice
        case TSK_FS_META_TYPE_LNK: self = .symbolicLink
        case TSK_FS_META_TYPE_SHAD: self = .shadow
        case TSK_FS_META_TYPE_SOCK: self = .socket
        case TSK_FS_META_TYPE_WHT: self = .whiteout
        case TSK_FS_META_TYPE_VIRT: self = .virtual
        case TSK_FS_META_TYPE_VIRT_DIR: self = .virtualDirectory
        default: self = .undefined
        }
    }
}
