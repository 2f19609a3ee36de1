import ArgumentParser
import ExhumeKit

extension Exhume {
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the image format, size, acquisition metadata, partition table and file systems.")

        @OptionGroup var image: ImageOptions

        @Flag(help: "Print one JSON object.")
        var json = false

        func run() throws {
            let exam = try image.examine(requireFileSystem: false)
            let report = ImageReport(exam)
            let out = OutputSink()
            if json {
                out.line(report.json())
            } else {
                for line in InfoText.lines(report) { out.line(line) }
            }
            do { try out.flush() } catch { throw Diagnostics.fail(error) }
            try Diagnostics.finish(exam.issues.filter { $0.severity == .warning })
        }
    }
}

enum InfoText {
    static func lines(_ r: ImageReport) -> [String] {
        var out: [String] = []
        out.append("Image:          \(r.path)")
        if r.files.count > 1 { out.append("Segments:       \(r.files.count) (\(r.files.last!))") }
        out.append("Format:         \(r.format)")
        out.append("Size:           \(r.size) bytes (\(r.size / Int64(max(1, r.sectorSize))) sectors of \(r.sectorSize) bytes)")
        if let e = r.ewf {
            out.append("")
            out.append("Acquisition (E01)")
            let fields: [(String, String?)] = [
                ("Case number", e.caseNumber), ("Evidence number", e.evidenceNumber), ("Examiner", e.examiner),
                ("Description", e.description), ("Notes", e.notes), ("Acquisition date", e.acquisitionDate),
                ("System date", e.systemDate), ("Acquisition OS", e.acquisitionOS),
                ("Software", e.acquisitionSoftware), ("Model", e.model), ("Serial number", e.serialNumber),
                ("Compression", e.compression), ("Chunk size", e.chunkSize.map { "\($0) bytes" }),
                ("Stored MD5", e.storedMD5), ("Stored SHA-1", e.storedSHA1),
            ]
            for (name, value) in fields {
                guard let value else { continue }
                out.append("  " + (name + ":").padded(18) + value)
            }
        }
        out.append("")
        if let vs = r.volumeSystem {
            out.append("Partition table: \(vs.description) (units of \(vs.blockSize)-byte sectors)")
            out.append("      Slot      Start        End          Length       Description")
            out.append(contentsOf: r.mmlsRows())
        } else {
            out.append("Partition table: none (file system at sector 0)")
        }
        out.append("")
        if r.fileSystems.isEmpty {
            out.append("File systems:   none recognised")
        } else {
            out.append("File systems")
            for fs in r.fileSystems {
                var line = "  sector \(fs.info.sectorOffset)"
                if let volume = fs.poolVolume { line += " pool volume \(volume)" }
                line += ": \(fs.info.typeDescription ?? fs.info.type)"
                line += ", \(fs.info.blockSize)-byte blocks × \(fs.info.blockCount)"
                if let label = fs.info.label { line += ", label \"\(label)\"" }
                if let id = fs.info.volumeID { line += ", id \(id)" }
                out.append(line)
            }
        }
        for issue in r.issues where issue.severity == .note {
            out.append("  (\(issue.message), partition \(issue.partition.map(String.init) ?? "-"))")
        }
        return out
    }
}

extension String {
    func padded(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
