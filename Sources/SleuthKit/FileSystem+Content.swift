internal import CSleuthKit
#if canImport(Glibc)
import Glibc
#endif

/// Where an entry's bytes are: its metadata address, the attribute (NTFS
/// stream) and the first block, so a reader can visit files in image order.
public struct ContentRef: Sendable, Hashable, Codable {
    public var metaAddress: UInt64
    /// The attribute to read; nil reads the default one (the unnamed `$DATA` on NTFS).
    public var attribute: AttributeID?
    /// First block of the content that is really stored (not sparse, not a
    /// filler); nil for resident or empty content.
    public var firstBlock: UInt64?
    public var size: Int64
    /// The content is stored as it is read, in one run of blocks from
    /// `firstBlock` on (not compressed, not encrypted, no sparse or filler
    /// part): its bytes are the image's bytes there.
    public var contiguous: Bool

    public init(metaAddress: UInt64, attribute: AttributeID?, firstBlock: UInt64?, size: Int64, contiguous: Bool = false) {
        self.metaAddress = metaAddress
        self.attribute = attribute
        self.firstBlock = firstBlock
        self.size = size
        self.contiguous = contiguous
    }
}

/// How a content read ended.
public struct ContentReadOutcome: Sendable {
    /// Bytes handed to the consumer.
    public var bytes: Int64
    /// What TSK reported when it could not read everything (a deleted file
    /// whose blocks are gone, a damaged run list); nil when the read was clean.
    public var error: TSKError?
    /// The consumer asked to stop early.
    public var stopped: Bool

    public init(bytes: Int64, error: TSKError?, stopped: Bool) {
        self.bytes = bytes
        self.error = error
        self.stopped = stopped
    }
}

extension FileSystem {
    /// Reads the content of `ref` in file order, the way `tsk_recover` and
    /// `icat` do (`tsk_fs_file_open_meta`, then `tsk_fs_file_walk` or, for a
    /// named stream, `tsk_fs_file_walk_type`, with no flags): for a deleted
    /// file TSK returns what its metadata still points to.
    ///
    /// `chunk` receives the bytes block by block (TSK's buffer: copy what you
    /// keep) and returns false to stop. `scratch`, when given, is where whole
    /// runs are read (at least a block; 1 MiB is best), so that a reader of many
    /// files does not map and fault in a fresh buffer for each. Not thread-safe:
    /// one reader per `FileSystem` at a time.
    public func readContent(_ ref: ContentRef, scratch: UnsafeMutableRawBufferPointer? = nil,
                            chunk: (UnsafeRawBufferPointer) -> Bool) -> ContentReadOutcome {
        let where_ = "\(image.path), file system at sector \(info.sectorOffset), metadata address \(ref.metaAddress)"
        guard let file = tsk_fs_file_open_meta(raw, nil, TSK_INUM_T(ref.metaAddress)) else {
            return ContentReadOutcome(bytes: 0, error: TSKError.capture(function: "tsk_fs_file_open_meta", context: where_),
                                      stopped: false)
        }
        defer { tsk_fs_file_close(file) }
        if let fast = readRuns(file, ref: ref, context: where_, scratch: scratch, chunk: chunk) { return fast }
        var outcome = withoutActuallyEscaping(chunk) { escapable in
            FileWalk.run(file, attribute: ref.attribute, consumer: escapable)
        }
        if outcome.error == nil, !outcome.ok {
            var error = TSKError.capture(function: ref.attribute == nil ? "tsk_fs_file_walk" : "tsk_fs_file_walk_type",
                                         context: where_)
            if let failure = image.lastReadFailure { error.message += " (\(failure.description))" }
            outcome.error = error
        }
        return ContentReadOutcome(bytes: outcome.bytes, error: outcome.error, stopped: outcome.stopped)
    }
}

