internal import CSleuthKit

/// A run of consecutive blocks as a byte extent of the image.
public struct ByteExtent: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Byte offset in the image.
    public var offset: Int64
    public var length: Int64

    public init(offset: Int64, length: Int64) {
        self.offset = offset
        self.length = length
    }

    public var end: Int64 { offset + length }
    public var description: String { "\(offset)+\(length)" }
}

extension FileSystem {
    /// The file system's unallocated blocks, coalesced into byte extents of
    /// the image in address order, so that a file spanning adjacent free
    /// blocks is one extent (`tsk_fs_block_walk` with `UNALLOC | AONLY`:
    /// addresses only, no content read).
    public func unallocatedExtents() -> (extents: [ByteExtent], error: TSKError?) {
        let collector = BlockRunCollector(blockSize: Int64(info.blockSize), base: info.byteOffset)
        let ok = BlockWalk.run(raw, first: TSK_DADDR_T(info.firstBlock), last: TSK_DADDR_T(info.lastBlock),
                               collector: collector)
        collector.close()
        if !ok {
            return (collector.extents, TSKError.capture(function: "tsk_fs_block_walk",
                                                        context: "\(image.path), file system at sector \(info.sectorOffset)"))
        }
        return (collector.extents, nil)
    }
}

/// Coalesces block addresses handed over one by one into extents.
final class BlockRunCollector {
    let blockSize: Int64
    let base: Int64
    private(set) var extents: [ByteExtent] = []
    private var runStart: UInt64?
    private var runNext: UInt64 = 0

    init(blockSize: Int64, base: Int64) {
        self.blockSize = blockSize
        self.base = base
    }

    func add(_ block: UInt64) {
        if runStart != nil, block == runNext {
            runNext += 1
            return
        }
        close()
        runStart = block
        runNext = block + 1
    }

    func close() {
        guard let start = runStart else { return }
        extents.append(ByteExtent(offset: base + Int64(start) * blockSize, length: Int64(runNext - start) * blockSize))
        runStart = nil
    }
}

extension FileSystem {
    /// File slack: for every allocated file, the bytes of its last block
    /// after the end of its content, and any further blocks allocated to it
    /// (`tsk_fs_file_walk` with `SLACK | AONLY` on each file, once per
    /// metadata address). Resident and sparse data have no slack.
    public func slackExtents() -> (extents: [ByteExtent], error: TSKError?) {
        var seen = Set<UInt64>()
        var extents: [ByteExtent] = []
        let base = info.byteOffset
        let blockSize = Int64(info.blockSize)
        let walkError = walk { entry in
            guard !entry.isDeleted, entry.hasMetadata, entry.isMetaAllocated, entry.metaType == .regular,
                  entry.streamName == nil, !entry.isFileNameAttribute, seen.insert(entry.metaAddress).inserted else { return true }
            guard let file = tsk_fs_file_open_meta(raw, nil, TSK_INUM_T(entry.metaAddress)) else {
                tsk_error_reset()
                return true
            }
            defer { tsk_fs_file_close(file) }
            let size = Int64(file.pointee.meta?.pointee.size ?? 0)
            SlackWalk.run(file) { fileOffset, block, length in
                let end = fileOffset + Int64(length)
                guard end > size, block > 0 else { return }
                let from = max(fileOffset, size) - fileOffset
                extents.append(ByteExtent(offset: base + Int64(block) * blockSize + from, length: Int64(length) - from))
            }
            tsk_error_reset()
            return true
        }
        extents.sort { $0.offset < $1.offset }
        var merged: [ByteExtent] = []
        for extent in extents {
            if var last = merged.last, last.end == extent.offset {
                last.length += extent.length
                merged[merged.count - 1] = last
            } else {
                merged.append(extent)
            }
        }
        return (merged, walkError)
    }
}
