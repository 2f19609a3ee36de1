import CaseStore
import Export
import Hashing
import SleuthKit

/// Output formats of an item's hashes.
public enum ItemRecord {
    /// One JSON object: provenance, hashes, type, and where it was exported.
    public static func json(_ result: ItemResult, in exam: Examination, exported: Bool = false) -> [UInt8] {
        let item = result.item
        var o = JSONLine()
        o.add("image", exam.source.path)
        switch item.origin {
        case .file(let index, let entry, _):
            let mounted = exam.fileSystems[index]
            o.add("offset", mounted.info.sectorOffset)
            o.add("partition", mounted.partition?.slot)
            o.add("fs", mounted.info.type)
            o.add("path", path(result, in: exam))
            o.add("addr", entry.address)
            o.add("source", item.source.rawValue)
            o.add("deleted", entry.isDeleted)
            o.add("size", entry.size)
        case .carved(let extent):
            // For a carved item the offset is the image byte offset of its first byte.
            o.add("offset", extent.offset)
            o.add("length", extent.length)
            o.add("source", item.source.rawValue)
            o.add("rule", extent.rule)
            o.add("verdict", extent.verdict.rawValue)
            o.add("region", extent.region.rawValue)
            o.add("size", extent.length)
        }
        o.add("bytes_read", result.bytesRead)
        o.add("md5", result.digests.md5Hex)
        o.add("sha1", result.digests.sha1Hex)
        o.add("sha256", result.digests.sha256Hex)
        o.add("mime", result.type?.mime)
        o.add("description", result.type?.description)
        o.add("mismatch", result.type?.extensionMismatch ?? false)
        o.addRaw("hits", JSONLine.array(result.hits.map { hit in
            var j = JSONLine()
            j.add("set", hit.setName)
            j.add("kind", HitKind(hit.kind).rawValue)
            j.add("category", hit.category)
            j.add("matched", hit.matched.rawValue)
            j.add("name", hit.fileName)
            return j.finished()
        }))
        o.add("read_error", result.readError)
        if exported {
            if let entry = item.entry {
                // The exact bytes of the name, escaped losslessly (\xNN), next to where it went.
                var components = entry.directoryComponents
                components.append(entry.name + (entry.streamName.map { [UInt8(ascii: ":")] + $0 } ?? []))
                o.add("original_path", SafeExporter.manifestPath(components: components))
            }
            o.add("exported", result.exported)
            o.add("export_error", result.exportError)
        }
        return o.finished()
    }

    /// The item's path for listings: `volN/` prefix when the image has several
    /// file systems; `carved/OFFSET.ext` for a carved item.
    public static func path(_ result: ItemResult, in exam: Examination) -> String {
        switch result.item.origin {
        case .file(let index, let entry, _):
            return exam.fileSystems[index].pathPrefix + entry.displayPath
        case .carved(let extent):
            return "carved/\(extent.offset).\(extent.fileExtension)"
        }
    }

    /// A hashdeep line: `size,md5,sha1,sha256,path` (hashdeep quotes nothing; a
    /// comma in a name stays as it is, as in hashdeep's own output).
    public static func hashdeep(_ result: ItemResult, in exam: Examination) -> String {
        "\(result.bytesRead),\(result.digests.md5Hex),\(result.digests.sha1Hex),\(result.digests.sha256Hex),\(path(result, in: exam))"
    }

    public static let hashdeepHeader = ["%%%% HASHDEEP-1.0", "%%%% size,md5,sha1,sha256,filename"]

    /// An md5sum line: `md5  path`.
    public static func md5sum(_ result: ItemResult, in exam: Examination) -> String {
        "\(result.digests.md5Hex)  \(path(result, in: exam))"
    }
}
