/// Reads `hashdeep` files:
///
/// ```
/// %%%% HASHDEEP-1.0
/// %%%% size,md5,sha256,filename
/// ## Invoked from: /home/user
/// 5,5d41402abc4b2a76b9719d911017c592,2cf24dba…,/home/user/hello.txt
/// ```
///
/// Columns come in the order the second header line names; `md5`, `sha1` and
/// `sha256` become digests, `size` the size, `filename` (always last, so it may
/// hold commas) the name; other columns (`tiger`, `whirlpool`…) are kept in `extra`.
public struct HashdeepReader: HashSetReader {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func forEach(_ body: (KnownHash) throws -> Void) throws {
        let input = try FileInput(path: path)
        var sawMagic = false
        var columns: [String]?
        try input.forEachLine { line, number in
            let bytes = ArraySlice(line)
            if bytes.starts(with: "%%%%".utf8) {
                let text = String(decoding: bytes.dropFirst(4), as: UTF8.self).trimmingBlanks()
                if text.uppercased().hasPrefix("HASHDEEP-") {
                    sawMagic = true
                } else if sawMagic {
                    columns = text.split(separator: ",", omittingEmptySubsequences: false)
                        .map { $0.trimmingBlanks().lowercased() }
                    guard columns?.contains(where: { DigestKind(name: $0) != nil }) == true else {
                        throw HashSetError(.malformed, path: path, line: number,
                                           "hashdeep column line names no md5, sha1 or sha256 column")
                    }
                } else {
                    throw HashSetError(.malformed, path: path, line: number,
                                       "expected the '%%%% HASHDEEP-1.0' header first")
                }
                return
            }
            if bytes.starts(with: "##".utf8) || Trim.blanks(bytes).isEmpty { return }
            guard let columns else {
                throw HashSetError(.malformed, path: path, line: number,
                                   sawMagic ? "data line before the '%%%% size,md5,…,filename' column line"
                                            : "not a hashdeep file: no '%%%% HASHDEEP-1.0' header")
            }
            try body(parse(bytes, columns: columns, number: number))
        }
        if columns == nil {
            throw HashSetError(.malformed, path: path, "not a hashdeep file: no '%%%% HASHDEEP-1.0' header and column line")
        }
    }

    private func parse(_ bytes: ArraySlice<UInt8>, columns: [String], number: Int) throws(HashSetError) -> KnownHash {
        var fields: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var i = bytes.startIndex
        // The last column takes the rest of the line: names may hold commas.
        while i < bytes.endIndex, fields.count < columns.count - 1 {
            if bytes[i] == UInt8(ascii: ",") {
                fields.append(bytes[start..<i])
                start = i + 1
            }
            i += 1
        }
        fields.append(bytes[start...])
        guard fields.count == columns.count else {
            throw HashSetError(.malformed, path: path, line: number,
                               "\(fields.count) fields where the header names \(columns.count) (\(columns.joined(separator: ",")))")
        }
        var entry = KnownHash()
        for (column, field) in zip(columns, fields) {
            if let kind = DigestKind(name: column) {
                if let digest = try DigestField.parse(field, expected: kind, name: column, path: path, line: number) {
                    entry.set(digest)
                }
            } else if column == "size" {
                let text = String(decoding: Trim.blanks(field), as: UTF8.self)
                guard let size = Int64(text), size >= 0 else {
                    throw HashSetError(.malformed, path: path, line: number, "size: '\(text)' is not a byte count")
                }
                entry.size = size
            } else if column == "filename" {
                entry.fileName = String(decoding: field, as: UTF8.self)
            } else {
                entry.extra[column] = String(decoding: field, as: UTF8.self)
            }
        }
        guard entry.hasDigest else {
            throw HashSetError(.malformed, path: path, line: number, "line has no digest")
        }
        return entry
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line ends.
    func trimmingBlanks() -> String {
        var scalars = Substring(self)
        while let c = scalars.first, c.isWhitespace { scalars = scalars.dropFirst() }
        while let c = scalars.last, c.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
