/// TIFF (II*\0 / MM\0*): the IFD chain, SubIFDs and EXIF IFDs, and every block they reference
/// (out-of-line values, strips, tiles, JPEG interchange data); the file ends at the furthest one.
///
/// Each IFD is visited once and at most 1,024 are read (no loops); entry types must be known for
/// most entries, the first IFD must describe an image, and offsets past `maxSize` are invalid.
/// BigTIFF is not handled (invalid).
public struct TIFFValidator: StructureValidator {
    public let name = "tiff"
    public init() {}

    static let maxIFDs = 1024
    static let maxArray: Int64 = 1 << 20

    public func validate(_ input: CarveInput, maxSize: Int64) -> Verdict {
        ByteCursor(input, maxSize: maxSize).run { c throws(ValidationStop) in
            let little: Bool
            if try c.matches([0x49, 0x49, 0x2A, 0x00]).orEnd() { little = true }
            else if try c.matches([0x4D, 0x4D, 0x00, 0x2A]).orEnd() { little = false }
            else { throw .invalid("no TIFF header") }
            c.position = 4
            let u16 = { () throws(ValidationStop) -> Int64 in Int64(try (little ? c.u16le() : c.u16be()).orEnd()) }
            let u32 = { () throws(ValidationStop) -> Int64 in Int64(try (little ? c.u32le() : c.u32be()).orEnd()) }
            let first = try u32()
            var end: Int64 = 8
            var pending: [Int64] = [first]
            var visited = Set<Int64>()
            var sawImage = false
            while let ifd = pending.popLast() {
                if ifd == 0 || visited.contains(ifd) { continue }
                try require(visited.count < Self.maxIFDs, "too many IFDs")
                try require(ifd >= 8 && ifd < maxSize, "IFD offset \(ifd)")
                visited.insert(ifd)
                c.position = ifd
                let count = try u16()
                try require(count > 0 && count <= 4096, "IFD entry count \(count)")
                end = max(end, ifd + 2 + count * 12 + 4)
                var badTypes: Int64 = 0
                var strips: [Int64] = [], stripCounts: [Int64] = []
                var jpegOffset: Int64?, jpegLength: Int64?
                for i in 0..<count {
                    c.position = ifd + 2 + i * 12
                    let tag = try u16(), type = try u16(), n = try u32()
                    let valueAt = c.position
                    guard let size = Self.typeSize[Int(type)], size > 0 else { badTypes += 1; continue }
                    try require(n <= Self.maxArray, "value count \(n)")
                    let bytes = n * size
                    let dataAt = bytes > 4 ? try u32() : valueAt
                    if bytes > 4 {
                        try require(dataAt >= 8 && dataAt + bytes <= maxSize, "value offset \(dataAt)")
                        end = max(end, dataAt + bytes)
                    }
                    switch tag {
                    case 256, 257: sawImage = true
                    case 273, 324: strips = try readArray(c, at: dataAt, count: n, type: type, u16: u16, u32: u32)
                    case 279, 325: stripCounts = try readArray(c, at: dataAt, count: n, type: type, u16: u16, u32: u32)
                    case 513: jpegOffset = try readArray(c, at: dataAt, count: 1, type: type, u16: u16, u32: u32).first
                    case 514: jpegLength = try readArray(c, at: dataAt, count: 1, type: type, u16: u16, u32: u32).first
                    case 330, 34665, 34853, 40965:  // SubIFDs, EXIF, GPS, Interoperability
                        if type == 4 || type == 13 {
                            pending += try readArray(c, at: dataAt, count: min(n, 64), type: 4, u16: u16, u32: u32)
                        }
                    default: break
                    }
                }
                try require(badTypes * 2 <= count, "unknown entry types")
                for (offset, length) in zip(strips, stripCounts) where length > 0 {
                    try require(offset + length <= maxSize, "strip past maxSize")
                    end = max(end, offset + length)
                }
                if let offset = jpegOffset, let length = jpegLength, length > 0 {
                    try require(offset + length <= maxSize, "JPEG data past maxSize")
                    end = max(end, offset + length)
                }
                c.position = ifd + 2 + count * 12
                pending.append(try u32())
            }
            try require(sawImage, "no image in any IFD")
            return .complete(length: end)
        }
    }

    /// Byte size of each TIFF field type (0 = unknown).
    static let typeSize: [Int: Int64] = [1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8,
                                         11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8]

    /// Reads `count` SHORT or LONG values at `at` (inline or out of line).
    private func readArray(_ c: ByteCursor, at: Int64, count: Int64, type: Int64,
                           u16: () throws(ValidationStop) -> Int64,
                           u32: () throws(ValidationStop) -> Int64) throws(ValidationStop) -> [Int64] {
        guard type == 3 || type == 4 || type == 13 else { return [] }
        let saved = c.position
        defer { c.position = saved }
        c.position = at
        var values: [Int64] = []
        values.reserveCapacity(Int(min(count, 4096)))
        for _ in 0..<count { values.append(type == 3 ? try u16() : try u32()) }
        return values
    }
}
