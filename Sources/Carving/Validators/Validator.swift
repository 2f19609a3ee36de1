/// Random access to the bytes from a candidate's first byte (offset 0) onwards, up to `length`.
public protocol CarveInput {
    /// How many bytes are available from the candidate's first byte.
    var length: Int64 { get }
    /// Reads up to buffer.count bytes at `offset` (relative to the candidate start); 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Int
}

/// What a structural validator concluded about a carving candidate.
public enum Verdict: Sendable, Equatable {
    /// A whole file ends there.
    case complete(length: Int64)
    /// The structure is valid up to the end of the available bytes (or `maxSize`): emit as partial.
    case truncated(length: Int64)
    /// Not this format: drop.
    case invalid(reason: String)
}

/// Walks one file format's structure from a candidate's first byte to find the file's true end.
public protocol StructureValidator: Sendable {
    /// Name used by carving rules (`validator: jpeg`).
    var name: String { get }
    /// Validates the candidate, reading no further than `maxSize` bytes.
    func validate(_ input: CarveInput, maxSize: Int64) -> Verdict
}

/// The built-in validators, by the names carving rules use.
public enum Validators {
    /// Every built-in validator (one per format family).
    public static let all: [StructureValidator] = [
        JPEGValidator(), PNGValidator(), GIFValidator(), BMPValidator(), TIFFValidator(),
        RIFFValidator(), ISOBMFFValidator(), PDFValidator(), ZIPValidator(),
    ]

    /// Aliases and form-specific variants a rule may also name.
    static let extra: [StructureValidator] = [
        RIFFValidator(name: "webp", forms: ["WEBP"]),
        RIFFValidator(name: "avi", forms: ["AVI "]),
        RIFFValidator(name: "wav", forms: ["WAVE"]),
    ]

    /// The validator a rule names (`jpeg`, `png`, `gif`, `bmp`, `tiff`, `riff`, `webp`, `avi`, `wav`,
    /// `isobmff`, `pdf`, `zip`, and a few aliases such as `jpg`, `mp4`, `mov`), or nil.
    public static func named(_ name: String) -> StructureValidator? {
        let key = name.lowercased()
        let aliases = ["jpg": "jpeg", "tif": "tiff", "mp4": "isobmff", "mov": "isobmff", "heic": "isobmff"]
        let wanted = aliases[key] ?? key
        return (all + extra).first { $0.name == wanted }
    }
}

/// A `CarveInput` over an in-memory byte array (tests, small buffers).
public struct ByteArrayInput: CarveInput, Sendable {
    /// The candidate's bytes, first byte at offset 0.
    public let bytes: [UInt8]

    /// Wraps `bytes`.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The number of bytes held.
    public var length: Int64 { Int64(bytes.count) }

    /// Copies up to `buffer.count` bytes from `offset`; 0 at or past the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Int {
        guard offset >= 0, offset < Int64(bytes.count) else { return 0 }
        let start = Int(offset)
        let count = min(buffer.count, bytes.count - start)
        bytes.withUnsafeBytes { source in
            guard let from = source.baseAddress, let to = buffer.baseAddress else { return }
            to.copyMemory(from: from + start, byteCount: count)
        }
        return count
    }
}

/// Why a validator's walk stopped early; mapped to a `Verdict` by `ByteCursor.run`.
enum ValidationStop: Error {
    /// The bytes ran out (end of input or `maxSize`) while the structure was still valid.
    case outOfData
    /// The bytes are not this format.
    case invalid(String)
}

extension Optional {
    /// The value, or `ValidationStop.outOfData` when a cursor read hit the end.
    @inline(__always) @discardableResult
    func orEnd() throws(ValidationStop) -> Wrapped {
        guard let value = self else { throw .outOfData }
        return value
    }
}

/// Fails the walk as invalid unless `condition` holds.
@inline(__always)
func require(_ condition: Bool, _ reason: @autoclosure () -> String) throws(ValidationStop) {
    if !condition { throw .invalid(reason()) }
}
