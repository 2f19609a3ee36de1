import CaseStore
import Crypto

/// Provenance keys of items a case already holds (a resumed scan skips them,
/// a rescan does not export them again), kept as 128-bit digests: about 25
/// bytes a key in memory instead of the 100–200 of the key itself, so that a
/// resumed scan of a million-file disk does not hold a million paths. The
/// digest is SHA-256's first half: keys hold names from the image, which an
/// attacker chooses, and a crafted collision must not make a scan skip a file.
public struct RecordedKeys: Sendable {
    private struct Digest: Hashable, Sendable {
        var high: UInt64
        var low: UInt64
    }

    private var digests = Set<Digest>()

    public init() {}

    /// The keys of `image` in `database` (those with an exported file with `exportedOnly`).
    init(_ database: CaseDatabase, image: Int64, exportedOnly: Bool) throws {
        try database.forEachItemKey(image: image, exportedOnly: exportedOnly) { insert($0) }
    }

    public var count: Int { digests.count }
    public var isEmpty: Bool { digests.isEmpty }

    public mutating func insert(_ key: String) { digests.insert(Self.digest(key)) }

    public func contains(_ key: String) -> Bool { !digests.isEmpty && digests.contains(Self.digest(key)) }

    private static func digest(_ key: String) -> Digest {
        SHA256.hash(data: Array(key.utf8)).withUnsafeBytes { raw in
            Digest(high: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                   low: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }
}
