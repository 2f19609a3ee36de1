internal import CSleuthKit
import Evidence

/// A TSK image (`TSK_IMG_INFO`) that reads through an ``ImageSource``, so TSK
/// and every other reader of the evidence see the same bytes.
///
/// Owns its `TSK_IMG_INFO` and closes it in `deinit` (`tsk_img_close`).
/// Volume systems and file systems opened on it keep it alive. A pool volume
/// (APFS) is also a `DiskImage`: TSK gives it its own image, which keeps the
/// pool and the evidence image alive.
public final class DiskImage: @unchecked Sendable {
    public let source: any ImageSource
    let raw: UnsafeMutablePointer<TSK_IMG_INFO>
    private let readContext: ImageReadContext
    /// What must outlive this image (for a pool volume: the pool).
    private let owner: AnyObject?

    /// Wraps `source` with `tsk_img_open_external`.
    public init(source: any ImageSource) throws(TSKError) {
        guard let (img, context) = ExternalImage.open(source) else {
            throw TSKError.capture(function: "tsk_img_open_external", context: source.path)
        }
        self.source = source
        self.raw = img
        self.readContext = context
        self.owner = nil
    }

    /// The image TSK builds for one volume of a pool (`get_img_info`).
    init(poolVolume raw: UnsafeMutablePointer<TSK_IMG_INFO>, of pool: Pool) {
        self.source = pool.image.source
        self.raw = raw
        self.readContext = pool.image.readContext
        self.owner = pool
    }

    deinit {
        tsk_img_close(raw)
    }

    /// Image name for messages.
    public var path: String { source.path }
    /// Media size in bytes.
    public var size: Int64 { source.size }
    /// Device sector size in bytes, the unit of partition and `--offset` addresses.
    public var sectorSize: Int { Int(raw.pointee.sector_size) }

    /// The last read error TSK's callbacks saw, with the evidence file and offset.
    var lastReadFailure: EvidenceError? { readContext.lastFailure }
}

/// A pool of volumes (APFS container) found by TSK (`tsk_pool_open_img_sing`).
public final class Pool: @unchecked Sendable {
    public let image: DiskImage
    let raw: UnsafePointer<TSK_POOL_INFO>
    /// Byte offset of the pool in the image.
    public let byteOffset: Int64
    public let volumes: [PoolVolume]

    /// Looks for a pool (APFS container) at `byteOffset`; nil when there is none.
    public static func open(_ image: DiskImage, byteOffset: Int64) -> Pool? {
        guard let pool = tsk_pool_open_img_sing(image.raw, TSK_OFF_T(byteOffset), TSK_POOL_TYPE_DETECT) else {
            tsk_error_reset()
            return nil
        }
        return Pool(image: image, raw: pool, byteOffset: byteOffset)
    }

    private init(image: DiskImage, raw: UnsafePointer<TSK_POOL_INFO>, byteOffset: Int64) {
        self.image = image
        self.raw = raw
        self.byteOffset = byteOffset
        var volumes: [PoolVolume] = []
        var cursor = raw.pointee.vol_list
        while let volume = cursor {
            volumes.append(PoolVolume(index: Int(volume.pointee.index), block: volume.pointee.block,
                                      blockCount: volume.pointee.num_blocks,
                                      description: volume.pointee.desc.map { String(cString: $0) } ?? ""))
            cursor = volume.pointee.next
        }
        self.volumes = volumes
    }

    deinit {
        tsk_pool_close(raw)
    }

    /// Opens the file system of `volume` (`get_img_info`, then
    /// `tsk_fs_open_img_decrypt` with no password, as TSK's tools do).
    public func fileSystem(of volume: PoolVolume) throws(TSKError) -> FileSystem {
        let context = "\(image.path), pool volume \(volume.index)"
        guard let getImage = raw.pointee.get_img_info, let img = getImage(raw, TSK_DADDR_T(volume.block)) else {
            throw TSKError.capture(function: "get_img_info", context: context)
        }
        let volumeImage = DiskImage(poolVolume: img, of: self)
        return try FileSystem(image: volumeImage, byteOffset: 0, reportedSector: UInt64(byteOffset) / UInt64(image.sectorSize),
                              type: TSK_FS_TYPE_APFS_DETECT, context: context)
    }
}

/// One volume of a pool.
public struct PoolVolume: Sendable, Hashable {
    /// TSK's index of the volume, used in `tsk_gettimes`' `poolVolN/` prefix.
    public var index: Int
    /// Block of the volume superblock in the pool.
    public var block: UInt64
    public var blockCount: UInt64
    public var description: String
}
