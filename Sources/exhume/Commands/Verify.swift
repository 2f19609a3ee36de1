import ArgumentParser
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
            var job = VerifyJob(image: image)
            job.expectedMD5 = expectedMD5
            job.expectedSHA1 = expectedSHA1
            job.json = json
            let outcome = job.run(warning: { Diagnostics.print("exhume: warning: \($0)") },
                                  progress: ProgressBar.start("verify"))
            let out = OutputSink()
            for line in outcome.lines { out.line(line) }
            if let error = outcome.error {
                try? out.flush()
                throw Diagnostics.fail(error)
            }
            do { try out.flush() } catch { throw Diagnostics.fail(error) }
            if outcome.mismatch { throw ExitStatus.mismatch.exitCode }
        }
    }
}
