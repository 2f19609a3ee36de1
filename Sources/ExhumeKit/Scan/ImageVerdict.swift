import CaseStore
import Evidence
import Foundation
import Hashing
import Synchronization

/// The last phase of an image's scan: the media's own digests against those
/// stored at acquisition, the image's status, and what to tell the analyst.
/// Chunks that failed their checksum while the image was read did not stop the
/// scan (their bytes are what libewf returned): the status says `complete-with-errors`.
enum ImageVerdict {
    static func judge(_ opened: OpenedImage, digest: ImageDigest, readers: [any ImageSource],
                      readFailures: [MediaVerification.ReadFailure], context: ScanContext,
                      into summary: inout ScanJob.ImageSummary) throws {
        let source = opened.exam.source
        var checksumErrors = source.checksumErrors()
        for reader in readers where reader !== source { checksumErrors += reader.checksumErrors() }
        checksumErrors = SectorRange.merged(checksumErrors)
        let stored = source.acquisition
        let verification = MediaVerification(computedMD5: digest.md5, computedSHA1: digest.sha1, storedMD5: stored?.storedMD5,
                                             storedSHA1: digest.sha1 == nil ? nil : stored?.storedSHA1,
                                             bytesRead: source.size, checksumErrors: checksumErrors, readErrors: readFailures)
        func warn(_ message: String) {
            summary.issues.append(Issue(severity: .warning, image: source.path, partition: nil, sectorOffset: nil,
                                        message: message))
        }
        var status = ImageStatus.complete
        if !checksumErrors.isEmpty {
            status = .completeWithErrors
            let ranges = checksumErrors.map { "\($0.start)–\($0.start + $0.count - 1)" }.joined(separator: ", ")
            warn("EWF chunks failed their checksum at sectors \(ranges); their bytes were read as libewf returned them")
        }
        for failure in verification.readErrors {
            warn("cannot read bytes \(failure.offset)…\(failure.offset + Int64(failure.length)): \(failure.message)")
        }
        if verification.verdict == .mismatch, checksumErrors.isEmpty, verification.readErrors.isEmpty {
            warn("the image's computed hash (MD5 \(digest.md5)) differs from the one stored at acquisition (MD5 \(stored?.storedMD5 ?? "none"))")
        }
        summary.verification = verification
        try context.database.setImageStatus(opened.imageID, status: status, computedMD5: digest.md5,
                                            computedSHA1: digest.sha1, verification: VerificationVerdict(verification.verdict))
    }
}

/// `EXHUME_STREAM_STATS`: how the stream and the MD5 engine spent their time
/// (for tuning; README, exhume-bench).
enum StreamStatistics {
    static func report(_ stream: MediaStream, files: FileReading, twins: CarvedTwins?) {
        guard PhaseClock.enabled else { return }
        let c = stream.counts
        func ms(_ seconds: Double) -> String { "\(Int(seconds * 1000)) ms" }
        let holders = c.blockedBy.sorted { $0.key < $1.key }
            .map { "\($0.key == 0 ? "image digest" : $0.key == 1 ? "files" : "carver") \(ms($0.value))" }
        let lines = [
            "stream: \(c.windowBytes >> 20) MiB read from the window, \(c.fallbackBytes >> 20) MiB straight from the image",
            "stream: readers waited \(ms(c.readersBlocked)) for room (held by: \(holders.joined(separator: ", "))), "
                + "the image digest \(ms(c.inOrderWaiting)) for stripes, the files' reader \(ms(c.waitingByCursor[1] ?? 0)) "
                + "and the carver \(ms(c.waitingByCursor[2] ?? 0)) for stripes",
            "lanes: the files' reader waited \(ms(files.waitedForLanes)) for chunks to come back",
            "md5 engine: idle \(ms(PairedMD5.shared.idle)), on a core \(ms(PairedMD5.shared.cpu)); MiB hashed alone / in pairs: "
                + PairedMD5.shared.bytesByWidth.map { "\($0 >> 20)" }.joined(separator: " / "),
            "carved twins of deleted files (digests taken from the file): \(twins?.adopted ?? 0)",
            "chunks inflated by libdeflate so far: \(Inflate.calls)",
        ]
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
