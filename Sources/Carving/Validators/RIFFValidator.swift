/// RIFF containers (WebP, AVI, WAV): `RIFF`, a little-endian size and a form type; the file is
/// size + 8 bytes. The form must be one the validator accepts; the first sub-chunk must have a
/// printable four-character code and fit in the declared size. Sub-chunks that are fully available
/// are walked, and one with a non-printable code is invalid.
public struct RIFFValidator: StructureValidator {
    public let name: String
    /// Accepted form types (four ASCII characters each).
    public let forms: [String]

    /// A validator named `name` accepting the given form types (default WEBP, AVI, WAVE).
    public init(name: String = "riff", forms: [String] = ["WEBP", "AVI ", "WAVE"]) {
        self.name = name
        self.forms = forms
    }

    public func validate(_ input: CarveInput, maxSize: Int64) -> Verdict {
        let formCodes = forms.map { Array($0.utf8) }
        return ByteCursor(input, maxSize: maxSize).run { c throws(ValidationStop) in
            try require(try c.matches(Array("RIFF".utf8)).orEnd(), "no RIFF")
            c.position = 4
            let size = Int64(try c.u32le().orEnd())
            try require(size >= 4 + 8, "RIFF size \(size)")
            var form: [UInt8] = []
            for _ in 0..<4 { form.append(try c.u8().orEnd()) }
            try require(formCodes.contains(form), "form type not accepted")
            let end = size + 8
            // Walk the sub-chunks inside the declared size as far as the bytes go.
            var chunks = 0
            while c.position + 8 <= end {
                let at = c.position
                var printable = true
                for _ in 0..<4 {
                    let byte = try c.u8().orEnd()
                    printable = printable && isPrintableASCII(byte)
                }
                try require(printable, "sub-chunk code at \(at)")
                let chunkSize = Int64(try c.u32le().orEnd())
                if chunks == 0 { try require(at + 8 + chunkSize <= end, "first sub-chunk overruns RIFF") }
                chunks += 1
                if at + 8 + chunkSize > end { break }   // lenient: some writers get the last size wrong
                let next = at + 8 + chunkSize + (chunkSize & 1)
                if next > c.limit { break }
                c.position = next
            }
            try require(chunks > 0, "no sub-chunks")
            return .complete(length: end)
        }
    }
}
