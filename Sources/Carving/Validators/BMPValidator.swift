/// Windows/OS2 bitmap: the BITMAPFILEHEADER's file size, checked against the DIB header.
///
/// The DIB header size must be 12, 40, 52, 56, 64, 108 or 124; width, height, planes (1), bit depth
/// and compression must be plausible; the pixel data offset must lie after the headers and, for
/// uncompressed bitmaps, the declared size must hold the pixel rows. A declared size past `maxSize`
/// is invalid; past the available bytes, truncated.
public struct BMPValidator: StructureValidator {
    public let name = "bmp"
    public init() {}

    public func validate(_ input: CarveInput, maxSize: Int64) -> Verdict {
        ByteCursor(input, maxSize: maxSize).run { c throws(ValidationStop) in
            try require(try c.matches([0x42, 0x4D]).orEnd(), "no BM")
            c.position = 2
            let fileSize = Int64(try c.u32le().orEnd())
            try c.skip(4).orEnd()
            let pixelOffset = Int64(try c.u32le().orEnd())
            let dibSize = try c.u32le().orEnd()
            try require([12, 40, 52, 56, 64, 108, 124].contains(dibSize), "DIB header size \(dibSize)")
            let width: Int64, height: Int64, planes: UInt16, bpp: UInt16
            var compression: UInt32 = 0
            if dibSize == 12 {
                width = Int64(try c.u16le().orEnd())
                height = Int64(try c.u16le().orEnd())
                planes = try c.u16le().orEnd()
                bpp = try c.u16le().orEnd()
            } else {
                width = Int64(Int32(bitPattern: try c.u32le().orEnd()))
                height = Int64(Int32(bitPattern: try c.u32le().orEnd()))
                planes = try c.u16le().orEnd()
                bpp = try c.u16le().orEnd()
                compression = try c.u32le().orEnd()
            }
            try require(width > 0 && width <= 1 << 16 && height != 0 && abs(height) <= 1 << 16,
                        "dimensions \(width)x\(height)")
            try require(planes == 1, "planes \(planes)")
            try require([0, 1, 2, 4, 8, 16, 24, 32, 48, 64].contains(bpp), "bit depth \(bpp)")
            try require(compression <= 13, "compression \(compression)")
            try require(pixelOffset >= 14 + Int64(dibSize) && pixelOffset < fileSize,
                        "pixel data offset \(pixelOffset)")
            if compression == 0 || compression == 3 || compression == 6 {
                try require(bpp != 0, "uncompressed with no bit depth")
                let stride = (width * Int64(bpp) + 31) / 32 * 4
                try require(fileSize >= pixelOffset + stride * abs(height), "size too small for pixels")
            }
            try require(fileSize <= maxSize, "declared size \(fileSize) exceeds maxSize")
            return .complete(length: fileSize)
        }
    }
}
