/// The digest algorithms a known-hash set can carry.
public enum DigestKind: String, Sendable, Hashable, CaseIterable, Comparable {
    case md5
    case sha1
    case sha256

    /// Digest length in bytes: 16, 20 or 32.
    public var byteCount: Int {
        switch self {
        case .md5: 16
        case .sha1: 20
        case .sha256: 32
        }
    }

    /// The kind whose hex form has `hexLength` digits (32, 40 or 64), or nil.
    public init?(hexLength: Int) {
        switch hexLength {
        case 32: self = .md5
        case 40: self = .sha1
        case 64: self = .sha256
        default: return nil
        }
    }

    /// The kind named by a column or key such as `MD5`, `sha-1`, `SHA256` (case-insensitive).
    public init?(name: some StringProtocol) {
        switch name.lowercased().filter({ $0 != "-" && $0 != "_" && $0 != " " }) {
        case "md5": self = .md5
        case "sha1": self = .sha1
        case "sha256": self = .sha256
        default: return nil
        }
    }

    public static func < (lhs: DigestKind, rhs: DigestKind) -> Bool {
        lhs.byteCount < rhs.byteCount
    }
}
