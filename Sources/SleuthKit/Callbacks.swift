internal import CSleuthKit
import Evidence

// Every C callback and every Unmanaged conversion of the SleuthKit module lives
// in this file, so the unsafe surface is easy to audit.

/// What TSK's external-image callbacks reach through the context pointer.
final class ImageReadContext: @unchecked Sendable {
    let source: any ImageSource
    /// The last read failure, for error messages that name file and offset.
    /// Only written by TSK's read callback, which TSK calls under its cache lock.
    var lastFailure: EvidenceError?

    init(source: any ImageSource) { self.source = source }
}

enum ExternalImage {
    /// Opens `source` as a TSK image (`tsk_img_open_external`). The context is
    /// retained here and released once, by the close callback.
    static func open(_ source: any ImageSource) -> (UnsafeMutablePointer<TSK_IMG_INFO>, ImageReadContext)? {
        let context = ImageReadContext(source: source)
        let retained = Unmanaged.passRetained(context).toOpaque()
        guard let img = exhume_tsk_img_open_external(retained, TSK_OFF_T(source.size), UInt32(source.sectorSize),
                                                     externalRead, externalClose, externalImgStat) else {
            Unmanaged<ImageReadContext>.fromOpaque(retained).release()
            return nil
        }
        return (img, context)
    }
}

private func context(of img: UnsafeMutablePointer<TSK_IMG_INFO>?) -> ImageReadContext? {
    guard let img, let raw = exhume_tsk_img_context(img) else { return nil }
    return Unmanaged<ImageReadContext>.fromOpaque(raw).takeUnretainedValue()
}

private let externalRead: exhume_tsk_read_fn = { img, offset, buffer, length in
    guard let context = context(of: img), let buffer else { return -1 }
    do throws(EvidenceError) {
        var done = 0
        while done < length {
            let n = try context.source.read(into: UnsafeMutableRawBufferPointer(start: buffer + done, count: length - done),
                                            at: Int64(offset) + Int64(done))
            if n <= 0 { break }
            done += n
        }
        return done
    } catch {
        context.lastFailure = error
        exhume_tsk_set_read_error(error.description)
        return -1
    }
}

private let externalClose: exhume_tsk_close_fn = { img in
    guard let img else { return }
    if let raw = exhume_tsk_img_context(img) {
        Unmanaged<ImageReadContext>.fromOpaque(raw).release()
    }
    exhume_tsk_external_free(img)
}

private let externalImgStat: exhume_tsk_imgstat_fn = { _, _ in }

/// What the directory-walk callback reaches through its context pointer.
final class WalkContext {
    let fileSystem: FileSystem
    let visit: (FileEntry) -> Bool
    let locatingContent: Bool
    var stopped = false
    /// Directory path as TSK joins it (`a/b/`) → its names one by one, so
    /// children of a directory whose name holds a `/` keep the exact structure.
    var directories: [[UInt8]: [[UInt8]]] = [:]

    init(fileSystem: FileSystem, locatingContent: Bool, visit: @escaping (FileEntry) -> Bool) {
        self.fileSystem = fileSystem
        self.locatingContent = locatingContent
        self.visit = visit
    }
}

enum DirectoryWalk {
    /// `tsk_fs_dir_walk` from the root, allocated and unallocated names, recursing;
    /// without `$OrphanFiles` (`NOORPHAN`) unless `orphans`.
    /// Returns false when TSK reported an error (what was found is kept).
    static func run(_ fs: UnsafeMutablePointer<TSK_FS_INFO>, context: WalkContext, orphans: Bool = true) -> Bool {
        let flags = TSK_FS_DIR_WALK_FLAG_ENUM(rawValue: TSK_FS_DIR_WALK_FLAG_ALLOC.rawValue
                                              | TSK_FS_DIR_WALK_FLAG_UNALLOC.rawValue
                                              | TSK_FS_DIR_WALK_FLAG_RECURSE.rawValue
                                              | (orphans ? 0 : TSK_FS_DIR_WALK_FLAG_NOORPHAN.rawValue))
        let pointer = Unmanaged.passUnretained(context).toOpaque()
        let result = withExtendedLifetime(context) {
            tsk_fs_dir_walk(fs, fs.pointee.root_inum, flags, directoryWalkCallback, pointer)
        }
        return result == 0
    }
}

private let directoryWalkCallback: TSK_FS_DIR_WALK_CB = { file, path, pointer in
    guard let file, let pointer else { return TSK_WALK_CONT }
    let context = Unmanaged<WalkContext>.fromOpaque(pointer).takeUnretainedValue()
    let parent = path.map { UnsafeRawPointer($0) }
    for var entry in FileEntry.entries(of: file, parentPath: parent, in: context.fileSystem,
                                       locatingContent: context.locatingContent) {
        if context.locatingContent {
            let components = context.directories[entry.parentPath] ?? entry.directoryComponents
            entry.parentComponents = components
            if entry.nameType == .directory || entry.nameType == .virtualDirectory, entry.streamName == nil,
               !entry.isFileNameAttribute {
                context.directories[entry.parentPath + entry.name + [UInt8(ascii: "/")]] = components + [entry.name]
            }
        }
        if !context.visit(entry) {
            context.stopped = true
            return TSK_WALK_STOP
        }
    }
    return TSK_WALK_CONT
}

