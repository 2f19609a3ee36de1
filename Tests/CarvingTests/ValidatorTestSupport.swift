import ExhumeTestSupport
import Carving
import Foundation

/// The sample files next to this source file (loaded by path, not as bundle resources).
enum ValidatorSamples {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Samples")

    /// Every sample and the validator that should accept it. Cutting any of them in half gives
    /// `.truncated`: every format here can tell a cut file from a foreign one.
    static let all: [(file: String, validator: String)] = [
        ("baseline.jpg", "jpeg"), ("progressive.jpg", "jpeg"), ("exif-thumb.jpg", "jpeg"),
        ("image.png", "png"), ("animated.gif", "gif"), ("image.bmp", "bmp"), ("multipage.tif", "tiff"),
        ("image.webp", "riff"), ("tone.wav", "riff"), ("clip.avi", "riff"), ("video.mp4", "isobmff"), ("video.mov", "isobmff"),
        ("doc.pdf", "pdf"), ("linearized.pdf", "pdf"), ("incremental.pdf", "pdf"),
        ("archive.zip", "zip"), ("document.docx", "zip"), ("streamed.zip", "zip"),
    ]

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
    }
}


/// An input that hands out at most `step` bytes per read, like a reader stopping at chunk edges.
struct ShortReadInput: CarveInput {
    let bytes: [UInt8]
    let step: Int
    var length: Int64 { Int64(bytes.count) }
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Int {
        guard offset >= 0, offset < Int64(bytes.count) else { return 0 }
        let n = min(step, buffer.count, bytes.count - Int(offset))
        for i in 0..<n { buffer[i] = bytes[Int(offset) + i] }
        return n
    }
}

extension SeededGenerator {
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) } }
}
