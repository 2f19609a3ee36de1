/// A byte pattern with wildcards: a header or footer of a carving rule.
///
/// Written in rule files either as hex (`"FF D8 FF ??"`, `??` matches any
/// byte) or as ASCII text (`"%PDF-"`, no wildcards).
public struct ByteSignature: Sendable, Hashable, CustomStringConvertible {
    /// The bytes to compare; a wildcard position holds 0.
    public let bytes: [UInt8]
    /// `true` where the byte must equal `bytes[i]`, `false` for a `??` wildcard.
    public let fixed: [Bool]

    /// Number of bytes the signature spans, wildcards included.
    public var count: Int { bytes.count }

    /// Number of non-wildcard bytes.
    public var fixedCount: Int { fixed.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// Makes a signature from bytes and a mask (`true` = must match).
    public init(bytes: [UInt8], fixed: [Bool]) {
        precondition(bytes.count == fixed.count, "one mask entry per byte")
        self.bytes = zip(bytes, fixed).map { $1 ? $0 : 0 }
        self.fixed = fixed
    }

    /// Parses hex: whitespace-separated tokens, each made of two-digit hex
    /// bytes or `??` wildcards (`"FF D8 FF ??"`, `"FFD8FF??"` and
    /// `"FFD8 FF??"` are the same). Throws a reason naming the bad token.
    public init(hex: String) throws(SignatureSyntaxError) {
        var bytes: [UInt8] = []
        var fixed: [Bool] = []
        for token in hex.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "," }) {
            let chars = Array(token.utf8)
            guard chars.count % 2 == 0 else {
                throw SignatureSyntaxError(reason: "hex token '\(token)' has an odd number of digits; write each byte as two digits or ??")
            }
            var i = 0
            while i < chars.count {
                let a = chars[i], b = chars[i + 1]
                if a == UInt8(ascii: "?") && b == UInt8(ascii: "?") {
                    bytes.append(0)
                    fixed.append(false)
                } else if let hi = Self.hexValue(a), let lo = Self.hexValue(b) {
                    bytes.append(hi << 4 | lo)
                    fixed.append(true)
                } else {
                    let pair = String(decoding: [a, b], as: UTF8.self)
                    throw SignatureSyntaxError(reason: "'\(pair)' in hex token '\(token)' is neither a hex byte nor ??")
                }
                i += 2
            }
        }
        guard !bytes.isEmpty else { throw SignatureSyntaxError(reason: "empty hex signature") }
        self.init(bytes: bytes, fixed: fixed)
    }

    /// Takes printable ASCII text literally (`"%PDF-"`, `"ftypisom"`); no
    /// wildcards. Other bytes must be written in hex.
    public init(text: String) throws(SignatureSyntaxError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw SignatureSyntaxError(reason: "empty text signature") }
        if let bad = bytes.first(where: { $0 < 0x20 || $0 > 0x7E }) {
            throw SignatureSyntaxError(reason: "text signature holds a non-printable or non-ASCII byte (0x\(Self.hex(bad))); write such signatures in hex")
        }
        self.init(bytes: bytes, fixed: Array(repeating: true, count: bytes.count))
    }

    /// Whether the signature matches `buffer` starting at `offset`; false
    /// when it would run past the end of the buffer.
    @inlinable
    public func matches(_ buffer: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        guard offset >= 0, offset <= buffer.count - bytes.count else { return false }
        for i in 0..<bytes.count where fixed[i] && buffer[offset + i] != bytes[i] {
            return false
        }
        return true
    }

    /// Hex form, `??` for wildcards: `FF D8 FF ??`.
    public var description: String {
        zip(bytes, fixed).map { $1 ? Self.hex($0) : "??" }.joined(separator: " ")
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Why a hex or text signature could not be parsed; the rule loader wraps it
/// in a `CarvingRuleError` with file and line.
public struct SignatureSyntaxError: Error, Sendable, Hashable {
    /// Human-readable reason.
    public var reason: String
}
