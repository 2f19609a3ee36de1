/// Where an image's bytes come from: a raw file, split raw segments or an EWF set.
///
/// Every reader of the evidence (The Sleuth Kit through `tsk_img_open_external`,
/// the hashing of `verify`, later the carver) goes through this one protocol, so
/// they all see the same bytes. Implementations are safe to call from several
/// threads; `read` never writes to the evidence.
public protocol ImageSource: AnyObject, Sendable {
    /// The container format, detected from the content.
    var format: ImageFormat { get }
    /// The evidence files, in order (one for a single raw file or a one-segment E01).
    var files: [String] { get }
    /// Size of the media in bytes.
    var size: Int64 { get }
    /// Bytes per sector of the media (512 unless the container says otherwise).
    var sectorSize: Int { get }
    /// Reads up to `buffer.count` bytes of media at `offset`; returns the number
    /// of bytes read, which is short only at the end of the media.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(EvidenceError) -> Int

    /// Another reader of the same media that can read beside this one on
    /// another thread (for EWF, its own libewf handle, so chunks inflate in
    /// parallel); sources that read in parallel already return themselves.
    func parallelReader() throws(EvidenceError) -> any ImageSource
    /// What the acquisition recorded (EWF: case data, stored hashes); nil for raw media.
    var acquisition: EWFMetadata? { get }
    /// What is wrong with the evidence files as a set, found when they were opened
    /// (a truncated last segment): said before any long read.
    var integrityProblems: [EvidenceError] { get }
    /// Sector ranges whose stored checksum failed in reads so far (EWF chunks).
    func checksumErrors() -> [SectorRange]
    /// The reader promises not to read below `offset` again: a source that
    /// keeps media in memory for its readers (a ``MediaStream/Cursor``) may let
    /// it go. Other sources ignore it.
    func willNotRead(before offset: Int64)
}

extension ImageSource {
    /// The first evidence file, used to name the image in messages.
    public var path: String { files.first ?? "" }

    public func parallelReader() throws(EvidenceError) -> any ImageSource { self }
    public var acquisition: EWFMetadata? { nil }
    public var integrityProblems: [EvidenceError] { [] }
    public func checksumErrors() -> [SectorRange] { [] }
    public func willNotRead(before offset: Int64) {}
}

/// Container formats Exhume opens.
public struct ImageFormat: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// A single raw (`dd`) file.
    public static let raw = ImageFormat(rawValue: "raw")
    /// Raw split into numbered segments (`.001/.002…`, `.000/.001…`, `.aa/.ab…`).
    public static let splitRaw = ImageFormat(rawValue: "split-raw")
    /// Expert Witness Format (EnCase `.E01`…), read with libewf.
    public static let ewf = ImageFormat(rawValue: "ewf")

    public var description: String { rawValue }
}
