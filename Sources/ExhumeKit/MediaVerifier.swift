import Evidence
import Foundation
import Hashing

/// Computes MD5 and SHA-1 over an image's media in one pass and compares
/// them with the stored digests (what `ewfverify` does).
///
/// It reads and hashes the way a scan does, with the same parts: the media
/// goes through a ``MediaStream`` (stripes filled by one reader per core; for
/// EWF each reader has its own libewf handle, so chunks inflate in parallel;
/// unreadable bytes are zeros, located to the sector), MD5 through an
/// ``MD5Lane`` (the ``PairedMD5`` engine thread) and SHA-1 through a
/// ``SHALane`` on a thread of its own beside it. At most `window` stripes are
/// in memory.
public struct MediaVerifier: Sendable {
    public var stripeSize: Int
    public var readers: Int
    public var window: Int

    public init(stripeSize: Int = 4 << 20, readers: Int = 2, window: Int = 8) {
        self.stripeSize = stripeSize
        self.readers = max(1, readers)
        self.window = max(self.readers, window)
    }

    /// Hashes `image` and compares with `expectedMD5`/`expectedSHA1` or, when
    /// those are nil, with the digests stored in the image (E01).
    ///
    /// - Parameter progress: called on the calling thread after each stripe
    ///   with the bytes hashed so far and the media size.
    public func verify(_ image: any ImageSource,
                       expectedMD5: String? = nil, expectedSHA1: String? = nil,
                       progress: (@Sendable (Int64, Int64) -> Void)? = nil) throws(EvidenceError) -> MediaVerification {
        let stored = image.acquisition
        let storedMD5 = expectedMD5?.lowercased() ?? stored?.storedMD5
        let storedSHA1 = expectedSHA1?.lowercased() ?? stored?.storedSHA1

        var sources: [any ImageSource] = [image]
        for _ in 1..<readers { sources.append(try image.parallelReader()) }
        let stream = MediaStream(readers: sources, fallback: image, stripeSize: stripeSize, window: window)

        // SHA-1 when there is one to compare with, or nothing stored at all
        // (raw images: report both).
        let sha1 = storedSHA1 != nil || storedMD5 == nil ? LaneBeside() : nil
        var md5 = MD5Lane()
        stream.run { offset, bytes in
            sha1?.start(bytes)
            md5.update(bytes)
            // The stream frees the stripe when this returns: SHA-1 must be done with it.
            sha1?.wait()
            progress?(offset + Int64(bytes.count), image.size)
        }

        var checksumErrors: [SectorRange] = []
        for source in sources { checksumErrors.append(contentsOf: source.checksumErrors()) }
        return MediaVerification(computedMD5: Digests.hex(md5.finalize()), computedSHA1: sha1?.finish(),
                                 storedMD5: storedMD5, storedSHA1: storedSHA1, bytesRead: image.size,
                                 checksumErrors: SectorRange.merged(checksumErrors), readErrors: stream.readFailures)
    }
}

/// A ``SHALane`` fed on a thread of its own, one stripe at a time, while the
/// caller's thread hands the same stripe to the MD5 engine.
private final class LaneBeside: @unchecked Sendable {
    // Touched only on `queue`.
    private var lane = SHALane(sha256: false)
    private let queue = DispatchQueue(label: "exhume.verify.sha1")
    private let done = DispatchSemaphore(value: 0)

    /// Starts hashing `bytes`, which must stay valid until ``wait()`` returns.
    func start(_ bytes: UnsafeRawBufferPointer) {
        nonisolated(unsafe) let bytes = bytes
        queue.async { [self] in
            lane.update(bytes)
            done.signal()
        }
    }

    /// Returns when the bytes given to ``start(_:)`` are hashed.
    func wait() {
        done.wait()
    }

    /// The SHA-1 in lower-case hex.
    func finish() -> String {
        queue.sync { Digests.hex(lane.finalize().sha1) }
    }
}
