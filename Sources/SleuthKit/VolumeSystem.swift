internal import CSleuthKit

/// A partition table found by TSK (`tsk_vs_open`): DOS/MBR, GPT, BSD, Sun, Mac.
public final class VolumeSystem: @unchecked Sendable {
    public let image: DiskImage
    let raw: UnsafeMutablePointer<TSK_VS_INFO>

    /// Kind of table, as `mmls` names it (`tsk_vs_type_todesc`), e.g. "DOS Partition Table".
    public let typeDescription: String
    /// Short name of the table type (`tsk_vs_type_toname`), e.g. "dos", "gpt".
    public let typeName: String
    /// Size of the table's addressing unit in bytes (sector size).
    public let blockSize: Int
    /// Sector offset of the table in the image.
    public let offsetSectors: UInt64
    /// Every slot TSK reports, allocated or not, in `mmls` order.
    public let partitions: [Partition]

    /// Looks for a partition table at the start of the image (`tsk_vs_open`
    /// with `TSK_VS_TYPE_DETECT`). Returns nil when there is none, which is
    /// normal for an image holding a bare file system.
    public static func open(_ image: DiskImage) -> VolumeSystem? {
        guard let vs = tsk_vs_open(image.raw, 0, TSK_VS_TYPE_DETECT) else {
            tsk_error_reset()
            return nil
        }
        return VolumeSystem(image: image, raw: vs)
    }

    private init(image: DiskImage, raw: UnsafeMutablePointer<TSK_VS_INFO>) {
        self.image = image
        self.raw = raw
        let info = raw.pointee
        self.typeDescription = tsk_vs_type_todesc(info.vstype).map { String(cString: $0) } ?? "Unknown"
        self.typeName = tsk_vs_type_toname(info.vstype).map { String(cString: $0) } ?? "unknown"
        self.blockSize = Int(info.block_size)
        self.offsetSectors = UInt64(info.offset) / UInt64(max(1, info.block_size))
        var parts: [Partition] = []
        var cursor = info.part_list
        while let part = cursor {
            parts.append(Partition(part.pointee, blockSize: Int(info.block_size)))
            cursor = part.pointee.next
        }
        self.partitions = parts
    }

    deinit {
        tsk_vs_close(raw)
    }
}

/// One slot of a partition table, as `mmls` lists it.
public struct Partition: Sendable, Hashable, Codable {
    /// TSK's address of the slot, the number `mmls` prints first (`002:`)
    /// and `tsk_gettimes` uses in its `volN/` prefix.
    public var slot: Int
    /// First sector.
    public var start: UInt64
    /// Length in sectors.
    public var length: UInt64
    public var description: String
    /// Table and slot numbers inside the table (`000:001`); nil for
    /// meta and unallocated entries.
    public var tableNumber: Int?
    public var slotNumber: Int?
    public var kind: Kind
    /// Sector size the start and length are counted in.
    public var blockSize: Int

    public enum Kind: String, Sendable, Hashable, Codable {
        /// A partition holding data (TSK_VS_PART_FLAG_ALLOC).
        case allocated
        /// Space no partition covers (TSK_VS_PART_FLAG_UNALLOC).
        case unallocated
        /// The table itself, an extended-partition table (TSK_VS_PART_FLAG_META).
        case meta
    }

    /// Last sector.
    public var end: UInt64 { length == 0 ? start : start + length - 1 }
    /// Byte offset of the first sector in the image.
    public var byteOffset: Int64 { Int64(start) * Int64(blockSize) }

    init(_ part: TSK_VS_PART_INFO, blockSize: Int) {
        slot = Int(part.addr)
        start = UInt64(part.start)
        length = UInt64(part.len)
        description = part.desc.map { String(cString: $0) } ?? ""
        self.blockSize = blockSize
        let flags = part.flags.rawValue
        if flags & TSK_VS_PART_FLAG_META.rawValue != 0 {
            kind = .meta
        } else if flags & TSK_VS_PART_FLAG_UNALLOC.rawValue != 0 {
            kind = .unallocated
        } else {
            kind = .allocated
        }
        if kind == .allocated {
            tableNumber = Int(part.table_num)
            slotNumber = Int(part.slot_num)
        }
    }

    /// The slot column of `mmls`: `000:001` for partitions, `Meta`, `-------`.
    public var mmlsSlot: String {
        switch kind {
        case .meta: return "Meta"
        case .unallocated: return "-------"
        case .allocated:
            func three(_ n: Int) -> String {
                let s = String(n)
                return s.count >= 3 ? s : String(repeating: "0", count: 3 - s.count) + s
            }
            // GPT has a single table: TSK sets its number to -1 and mmls prints the slot alone.
            guard let table = tableNumber, table >= 0 else { return three(slotNumber ?? 0) }
            return "\(three(table)):\(three(slotNumber ?? 0))"
        }
    }
}
