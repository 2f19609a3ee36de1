import Crypto
import Foundation

/// The result of hashing a whole media and comparing it with what the
/// container stored at acquisition time.
public struct MediaVerification: Sendable, Codable {
    public enum Verdict: String, Sendable, Codable {
        /// Every stored digest equals the computed one.
        case verified
        /// A stored digest differs, or chunks failed their checksum, or reads failed.
        case mismatch
        /// Nothing stored to compare with (raw images): only computed digests.
        case noStoredHash = "no-stored-hash"
    }

    public var verdict: Verdict
    public var bytesRead: Int64
    public var computedMD5: String
    /// Computed when a SHA-1 is stored or expected, or when nothing is stored.
    public var computedSHA1: String?
    public var storedMD5: String?
    public var storedSHA1: String?
    /// Sector ranges whose EWF chunk failed its checksum.
    public var checksumErrors: [SectorRange]
    /// Reads that failed outright; their bytes were hashed as zeros.
    public var readErrors: [ReadFailure]

    public struct ReadFailure: Sendable, Codable {
        public var offset: Int64
        public var length: Int
        public var message: String
    }
}

extension MediaVerification {
    /// Judges computed digests against the stored ones: verified only when
    /// every stored digest matches and nothing failed to read or checksum.
    public init(computedMD5: String, computedSHA1: String?, storedMD5: String?, storedSHA1: String?,
                bytesRead: Int64, checksumErrors: [SectorRange], readErrors: [ReadFailure]) {
        var verdict: Verdict
        if storedMD5 == nil && storedSHA1 == nil {
            verdict = .noStoredHash
        } else {
            let md5OK = storedMD5.map { $0 == computedMD5 } ?? true
            let sha1OK = storedSHA1.map { $0 == computedSHA1 ?? "" } ?? true
            verdict = md5OK && sha1OK ? .verified : .mismatch
        }
        if !checksumErrors.isEmpty || !readErrors.isEmpty, verdict == .verified || verdict == .noStoredHash {
            verdict = .mismatch
        }
        self.init(verdict: verdict, bytesRead: bytesRead, computedMD5: computedMD5, computedSHA1: computedSHA1,
                  storedMD5: storedMD5, storedSHA1: storedSHA1, checksumErrors: checksumErrors, readErrors: readErrors)
    }
}

/// Computes MD5 and SHA-1 over an image's media in one pass and compares
/// them with the stored digests (what `ewfverify` does).
///
/// The media is read in stripes by one reader per core (for EWF each reader
/// has its own libewf handle, so chunks inflate in parallel) while this thread
/// digests the stripes in order. At most `window` stripes are in memory.
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
    public func verify(_ image: any ImageSource,
                       expectedMD5: String? = nil, expectedSHA1: String? = nil,
                       progress: (@Sendable (Int64, Int64) -> Void)? = nil) throws(EvidenceError) -> MediaVerification {
        let stored = (image as? EWFImage)?.metadata
        let storedMD5 = expectedMD5?.lowercased() ?? stored?.storedMD5
        let storedSHA1 = expectedSHA1?.lowercased() ?? stored?.storedSHA1

        var sources: [any ImageSource] = [image]
        if let ewf = image as? EWFImage {
            for _ in 1..<readers { sources.append(try ewf.clone()) }
        } else {
            for _ in 1..<readers { sources.append(image) }
        }

        // SHA-1 runs on its own thread, beside MD5, when there is one to compare
        // with or nothing stored at all (raw images: report both).
        let wantSHA1 = storedSHA1 != nil || storedMD5 == nil
        var md5 = Insecure.MD5()
        let sha1 = wantSHA1 ? SHA1Worker() : nil
        let pipeline = StripePipeline(size: image.size, stripeSize: stripeSize, window: window,
                                      extraBuffers: sha1 == nil ? 0 : SHA1Worker.backlog)
        var failures: [MediaVerification.ReadFailure] = []
        pipeline.run(sources: sources) { stripe in
            md5.update(bufferPointer: stripe.bytes)
            failures.append(contentsOf: stripe.failures)
            if let sha1 {
                sha1.update(stripe.bytes) { pipeline.recycle(stripe) }
            } else {
                pipeline.recycle(stripe)
            }
            progress?(stripe.offset + Int64(stripe.length), image.size)
        }
        let sha1Digest = sha1?.finish()

        var checksumErrors: [SectorRange] = []
        for source in sources {
            if let ewf = source as? EWFImage { checksumErrors.append(contentsOf: ewf.checksumErrors()) }
        }
        checksumErrors = SectorRange.merged(checksumErrors)

        return MediaVerification(computedMD5: md5.finalize().map { String(format: "%02x", $0) }.joined(),
                                 computedSHA1: sha1Digest, storedMD5: storedMD5, storedSHA1: storedSHA1,
                                 bytesRead: image.size, checksumErrors: checksumErrors, readErrors: failures)
    }
}

/// SHA-1 on a thread of its own: stripes arrive in order, at most `backlog` waiting.
final class SHA1Worker: @unchecked Sendable {
    static let backlog = 4
    private var digest = Insecure.SHA1()
    private let queue = DispatchQueue(label: "exhume.verify.sha1")
    private let slots = DispatchSemaphore(value: SHA1Worker.backlog)

