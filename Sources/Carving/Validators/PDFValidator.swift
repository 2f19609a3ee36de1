/// PDF: `%PDF-` and a version, then the `%%EOF` markers. Incremental updates and linearized files
/// hold several; after each one the next bytes (past its end-of-line and whitespace) are checked,
/// and only when they do not continue the PDF (`N G obj`, `xref`, `trailer`, `startxref`, a
/// repeated `%%EOF`) is that `%%EOF` the end. The end is after the end-of-line following it. No `%%EOF`
/// before the end of the bytes (or `maxSize`) is truncated.
public struct PDFValidator: StructureValidator {
    public let name = "pdf"
    public init() {}

    static let marker = Array("%%EOF".utf8)
    /// How far past a `%%EOF` to look for a continuation.
    static let lookahead: Int64 = 1024
    /// How far after the header the first object must start.
    static let bodyWindow: Int64 = 4096

    public func validate(_ input: CarveInput, maxSize: Int64) -> Verdict {
        ByteCursor(input, maxSize: maxSize).run { c throws(ValidationStop) in
            try require(try c.matches(Array("%PDF-".utf8)).orEnd(), "no %PDF-")
            let major = try c.peek(at: 5).orEnd(), dot = try c.peek(at: 6).orEnd()
            try require((0x31...0x32).contains(major) && dot == 0x2E, "PDF version")
            // A real PDF body starts with an object (or, rarely, a cross-reference section) soon
            // after the header; `%PDF-1.x` followed by noise is a stray header, not a truncated file.
            let window = Self.bodyWindow
            let hasBody = c.find(Array(" obj".utf8), from: 7, before: window) != nil
                || c.find(Array("xref".utf8), from: 7, before: window) != nil
            if !hasBody {
                if c.peek(at: window) == nil { throw .outOfData }   // too short to tell: a cut file
                throw .invalid("no object within \(window) bytes of the header")
            }
            var from: Int64 = 7
            while true {
                guard let hit = c.find(Self.marker, from: from) else { throw .outOfData }
                var end = hit + Int64(Self.marker.count)
                if c.peek(at: end) == 0x0D { end += 1 }
                if c.peek(at: end) == 0x0A { end += 1 }
                if !continues(c, after: end) { return .complete(length: end) }
                from = end
            }
        }
    }

    /// Whether the bytes after `end` continue the PDF (an incremental update or the rest of a
    /// linearized file), judged from the first non-whitespace bytes.
    private func continues(_ c: ByteCursor, after end: Int64) -> Bool {
        var at = end
        while at < end + Self.lookahead, let byte = c.peek(at: at), [0x20, 0x09, 0x0A, 0x0D, 0x0C].contains(byte) {
            at += 1
        }
        guard let first = c.peek(at: at) else { return false }
        for word in ["xref", "trailer", "startxref"] where c.matches(Array(word.utf8), at: at) == true {
            return true
        }
        if first == 0x25 {   // only a repeated %%EOF; other comments (or a new %PDF-) are not the PDF
            return c.matches(PDFValidator.marker, at: at) == true
        }
        // "N G obj"
        var i = at, digits = 0
        while let d = c.peek(at: i), (0x30...0x39).contains(d), digits < 12 { i += 1; digits += 1 }
        guard digits > 0, c.peek(at: i) == 0x20 else { return false }
        i += 1
        digits = 0
        while let d = c.peek(at: i), (0x30...0x39).contains(d), digits < 6 { i += 1; digits += 1 }
        guard digits > 0 else { return false }
        while c.peek(at: i) == 0x20 { i += 1 }
        return c.matches(Array("obj".utf8), at: i) == true
    }
}
