/// Reads `md5sum`, `sha1sum` and `sha256sum` lists: `<hex>  <name>` (text mode)
/// and `<hex> *<name>` (binary mode), a bare `<hex>` per line, GNU's escaped
/// names (a leading `\`, with `\\` and `\n` inside the name), and the BSD tag
/// form `MD5 (name) = <hex>`. The digest type follows from the hex length
/// (32, 40 or 64); lists may mix types. Blank lines and `#` comments are skipped.
public struct DigestListReader: HashSetReader {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func forEach(_ body: (KnownHash) throws -> Void) throws {
        let input = try FileInput(path: path)
        try input.forEachLine { line, number in
            guard let entry = try parse(line, number: number) else { return }
            try body(entry)
        }
    }

    /// One line's entry, or nil for a blank or comment line.
    func parse(_ line: UnsafeBufferPointer<UInt8>, number: Int) throws(HashSetError) -> KnownHash? {
        var bytes = ArraySlice(line)
        bytes = Trim.blanks(bytes)
        guard let first = bytes.first, first != UInt8(ascii: "#") else { return nil }
        var escaped = false
        if first == UInt8(ascii: "\\") {
            escaped = true
            bytes = bytes.dropFirst()
        }
        if let tagged = try parseTagged(bytes, number: number) { return tagged }
        var end = bytes.startIndex
        while end < bytes.endIndex, !Trim.isBlank(bytes[end]) { end += 1 }
        let hex = bytes[bytes.startIndex..<end]
        guard let digest = try DigestField.parse(hex, name: "digest", path: path, line: number) else { return nil }
        var rest = bytes[end...]
        if rest.first == UInt8(ascii: " ") { rest = rest.dropFirst() }
        if let mode = rest.first, mode == UInt8(ascii: "*") || mode == UInt8(ascii: " ") { rest = rest.dropFirst() }
        var entry = KnownHash()
        entry.set(digest)
        if !rest.isEmpty {
            entry.fileName = escaped ? Self.unescape(rest) : String(decoding: rest, as: UTF8.self)
        }
        return entry
    }

    /// `MD5 (name) = hex`, `SHA1 (name) = hex`, `SHA256 (name) = hex`, as BSD
    /// `md5 -r`-less tools and `sha256sum --tag` print them.
    private func parseTagged(_ bytes: ArraySlice<UInt8>, number: Int) throws(HashSetError) -> KnownHash? {
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")), open > bytes.startIndex,
              bytes[open - 1] == UInt8(ascii: " "),
              let kind = DigestKind(name: String(decoding: bytes[bytes.startIndex..<(open - 1)], as: UTF8.self)) else {
            return nil
        }
        let marker = Array(") = ".utf8)
        var close: Int?
        var i = bytes.endIndex - marker.count
        while i > open {
            if bytes[i..<(i + marker.count)].elementsEqual(marker) { close = i; break }
            i -= 1
        }
        guard let close else {
            throw HashSetError(.malformed, path: path, line: number, "tagged line without ') = <hex>'")
        }
        let hex = bytes[(close + marker.count)...]
        guard let digest = try DigestField.parse(hex, expected: kind, name: kind.rawValue.uppercased(),
                                                 path: path, line: number) else {
            throw HashSetError(.malformed, path: path, line: number, "tagged line without a digest")
        }
        var entry = KnownHash()
        entry.set(digest)
        entry.fileName = String(decoding: bytes[(open + 1)..<close], as: UTF8.self)
        return entry
    }

    /// GNU coreutils' escaping of names holding `\` or a newline.
    static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let c = bytes[i]
            if c == UInt8(ascii: "\\"), i + 1 < bytes.endIndex {
                let next = bytes[i + 1]
                switch next {
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n")); i += 2; continue
                case UInt8(ascii: "r"): out.append(UInt8(ascii: "\r")); i += 2; continue
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); i += 2; continue
                default: break
                }
            }
            out.append(c)
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
