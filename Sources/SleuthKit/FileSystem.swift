internal import CSleuthKit
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A file system TSK recognised in an image (`tsk_fs_open_img`).
///
/// Owns its `TSK_FS_INFO` (closed with `tsk_fs_close`) and keeps its image
/// alive. TSK file-system handles are not safe for concurrent use: walk one
/// `FileSystem` from one thread at a time.
public final class FileSystem: @unchecked Sendable {
    public let image: DiskImage
    let raw: UnsafeMutablePointer<TSK_FS_INFO>
    /// Facts about the file system, copied out of TSK when it was opened.
    public let info: FileSystemInfo

    /// Opens the file system that starts `sectorOffset` sectors (image sector
    /// size) into the image, detecting its type (`tsk_fs_open_img`).
    public convenience init(image: DiskImage, sectorOffset: UInt64) throws(TSKError) {
        try self.init(image: image, byteOffset: Int64(sectorOffset) * Int64(image.sectorSize), reportedSector: sectorOffset,
                      type: TSK_FS_TYPE_DETECT, context: "\(image.path), file system at sector \(sectorOffset)")
    }

    /// `tsk_fs_open_img_decrypt` at `byteOffset` of `image` (no password).
    init(image: DiskImage, byteOffset: Int64, reportedSector sectorOffset: UInt64, type: TSK_FS_TYPE_ENUM,
         context: String) throws(TSKError) {
        guard let fs = tsk_fs_open_img_decrypt(image.raw, TSK_OFF_T(byteOffset), type, "") else {
            var error = TSKError.capture(function: "tsk_fs_open_img", context: context)
            if let failure = image.lastReadFailure { error.message += " (\(failure.description))" }
            throw error
        }
        self.image = image
        self.raw = fs
        self.info = FileSystemInfo(fs.pointee, sectorOffset: sectorOffset)
    }

    /// ``info`` with the label, volume id and type line filled in from TSK's
    /// `fsstat` text. `fsstat` can walk a whole FAT or every ext4 group, so it
    /// runs only when asked (`exhume info`), once.
    public func describe() -> FileSystemInfo {
        describeLock.withLock { cached in
            if let cached { return cached }
            var full = info
            let facts = FsstatFacts(FileSystem.fsstatText(raw))
            full.label = facts.label
            full.volumeID = facts.volumeID ?? full.volumeID
            full.typeDescription = facts.type
            cached = full
            return full
        }
    }
    private let describeLock = Mutex<FileSystemInfo?>(nil)

    deinit {
        tsk_fs_close(raw)
    }

    /// What `fsstat` prints (TSK's per-type `fsstat` function), for the label and volume id.
    private static func fsstatText(_ fs: UnsafeMutablePointer<TSK_FS_INFO>) -> String {
        var buffer: UnsafeMutablePointer<CChar>? = nil
        var length = 0
        guard let stream = open_memstream(&buffer, &length) else { return "" }
        _ = fs.pointee.fsstat(fs, stream)
        fclose(stream)
        tsk_error_reset()
        defer { free(buffer) }
        guard let buffer else { return "" }
        let bytes = UnsafeRawBufferPointer(start: buffer, count: length)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A snapshot of a file system's geometry and identity.
public struct FileSystemInfo: Sendable, Codable, Hashable {
    /// TSK's short type name (`tsk_fs_type_toname`): `fat16`, `ntfs`, `ext4`, `iso9660`…, for output.
    public var type: String
    /// What kind of file system this is (`TSK_FS_INFO.ftype`): ask this, not ``type``.
    public var kind: FileSystemKind
    /// Sector offset of the file system in the image (TSK's `-o`).
    public var sectorOffset: UInt64
    /// Byte offset of the file system in the image.
    public var byteOffset: Int64
    public var blockSize: Int
    public var blockCount: UInt64
    public var firstBlock: UInt64
    public var lastBlock: UInt64
    public var rootAddress: UInt64
    public var firstInode: UInt64
    public var lastInode: UInt64
    /// Volume label or name, when the file system has one (filled by ``FileSystem/describe()``).
    public var label: String?
    /// Volume id / serial number as `fsstat` prints it.
    public var volumeID: String?
    /// The type line of `fsstat` (e.g. "FAT16", "NTFS", "Ext4").
    public var typeDescription: String?

    init(_ fs: TSK_FS_INFO, sectorOffset: UInt64) {
        type = tsk_fs_type_toname(fs.ftype).map { String(cString: $0) } ?? "unknown"
        kind = FileSystemKind(fs.ftype)
        self.sectorOffset = sectorOffset
        byteOffset = Int64(fs.offset)
        blockSize = Int(fs.block_size)
        blockCount = UInt64(fs.block_count)
        firstBlock = UInt64(fs.first_block)
        lastBlock = UInt64(fs.last_block)
        rootAddress = UInt64(fs.root_inum)
        firstInode = UInt64(fs.first_inum)
        lastInode = UInt64(fs.last_inum)
        if fs.fs_id_used > 0 {
            let bytes = withUnsafeBytes(of: fs.fs_id) { Array($0.prefix(Int(fs.fs_id_used))) }
            volumeID = bytes.reversed().map { byte in
                let hex = String(byte, radix: 16)
                return hex.count == 1 ? "0" + hex : hex
            }.joined()
        }
    }
}

/// The few facts we take from `fsstat`'s text: TSK has no generic API for labels.
struct FsstatFacts {
    var label: String?
    var volumeID: String?
    var type: String?

    init(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters()
            let value = String(line[line.index(after: colon)...].trimmingCharacters())
            switch key {
            case "File System Type" where type == nil:
                type = value
            case "Volume Label (Boot Sector)", "Volume Label (Root Directory)", "Volume Name", "Volume Label":
                if !value.isEmpty, label == nil || key == "Volume Label (Root Directory)" { label = value }
            case "Volume Identifier" where label == nil:
                // ISO 9660 calls its label the volume identifier.
                if !value.isEmpty { label = value }
            case "Volume ID", "Volume Serial Number", "Serial Number":
                if volumeID == nil, !value.isEmpty { volumeID = value }
            default:
                continue
            }
        }
    }
}

extension Substring {
    func trimmingCharacters() -> Substring {
        var s = self
        while let first = s.first, first.isWhitespace { s = s.dropFirst() }
        while let last = s.last, last.isWhitespace { s = s.dropLast() }
        return s
    }
}
