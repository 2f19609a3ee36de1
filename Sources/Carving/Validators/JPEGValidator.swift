/// JPEG (JFIF/EXIF): SOI, marker segments to SOS, entropy-coded data to the next marker, … EOI.
///
/// Segment lengths skip whatever a segment holds, so an EXIF thumbnail (a whole JPEG inside APP1)
/// never ends the file. Progressive files (several SOS), fill bytes and RST markers are handled.
/// A complete file needs a frame header (SOF), quantization tables (DQT), Huffman tables (DHT,
/// unless arithmetic coding) and at least one scan before EOI.
public struct JPEGValidator: StructureValidator {
    public let name = "jpeg"
    public init() {}

    /// What the segments read so far have declared.
    private struct Seen {
        var frame = false, quantization = false, huffman = false, arithmetic = false
        var scans = 0
        var segments = 0

        /// A frame header and the tables to decode it.
        var decodable: Bool { frame && quantization && (huffman || arithmetic) }
    }

    public func validate(_ input: CarveInput, maxSize: Int64) -> Verdict {
        ByteCursor(input, maxSize: maxSize).run { c throws(ValidationStop) in
            try require(try c.matches([0xFF, 0xD8, 0xFF]).orEnd(), "no SOI")
            c.position = 2
            var seen = Seen()
            while true {
                let code = try Self.nextMarker(c)
                switch code {
                case 0xD9:
                    try require(seen.scans > 0, "EOI before any scan")
                    try require(seen.decodable, "EOI without SOF/DQT/DHT")
                    return .complete(length: c.position)
                case 0xD0...0xD7, 0x01:
                    continue    // standalone markers carry no length
                case 0x00, 0xD8, 0x02...0xBF:
                    // After a well-formed scan, a broken marker means the file was cut (truncated,
                    // or its next fragment is elsewhere): keep what came before as a partial file.
                    if seen.scans > 0 && seen.decodable {
                        return .truncated(length: c.position - 2)
                    }
                    throw .invalid("marker 0xFF\(String(code, radix: 16)) at \(c.position - 2)")
                default:
                    try Self.segment(code, c, &seen)
                }
            }
        }
    }

    /// The next marker's code: 0xFF, any fill 0xFF bytes, then the code.
    private static func nextMarker(_ c: ByteCursor) throws(ValidationStop) -> UInt8 {
        let lead = try c.u8().orEnd()
        try require(lead == 0xFF, "byte \(lead) where a marker was expected at \(c.position - 1)")
        var code = try c.u8().orEnd()
        var fill = 0
        while code == 0xFF {
            fill += 1
            try require(fill < 1 << 16, "endless fill bytes")
            code = try c.u8().orEnd()
        }
        return code
    }

    /// A marker segment with a length: noted in `seen` and skipped; after a start of scan,
    /// its entropy-coded data too.
    private static func segment(_ code: UInt8, _ c: ByteCursor, _ seen: inout Seen) throws(ValidationStop) {
        seen.segments += 1
        // The first segment of a real JPEG is an APPn, DQT, DHT, SOF, DRI or COM.
        if seen.segments == 1 {
            try require((0xE0...0xEF).contains(code) || [0xDB, 0xC4, 0xDD, 0xFE].contains(code)
                            || (0xC0...0xCF).contains(code), "unlikely first marker")
        }
        let length = try c.u16be().orEnd()
        try require(length >= 2, "segment length \(length)")
        switch code {
        case 0xC0...0xC3, 0xC5...0xC7, 0xC9...0xCB, 0xCD...0xCF:
            try require(length >= 8, "short SOF")
            seen.frame = true
            if code >= 0xC9 { seen.arithmetic = true }
        case 0xC4: seen.huffman = true
        case 0xDB: seen.quantization = true
        default: break
        }
        guard code == 0xDA else {
            try c.skip(Int64(length) - 2).orEnd()
            return
        }
        // Start of scan: header, then entropy-coded data up to the next real marker.
        try require(seen.frame, "SOS before SOF")
        try require(length >= 6, "short SOS")
        try c.skip(Int64(length) - 2).orEnd()
        seen.scans += 1
        try skipEntropyCodedData(c)
    }

    /// Moves to the 0xFF of the marker that ends a scan's data, past stuffed zeros (0xFF00),
    /// restart markers (0xFFD0–D7) and fill bytes before a marker.
    private static func skipEntropyCodedData(_ c: ByteCursor) throws(ValidationStop) {
        while true {
            try c.seek(toByte: 0xFF).orEnd()
            let at = c.position
            var next = try c.peek(at: at + 1).orEnd()
            if next == 0x00 || (0xD0...0xD7).contains(next) {
                c.position = at + 2
                continue
            }
            // Fill bytes before a marker: move to the last 0xFF.
            var last = at
            while next == 0xFF {
                last += 1
                next = try c.peek(at: last + 1).orEnd()
            }
            if next == 0x00 { c.position = last + 2; continue }
            c.position = last
            return
        }
    }
}
