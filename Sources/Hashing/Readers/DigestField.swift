/// Turns a text field into a ``Digest`` with an error that names the file, the
/// place and the field.
enum DigestField {
    /// Parses `field` (blanks trimmed; case-insensitive hex). Nil for an empty field.
    /// With `expected`, a digest of another length is an error.
    static func parse(_ field: ArraySlice<UInt8>, expected: DigestKind? = nil, name: String,
                      path: String, line: Int? = nil, row: Int? = nil,
                      offset: Int64? = nil) throws(HashSetError) -> Digest? {
        try field.withUnsafeBufferPointer { (bytes) throws(HashSetError) in
            try parse(bytes, expected: expected, name: name, path: path, line: line, row: row, offset: offset)
        }
    }

    /// Parses `field` in place (a database column's bytes, never copied).
    static func parse(_ field: UnsafeBufferPointer<UInt8>, expected: DigestKind? = nil, name: String,
                      path: String, line: Int? = nil, row: Int? = nil,
                      offset: Int64? = nil) throws(HashSetError) -> Digest? {
        var lo = 0
        var hi = field.count
        while lo < hi, Trim.isBlank(field[lo]) { lo += 1 }
        while hi > lo, Trim.isBlank(field[hi - 1]) { hi -= 1 }
        if lo == hi { return nil }
        let trimmed = UnsafeBufferPointer(rebasing: field[lo..<hi])
        switch Digest.parse(hex: trimmed) {
        case .success(let digest):
            if let expected, digest.kind != expected {
                throw HashSetError(.badDigest, path: path, line: line, row: row, offset: offset,
                                   "\(name): wrong hash length \(trimmed.count) (expected \(expected.byteCount * 2) hex digits for \(expected.rawValue.uppercased()))")
            }
            return digest
        case .failure(let problem):
            if case .length(let n) = problem, let expected {
                throw HashSetError(.badDigest, path: path, line: line, row: row, offset: offset,
                                   "\(name): wrong hash length \(n) (expected \(expected.byteCount * 2) hex digits for \(expected.rawValue.uppercased()))")
            }
            throw HashSetError(.badDigest, path: path, line: line, row: row, offset: offset,
                               HashSetError.digestMessage(problem, field: name))
        }
    }

    static func parse(_ text: String, expected: DigestKind? = nil, name: String, path: String,
                      line: Int? = nil, row: Int? = nil, offset: Int64? = nil) throws(HashSetError) -> Digest? {
        try parse(ArraySlice(text.utf8), expected: expected, name: name, path: path, line: line, row: row, offset: offset)
    }
}
