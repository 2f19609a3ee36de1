import Evidence

/// `exhume verify`: the media read once, its MD5 (and SHA-1) compared with the
/// hashes stored at acquisition or given on the command line (``MediaVerifier``).
public struct VerifyJob: Sendable {
    public var image: String
    public var expectedMD5: String?
    public var expectedSHA1: String?
    /// One JSON object on standard output, whatever the outcome.
    public var json = false

    public init(image: String) {
        self.image = image
    }

    /// What verify ends with: standard output's lines (the report, or with `--json`
    /// the failure's object), whether the digests mismatch (exit 1), and the error
    /// that ended it, said once the lines are written.
    public struct Outcome: Sendable {
        public var lines: [[UInt8]] = []
        public var mismatch = false
        public var error: ExhumeError?
    }

    /// Verifies the image; `warning` hears what is wrong with the evidence files as a
    /// set (a truncated segment) before the read starts.
    public func run(warning: (String) -> Void, progress: ProgressStart) -> Outcome {
        let source: any ImageSource
        let result: MediaVerification
        do {
            source = try Image.open(image)
            for problem in source.integrityProblems { warning("\(problem)") }
            result = try MediaVerifier().verify(source, expectedMD5: expectedMD5, expectedSHA1: expectedSHA1,
                                                progress: progress())
        } catch {
            return Outcome(lines: json ? [failure(error)] : [], error: ExhumeError(error))
        }
        let lines = json ? [VerifyReport.json(result, source: source)]
                         : VerifyReport.text(result, source: source).map { Array($0.utf8) }
        return Outcome(lines: lines, mismatch: result.verdict == .mismatch)
    }

    /// The `--json` object of a verification that could not be made.
    private func failure(_ error: EvidenceError) -> [UInt8] {
        var o = JSONLine()
        o.add("image", image)
        o.add("verdict", "unreadable")
        o.add("error", error.description)
        return o.finished()
    }
}

/// `exhume verify`'s report, as text lines or one JSON object.
enum VerifyReport {
    static func text(_ r: MediaVerification, source: any ImageSource) -> [String] {
        var lines = ["Image:           \(source.path) (\(source.format), \(r.bytesRead) bytes)"]
        if let md5 = r.storedMD5 { lines.append("MD5 stored:      \(md5)") }
        lines.append("MD5 computed:    \(r.computedMD5)")
        if let sha1 = r.storedSHA1 { lines.append("SHA-1 stored:    \(sha1)") }
        if let sha1 = r.computedSHA1 { lines.append("SHA-1 computed:  \(sha1)") }
        for range in r.checksumErrors {
            lines.append("Checksum error:  sectors \(range.start)–\(range.start + range.count - 1) (\(range.count) sectors, byte offset \(range.start * UInt64(source.sectorSize)))")
        }
        for failure in r.readErrors {
            lines.append("Read error:      byte offset \(failure.offset): \(failure.message)")
        }
        switch r.verdict {
        case .verified: lines.append("Result:          verified (stored hashes match)")
        case .mismatch: lines.append("Result:          MISMATCH")
        case .noStoredHash: lines.append("Result:          computed (no stored hash to compare with)")
        }
        return lines
    }

    static func json(_ r: MediaVerification, source: any ImageSource) -> [UInt8] {
        var o = JSONLine()
        o.add("image", source.path)
        o.add("format", source.format.rawValue)
        o.add("size", r.bytesRead)
        o.add("verdict", r.verdict.rawValue)
        o.add("md5", r.computedMD5)
        o.add("sha1", r.computedSHA1)
        o.add("stored_md5", r.storedMD5)
        o.add("stored_sha1", r.storedSHA1)
        o.add("md5_match", r.storedMD5.map { $0 == r.computedMD5 } ?? false)
        o.add("sha1_match", r.storedSHA1.map { $0 == r.computedSHA1 } ?? false)
        o.addRaw("checksum_errors", JSONLine.array(r.checksumErrors.map { range in
            var j = JSONLine()
            j.add("start_sector", range.start)
            j.add("sectors", range.count)
            j.add("byte_offset", range.start * UInt64(source.sectorSize))
            return j.finished()
        }))
        o.addRaw("read_errors", JSONLine.array(r.readErrors.map { f in
            var j = JSONLine()
            j.add("byte_offset", f.offset)
            j.add("length", f.length)
            j.add("message", f.message)
            return j.finished()
        }))
        return o.finished()
    }
}
