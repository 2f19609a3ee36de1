import ArgumentParser
import Evidence
import ExhumeKit

extension Exhume {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the media's MD5 and SHA-1 and compare them with the hashes stored in the E01.",
            discussion: "Exit 0 when every stored hash matches, 1 when not (or chunks fail their checksum), 65 for an unreadable image, 66 for a missing file.")

        @Argument(help: "The image (.E01, raw, split raw).")
        var image: String

        @Option(name: .customLong("md5"), help: ArgumentHelp("Compare with this MD5 instead of (or, for raw images, in the absence of) a stored one.", valueName: "HEX"))
        var expectedMD5: String?

        @Option(name: .customLong("sha1"), help: ArgumentHelp("Compare with this SHA-1.", valueName: "HEX"))
        var expectedSHA1: String?

        @Flag(help: "Print one JSON object, whatever the outcome.")
        var json = false

        func validate() throws {
            if let md5 = expectedMD5, md5.count != 32 || !md5.allSatisfy(\.isHexDigit) {
                throw ValidationError("--md5 needs 32 hexadecimal digits")
            }
            if let sha1 = expectedSHA1, sha1.count != 40 || !sha1.allSatisfy(\.isHexDigit) {
                throw ValidationError("--sha1 needs 40 hexadecimal digits")
            }
        }

        func run() throws {
            let source: any ImageSource
            do {
                source = try Image.open(image)
            } catch {
                if json { emitFailure(error) }
                throw Diagnostics.fail(ExhumeError(error))
            }
            for problem in (source as? EWFImage)?.integrityProblems ?? [] {
                Diagnostics.print("exhume: warning: \(problem)")
            }
            let bar = ProgressBar(label: "verify")
            let result: MediaVerification
            do {
                result = try MediaVerifier().verify(source, expectedMD5: expectedMD5, expectedSHA1: expectedSHA1) { done, total in
                    bar.update(done: done, total: total)
                }
            } catch {
                if json { emitFailure(error) }
                throw Diagnostics.fail(ExhumeError(error))
            }
            let out = OutputSink()
            if json {
                out.line(VerifyReport.json(result, source: source))
            } else {
                for line in VerifyReport.text(result, source: source) { out.line(line) }
            }
            do { try out.flush() } catch { throw Diagnostics.fail(error) }
            if result.verdict == .mismatch { throw ExitCode(1) }
        }

        private func emitFailure(_ error: EvidenceError) {
            var o = JSONLine()
            o.add("image", image)
            o.add("verdict", "unreadable")
            o.add("error", error.description)
            let out = OutputSink()
            out.line(o.finished())
            try? out.flush()
        }
    }
}

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
