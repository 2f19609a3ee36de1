import Evidence
import SleuthKit

/// The one error that ends a command, modelled on swift-nio's `FileSystemError`:
/// what kind of failure it is (``code``, which the CLI turns into its exit status),
/// the message for the analyst, where in the evidence it happened when it
/// happened there, and the library error underneath.
///
/// Library errors become one in one place, ``init(_:during:)``.
public struct ExhumeError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure ended the command.
    public enum Code: Sendable, Hashable {
        /// An input named on the command line does not exist: the image or one of its
        /// segments, a case folder's database, a hash set.
        case missingInput
        /// An input cannot be read or understood: the evidence, a case, a hash set.
        case badInput
        /// The output cannot be written, or an output folder is refused.
        case outputFailed
        /// Flags that contradict each other, the rules, the image or the case.
        case usage
    }

    public var code: Code
    /// The whole message, naming the evidence file (and byte offset) when there is one.
    public var message: String
    /// The library error this one was made from, if any.
    public var cause: (any Error)?
    /// Where in the evidence the failure happened, when it happened there.
    public var location: EvidenceLocation?
    /// The item whose reading failed, when one did: where it was found, as every output names it.
    public var provenance: Provenance?

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil, location: EvidenceLocation? = nil,
                provenance: Provenance? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
        self.location = location ?? provenance.map { EvidenceLocation(image: $0.image, byteOffset: $0.imageOffset) }
        self.provenance = provenance
    }

    /// An error of the Evidence layer met while opening or reading the image.
    public init(_ error: EvidenceError) {
        self.init(error, during: .readingEvidence)
    }

    /// An error of TSK met while opening the image's volumes or file systems.
    public init(_ error: TSKError) {
        self.init(error, during: .readingEvidence)
    }

    public var description: String { message }
}

/// A place in the evidence: the image and, when known, the byte offset in it.
public struct EvidenceLocation: Sendable, Hashable {
    /// The image as named on the command line (its first segment).
    public var image: String
    /// Byte offset in the image's media.
    public var byteOffset: Int64?

    public init(image: String, byteOffset: Int64? = nil) {
        self.image = image
        self.byteOffset = byteOffset
    }
}

/// A problem met on the way that did not stop the work: a partition without
/// a file system TSK knows, a damaged directory, an unreadable chunk.
public struct Issue: Sendable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable {
        /// Worth knowing, not a fault (e.g. an empty or unknown partition).
        case note
        /// Something could not be read; results may be incomplete.
        case warning
    }

    public var severity: Severity
    /// Where: image path and, when known, partition slot and sector offset.
    public var image: String
    public var partition: Int?
    public var sectorOffset: UInt64?
    public var message: String

    public init(severity: Severity, image: String, partition: Int?, sectorOffset: UInt64?, message: String) {
        self.severity = severity
        self.image = image
        self.partition = partition
        self.sectorOffset = sectorOffset
        self.message = message
    }

    public var description: String {
        var place = image
        if let partition { place += ", partition \(partition)" }
        if let sectorOffset { place += " (sector \(sectorOffset))" }
        return "\(severity.rawValue): \(place): \(message)"
    }
}
