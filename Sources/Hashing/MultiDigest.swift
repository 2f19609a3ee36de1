import CDigest
import Crypto

/// MD5, SHA-1 and SHA-256 of one stream, computed in a single pass over its
/// chunks (not `Sendable`: the states are per thread). MD5 goes to the
/// ``PairedMD5`` engine, SHA-1 and SHA-256 are computed together (``SHALane``).
///
/// For two cores, feed ``MD5Lane`` and ``SHALane`` from different threads:
/// MD5 is the slow one, so it gets a core of its own.
public struct MultiDigest {
    private var md5 = MD5Lane()
    private var sha = SHALane()

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        md5.update(bytes)
        sha.update(bytes)
    }

    public func finalize() -> Digests {
        let (sha1, sha256) = sha.finalize()
        return Digests(md5: md5.finalize(), sha1: sha1, sha256: sha256)
    }
}

/// The MD5 part of a ``MultiDigest``: our own MD5 (``PairedMD5``), which
/// hashes two threads' streams at once on one core when two are busy.
public struct MD5Lane {
    private var context = MD5Context()
    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        if !isKnownUniquelyReferenced(&context) { context = context.copy() }
        PairedMD5.shared.update(context.raw, bytes)
    }

    public func finalize() -> [UInt8] { context.digest() }
}

/// The SHA-1 and SHA-256 part of a ``MultiDigest``: both in one pass with the
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

    public init(sha256: Bool = true) {
        if !sha256 {
            sha1Alone = Insecure.SHA1()
        } else if SHALane.fusedAvailable {
            fused = SHAContext()
        } else {
            crypto = (Insecure.SHA1(), SHA256())
        }
    }

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

/// The three digests of one item.
public struct Digests: Sendable, Hashable, Codable {
    public var md5: [UInt8]
    public var sha1: [UInt8]
    public var sha256: [UInt8]

    public init(md5: [UInt8], sha1: [UInt8], sha256: [UInt8]) {
        self.md5 = md5
        self.sha1 = sha1
        self.sha256 = sha256
    }

    public var md5Hex: String { Digests.hex(md5) }
    public var sha1Hex: String { Digests.hex(sha1) }
    public var sha256Hex: String { Digests.hex(sha256) }

    /// Lower-case hex.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