/// What the file-walk callback reaches through its context pointer.
final class FileWalkContext {
    let consumer: (UnsafeRawBufferPointer) -> Bool
    var bytes: Int64 = 0
    var stopped = false

    init(consumer: @escaping (UnsafeRawBufferPointer) -> Bool) { self.consumer = consumer }
}

enum FileWalk {
    struct Result {
        var ok: Bool
        var bytes: Int64
        var stopped: Bool
        var error: TSKError?
    }

    /// `tsk_fs_file_walk` (default attribute) or `tsk_fs_file_walk_type`, no flags.
    static func run(_ file: UnsafeMutablePointer<TSK_FS_FILE>, attribute: AttributeID?,
                    consumer: @escaping (UnsafeRawBufferPointer) -> Bool) -> Result {
        let context = FileWalkContext(consumer: consumer)
        let pointer = Unmanaged.passUnretained(context).toOpaque()
        let failed: UInt8 = withExtendedLifetime(context) {
            if let attribute {
                return tsk_fs_file_walk_type(file, TSK_FS_ATTR_TYPE_ENUM(rawValue: attribute.type), attribute.id,
                                             TSK_FS_FILE_WALK_FLAG_NONE, fileWalkCallback, pointer)
            }
            return tsk_fs_file_walk(file, TSK_FS_FILE_WALK_FLAG_NONE, fileWalkCallback, pointer)
        }
        return Result(ok: failed == 0 || context.stopped, bytes: context.bytes, stopped: context.stopped, error: nil)
    }
}

private let fileWalkCallback: TSK_FS_FILE_WALK_CB = { _, _, _, buffer, length, _, pointer in
    guard let pointer else { return TSK_WALK_ERROR }
    guard length > 0, let buffer else { return TSK_WALK_CONT }
    // Called once per block: borrow the context (kept alive by `run`) without retaining it.
    return Unmanaged<FileWalkContext>.fromOpaque(pointer)._withUnsafeGuaranteedRef { context in
        context.bytes += Int64(length)
        if !context.consumer(UnsafeRawBufferPointer(start: buffer, count: length)) {
            context.stopped = true
            return TSK_WALK_STOP
        }
        return TSK_WALK_CONT
    }
}

enum BlockWalk {
    /// `tsk_fs_block_walk` over unallocated blocks, addresses only.
    static func run(_ fs: UnsafeMutablePointer<TSK_FS_INFO>, first: TSK_DADDR_T, last: TSK_DADDR_T,
                    collector: BlockRunCollector) -> Bool {
        let flags = TSK_FS_BLOCK_WALK_FLAG_ENUM(rawValue: TSK_FS_BLOCK_WALK_FLAG_UNALLOC.rawValue
                                                | TSK_FS_BLOCK_WALK_FLAG_AONLY.rawValue)
        let pointer = Unmanaged.passUnretained(collector).toOpaque()
        let failed = withExtendedLifetime(collector) {
            tsk_fs_block_walk(fs, first, last, flags, blockWalkCallback, pointer)
        }
        return failed == 0
    }
}

private let blockWalkCallback: TSK_FS_BLOCK_WALK_CB = { block, pointer in
    guard let block, let pointer else { return TSK_WALK_CONT }
    Unmanaged<BlockRunCollector>.fromOpaque(pointer).takeUnretainedValue().add(UInt64(block.pointee.addr))
    return TSK_WALK_CONT
}

/// What the slack walk callback reaches: the block addresses a file walk
/// hands over with its file offset, as (file offset, block, length).
final class SlackWalkContext {
    let visit: (Int64, UInt64, Int) -> Void
    init(visit: @escaping (Int64, UInt64, Int) -> Void) { self.visit = visit }
}

enum SlackWalk {
    /// `tsk_fs_file_walk` with `SLACK | AONLY`: addresses of every block of
    /// the default attribute, slack included, no content read.
    static func run(_ file: UnsafeMutablePointer<TSK_FS_FILE>, visit: (Int64, UInt64, Int) -> Void) {
        withoutActuallyEscaping(visit) { escapable in
            let context = SlackWalkContext(visit: escapable)
            let pointer = Unmanaged.passUnretained(context).toOpaque()
            let flags = TSK_FS_FILE_WALK_FLAG_ENUM(rawValue: TSK_FS_FILE_WALK_FLAG_SLACK.rawValue
                                                   | TSK_FS_FILE_WALK_FLAG_AONLY.rawValue)
            _ = withExtendedLifetime(context) {
                tsk_fs_file_walk(file, flags, slackWalkCallback, pointer)
            }
        }
    }
}

private let slackWalkCallback: TSK_FS_FILE_WALK_CB = { _, offset, address, _, length, flags, pointer in
    guard let pointer else { return TSK_WALK_ERROR }
    let skip = TSK_FS_BLOCK_FLAG_SPARSE.rawValue | TSK_FS_BLOCK_FLAG_RES.rawValue
    if flags.rawValue & skip == 0, length > 0 {
        Unmanaged<SlackWalkContext>.fromOpaque(pointer).takeUnretainedValue().visit(Int64(offset), UInt64(address), length)
    }
    return TSK_WALK_CONT
}
