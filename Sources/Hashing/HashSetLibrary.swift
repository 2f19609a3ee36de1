/// Several hash-set indexes loaded at once (`--hashset PATH[:good|:bad]`…):
/// one lookup of an item's digests returns the hits of every set.
///
/// `Sendable`: its indexes are read-only mappings.
public struct HashSetLibrary: Sendable {
    /// One loaded set and the kind it is used as.
    public struct Member: Sendable {
        public let index: HashSetIndex
        /// The kind given on the command line, else the one stored at import.
        public let kind: HashSetKind
    }

    public private(set) var members: [Member] = []

    public init() {}

    /// Opens every `PATH[:good|:bad]` spec (see ``parse(spec:)``).
    public init(specs: [String]) throws(HashSetError) {
        for spec in specs {
            let (path, kind) = Self.parse(spec: spec)
            try add(HashSetIndex(path: path), as: kind)
        }
    }

    /// Adds an opened index, used as `kind` (its stored kind when nil).
    public mutating func add(_ index: HashSetIndex, as kind: HashSetKind? = nil) {
        members.append(Member(index: index, kind: kind ?? index.kind))
    }

    /// Splits `PATH:good` / `PATH:bad` (also `:known-good`, `:known-bad`,
    /// case-insensitive); any other suffix is part of the path.
    public static func parse(spec: String) -> (path: String, kind: HashSetKind?) {
        guard let colon = spec.lastIndex(of: ":") else { return (spec, nil) }
        let suffix = spec[spec.index(after: colon)...].lowercased()
        let path = String(spec[..<colon])
        switch suffix {
        case "good", "known-good", "knowngood": return (path, .knownGood)
        case "bad", "known-bad", "knownbad": return (path, .knownBad)
        default: return (spec, nil)
        }
    }

    public var isEmpty: Bool { members.isEmpty }

    /// Every hit of the digests given, set by set in the order the sets were added.
    public func lookup(md5: Digest? = nil, sha1: Digest? = nil, sha256: Digest? = nil) -> [HashHit] {
        var out: [HashHit] = []
        for member in members {
            out.append(contentsOf: member.index.hits(md5: md5, sha1: sha1, sha256: sha256, kind: member.kind))
        }
        return out
    }

    /// Every hit of an entry's digests.
    public func lookup(_ entry: KnownHash) -> [HashHit] {
        lookup(md5: entry.md5, sha1: entry.sha1, sha256: entry.sha256)
    }
}
