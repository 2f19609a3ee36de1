import CaseStore
import Evidence
import Foundation
import Hashing
import SleuthKit
import Timeline

/// Conversions from what a scan finds to the case database's records.
enum ScanRecords {
    static func image(_ exam: Examination, path: String) -> CaseStore.ImageRecord {
        let ewf = exam.source.acquisition
        return CaseStore.ImageRecord(path: path, format: exam.source.format.rawValue, size: exam.source.size,
                                     sectorSize: exam.source.sectorSize, caseNumber: ewf?.caseNumber,
                                     evidenceNumber: ewf?.evidenceNumber, examiner: ewf?.examiner,
                                     description: ewf?.description, notes: ewf?.notes, acquired: ewf?.acquisitionDate,
                                     software: ewf?.acquisitionSoftware, storedMD5: ewf?.storedMD5, storedSHA1: ewf?.storedSHA1,
                                     status: .scanning)
    }

    static func volumes(_ exam: Examination, image: Int64) -> [VolumeRecord] {
        (exam.volumeSystem?.partitions ?? []).map {
            VolumeRecord(imageID: image, slot: $0.slot, start: Int64($0.start), length: Int64($0.length),
                         description: $0.description, kind: $0.kind.rawValue)
        }
    }

    static func fileSystems(_ exam: Examination, image: Int64) -> [FileSystemRecord] {
        exam.fileSystems.map {
            let info = $0.fileSystem.describe()
            return FileSystemRecord(imageID: image, sectorOffset: Int64(info.sectorOffset), type: info.type, label: info.label,
                                    blockSize: info.blockSize, blockCount: Int64(info.blockCount))
        }
    }

    static func item(_ result: ItemResult, image: Int64, exam: Examination) -> CaseStore.ItemRecord {
        let item = result.item
        var record = CaseStore.ItemRecord(imageID: image, key: item.provenance.key, source: item.source.rawValue,
                                          size: item.size, bytesRead: result.bytesRead,
                                          mime: result.type?.mime, description: result.type?.description,
                                          extensionMismatch: result.type?.extensionMismatch ?? false,
                                          md5: result.digests.md5Hex, sha1: result.digests.sha1Hex,
                                          sha256: result.digests.sha256Hex, readError: result.readError,
                                          exportedPath: result.exported,
                                          hits: result.hits.map {
                                              HitRecord(setName: $0.setName, kind: HitKind($0.kind),
                                                        category: $0.category, matched: $0.matched.rawValue)
                                          })
        record.path = ItemRecord.path(result, in: exam)
        if let parent = item.provenance.parent {
            record.parentKey = parent.key
            record.pathInParent = parent.path
            record.offsetInParent = parent.offset
        }
        switch item.origin {
        case .file(let index, let entry, _):
            record.addr = entry.address
            record.fsOffset = Int64(exam.fileSystems[index].info.sectorOffset)
            record.deleted = entry.isDeleted
            let t = entry.effectiveTimes
            record.atime = TimeFormat.iso8601OrNil(t.accessed)
            record.mtime = TimeFormat.iso8601OrNil(t.modified)
            record.ctime = TimeFormat.iso8601OrNil(t.changed)
            record.crtime = TimeFormat.iso8601OrNil(t.created)
        case .carved(let extent):
            record.imageOffset = extent.offset
            record.imageLength = extent.length
            record.rule = extent.rule
            record.verdict = extent.verdict
        }
        return record
    }
}
