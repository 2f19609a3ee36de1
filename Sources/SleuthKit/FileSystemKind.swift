internal import CSleuthKit

/// What kind of file system TSK opened: one case per value TSK reports in
/// `TSK_FS_INFO.ftype` (`TSK_FS_TYPE_ENUM`), with TSK's own groupings
/// (`TSK_FS_TYPE_ISFAT`, `TSK_FS_TYPE_ISNTFS`).
///
/// Code that asks what a file system is asks this; the TSK type name
/// (`tsk_fs_type_toname`: `fat16`, `ntfs`…) stays in ``FileSystemInfo/type``
/// for output.
public enum FileSystemKind: String, Sendable, Hashable, Codable, CaseIterable {
    case ntfs
    case fat12, fat16, fat32, exfat
    case ufs1, ufs1b, ufs2
    case ext2, ext3, ext4
    case swap, raw, iso9660
    /// HFS+ and HFSX (`TSK_FS_TYPE_HFS`).
    case hfs
    /// The original HFS (`TSK_FS_TYPE_HFS_LEGACY`).
    case hfsLegacy = "hfs-legacy"
    case yaffs2, apfs
    /// A value this list does not name (a newer TSK).
    case unknown

    /// The kind of `type`, as TSK reports it for an opened file system.
    init(_ type: TSK_FS_TYPE_ENUM) {
        self = Self.allCases.first { $0 != .unknown && $0.tskType == type } ?? .unknown
    }

    /// The `TSK_FS_TYPE_ENUM` value this kind stands for (`TSK_FS_TYPE_DETECT`, which no
    /// group includes, for ``unknown``).
    var tskType: TSK_FS_TYPE_ENUM {
        switch self {
        case .ntfs: TSK_FS_TYPE_NTFS
        case .fat12: TSK_FS_TYPE_FAT12
        case .fat16: TSK_FS_TYPE_FAT16
        case .fat32: TSK_FS_TYPE_FAT32
        case .exfat: TSK_FS_TYPE_EXFAT
        case .ufs1: TSK_FS_TYPE_FFS1
        case .ufs1b: TSK_FS_TYPE_FFS1B
        case .ufs2: TSK_FS_TYPE_FFS2
        case .ext2: TSK_FS_TYPE_EXT2
        case .ext3: TSK_FS_TYPE_EXT3
        case .ext4: TSK_FS_TYPE_EXT4
        case .swap: TSK_FS_TYPE_SWAP
        case .raw: TSK_FS_TYPE_RAW
        case .iso9660: TSK_FS_TYPE_ISO9660
        case .hfs: TSK_FS_TYPE_HFS
        case .hfsLegacy: TSK_FS_TYPE_HFS_LEGACY
        case .yaffs2: TSK_FS_TYPE_YAFFS2
        case .apfs: TSK_FS_TYPE_APFS
        case .unknown: TSK_FS_TYPE_DETECT
        }
    }

    /// FAT12, FAT16, FAT32 and exFAT (`TSK_FS_TYPE_ISFAT`).
    public var isFAT: Bool { exhume_tsk_fs_is_fat(tskType) != 0 }

    /// NTFS (`TSK_FS_TYPE_ISNTFS`).
    public var isNTFS: Bool { exhume_tsk_fs_is_ntfs(tskType) != 0 }
}
