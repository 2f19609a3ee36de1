/// The original name of an entry, written losslessly into a manifest (JSON) as text.
///
/// Valid UTF-8 stays readable; `\` becomes `\\`; every byte of an invalid sequence, of a
/// control character (C0, DEL, C1), of a bidirectional control and of `/` becomes `\xNN`
/// (two lower-case hex digits). The result is valid UTF-8 without control characters, so a
/// JSON encoder writes it as it is, a terminal shows it safely, and
/// `decodeManifestName(_:)` gives back the exact bytes.
extension SafeExporter {
    /// The original name component as lossless, printable text: `\xNN` for bytes that are
    /// not printable valid UTF-8 (and for `/`), `\\` for a backslash.
    public static func manifestName(component: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(component.count)
        var i = 0
        while i < component.count {
            if let (length, scalar) = UTF8Scan.scalar(in: component, at: i) {
                if scalar == 0x5C {
                    out.append(contentsOf: [0x5C, 0x5C])
                } else if scalar != 0x25 && needsEscape(scalar) {
                    for k in i..<(i + length) { appendHexEscape(component[k], to: &out) }
                } else {
                    out.append(contentsOf: component[i..<(i + length)])
                }
                i += length
            } else {
                appendHexEscape(component[i], to: &out)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The original path as lossless text: each component through `manifestName(component:)`,
    /// joined with `/` (a `/` inside a component is `\x2F`, so the split is unambiguous).
    public static func manifestPath(components: [[UInt8]]) -> String {
        components.map { manifestName(component: $0) }.joined(separator: "/")
    }

    /// The original bytes of a name written by `manifestName(component:)`; nil when the text
    /// holds a malformed escape.
    public static func decodeManifestName(_ text: String) -> [UInt8]? {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            guard bytes[i] == 0x5C else {
                out.append(bytes[i])
                i += 1
                continue
            }
            guard i + 1 < bytes.count else { return nil }
            if bytes[i + 1] == 0x5C {
                out.append(0x5C)
                i += 2
            } else if bytes[i + 1] == 0x78, i + 3 < bytes.count,
                      let hi = lowerHex(bytes[i + 2]), let lo = lowerHex(bytes[i + 3]) {
                out.append(hi << 4 | lo)
                i += 4
            } else {
                return nil
            }
        }
        return out
    }

    private static func appendHexEscape(_ byte: UInt8, to out: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        out.append(contentsOf: [0x5C, 0x78, digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    private static func lowerHex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
