import Evidence
import SleuthKit

/// Errors that end a command, each mapped to a documented exit code.
public struct ExhumeError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The evidence file does not exist (exit 66).
        case missingInput
        /// The evidence cannot be read or understood (exit 65).
        case badInput
        /// Writing the output failed (exit 74).
        case outputFailed
        /// Flags that contradict each other or the image (exit 64).
        case usage
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public init(_ error: EvidenceError) {
        switch error.code {
        // A missing segment is a missing evidence file, like a missing image.
        case .notFound, .missingSegment: kind = .missingInput
        default: kind = .badInput
        }
        message = error.description
    }

    public init(_ error: TSKError) {
        kind = .badInput
        message = error.description
    }

    /// The process exit code (sysexits.h values).
    public var exitCode: Int32 {
        switch kind {
        case .missingInput: return 66
        case .badInput: return 65
        case .outputFailed: return 74
        case .usage: return 64
        }
    }

    public var description: String { message }
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
