import SleuthKit

/// A stretch of the image the carver reads, and why it holds no allocated file.
public struct CarveRegion: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Unallocated blocks of a file system.
        case unallocated
        /// Space no partition covers (gaps, after the last partition).
        case unpartitioned
        /// A partition with no file system TSK recognises, or the part of a
        /// partition after its file system's last block.
        case volumeSlack = "volume-slack"
        /// The whole image (no partition table and no file system, or `--all-space`).
        case wholeImage = "whole-image"
        /// File slack: after the end of an allocated file, in its last block (`--slack`).
        case slack
    }

    public var extent: ByteExtent
    public var kind: Kind
    /// Sector offset of the file system the region belongs to, if any.
    public var fileSystemOffset: UInt64?
}

extension Examination {
    /// Where carving looks: every file system's unallocated blocks, space
    /// outside every partition, partitions without a known file system and
    /// the tail of partitions beyond their file system; the whole image when
    /// nothing is recognised, or when `allSpace` is asked for. Sorted by
    /// offset, adjacent extents of the same kind merged.
    public func carveRegions(allSpace: Bool = false, slack: Bool = false) -> (regions: [CarveRegion], issues: [Issue]) {
        let size = source.size
        if allSpace || (fileSystems.isEmpty && volumeSystem == nil) {
            return ([CarveRegion(extent: ByteExtent(offset: 0, length: size), kind: .wholeImage, fileSystemOffset: nil)], [])
        }
        var regions: [CarveRegion] = []
        var issues: [Issue] = []
        var covered: [ByteExtent] = []
        for mounted in fileSystems where mounted.poolVolume == nil {
            let (extents, error) = mounted.fileSystem.unallocatedExtents()
            if let error {
                issues.append(Issue(severity: .warning, image: source.path, partition: mounted.partition?.slot,
                                    sectorOffset: mounted.info.sectorOffset,
                                    message: "the list of unallocated blocks may be incomplete: \(error.message)"))
            }
            regions += extents.map { CarveRegion(extent: $0, kind: .unallocated, fileSystemOffset: mounted.info.sectorOffset) }
            if slack {
                let (slackExtents, slackError) = mounted.fileSystem.slackExtents()
                if let slackError {
                    issues.append(Issue(severity: .warning, image: source.path, partition: mounted.partition?.slot,
                                        sectorOffset: mounted.info.sectorOffset,
                                        message: "the list of file slack may be incomplete: \(slackError.message)"))
                }
                regions += slackExtents.map { CarveRegion(extent: $0, kind: .slack, fileSystemOffset: mounted.info.sectorOffset) }
            }
            let fsStart = mounted.info.byteOffset
            let fsEnd = min(size, fsStart + Int64(mounted.info.lastBlock + 1) * Int64(mounted.info.blockSize))
            covered.append(ByteExtent(offset: fsStart, length: max(0, fsEnd - fsStart)))
            if let partition = mounted.partition {
                let partitionEnd = min(size, partition.byteOffset + Int64(partition.length) * Int64(partition.blockSize))
                if partitionEnd > fsEnd {
                    regions.append(CarveRegion(extent: ByteExtent(offset: fsEnd, length: partitionEnd - fsEnd),
                                               kind: .volumeSlack, fileSystemOffset: mounted.info.sectorOffset))
                    covered.append(ByteExtent(offset: fsEnd, length: partitionEnd - fsEnd))
                }
            }
        }
        // Pool volumes (APFS) are not carved block by block yet: carve their whole partition or image range.
        if let volumeSystem {
            for partition in volumeSystem.partitions where partition.kind == .allocated {
                let start = partition.byteOffset
                let end = min(size, start + Int64(partition.length) * Int64(partition.blockSize))
                let hasFileSystem = fileSystems.contains { $0.partition == partition && $0.poolVolume == nil }
                if !hasFileSystem, end > start {
                    regions.append(CarveRegion(extent: ByteExtent(offset: start, length: end - start), kind: .volumeSlack,
                                               fileSystemOffset: nil))
                    covered.append(ByteExtent(offset: start, length: end - start))
                }
            }
        }
        // Whatever no file system or partition covers: table gaps, the space after the last partition.
        if let volumeSystem {
            for partition in volumeSystem.partitions where partition.kind == .allocated {
                let start = partition.byteOffset
                covered.append(ByteExtent(offset: start, length: Int64(partition.length) * Int64(partition.blockSize)))
            }
        }
        for gap in Examination.gaps(in: covered, size: size) {
            regions.append(CarveRegion(extent: gap, kind: .unpartitioned, fileSystemOffset: nil))
        }
        // A file system can claim more blocks than the image holds (a cut image): clamp.
        let clamped = regions.compactMap { region -> CarveRegion? in
            var region = region
            let end = min(region.extent.end, size)
            guard end > region.extent.offset else { return nil }
            region.extent.length = end - region.extent.offset
            return region
        }
        return (Examination.merged(clamped), issues)
    }

    /// The parts of `[0, size)` no extent covers.
    static func gaps(in extents: [ByteExtent], size: Int64) -> [ByteExtent] {
        var gaps: [ByteExtent] = []
        var cursor: Int64 = 0
        for extent in extents.sorted(by: { $0.offset < $1.offset }) {
            if extent.offset > cursor { gaps.append(ByteExtent(offset: cursor, length: extent.offset - cursor)) }
            cursor = max(cursor, extent.end)
        }
        if cursor < size { gaps.append(ByteExtent(offset: cursor, length: size - cursor)) }
        return gaps
    }

    /// Sorted by offset, touching extents of the same kind joined.
    static func merged(_ regions: [CarveRegion]) -> [CarveRegion] {
        var out: [CarveRegion] = []
        for region in regions.sorted(by: { $0.extent.offset < $1.extent.offset }) where region.extent.length > 0 {
            if var last = out.last, last.kind == region.kind, last.fileSystemOffset == region.fileSystemOffset,
               last.extent.end == region.extent.offset {
                last.extent.length += region.extent.length
                out[out.count - 1] = last
            } else {
                out.append(region)
            }
        }
        return out
    }
}
