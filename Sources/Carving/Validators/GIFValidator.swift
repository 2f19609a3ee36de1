/// GIF87a/GIF89a: header, logical screen descriptor, global color table, then image descriptors
/// (local color table, LZW code size, data sub-blocks) and extensions (sub-blocks) to the 0x3B trailer.
/// A complete file needs at least one image.
public struct GIFValidator: StructureValidator {
    public let name = "gif"
    public init() {}

    public func validate(_ input: CarveInput, maxSize: Int64) -> Verdict {
        ByteCursor(input, maxSize: maxSize).run { c throws(ValidationStop) in
            let is87 = try c.matches(Array("GIF87a".utf8)).orEnd()
            let is89 = try c.matches(Array("GIF89a".utf8)).orEnd()
            try require(is87 || is89, "no GIF header")
            c.position = 6
            let width = try c.u16le().orEnd(), height = try c.u16le().orEnd()
            try require(width > 0 && height > 0, "empty logical screen")
            let flags = try c.u8().orEnd()
            try c.skip(2).orEnd()
            if flags & 0x80 != 0 { try c.skip(3 << ((flags & 7) + 1)).orEnd() }
            var images = 0
            while true {
                let introducer = try c.u8().orEnd()
                switch introducer {
                case 0x3B:
                    try require(images > 0, "trailer before any image")
                    return .complete(length: c.position)
                case 0x2C:
                    try c.skip(8).orEnd()   // left, top, width, height
                    let local = try c.u8().orEnd()
                    if local & 0x80 != 0 { try c.skip(3 << ((local & 7) + 1)).orEnd() }
                    let codeSize = try c.u8().orEnd()
                    try require((1...12).contains(codeSize), "LZW code size \(codeSize)")
                    try skipSubBlocks(c)
                    images += 1
                case 0x21:
                    let label = try c.u8().orEnd()
                    try require([0x01, 0xF9, 0xFE, 0xFF].contains(label) || is87 == false,
                                "extension label \(label)")
                    try skipSubBlocks(c)
                default:
                    throw .invalid("block introducer \(introducer) at \(c.position - 1)")
                }
            }
        }
    }

    /// Skips data sub-blocks up to and including the zero-length terminator.
    private func skipSubBlocks(_ c: ByteCursor) throws(ValidationStop) {
        while true {
            let size = try c.u8().orEnd()
            if size == 0 { return }
            try c.skip(Int64(size)).orEnd()
        }
    }
}
