/// Turning a raw name from an image into one safe output file name.
///
/// Rules (each keeps the mapping deterministic and injective):
/// - Valid UTF-8 is kept as it is, except for the characters below.
/// - `%` becomes `%25`, so every `%` in an output name starts an escape and the mapping
///   can be undone by percent-decoding.
/// - `/`, NUL, the C0 controls 0x01–0x1F, DEL 0x7F, the C1 controls U+0080–U+009F and the
///   Unicode bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069,
///   which can disguise an extension) are percent-escaped byte by byte (`%2F`, `%00`, `%1B`,
///   `%E2%80%AE`).
/// - Every byte that is not part of a valid UTF-8 sequence (stray continuation bytes,
///   overlong forms, surrogates, values above U+10FFFF, truncated sequences) becomes `%XX`.
/// - `.` becomes `%2E` and `..` becomes `%2E%2E`; the empty name becomes `%empty`
///   (escapes always use two upper-case hex digits, so `%e…` never comes from escaping).
/// - A result longer than 255 bytes (`NAME_MAX`) is cut at a UTF-8 and escape boundary and
///   suffixed with `%~` and 16 hex digits of the FNV-1a 64-bit hash of the *original* bytes,
///   keeping a short extension (up to 16 bytes, e.g. `.txt`): distinct long names stay
///   distinct, and `%~` never appears in a name that was not cut.
extension SafeExporter {
    /// The longest file name written (Linux `NAME_MAX`).
    public static let maximumNameLength = 255

    /// The safe output file name for one raw name component from an image (rules above).
    /// Never empty, never `.` or `..`, never contains `/` or NUL, at most 255 bytes of
    /// valid UTF-8.
    public static func sanitize(component: [UInt8]) -> String {
        if component.isEmpty { return "%empty" }
        if component == [0x2E] { return "%2E" }
        if component == [0x2E, 0x2E] { return "%2E%2E" }

        var out: [UInt8] = []
        out.reserveCapacity(component.count)
        var boundaries: [Int] = [0]          // offsets in `out` where a cut is allowed
        var i = 0
        while i < component.count {
            if let (length, scalar) = UTF8Scan.scalar(in: component, at: i) {
                if needsEscape(scalar) {
                    for k in i..<(i + length) { appendEscape(component[k], to: &out) }
                } else {
                    out.append(contentsOf: component[i..<(i + length)])
                }
                i += length
            } else {
                appendEscape(component[i], to: &out)
                i += 1
            }
            boundaries.append(out.count)
        }
        if out.count <= maximumNameLength { return String(decoding: out, as: UTF8.self) }
        return truncated(out, boundaries: boundaries, original: component)
    }

    /// Percent-decodes an output name made by `sanitize(component:)` back to the original
    /// bytes; nil for a cut (`%~` hashed) name, which cannot be undone, or a malformed one.
    static func unsanitize(_ name: String) -> [UInt8]? {
        if name == "%empty" { return [] }
        let bytes = Array(name.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x25 {
                guard i + 2 < bytes.count, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2])
                else { return nil }
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    static func needsEscape(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return true               // C0, DEL, C1 controls
        case 0x2F, 0x25: return true                                    // "/" and "%"
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true  // bidi controls
        default: return false
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        out.append(0x25)
        out.append(hexDigits[Int(byte >> 4)])
        out.append(hexDigits[Int(byte & 0x0F)])
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }

    /// Cuts an escaped name that is too long: prefix + `%~` + hash + short extension.
    private static func truncated(_ out: [UInt8], boundaries: [Int], original: [UInt8]) -> String {
        var hash = Array("%~".utf8)
        let h = fnv1a64(original)
        for shift in stride(from: 60, through: 0, by: -4) {
            hash.append(Array("0123456789abcdef".utf8)[Int((h >> UInt64(shift)) & 0xF)])
        }
        let ext = extensionRange(of: out).map { Array(out[$0]) } ?? []
        let budget = maximumNameLength - hash.count - ext.count
        let cut = boundaries.last(where: { $0 <= budget }) ?? 0
        return String(decoding: out[0..<cut] + hash + ext, as: UTF8.self)
    }

    /// The range of a short extension (`.` plus at most 15 bytes, not at the start).
    static func extensionRange(of name: [UInt8]) -> Range<Int>? {
        guard let dot = name.lastIndex(of: 0x2E), dot > 0, name.count - dot <= 16 else { return nil }
        return dot..<name.count
    }

    /// FNV-1a, 64 bits: tiny, deterministic across runs and platforms (unlike `Hasher`).
    static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }
}

/// Strict UTF-8 decoding of one scalar (no overlongs, no surrogates, nothing past U+10FFFF).
enum UTF8Scan {
    /// The length and value of the valid UTF-8 sequence starting at `i`, or nil.
    static func scalar(in b: [UInt8], at i: Int) -> (Int, UInt32)? {
        let b0 = b[i]
        if b0 < 0x80 { return (1, UInt32(b0)) }
        let n: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: n = 2
        case 0xE0: n = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: n = 3
        case 0xED: n = 3; hi = 0x9F
        case 0xF0: n = 4; lo = 0x90
        case 0xF1...0xF3: n = 4
        case 0xF4: n = 4; hi = 0x8F
        default: return nil
        }
        guard i + n <= b.count, b[i + 1] >= lo, b[i + 1] <= hi else { return nil }
        var value = UInt32(b0) & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07)
        for k in 1..<n {
            let c = b[i + k]
            guard c & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(c & 0x3F)
        }
        return (n, value)
    }
}
