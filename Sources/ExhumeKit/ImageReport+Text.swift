import Evidence

extension ImageReport {
    /// `exhume info`: the report as text, or as one JSON object.
    public func write(json: Bool, to out: OutputSink) {
        if json {
            out.line(self.json())
        } else {
            for line in textLines() { out.line(line) }
        }
    }

    /// The report as `exhume info` prints it: the image, its acquisition data, the
    /// partition table as `mmls` prints it, the file systems.
    public func textLines() -> [String] {
        var out: [String] = []
        out.append("Image:          \(path)")
        if files.count > 1 { out.append("Segments:       \(files.count) (\(files.last!))") }
        out.append("Format:         \(format)")
        out.append("Size:           \(size) bytes (\(size / Int64(max(1, sectorSize))) sectors of \(sectorSize) bytes)")
        if let ewf { out += acquisitionLines(ewf) }
        out.append("")
        if let vs = volumeSystem {
            out.append("Partition table: \(vs.description) (units of \(vs.blockSize)-byte sectors)")
            out.append("      Slot      Start        End          Length       Description")
            out.append(contentsOf: mmlsRows())
        } else {
            out.append("Partition table: none (file system at sector 0)")
        }
        out.append("")
        out += fileSystemLines()
        for issue in issues where issue.severity == .note {
            out.append("  (\(issue.message), partition \(issue.partition.map(String.init) ?? "-"))")
        }
        return out
    }

    private func acquisitionLines(_ e: EWFMetadata) -> [String] {
        var out = ["", "Acquisition (E01)"]
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
        return out
    }

    private func fileSystemLines() -> [String] {
        guard !fileSystems.isEmpty else { return ["File systems:   none recognised"] }
        var out = ["File systems"]
        for fs in fileSystems {
            var line = "  sector \(fs.info.sectorOffset)"
            if let volume = fs.poolVolume { line += " pool volume \(volume)" }
            line += ": \(fs.info.typeDescription ?? fs.info.type)"
            line += ", \(fs.info.blockSize)-byte blocks × \(fs.info.blockCount)"
            if let label = fs.info.label { line += ", label \"\(label)\"" }
            if let id = fs.info.volumeID { line += ", id \(id)" }
            out.append(line)
        }
        return out
    }
}

extension String {
    /// Padded with spaces to `width`, or followed by one space when already that long.
    func padded(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
