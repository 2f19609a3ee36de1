internal import CInflate

/// PNG: the 8-byte signature, then chunks (length, type, data, CRC-32) to IEND.
///
/// The first chunk must be a 13-byte IHDR; every CRC is checked; chunk types must be four ASCII
/// letters; IEND needs an IDAT before it. Running out of bytes is truncated; so is a chunk that
/// breaks after a valid IHDR (the file was cut and never-written or foreign bytes follow): the
/// partial file ends with the broken chunk.
public struct PNGValidator: StructureValidator {
    public let name = "png"
    public init() {}

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    public func validate(_ input: CarveInput, maxSize: Int64) -> Verdict {
        ByteCursor(input, maxSize: maxSize).run { c throws(ValidationStop) in
            try require(try c.matches(Self.signature).orEnd(), "no PNG signature")
            c.position = 8
            var first = true, sawIDAT = false
            while true {
                let length = try c.u32be().orEnd()
                if length > 0x7FFF_FFFF && !first { return .truncated(length: c.position - 4) }
                try require(length <= 0x7FFF_FFFF, "chunk length \(length)")
                let typeStart = c.position
                var type: UInt32 = 0
                var crc = CRC32()
                for _ in 0..<4 {
                    let byte = try c.u8().orEnd()
                    let letter = (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
                    if !letter && !first { return .truncated(length: typeStart - 4) }
                    try require(letter, "chunk type byte \(byte) at \(typeStart)")
                    type = type << 8 | UInt32(byte)
                    crc.update(byte)
                }
                if first {
                    try require(type == 0x4948_4452 && length == 13, "first chunk is not IHDR")
                    first = false
                }
                try c.forEachSpan(Int64(length)) { crc.update($0) }.orEnd()
                let stored = try c.u32be().orEnd()
                if stored != crc.value && type != 0x4948_4452 { return .truncated(length: c.position) }
                try require(stored == crc.value, "bad CRC in chunk at \(typeStart - 4)")
                if type == 0x4944_4154 { sawIDAT = true }
                if type == 0x4945_4E44 {
                    try require(sawIDAT, "IEND without IDAT")
                    return .complete(length: c.position)
                }
            }
        }
    }
}

/// CRC-32 (ISO 3309, the polynomial PNG and ZIP use): bytes one at a time from a
/// table, runs of bytes with libdeflate's (carry-less multiply, ~50× faster).
struct CRC32 {
    static let table: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    private var state: UInt32 = 0xFFFF_FFFF

    var value: UInt32 { state ^ 0xFFFF_FFFF }

    @inline(__always)
    mutating func update(_ byte: UInt8) {
        state = Self.table[Int((state ^ UInt32(byte)) & 0xFF)] ^ (state >> 8)
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        // libdeflate keeps the CRC finished (inverted) between calls; we keep it running.
        state = exhume_crc32(state ^ 0xFFFF_FFFF, bytes.baseAddress, bytes.count) ^ 0xFFFF_FFFF
    }
}
