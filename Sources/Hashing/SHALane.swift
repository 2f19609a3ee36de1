import CDigest
import Crypto

/// The SHA-1 and SHA-256 of one stream (not `Sendable`: a state per thread), the
/// partner of an ``MD5Lane`` on another thread: both in one pass with the
/// CPU's SHA extensions where it has them (`exhume_sha`: their round chains
/// overlap, ≈ 1.6 GB/s for the pair here against ≈ 0.93 GB/s one after the
/// other), swift-crypto otherwise.
///
/// A lane made with `sha256: false` computes SHA-1 alone (swift-crypto, which
/// uses the SHA extensions too): for an image's SHA-1, where a SHA-256 would
/// be thrown away, it costs about half as much as the pair.
public struct SHALane {
    private static let fusedAvailable = exhume_sha_available() == 1
    // Exactly one of the three is in use.
    private var fused: SHAContext?
    private var crypto: (sha1: Insecure.SHA1, sha256: SHA256)?
    private var sha1Alone: Insecure.SHA1?

    /// A lane for SHA-1 and SHA-256, or for SHA-1 alone.
    public init(sha256: Bool = true) {
        if !sha256 {
            sha1Alone = Insecure.SHA1()
        } else if SHALane.fusedAvailable {
            fused = SHAContext()
        } else {
            crypto = (Insecure.SHA1(), SHA256())
        }
    }

    /// Feeds `bytes` to the stream.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        if fused != nil {
            if !isKnownUniquelyReferenced(&fused!) { fused = fused!.copy() }
            exhume_sha_update(fused!.raw, bytes.baseAddress, bytes.count)
        } else if crypto != nil {
            crypto!.sha1.update(bufferPointer: bytes)
            crypto!.sha256.update(bufferPointer: bytes)
        } else {
            sha1Alone!.update(bufferPointer: bytes)
        }
    }

    /// The digests of what was fed so far; `sha256` is empty for a lane made with `sha256: false`.
    public func finalize() -> (sha1: [UInt8], sha256: [UInt8]) {
        if let fused { return fused.digests() }
        if let crypto { return (Array(crypto.sha1.finalize()), Array(crypto.sha256.finalize())) }
        return (Array(sha1Alone!.finalize()), [])
    }
}

/// One `exhume_sha` state, copied on write by ``SHALane``.
typealias SHAContext = CState<exhume_sha>

extension CState where State == exhume_sha {
    convenience init() { self.init { exhume_sha_init($0) } }

    /// The digests of what was fed so far; the state itself goes on.
    func digests() -> (sha1: [UInt8], sha256: [UInt8]) {
        var finished = raw.pointee
        var one = [UInt8](repeating: 0, count: 20), two = [UInt8](repeating: 0, count: 32)
        exhume_sha_final(&finished, &one, &two)
        return (one, two)
    }
}