extension FileSystem {
    /// The fast path for an allocated file's plain (not resident, compressed
    /// or encrypted) data: `tsk_fs_attr_read` in 1 MiB requests, which reads
    /// whole runs at once and skips TSK's block cache, instead of a callback
    /// per block. Deleted files keep the file walk, which is exactly what
    /// `tsk_recover` and `icat -r` do. A failed request is retried block by
    /// block; unreadable blocks come back as zeros and the error is reported.
    /// Nil when the fast path does not apply.
    private func readRuns(_ file: UnsafeMutablePointer<TSK_FS_FILE>, ref: ContentRef, context: String,
                          scratch: UnsafeMutableRawBufferPointer?, chunk: (UnsafeRawBufferPointer) -> Bool) -> ContentReadOutcome? {
        guard let meta = file.pointee.meta, meta.pointee.flags.rawValue & TSK_FS_META_FLAG_ALLOC.rawValue != 0 else { return nil }
        let attribute: UnsafePointer<TSK_FS_ATTR>?
        if let id = ref.attribute {
            attribute = tsk_fs_file_attr_get_type(file, TSK_FS_ATTR_TYPE_ENUM(rawValue: id.type), id.id, 1)
        } else {
            attribute = tsk_fs_file_attr_get(file)
        }
        guard let attr = attribute else {
            tsk_error_reset()
            return nil
        }
        let flags = attr.pointee.flags.rawValue
        let special = TSK_FS_ATTR_COMP.rawValue | TSK_FS_ATTR_ENC.rawValue | TSK_FS_ATTR_RES.rawValue
        guard flags & TSK_FS_ATTR_NONRES.rawValue != 0, flags & special == 0 else { return nil }
        let size = Int64(attr.pointee.size)
        let owned = scratch == nil || scratch!.count < max(1, info.blockSize)
            ? UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 4096) : nil
        defer { owned?.deallocate() }
        let buffer = owned ?? scratch!
        let piece = buffer.count
        var offset: Int64 = 0
        var firstError: TSKError?
        while offset < size {
            let wanted = Int(min(Int64(piece), size - offset))
            let n = tsk_fs_attr_read(attr, TSK_OFF_T(offset), buffer.baseAddress?.assumingMemoryBound(to: CChar.self),
                                     wanted, TSK_FS_FILE_READ_FLAG_NONE)
            if n == wanted {
                if !chunk(UnsafeRawBufferPointer(rebasing: buffer[0..<wanted])) {
                    return ContentReadOutcome(bytes: offset + Int64(wanted), error: firstError, stopped: true)
                }
                offset += Int64(wanted)
                continue
            }
            // Something in this piece did not read: go block by block so only the bad blocks are lost.
            if firstError == nil {
                var error = TSKError.capture(function: "tsk_fs_attr_read", context: context)
                if let failure = image.lastReadFailure { error.message += " (\(failure.description))" }
                firstError = error
            }
            tsk_error_reset()
            let block = max(1, info.blockSize)
            var inPiece = 0
            while inPiece < wanted {
                let step = min(block - Int((offset + Int64(inPiece)) % Int64(block)), wanted - inPiece)
                let target = buffer.baseAddress!.advanced(by: inPiece)
                let got = tsk_fs_attr_read(attr, TSK_OFF_T(offset + Int64(inPiece)), target.assumingMemoryBound(to: CChar.self),
                                           step, TSK_FS_FILE_READ_FLAG_NONE)
                if got != step { memset(target, 0, step) }
                inPiece += step
            }
            tsk_error_reset()
            if !chunk(UnsafeRawBufferPointer(rebasing: buffer[0..<wanted])) {
                return ContentReadOutcome(bytes: offset + Int64(wanted), error: firstError, stopped: true)
            }
            offset += Int64(wanted)
        }
        return ContentReadOutcome(bytes: offset, error: firstError, stopped: false)
    }
}

extension FileEntry {
    /// The content reference of the attribute this entry stands for, from a
    /// walk callback's `TSK_FS_FILE`. Directories have none.
    static func contentRef(of file: UnsafeMutablePointer<TSK_FS_FILE>, attribute: UnsafePointer<TSK_FS_ATTR>?,
                           entry: FileEntry) -> ContentRef? {
        guard entry.hasMetadata, !entry.isFileNameAttribute else { return nil }
        if let metaType = entry.metaType, metaType == .directory || metaType == .virtualDirectory,
           entry.attribute?.type != TSK_FS_ATTR_TYPE_NTFS_DATA.rawValue {
            return nil
        }
        if let attr = entry.attribute, attr.type != TSK_FS_ATTR_TYPE_NTFS_DATA.rawValue { return nil }
        let attr = attribute ?? tsk_fs_file_attr_get(file)
        tsk_error_reset()
        var first: UInt64?
        var contiguous = false
        if let attr, attr.pointee.flags.rawValue & TSK_FS_ATTR_NONRES.rawValue != 0 {
            var run = attr.pointee.nrd.run
            var stored = 0
            var holes = false
            var firstRun: UnsafeMutablePointer<TSK_FS_ATTR_RUN>?
            while let current = run {
                let flags = current.pointee.flags.rawValue
                if flags & (TSK_FS_ATTR_RUN_FLAG_SPARSE.rawValue | TSK_FS_ATTR_RUN_FLAG_FILLER.rawValue) != 0 {
                    holes = true
                } else if current.pointee.len > 0 {
                    stored += 1
                    if firstRun == nil { firstRun = current }
                }
                run = current.pointee.next
            }
            if let firstRun {
                first = UInt64(firstRun.pointee.addr)
                let transformed = attr.pointee.flags.rawValue & (TSK_FS_ATTR_COMP.rawValue | TSK_FS_ATTR_ENC.rawValue) != 0
                let blockSize = Int64(file.pointee.fs_info.pointee.block_size)
                contiguous = stored == 1 && !holes && !transformed && firstRun.pointee.offset == 0
                    && Int64(firstRun.pointee.len) * blockSize >= entry.size
            }
        }
        // A named stream is read by type and id; the default attribute by walking the file.
        let isNamedStream = entry.streamName != nil
        return ContentRef(metaAddress: entry.metaAddress, attribute: isNamedStream ? entry.attribute : nil,
                          firstBlock: first, size: entry.size, contiguous: contiguous)
    }
}
