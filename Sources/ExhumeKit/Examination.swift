import Evidence
import SleuthKit

/// An opened piece of evidence and the file systems found in it: the
/// starting point of every command.
///
/// Finds file systems the way TSK's own tools do (`TskAuto`): through the
/// partition table when there is one (each allocated partition), otherwise
/// at sector 0.
public final class Examination: @unchecked Sendable {
    public let source: any ImageSource
    public let image: DiskImage
    public let volumeSystem: VolumeSystem?
    /// File systems found, in partition order.
    public let fileSystems: [MountedFileSystem]
    /// What could not be opened on the way.
    public let issues: [Issue]

    /// Opens `path` read-only and finds its file systems; with `sectorOffset`,
    /// only the file system that starts there (TSK's `-o`).
    ///
    /// - Throws: ``ExhumeError`` when the evidence cannot be opened, or when
    ///   `requireFileSystem` and no file system was found at all.
    ///
    /// `readThrough` wraps the source TSK reads from (a scan routes TSK's reads
    /// through its ``MediaStream``); `source` stays the evidence itself.
    public init(path: String, sectorOffset: UInt64? = nil, requireFileSystem: Bool = true,
                readThrough: ((any ImageSource) -> any ImageSource)? = nil) throws(ExhumeError) {
        do {
            source = try Image.open(path)
        } catch {
            throw ExhumeError(error)
        }
        do {
            image = try DiskImage(source: readThrough?(source) ?? source)
        } catch {
            throw ExhumeError(error)
        }
        volumeSystem = VolumeSystem.open(image)

        var found: [MountedFileSystem] = []
        var issues: [Issue] = source.integrityProblems.map {
            Issue(severity: .warning, image: path, partition: nil, sectorOffset: nil, message: $0.description)
        }
        if let sectorOffset {
            let partition = volumeSystem?.partitions.first { $0.kind == .allocated && $0.start == sectorOffset }
            do {
                let fs = try FileSystem(image: image, sectorOffset: sectorOffset)
                found.append(MountedFileSystem(fileSystem: fs, partition: partition, bodyPrefix: Array("/".utf8)))
            } catch {
                let byteOffset = Int64(sectorOffset) * Int64(image.sectorSize)
                guard let pool = Pool.open(image, byteOffset: byteOffset) else {
                    throw ExhumeError(.badInput, error.description, cause: error,
                                      location: EvidenceLocation(image: path, byteOffset: byteOffset))
                }
                found += Examination.mount(pool, partition: partition, prefix: "/", image: path, issues: &issues)
            }
        } else if let volumeSystem {
            for partition in volumeSystem.partitions where partition.kind == .allocated {
                let sector = UInt64(partition.byteOffset / Int64(image.sectorSize))
                do {
                    let fs = try FileSystem(image: image, sectorOffset: sector)
                    found.append(MountedFileSystem(fileSystem: fs, partition: partition,
                                                   bodyPrefix: Array("vol\(partition.slot)/".utf8)))
                } catch {
                    if let pool = Pool.open(image, byteOffset: partition.byteOffset) {
                        found += Examination.mount(pool, partition: partition, prefix: "vol\(partition.slot)/",
                                                   image: path, issues: &issues)
                        continue
                    }
                    issues.append(Issue(severity: .note, image: path, partition: partition.slot, sectorOffset: sector,
                                        message: "no file system TSK recognises in \"\(partition.description)\" (\(error.message))"))
                }
            }
        } else {
            do {
                let fs = try FileSystem(image: image, sectorOffset: 0)
                found.append(MountedFileSystem(fileSystem: fs, partition: nil, bodyPrefix: []))
            } catch {
                if let pool = Pool.open(image, byteOffset: 0) {
                    found += Examination.mount(pool, partition: nil, prefix: "", image: path, issues: &issues)
                } else if requireFileSystem {
                    throw ExhumeError(.badInput, "\(path): no partition table or file system that TSK recognises (\(error.message))",
                                      cause: error, location: EvidenceLocation(image: path))
                } else {
                    // Only `info` asks not to require one: there it is a fact about the image, not a fault.
                    issues.append(Issue(severity: .note, image: path, partition: nil, sectorOffset: 0,
                                        message: "no partition table or file system that TSK recognises (\(error.message))"))
                }
            }
        }
        if requireFileSystem, found.isEmpty, sectorOffset == nil, volumeSystem != nil {
            throw ExhumeError(.badInput, "\(path): the partition table lists no partition holding a file system TSK recognises",
                              location: EvidenceLocation(image: path))
        }
        self.fileSystems = found
        self.issues = issues
    }

    /// The file systems of a pool's volumes (APFS), named `poolVolN/` after the
    /// partition prefix as `tsk_gettimes` does.
    private static func mount(_ pool: Pool, partition: Partition?, prefix: String, image: String,
                              issues: inout [Issue]) -> [MountedFileSystem] {
        var mounted: [MountedFileSystem] = []
        for volume in pool.volumes {
            do {
                let fs = try pool.fileSystem(of: volume)
                mounted.append(MountedFileSystem(fileSystem: fs, partition: partition,
                                                 bodyPrefix: Array("\(prefix)poolVol\(volume.index)/".utf8),
                                                 poolVolume: volume))
            } catch {
                issues.append(Issue(severity: .warning, image: image, partition: partition?.slot, sectorOffset: nil,
                                    message: "pool volume \(volume.index) (\(volume.description)): \(error.message)"))
            }
        }
        return mounted
    }
}

/// A file system with where it sits: its partition and the path prefix TSK
/// puts before its names in a whole-image body file.
public struct MountedFileSystem: @unchecked Sendable {
    public let fileSystem: FileSystem
    public let partition: Partition?
    /// `/` for a single file system chosen with `--offset` (like `fls -m /`),
    /// `volN/` inside a partition table, nothing for a bare file system (like `tsk_gettimes`).
    public let bodyPrefix: [UInt8]
    /// The pool volume (APFS) the file system lives in, if any.
    public var poolVolume: PoolVolume? = nil

    public var info: FileSystemInfo { fileSystem.info }

    /// What item paths of this file system start with in listings that span
    /// the whole image: `volN/` in a partition, `poolVolN/` in a pool volume.
    public var pathPrefix: String {
        var prefix = String(decoding: bodyPrefix, as: UTF8.self)
        if prefix.hasPrefix("/") { prefix.removeFirst() }
        return prefix
    }
}
