/// The three digests of one item.
public struct Digests: Sendable, Hashable, Codable {
    public var md5: [UInt8]
    public var sha1: [UInt8]
    public var sha256: [UInt8]

    public init(md5: [UInt8], sha1: [UInt8], sha256: [UInt8]) {
        self.md5 = md5
        self.sha1 = sha1
        self.sha256 = sha256
    }

    public var md5Hex: String { Digests.hex(md5) }
    public var sha1Hex: String { Digests.hex(sha1) }
    public var sha256Hex: String { Digests.hex(sha256) }

    /// Lower-case hex.
    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
