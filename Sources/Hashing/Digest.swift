/// An MD5, SHA-1 or SHA-256 digest held as bytes, inline (no heap allocation).
///
/// The bytes are kept as four big-endian 64-bit words, zero-padded, so that
/// comparing the words compares the digests byte by byte.
public struct Digest: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let kind: DigestKind
    let w0: UInt64
    let w1: UInt64
    let w2: UInt64
    let w3: UInt64

    init(kind: DigestKind, words w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        self.kind = kind
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    /// Parses hex digits (upper, lower or mixed case); the kind follows from the
    /// length (32, 40 or 64 digits). Nil for any other length or a non-hex digit.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard case .success(let digest) = utf8.withUnsafeBufferPointer({ Digest.parse(hex: $0) }) else { return nil }
        self = digest
    }

    /// A digest of `kind` from its raw bytes; nil when the count is not the kind's length.
    public init?(kind: DigestKind, bytes: some Collection<UInt8>) {
        guard bytes.count == kind.byteCount else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        for (i, byte) in bytes.enumerated() {
            let shift = UInt64(56 - (i % 8) * 8)
            let value = UInt64(byte) << shift
            switch i / 8 {
            case 0: words.0 |= value
            case 1: words.1 |= value
            case 2: words.2 |= value
            default: words.3 |= value
            }
        }
        self.init(kind: kind, words: words.0, words.1, words.2, words.3)
    }

    /// Why a hex string is not a digest.
    enum HexProblem: Error, Equatable {
        case length(Int)
        case character(Int)
    }

    /// Parses hex bytes without allocating; reports the wrong length or the first bad digit.
    static func parse(hex: UnsafeBufferPointer<UInt8>) -> Result<Digest, HexProblem> {
        guard let kind = DigestKind(hexLength: hex.count) else { return .failure(.length(hex.count)) }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var word: UInt64 = 0
        for i in 0..<hex.count {
            let c = hex[i]
            let nibble: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = c &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = c &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = c &- UInt8(ascii: "A") &+ 10
            default: return .failure(.character(i))
            }
            word = word << 4 | UInt64(nibble)
            if i % 16 == 15 || i == hex.count - 1 {
                let filled = i % 16 + 1
                if filled < 16 { word <<= UInt64(4 * (16 - filled)) }
                switch i / 16 {
                case 0: words.0 = word
                case 1: words.1 = word
                case 2: words.2 = word
                default: words.3 = word
                }
                word = 0
            }
        }
        return .success(Digest(kind: kind, words: words.0, words.1, words.2, words.3))
    }

    /// The digest's bytes (16, 20 or 32 of them).
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(kind.byteCount)
        for i in 0..<kind.byteCount { out.append(byte(at: i)) }
        return out
    }

    /// Byte `i` of the digest.
    @inline(__always)
    func byte(at i: Int) -> UInt8 {
        let word: UInt64
        switch i / 8 {
        case 0: word = w0
        case 1: word = w1
        case 2: word = w2
        default: word = w3
        }
        return UInt8(truncatingIfNeeded: word >> UInt64(56 - (i % 8) * 8))
    }

    /// Lower-case hex, as `md5sum` prints it.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(kind.byteCount * 2)
        for i in 0..<kind.byteCount {
            let b = byte(at: i)
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    public static func < (lhs: Digest, rhs: Digest) -> Bool {
        if lhs.kind != rhs.kind { return lhs.kind < rhs.kind }
        return (lhs.w0, lhs.w1, lhs.w2, lhs.w3) < (rhs.w0, rhs.w1, rhs.w2, rhs.w3)
    }
}
