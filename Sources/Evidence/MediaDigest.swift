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
    public var computedSHA1: String
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

        var md5 = Insecure.MD5()
        var sha1 = Insecure.SHA1()
        let pipeline = StripePipeline(size: image.size, stripeSize: stripeSize, window: window)
        var failures: [MediaVerification.ReadFailure] = []
        pipeline.run(sources: sources) { stripe in
            stripe.bytes.withUnsafeBytes { raw in
                let slice = UnsafeRawBufferPointer(rebasing: raw[0..<stripe.length])
                md5.update(bufferPointer: slice)
                sha1.update(bufferPointer: slice)
            }
            failures.append(contentsOf: stripe.failures)
            progress?(stripe.offset + Int64(stripe.length), image.size)
        }

        var checksumErrors: [SectorRange] = []
        for source in sources {
            if let ewf = source as? EWFImage { checksumErrors.append(contentsOf: ewf.checksumErrors()) }
        }
        checksumErrors = Array(Set(checksumErrors)).sorted { $0.start < $1.start }

        let computedMD5 = md5.finalize().map { String(format: "%02x", $0) }.joined()
        let computedSHA1 = sha1.finalize().map { String(format: "%02x", $0) }.joined()
        var verdict: MediaVerification.Verdict
        if storedMD5 == nil && storedSHA1 == nil {
            verdict = .noStoredHash
        } else {
            let md5OK = storedMD5.map { $0 == computedMD5 } ?? true
            let sha1OK = storedSHA1.map { $0 == computedSHA1 } ?? true
            verdict = md5OK && sha1OK ? .verified : .mismatch
        }
        if !checksumErrors.isEmpty || !failures.isEmpty, verdict == .verified || verdict == .noStoredHash {
            verdict = .mismatch
        }
        return MediaVerification(verdict: verdict, bytesRead: image.size,
                                 computedMD5: computedMD5, computedSHA1: computedSHA1,
                                 storedMD5: storedMD5, storedSHA1: storedSHA1,
                                 checksumErrors: checksumErrors, readErrors: failures)
    }
}

/// One stripe of media read by a pipeline reader.
struct Stripe {
    var index: Int
    var offset: Int64
    var length: Int
    var bytes: [UInt8]
    var failures: [MediaVerification.ReadFailure]
}

/// Reads a media in fixed stripes with several readers and hands the stripes
/// to a consumer in media order, with at most `window` stripes in flight.
final class StripePipeline: @unchecked Sendable {
    private let size: Int64
    private let stripeSize: Int
    private let window: Int
    private let stripeCount: Int
    private let condition = NSCondition()
    private var ready: [Int: Stripe] = [:]
    private var consumed = 0

    init(size: Int64, stripeSize: Int, window: Int) {
        self.size = size
        self.stripeSize = stripeSize
        self.window = window
        self.stripeCount = Int((size + Int64(stripeSize) - 1) / Int64(stripeSize))
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
                    while index - consumed >= window { condition.wait() }
                    condition.unlock()
                    let stripe = read(index, from: source)
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

    private func read(_ index: Int, from source: any ImageSource) -> Stripe {
        let offset = Int64(index) * Int64(stripeSize)
        let length = Int(min(Int64(stripeSize), size - offset))
        var bytes = [UInt8](repeating: 0, count: length)
        var failures: [MediaVerification.ReadFailure] = []
        bytes.withUnsafeMutableBytes { buffer in
            var done = 0
            var sectorAtATime = false
            while done < length {
                let step = sectorAtATime ? min(source.sectorSize, length - done) : length - done
                do {
                    let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[done..<(done + step)]),
                                            at: offset + Int64(done))
                    if n <= 0 {
                        failures.append(.init(offset: offset + Int64(done), length: length - done, message: "media ended early"))
                        break
                    }
                    done += n
                } catch {
                    if !sectorAtATime {
                        // Find the bad sectors precisely: one bad chunk must not hide the rest of the stripe.
                        sectorAtATime = true
                        continue
                    }
                    let at = offset + Int64(done)
                    if let last = failures.last, last.offset + Int64(last.length) == at {
                        failures[failures.count - 1].length += step
                    } else {
                        let message = (error as? EvidenceError)?.description ?? "\(error)"
                        failures.append(.init(offset: at, length: step, message: message))
                    }
                    memset(buffer.baseAddress! + done, 0, step)
                    done += step
                }
            }
        }
        return Stripe(index: index, offset: offset, length: length, bytes: bytes, failures: failures)
    }
}
