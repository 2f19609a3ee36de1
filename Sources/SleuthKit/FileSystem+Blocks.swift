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
