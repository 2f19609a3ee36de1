/// How a set is used: known-good entries are suppressed from review (NSRL),
/// known-bad entries raise an alert and keep their category.
public enum HashSetKind: String, Sendable, Hashable, CaseIterable {
    case knownGood = "good"
    case knownBad = "bad"

    /// Byte stored in the index header.
    var code: UInt8 { self == .knownGood ? 0 : 1 }

    init?(code: UInt8) {
        switch code {
        case 0: self = .knownGood
        case 1: self = .knownBad
        default: return nil
        }
    }
}

/// One match of a digest in a known-hash set.
public struct HashHit: Sendable, Hashable, CustomStringConvertible {
    /// The set's name, as given at import.
    public var setName: String
    public var kind: HashSetKind
    /// The entry's category in the set (VICS/CAID category, ICSE label), if any.
    public var category: String?
    /// The file name the set gives for the entry, if any.
    public var fileName: String?
    /// Which digest matched.
    public var matched: DigestKind

    public init(setName: String, kind: HashSetKind, category: String?, fileName: String?, matched: DigestKind) {
        self.setName = setName
        self.kind = kind
        self.category = category
        self.fileName = fileName
        self.matched = matched
    }

    public var description: String {
        var text = "\(setName) (\(kind == .knownGood ? "known-good" : "known-bad")"
        if let category { text += ", category \(category)" }
        text += ", \(matched.rawValue))"
        if let fileName { text += " \(fileName)" }
        return text
    }
}
