/// Splits one line of a delimited file into fields: a one-byte separator, and
/// optional double-quote quoting with `""` as an escaped quote.
///
/// Lenient where real exports are sloppy (NSRL file names hold stray quotes): a
/// quote inside a quoted field that is not followed by the separator, another
/// quote or the end of the line is kept as a literal quote. Fields cannot span
/// lines. The storage is reused from line to line, so splitting allocates
/// nothing once it has grown.
struct FieldSplitter {
    let separator: UInt8
    private(set) var storage: [UInt8] = []
    private(set) var ranges: [Range<Int>] = []

    init(separator: UInt8) {
        self.separator = separator
    }

    var count: Int { ranges.count }

    /// Splits `line`; returns false when a quoted field is not closed.
    mutating func split(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        storage.removeAll(keepingCapacity: true)
        ranges.removeAll(keepingCapacity: true)
        let quote = UInt8(ascii: "\"")
        var i = 0
        let n = line.count
        while true {
            let start = storage.count
            // Leading blanks before an opening quote are ignored.
            var j = i
            while j < n, line[j] == UInt8(ascii: " ") { j += 1 }
            if j < n, line[j] == quote {
                i = j + 1
                var closed = false
                while i < n {
                    let c = line[i]
                    if c == quote {
                        if i + 1 < n, line[i + 1] == quote {
                            storage.append(quote)
                            i += 2
                            continue
                        }
                        var k = i + 1
                        while k < n, line[k] == UInt8(ascii: " ") { k += 1 }
                        if k >= n || line[k] == separator {
                            closed = true
                            i = k
                            break
                        }
                        storage.append(quote)  // stray quote inside the field
                        i += 1
                        continue
                    }
                    storage.append(c)
                    i += 1
                }
                ranges.append(start..<storage.count)
                if !closed { return false }
            } else {
                while i < n, line[i] != separator {
                    storage.append(line[i])
                    i += 1
                }
                ranges.append(start..<storage.count)
            }
            if i >= n { return true }
            i += 1  // the separator
            if i == n {
                ranges.append(storage.count..<storage.count)
                return true
            }
        }
    }

    /// Field `index`'s bytes (empty when the line has fewer fields).
    func bytes(_ index: Int) -> ArraySlice<UInt8> {
        guard index >= 0, index < ranges.count else { return [] }
        return storage[ranges[index]]
    }

    /// Field `index` as text, blanks trimmed; nil when empty or absent.
    func string(_ index: Int) -> String? {
        let field = Trim.blanks(bytes(index))
        return field.isEmpty ? nil : String(decoding: field, as: UTF8.self)
    }
}

/// Blank trimming on byte slices.
enum Trim {
    static func isBlank(_ c: UInt8) -> Bool {
        c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r")
    }

    static func blanks(_ field: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var lo = field.startIndex
        var hi = field.endIndex
        while lo < hi, isBlank(field[lo]) { lo += 1 }
        while hi > lo, isBlank(field[hi - 1]) { hi -= 1 }
        return field[lo..<hi]
    }
}
