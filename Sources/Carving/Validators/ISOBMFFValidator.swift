/// ISO base media files and QuickTime (MP4, MOV, 3GP, HEIC, AVIF): a walk over the top-level boxes.
///
/// The first box must be `ftyp` (or `moov`, `mdat`, `wide`, `free`, `skip`, `pnot` for old
/// QuickTime); size 1 means a 64-bit largesize, size 0 "to the end" (reported as truncated, since
/// the end is unknown). Every top-level type must be a known printable four-character code; the
/// walk stops at the first thing that is not a box, and that is the end. Complete needs `ftyp` or
/// `moov`, plus `mdat` and `moov` (or `meta` for HEIF/AVIF); otherwise truncated.
public struct ISOBMFFValidator: StructureValidator {
    public let name = "isobmff"
    public init() {}

    static func code(_ s: String) -> UInt32 { s.utf8.reduce(0) { $0 << 8 | UInt32($1) } }
    static let firstTypes: Set<UInt32> = Set(["ftyp", "moov", "mdat", "wide", "free", "skip", "pnot"].map(code))
    static let topLevel: Set<UInt32> = Set([
        "ftyp", "moov", "mdat", "free", "skip", "wide", "uuid", "meta", "pdin", "moof", "mfra", "sidx",
        "ssix", "styp", "emsg", "prft", "pnot", "udta", "junk", "PICT", "jP  ", "jp2h", "jp2c", "idat",
        "iinf", "iloc", "mvex", "imda", "etyp", "otyp", "bloc", "ainf",
    ].map(code))

    public func validate(_ input: CarveInput, maxSize: Int64) -> Verdict {
        ByteCursor(input, maxSize: maxSize).run { c throws(ValidationStop) in
            var seen = Set<UInt32>()
            var at: Int64 = 0
            var boxes = 0
            while true {
                c.position = at
                // The end of the bytes exactly at a box boundary: no more boxes.
                guard at < c.limit else { break }
                guard let size32 = c.u32be(), let type = c.u32be() else {
                    if boxes == 0 { throw .outOfData }
                    break
                }
                let printable = (0..<4).allSatisfy { isPrintableASCII(UInt8(truncatingIfNeeded: type >> ($0 * 8))) }
                let known = boxes == 0 ? Self.firstTypes.contains(type) : Self.topLevel.contains(type)
                if !printable || !known {
                    try require(boxes > 0, "first box is not ftyp/moov/mdat")
                    break
                }
                var size = Int64(size32)
                if size32 == 1 {
                    guard let large = c.u64be() else { if boxes == 0 { throw .outOfData }; break }
                    guard large >= 16, large <= UInt64(Int64.max / 2) else {
                        try require(boxes > 0, "bad largesize"); break
                    }
                    size = Int64(large)
                } else if size32 == 0 {
                    // Extends to the end of the file, which a carver cannot know.
                    seen.insert(type)
                    try require(seen.contains(Self.code("ftyp")) || seen.contains(Self.code("moov")),
                                "no ftyp or moov")
                    throw .outOfData
                } else if size32 < 8 {
                    try require(boxes > 0, "box size \(size32)")
                    break
                }
                if type == Self.code("ftyp") {
                    try require(boxes == 0 && size >= 16 && size <= 4096, "ftyp size \(size)")
                    let brand = c.u32be() ?? 0x2020_2020
                    try require((0..<4).allSatisfy { isPrintableASCII(UInt8(truncatingIfNeeded: brand >> ($0 * 8))) },
                                "unprintable major brand")
                }
                seen.insert(type)
                boxes += 1
                let (next, overflow) = at.addingReportingOverflow(size)
                if overflow || next > c.limit { throw .outOfData }
                at = next
            }
            try require(seen.contains(Self.code("ftyp")) || seen.contains(Self.code("moov")), "no ftyp or moov")
            let hasIndex = seen.contains(Self.code("moov")) || seen.contains(Self.code("meta"))
            if hasIndex && seen.contains(Self.code("mdat")) { return .complete(length: at) }
            return .truncated(length: at)
        }
    }
}
