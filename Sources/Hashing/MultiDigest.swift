import CDigest
import Crypto

/// MD5, SHA-1 and SHA-256 of one stream, computed in a single pass over its
/// chunks (not `Sendable`: swift-crypto's hash states are not; use one per thread) (swift-crypto; measured here: as fast as OpenSSL's libcrypto, 3
/// digests ≈ 420 MB/s on one core, MD5 alone ≈ 770 MB/s).
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

/// The SHA-1 and SHA-256 part of a ``MultiDigest``.
public struct SHALane {
    private var sha1 = Insecure.SHA1()
    private var sha256 = SHA256()
    public init() {}
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        sha1.update(bufferPointer: bytes)
        sha256.update(bufferPointer: bytes)
    }
    public func finalize() -> (sha1: [UInt8], sha256: [UInt8]) {
        (Array(sha1.finalize()), Array(sha256.finalize()))
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
