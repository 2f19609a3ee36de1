/// A JSON value materialised in memory: used only for the small leaves of a
/// VICS file (one media entry), never for the whole file.
enum JSONValue {
    case string(String)
    /// A number, kept as its text.
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    /// Members in file order; keys as written.
    case object([(key: String, value: JSONValue)])

    /// A scalar as text (`true`, `12`, `"abc"` → `abc`); nil for null, arrays and objects.
    var scalarText: String? {
        switch self {
        case .string(let s): s
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        default: nil
        }
    }
}

/// A pull parser over a ``FileInput``: reads JSON token by token, so a caller can
/// walk a multi-gigabyte document and materialise only the parts it wants. It
/// counts lines and byte offsets for error messages.
final class JSONStream {
    let input: FileInput
    private(set) var line = 1
    /// Nesting limit: hostile input cannot exhaust the stack.
    static let maxDepth = 512

    init(input: FileInput) {
        self.input = input
    }

    var path: String { input.path }

    func error(_ message: String) -> HashSetError {
        HashSetError(.malformed, path: path, line: line, offset: input.offset, message)
    }

    private func next() throws(HashSetError) -> UInt8 {
        guard let c = try input.nextByte() else { throw error("unexpected end of file (truncated JSON)") }
        if c == UInt8(ascii: "\n") { line += 1 }
        return c
    }

    /// Skips whitespace; returns the next significant byte without consuming it, nil at end of file.
    func peek() throws(HashSetError) -> UInt8? {
        while let c = try input.peekByte() {
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): _ = try input.nextByte()
            case UInt8(ascii: "\n"): _ = try input.nextByte(); line += 1
            default: return c
            }
        }
        return nil
    }

    /// Consumes `byte` (after whitespace) or fails naming what was expected.
    func expect(_ byte: UInt8, _ what: String) throws(HashSetError) {
        guard let c = try peek() else { throw error("unexpected end of file (truncated JSON): expected \(what)") }
        guard c == byte else { throw error("expected \(what), found '\(Self.show(c))'") }
        _ = try next()
    }

    /// Consumes the next significant byte.
    func take() throws(HashSetError) -> UInt8 {
        guard try peek() != nil else { throw error("unexpected end of file (truncated JSON)") }
        return try next()
    }

    static func show(_ c: UInt8) -> String {
        c >= 0x20 && c < 0x7F ? String(UnicodeScalar(c)) : hexByte(c)
    }

    private static func hexByte(_ c: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x" + String(digits[Int(c >> 4)]) + String(digits[Int(c & 0xF)])
    }

    /// Walks an object's members: `member` is called with each key and must
    /// consume the value (with ``parseValue(depth:)``, ``skipValue(depth:)`` or its own walk).
    func walkObject(depth: Int, _ member: (String) throws -> Void) throws {
        guard depth < Self.maxDepth else { throw error("JSON nested deeper than \(Self.maxDepth) levels") }
        try expect(UInt8(ascii: "{"), "'{'")
        if try peek() == UInt8(ascii: "}") { _ = try next(); return }
        while true {
            guard try peek() == UInt8(ascii: "\"") else {
                throw error(try peek() == nil ? "unexpected end of file (truncated JSON): expected a key" : "expected a quoted key")
            }
            let key = try parseString()
            try expect(UInt8(ascii: ":"), "':' after key \"\(key)\"")
            try member(key)
            let c = try take()
            if c == UInt8(ascii: "}") { return }
            guard c == UInt8(ascii: ",") else { throw error("expected ',' or '}' in an object, found '\(Self.show(c))'") }
        }
    }

    /// Walks an array's elements: `element` must consume each value.
    func walkArray(depth: Int, _ element: () throws -> Void) throws {
        guard depth < Self.maxDepth else { throw error("JSON nested deeper than \(Self.maxDepth) levels") }
        try expect(UInt8(ascii: "["), "'['")
        if try peek() == UInt8(ascii: "]") { _ = try next(); return }
        while true {
            try element()
            let c = try take()
            if c == UInt8(ascii: "]") { return }
            guard c == UInt8(ascii: ",") else { throw error("expected ',' or ']' in an array, found '\(Self.show(c))'") }
        }
    }

    /// Reads one whole value into memory.
    func parseValue(depth: Int) throws -> JSONValue {
        guard let c = try peek() else { throw error("unexpected end of file (truncated JSON): expected a value") }
        switch c {
        case UInt8(ascii: "{"):
            var members: [(key: String, value: JSONValue)] = []
            try walkObject(depth: depth + 1) { key in
                members.append((key, try parseValue(depth: depth + 1)))
            }
            return .object(members)
        case UInt8(ascii: "["):
            var elements: [JSONValue] = []
            try walkArray(depth: depth + 1) {
                elements.append(try parseValue(depth: depth + 1))
            }
            return .array(elements)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        default:
            return try parseLiteral()
        }
    }

    /// Consumes one value without keeping it.
    func skipValue(depth: Int) throws {
        guard let c = try peek() else { throw error("unexpected end of file (truncated JSON): expected a value") }
        switch c {
        case UInt8(ascii: "{"):
            try walkObject(depth: depth + 1) { _ in try skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            try walkArray(depth: depth + 1) { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""):
            _ = try parseString()
        default:
            _ = try parseLiteral()
        }
    }

    /// `true`, `false`, `null` or a number.
    private func parseLiteral() throws(HashSetError) -> JSONValue {
        var text: [UInt8] = []
        while let c = try input.peekByte() {
            let isPart = (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
                || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") || c == UInt8(ascii: "E")
            guard isPart, text.count < 64 else { break }
            text.append(try next())
        }
        switch text {
        case Array("true".utf8): return .bool(true)
        case Array("false".utf8): return .bool(false)
        case Array("null".utf8): return .null
        default:
            guard let first = text.first, first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")),
                  Double(String(decoding: text, as: UTF8.self)) != nil else {
                if text.isEmpty, let c = try input.peekByte() {
                    throw error("unexpected '\(Self.show(c))': expected a value")
                }
                throw error(text.isEmpty ? "unexpected end of file (truncated JSON): expected a value"
                                         : "'\(String(decoding: text, as: UTF8.self))' is not a JSON value")
            }
            return .number(String(decoding: text, as: UTF8.self))
        }
    }

    /// A quoted string, escapes decoded (`\uXXXX` with surrogate pairs).
    func parseString() throws(HashSetError) -> String {
        try expect(UInt8(ascii: "\""), "'\"'")
        var out: [UInt8] = []
        while true {
            let c = try next()
            switch c {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                let e = try next()
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard try next() == UInt8(ascii: "\\"), try next() == UInt8(ascii: "u") else {
                            throw error("lone UTF-16 surrogate in a string")
                        }
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("bad UTF-16 surrogate pair in a string") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    let unicode = UnicodeScalar(scalar) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(unicode)).utf8))
                default:
                    throw error("bad escape '\\\(Self.show(e))' in a string")
                }
            case 0..<0x20:
                throw error("control character in a string (unterminated string?)")
            default:
                out.append(c)
            }
        }
    }

    private func hex4() throws(HashSetError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = try next()
            let digit: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("bad \\u escape in a string")
            }
            value = value << 4 | digit
        }
        return value
    }
}
