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
    /// Computed when a SHA-1 is stored or expected, or when nothing is stored.
    public var computedSHA1: String?
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

extension MediaVerification {
    /// Judges computed digests against the stored ones: verified only when
    /// every stored digest matches and nothing failed to read or checksum.
    public init(computedMD5: String, computedSHA1: String?, storedMD5: String?, storedSHA1: String?,
                bytesRead: Int64, checksumErrors: [SectorRange], readErrors: [ReadFailure]) {
        var verdict: Verdict
        if storedMD5 == nil && storedSHA1 == nil {
            verdict = .noStoredHash
        } else {
            let md5OK = storedMD5.map { $0 == computedMD5 } ?? true
            let sha1OK = storedSHA1.map { $0 == computedSHA1 ?? "" } ?? true
            verdict = md5OK && sha1OK ? .verified : .mismatch
        }
        if !checksumErrors.isEmpty || !readErrors.isEmpty, verdict == .verified || verdict == .noStoredHash {
            verdict = .mismatch
        }
        self.init(verdict: verdict, bytesRead: bytesRead, computedMD5: computedMD5, computedSHA1: computedSHA1,
                  storedMD5: storedMD5, storedSHA1: storedSHA1, checksumErrors: checksumErrors, readErrors: readErrors)
    }
}
