import CaseStore
import Evidence
import Export
import Hashing

extension ExhumeError {
    /// What a command was doing when a library error stopped it. The same library
    /// error can mean different things: a disk-full `CaseError` is the output failing
    /// while a scan writes the case, but the case being unreadable while `report` reads it.
    public enum Operation: Sendable {
        /// Opening or reading the image (libewf, raw files, TSK).
        case readingEvidence
        /// Reading what a scan recorded in the case folder `folder`.
        case readingCase(folder: String)
        /// Taking the scan lock of the case folder `folder` (another scan holds it).
        case lockingCase(folder: String)
        /// Scanning into a case: its database, its export folder, the image.
        case scanning
        /// Opening the `--hashset` indexes.
        case loadingHashSets
        /// Reading the hash set or index `source` that the command is about (`hashset import`, `info`).
        case readingHashSet(source: String)
        /// Loading the carving rules (built-in and `--rules`).
        case loadingCarvingRules
        /// Creating the output folder and its manifest.
        case openingOutput
        /// Reading, hashing and typing items (libmagic could not start).
        case processing
    }

    /// `error`, met while doing `operation`, as the error that ends the command:
    /// this is where library errors get their code and wording. An `ExhumeError`
    /// stays as it is.
    public init(_ error: any Error, during operation: Operation) {
        if let error = error as? ExhumeError {
            self = error
            return
        }
        switch operation {
        case .readingEvidence:
            self = Self.evidence(error)
        case .readingCase(let folder):
            self.init(.badInput, "\(folder): \(error)", cause: error)
        case .lockingCase(let folder):
            self.init(.usage, "\(folder): \(error)", cause: error)
        case .scanning:
            self = Self.scanning(error)
        case .loadingHashSets, .processing:
            self.init(.badInput, "\(error)", cause: error)
        case .readingHashSet(let source):
            self = Self.hashSet(error, source: source)
        case .loadingCarvingRules:
            self.init(.usage, "carving rules: \(error)", cause: error)
        case .openingOutput:
            self.init(.outputFailed, "\(error)", cause: error)
        }
    }

    /// A missing image or segment is a missing input; anything else about the image, bad input.
    private static func evidence(_ error: any Error) -> ExhumeError {
        guard let error = error as? EvidenceError else { return ExhumeError(.badInput, "\(error)", cause: error) }
        let code: Code = error.code == .notFound || error.code == .missingSegment ? .missingInput : .badInput
        return ExhumeError(code, error.description, cause: error,
                           location: EvidenceLocation(image: error.path, byteOffset: error.offset))
    }

    /// The case's disk filling up, or the case or export folder failing, is the output
    /// failing; anything else (the image, libmagic, the rules) is bad input.
    private static func scanning(_ error: any Error) -> ExhumeError {
        switch error {
        case let error as CaseError where error.code == .noSpace:
            // The batch that did not fit was rolled back; everything before it is in the case.
            ExhumeError(.outputFailed, "\(error); what was recorded before is kept: make room and run the same command again to continue",
                        cause: error)
        case let error as CaseError where error.code == .io:
            ExhumeError(.outputFailed, "\(error)", cause: error)
        case let error as ExportError:
            // The export folder cannot even be opened (a full disk while the scan goes on is
            // not this: it stops the export and is reported at the end).
            ExhumeError(.outputFailed, "\(error)", cause: error)
        default:
            ExhumeError(.badInput, "\(error)", cause: error)
        }
    }

    /// The hash set a command is about: missing, unwritable (its index), or unreadable.
    private static func hashSet(_ error: any Error, source: String) -> ExhumeError {
        guard let error = error as? HashSetError else { return ExhumeError(.badInput, "\(source): \(error)", cause: error) }
        let code: Code = switch error.code {
        case .notFound: .missingInput
        case .writeFailed: .outputFailed
        default: .badInput
        }
        return ExhumeError(code, error.description, cause: error)
    }
}
