import GRDB

// The closed vocabularies of the case database. Each is stored as its raw
// string, so a case written with these types holds the same text as before.

/// Where a run of `exhume scan` stands (`scan.status`).
public enum ScanStatus: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    /// Started and not finished: still running, or interrupted.
    case running
    case complete
    /// Stopped by an error; what it committed before is kept.
    case failed
}

/// Where the scan of one image stands (`image.status`).
public enum ImageStatus: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    /// Added to the case by a scan that has not finished it.
    case scanning
    /// The default of an ``ImageRecord`` made without a status; cases of earlier versions may hold it.
    case pending
    case complete
    /// Every item recorded, but EWF chunks failed their checksum.
    case completeWithErrors = "complete-with-errors"
}

/// The media's digests computed by a scan against those stored at acquisition
/// (`image.verification`).
public enum VerificationVerdict: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    case verified
    case mismatch
    /// The image stores no digest (raw images).
    case noStoredHash = "no-stored-hash"
}

/// How much of a carved file its validator found (`item.verdict`).
public enum CarveVerdict: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    /// The whole file, to its true end.
    case complete
    /// Only its beginning: the data ends (or turns into something else) before the file does.
    case partial
}

/// How a hash set is used, as a hit records it (`hit.kind`).
public enum HitKind: String, Sendable, Codable, CaseIterable, DatabaseValueConvertible {
    /// Known files to suppress from review (NSRL).
    case knownGood = "known-good"
    /// Alerts.
    case knownBad = "known-bad"
}

// Interpolated, each says its stored word, as the plain strings did.
extension ScanStatus: CustomStringConvertible { public var description: String { rawValue } }
extension ImageStatus: CustomStringConvertible { public var description: String { rawValue } }
extension VerificationVerdict: CustomStringConvertible { public var description: String { rawValue } }
extension CarveVerdict: CustomStringConvertible { public var description: String { rawValue } }
extension HitKind: CustomStringConvertible { public var description: String { rawValue } }
