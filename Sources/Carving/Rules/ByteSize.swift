/// Parses the sizes written in rule files.
public enum ByteSize {
    /// Decimal (`kB`, `MB`, `GB`, `TB`: powers of 1000) and binary (`KiB`,
    /// `MiB`, `GiB`, `TiB`: powers of 1024) units, case-insensitive; `B` or
    /// no unit means bytes.
    static let units: [(String, Int64)] = [
        ("b", 1),
        ("kb", 1_000), ("mb", 1_000_000), ("gb", 1_000_000_000), ("tb", 1_000_000_000_000),
        ("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30), ("tib", 1 << 40),
    ]

    /// Parses `512`, `64MiB`, `2GB`, `4 KiB`: a non-negative integer and an
    /// optional unit. Returns nil for anything else (fractions, bare `K`/`M`/`G`,
    /// negative numbers, overflow).
    public static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingASCIISpaces()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let value = Int64(digits) else { return nil }
        let unit = String(trimmed.dropFirst(digits.count)).trimmingASCIISpaces().lowercased()
        let multiplier: Int64
        if unit.isEmpty {
            multiplier = 1
        } else if let match = units.first(where: { $0.0 == unit }) {
            multiplier = match.1
        } else {
            return nil
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : product
    }

    /// `67108864` → `64MiB`, the form used in messages and documentation.
    public static func format(_ size: Int64) -> String {
        for (unit, factor) in [("TiB", Int64(1) << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        where size >= factor && size % factor == 0 {
            return "\(size / factor)\(unit)"
        }
        return "\(size)"
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
