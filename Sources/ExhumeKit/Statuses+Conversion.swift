import CaseStore
import Evidence
import Hashing

extension HitKind {
    /// How a set of `kind` is used, in the words hits are recorded and printed with.
    public init(_ kind: HashSetKind) {
        self = kind == .knownGood ? .knownGood : .knownBad
    }
}

extension VerificationVerdict {
    /// The verdict of the media's digests, as the case records it.
    public init(_ verdict: MediaVerification.Verdict) {
        self = switch verdict {
        case .verified: .verified
        case .mismatch: .mismatch
        case .noStoredHash: .noStoredHash
        }
    }
}