    /// Hashes `bytes` asynchronously, then calls `done` (which may free them).
    func update(_ bytes: UnsafeRawBufferPointer, done: @escaping @Sendable () -> Void) {
        slots.wait()
        nonisolated(unsafe) let bytes = bytes
        queue.async { [self] in
            digest.update(bufferPointer: bytes)
            done()
            slots.signal()
        }
    }

    func finish() -> String {
        queue.sync { digest.finalize().map { String(format: "%02x", $0) }.joined() }
    }
}

/// One stripe of media read by a pipeline reader, in a buffer of the pipeline's pool.
struct Stripe: @unchecked Sendable {
    var index: Int
    var offset: Int64
    var length: Int
    /// The stripe's bytes; valid until the stripe is recycled.
    var bytes: UnsafeRawBufferPointer
    var failures: [MediaVerification.ReadFailure]
    fileprivate var buffer: UnsafeMutableRawBufferPointer
}

/// Reads a media in fixed stripes with several readers and hands the stripes
/// to a consumer in media order, with at most `window` stripes read ahead.
///
/// Buffers come from a fixed pool (allocated once, so no page faults per
/// stripe): `window` for reading ahead plus `extraBuffers` for stripes the
/// consumer still holds after `consume` returns; it hands them back with
/// ``recycle(_:)``. Memory is bounded by the pool.
final class StripePipeline: @unchecked Sendable {
    private let size: Int64
    private let stripeSize: Int
    private let window: Int
    private let stripeCount: Int
    private let condition = NSCondition()
    private var ready: [Int: Stripe] = [:]
    private var consumed = 0
    private var free: [UnsafeMutableRawBufferPointer] = []
    private var all: [UnsafeMutableRawBufferPointer] = []

    init(size: Int64, stripeSize: Int, window: Int, extraBuffers: Int = 0) {
        self.size = size
        self.stripeSize = stripeSize
        self.window = window
        self.stripeCount = Int((size + Int64(stripeSize) - 1) / Int64(stripeSize))
        let count = min(window + extraBuffers, max(1, stripeCount))
        for _ in 0..<count {
            all.append(UnsafeMutableRawBufferPointer.allocate(byteCount: stripeSize, alignment: 4096))
        }
        free = all
    }

    deinit {
        for buffer in all { buffer.deallocate() }
    }

    /// Returns a stripe's buffer to the pool.
    func recycle(_ stripe: Stripe) {
        condition.lock()
        free.append(stripe.buffer)
        condition.broadcast()
        condition.unlock()
    }

    func run(sources: [any ImageSource], consume: (Stripe) -> Void) {
        let readers = sources.count
        let group = DispatchGroup()
        for (k, source) in sources.enumerated() {
            group.enter()
            Thread.detachNewThread { [self] in
                defer { group.leave() }
                var index = k
                while index < stripeCount {
                    condition.lock()
                    while index - consumed >= window || free.isEmpty { condition.wait() }
                    let buffer = free.removeLast()
                    condition.unlock()
                    let stripe = read(index, from: source, into: buffer)
                    condition.lock()
                    ready[index] = stripe
                    condition.broadcast()
                    condition.unlock()
                    index += readers
                }
            }
        }
        for index in 0..<stripeCount {
            condition.lock()
            while ready[index] == nil { condition.wait() }
            let stripe = ready.removeValue(forKey: index)!
            condition.unlock()
            consume(stripe)
            condition.lock()
            consumed = index + 1
            condition.broadcast()
            condition.unlock()
        }
        group.wait()
    }

    private func read(_ index: Int, from source: any ImageSource, into buffer: UnsafeMutableRawBufferPointer) -> Stripe {
        let offset = Int64(index) * Int64(stripeSize)
        let length = Int(min(Int64(stripeSize), size - offset))
        let failures = source.fill(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<length]), at: offset)
        return Stripe(index: index, offset: offset, length: length,
                      bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<length]), failures: failures, buffer: buffer)
    }
}

extension ImageSource {
    /// Reads `buffer.count` bytes at `offset` whatever happens: bytes that cannot
    /// be read are zeros, and the returned failures say which (found sector by
    /// sector after a failed read, so one bad chunk does not hide the rest).
    func fill(_ buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> [MediaVerification.ReadFailure] {
        let length = buffer.count
        var failures: [MediaVerification.ReadFailure] = []
        var done = 0
        var sectorAtATime = false
        while done < length {
            let step = sectorAtATime ? min(sectorSize, length - done) : length - done
            do {
                let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done..<(done + step)]),
                                 at: offset + Int64(done))
                if n <= 0 {
                    failures.append(.init(offset: offset + Int64(done), length: length - done, message: "media ended early"))
                    memset(buffer.baseAddress! + done, 0, length - done)
                    break
                }
                done += n
            } catch {
                if !sectorAtATime {
                    sectorAtATime = true
                    continue
                }
                let at = offset + Int64(done)
                if let last = failures.last, last.offset + Int64(last.length) == at {
                    failures[failures.count - 1].length += step
                } else {
                    failures.append(.init(offset: at, length: step, message: error.description))
                }
                memset(buffer.baseAddress! + done, 0, step)
                done += step
            }
        }
        return failures
    }
}
