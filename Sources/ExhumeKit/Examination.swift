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
    public init(path: String, sectorOffset: UInt64? = nil, requireFileSystem: Bool = true) throws(ExhumeError) {
        do {
            source = try Image.open(path)
        } catch {
            throw ExhumeError(error)
        }
        do {
            image = try DiskImage(source: source)
        } catch {
            throw ExhumeError(error)
        }
        volumeSystem = VolumeSystem.open(image)

        var found: [MountedFileSystem] = []
        var issues: [Issue] = (source as? EWFImage)?.integrityProblems.map {
            Issue(severity: .warning, image: path, partition: nil, sectorOffset: nil, message: $0.description)
        } ?? []
        if let sectorOffset {
            do {
                let fs = try FileSystem(image: image, sectorOffset: sectorOffset)
                let partition = volumeSystem?.partitions.first { $0.kind == .allocated && $0.start == sectorOffset }
                found.append(MountedFileSystem(fileSystem: fs, partition: partition, bodyPrefix: Array("/".utf8)))
            } catch {
                throw ExhumeError(.badInput, error.description)
            }
        } else if let volumeSystem {
            for partition in volumeSystem.partitions where partition.kind == .allocated {
                let sector = UInt64(partition.byteOffset / Int64(image.sectorSize))
                do {
                    let fs = try FileSystem(image: image, sectorOffset: sector)
                    found.append(MountedFileSystem(fileSystem: fs, partition: partition,
                                                   bodyPrefix: Array("vol\(partition.slot)/".utf8)))
                } catch {
                    issues.append(Issue(severity: .note, image: path, partition: partition.slot, sectorOffset: sector,
                                        message: "no file system TSK recognises in \"\(partition.description)\" (\(error.message))"))
                }
            }
        } else {
            do {
                let fs = try FileSystem(image: image, sectorOffset: 0)
                found.append(MountedFileSystem(fileSystem: fs, partition: nil, bodyPrefix: []))
            } catch {
                if requireFileSystem {
                    throw ExhumeError(.badInput, "\(path): no partition table or file system that TSK recognises (\(error.message))")
                }
                // Only `info` asks not to require one: there it is a fact about the image, not a fault.
                issues.append(Issue(severity: .note, image: path, partition: nil, sectorOffset: 0,
                                    message: "no partition table or file system that TSK recognises (\(error.message))"))
            }
        }
        if requireFileSystem, found.isEmpty, sectorOffset == nil, volumeSystem != nil {
            throw ExhumeError(.badInput, "\(path): the partition table lists no partition holding a file system TSK recognises")
        }
        self.fileSystems = found
        self.issues = issues
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

    public var info: FileSystemInfo { fileSystem.info }
}
