/// One entry of a known-hash set: its digests (at least one), and what the set
/// says about it. Fields a reader does not know are kept in `extra`.
public struct KnownHash: Sendable, Hashable {
    public var md5: Digest?
    public var sha1: Digest?
    public var sha256: Digest?
    /// The file name the set gives, if any.
    public var fileName: String?
    /// Size in bytes, if the set gives it.
    public var size: Int64?
    /// The set's category: a VICS or CAID category number, an ICSE label…
    public var category: String?
    /// Every other field of the entry, by the name the source uses.
    public var extra: [String: String]

    public init(md5: Digest? = nil, sha1: Digest? = nil, sha256: Digest? = nil,
                fileName: String? = nil, size: Int64? = nil, category: String? = nil,
                extra: [String: String] = [:]) {
        self.md5 = md5
        self.sha1 = sha1
        self.sha256 = sha256
        self.fileName = fileName
        self.size = size
        self.category = category
        self.extra = extra
    }

    /// The digest of `kind`, if present.
    public subscript(kind: DigestKind) -> Digest? {
        get {
            switch kind {
            case .md5: md5
            case .sha1: sha1
            case .sha256: sha256
            }
        }
        set {
            switch kind {
            case .md5: md5 = newValue
            case .sha1: sha1 = newValue
            case .sha256: sha256 = newValue
            }
        }
    }

    /// Stores `digest` in the slot of its kind.
    public mutating func set(_ digest: Digest) {
        self[digest.kind] = digest
    }

    /// The digests present, MD5 first.
    public var digests: [Digest] {
        [md5, sha1, sha256].compactMap { $0 }
    }

    /// True when the entry carries no digest at all.
    public var hasDigest: Bool {
        md5 != nil || sha1 != nil || sha256 != nil
    }
}
