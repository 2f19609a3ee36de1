import Evidence
import SleuthKit

/// Everything `exhume info` shows about an image.
public struct ImageReport: Sendable {
    public var path: String
    public var files: [String]
    public var format: ImageFormat
    public var size: Int64
    public var sectorSize: Int
    public var ewf: EWFMetadata?
    public var volumeSystem: VolumeSystemSummary?
    public var fileSystems: [FileSystemSummary]
    public var issues: [Issue]

    public struct VolumeSystemSummary: Sendable {
        public var type: String
        public var description: String
        public var blockSize: Int
        public var partitions: [Partition]
    }

    public struct FileSystemSummary: Sendable {
        public var partition: Int?
        /// Index of the pool volume (APFS) holding the file system.
        public var poolVolume: Int?
        /// Its superblock's block in the pool (TSK's `-B`).
        public var poolVolumeBlock: UInt64?
        public var info: FileSystemInfo
    }

    public init(_ exam: Examination) {
        path = exam.source.path
        files = exam.source.files
        format = exam.source.format
        size = exam.source.size
        sectorSize = exam.source.sectorSize
        ewf = exam.source.acquisition
        if let vs = exam.volumeSystem {
            volumeSystem = VolumeSystemSummary(type: vs.typeName, description: vs.typeDescription,
                                               blockSize: vs.blockSize, partitions: vs.partitions)
        }
        fileSystems = exam.fileSystems.map {
            FileSystemSummary(partition: $0.partition?.slot, poolVolume: $0.poolVolume?.index,
                              poolVolumeBlock: $0.poolVolume?.block, info: $0.fileSystem.describe())
        }
        issues = exam.issues
    }

    /// The partition table as `mmls` prints it (after its header lines).
    public func mmlsRows() -> [String] {
        guard let vs = volumeSystem else { return [] }
        func ten(_ n: UInt64) -> String {
            let s = String(n)
            return s.count >= 10 ? s : String(repeating: "0", count: 10 - s.count) + s
        }
        func three(_ n: Int) -> String {
            let s = String(n)
            return s.count >= 3 ? s : String(repeating: "0", count: 3 - s.count) + s
        }
        return vs.partitions.map { p in
            let slot = p.mmlsSlot.padding(toLength: 10)
            return "\(three(p.slot)):  \(slot)\(ten(p.start))   \(ten(p.end))   \(ten(p.length))   \(p.description)"
        }
    }

    public func json() -> [UInt8] {
        var o = JSONLine()
        o.add("path", path)
        o.add("files", strings: files)
        o.add("format", format.rawValue)
        o.add("size", size)
        o.add("sector_size", sectorSize)
        if let ewf {
            var e = JSONLine()
            e.add("case_number", ewf.caseNumber)
            e.add("evidence_number", ewf.evidenceNumber)
            e.add("examiner", ewf.examiner)
            e.add("description", ewf.description)
            e.add("notes", ewf.notes)
            e.add("acquisition_date", ewf.acquisitionDate)
            e.add("system_date", ewf.systemDate)
            e.add("acquisition_os", ewf.acquisitionOS)
            e.add("acquisition_software", ewf.acquisitionSoftware)
            e.add("model", ewf.model)
            e.add("serial_number", ewf.serialNumber)
            e.add("stored_md5", ewf.storedMD5)
            e.add("stored_sha1", ewf.storedSHA1)
            e.add("chunk_size", ewf.chunkSize)
            e.add("compression", ewf.compression)
            o.addRaw("ewf", e.finished())
        } else {
            o.addRaw("ewf", Array("null".utf8))
        }
        if let vs = volumeSystem {
            var v = JSONLine()
            v.add("type", vs.type)
            v.add("description", vs.description)
            v.add("block_size", vs.blockSize)
            v.addRaw("partitions", JSONLine.array(vs.partitions.map { p in
                var j = JSONLine()
                j.add("slot", p.slot)
                j.add("table_slot", p.mmlsSlot)
                j.add("kind", p.kind.rawValue)
                j.add("start", p.start)
                j.add("end", p.end)
                j.add("length", p.length)
                j.add("description", p.description)
                return j.finished()
            }))
            o.addRaw("volume_system", v.finished())
        } else {
            o.addRaw("volume_system", Array("null".utf8))
        }
        o.addRaw("file_systems", JSONLine.array(fileSystems.map { fs in
            var j = JSONLine()
            j.add("partition", fs.partition)
            j.add("pool_volume", fs.poolVolume)
            j.add("pool_volume_block", fs.poolVolumeBlock)
            j.add("offset", fs.info.sectorOffset)
            j.add("byte_offset", fs.info.byteOffset)
            j.add("type", fs.info.type)
            j.add("type_description", fs.info.typeDescription)
            j.add("block_size", fs.info.blockSize)
            j.add("block_count", fs.info.blockCount)
            j.add("first_block", fs.info.firstBlock)
            j.add("last_block", fs.info.lastBlock)
            j.add("root_inode", fs.info.rootAddress)
            j.add("first_inode", fs.info.firstInode)
            j.add("last_inode", fs.info.lastInode)
            j.add("label", fs.info.label)
            j.add("volume_id", fs.info.volumeID)
            return j.finished()
        }))
        o.addRaw("issues", JSONLine.array(issues.map { $0.json() }))
        return o.finished()
    }
}

extension Issue {
    public func json() -> [UInt8] {
        var j = JSONLine()
        j.add("severity", severity.rawValue)
        j.add("image", image)
        j.add("partition", partition)
        j.add("offset", sectorOffset)
        j.add("message", message)
        return j.finished()
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}
