import ExhumeTestSupport
@testable import Carving
import Foundation
import Testing

@Suite("CarvingValidatorTests")
struct CarvingValidatorTests {
    static let maxSize: Int64 = 64 << 20

    func validator(_ name: String) throws -> StructureValidator {
        try #require(Validators.named(name), "no validator \(name)")
    }

    func check(_ name: String, _ bytes: [UInt8], maxSize: Int64 = maxSize) throws -> Verdict {
        try validator(name).validate(ByteArrayInput(bytes), maxSize: maxSize)
    }

    @Test(arguments: ValidatorSamples.all.map(\.file))
    func sampleFollowedByRandomBytesIsComplete(file: String) throws {
        let name = try #require(ValidatorSamples.all.first { $0.file == file }).validator
        let sample = try ValidatorSamples.bytes(file)
        var rng = SeededGenerator(seed: UInt64(sample.count))
        #expect(try check(name, sample + rng.bytes(4096)) == .complete(length: Int64(sample.count)))
        #expect(try check(name, sample) == .complete(length: Int64(sample.count)))
        // The same through an input that returns a few bytes per read.
        let short = ShortReadInput(bytes: sample + rng.bytes(100), step: 7)
        #expect(try validator(name).validate(short, maxSize: Self.maxSize) == .complete(length: Int64(sample.count)))
    }

    @Test(arguments: ValidatorSamples.all.map(\.file))
    func sampleCutInHalfIsTruncated(file: String) throws {
        let name = try #require(ValidatorSamples.all.first { $0.file == file }).validator
        let sample = try ValidatorSamples.bytes(file)
        let half = Array(sample.prefix(sample.count / 2))
        #expect(try check(name, half) == .truncated(length: Int64(half.count)))
    }

    @Test(arguments: ValidatorSamples.all.map(\.file))
    func sampleIsInvalidForEveryOtherFormat(file: String) throws {
        let name = try #require(ValidatorSamples.all.first { $0.file == file }).validator
        let sample = try ValidatorSamples.bytes(file)
        for other in Validators.all where other.name != name {
            let verdict = other.validate(ByteArrayInput(sample), maxSize: Self.maxSize)
            guard case .invalid = verdict else {
                Issue.record("\(other.name) accepted \(file): \(verdict)")
                continue
            }
        }
    }

    @Test func crc32AgreesByteByByteAndInRuns() {
        var check = CRC32()
        Array("123456789".utf8).withUnsafeBytes { check.update($0) }
        #expect(check.value == 0xCBF4_3926)   // the standard check value
        let data = (0..<100_000).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
        var bytes = CRC32()
        for byte in data { bytes.update(byte) }   // the table
        var mixed = CRC32()
        data.withUnsafeBytes { buffer in
            mixed.update(buffer[0])
            mixed.update(UnsafeRawBufferPointer(rebasing: buffer[1..<50_000]))   // libdeflate
            mixed.update(buffer[50_000])
            mixed.update(UnsafeRawBufferPointer(rebasing: buffer[50_001...]))
        }
        #expect(mixed.value == bytes.value)
    }

    @Test func randomBytesAreInvalidForEveryFormat() {
        var rng = SeededGenerator(seed: 42)
        for round in 0..<20 {
            let bytes = rng.bytes(4096 + round)
            for v in Validators.all {
                let verdict = v.validate(ByteArrayInput(bytes), maxSize: Self.maxSize)
                guard case .invalid = verdict else { Issue.record("\(v.name): \(verdict)"); continue }
            }
        }
    }

    @Test func namesAndAliasesResolve() {
        for name in ["jpeg", "jpg", "png", "gif", "bmp", "tiff", "riff", "webp", "avi", "wav", "isobmff", "mp4",
                     "pdf", "zip"] {
            #expect(Validators.named(name) != nil, "\(name)")
        }
        #expect(Validators.named("nope") == nil)
        #expect(Set(Validators.all.map(\.name)).count == Validators.all.count)
    }

    @Test func riffFormSpecificValidatorsRejectOtherForms() throws {
        let webp = try ValidatorSamples.bytes("image.webp"), wav = try ValidatorSamples.bytes("tone.wav")
        #expect(try check("webp", webp) == .complete(length: Int64(webp.count)))
        #expect(try check("wav", wav) == .complete(length: Int64(wav.count)))
        guard case .invalid = try check("wav", webp), case .invalid = try check("avi", wav) else {
            Issue.record("a form-specific RIFF validator accepted another form"); return
        }
    }

    @Test func exifThumbnailDoesNotEndTheJPEG() throws {
        let sample = try ValidatorSamples.bytes("exif-thumb.jpg")
        // The thumbnail's own SOI/EOI lie inside APP1, well before the end.
        let innerSOI = (2..<sample.count - 1).first { sample[$0] == 0xFF && sample[$0 + 1] == 0xD8 }
        let innerEOI = (2..<sample.count - 1).first { sample[$0] == 0xFF && sample[$0 + 1] == 0xD9 }
        #expect(innerSOI != nil)
        #expect((innerEOI ?? sample.count) < sample.count - 2)
        #expect(try check("jpeg", sample) == .complete(length: Int64(sample.count)))
    }

    @Test func jpegsBackToBackEndAtTheFirst() throws {
        let a = try ValidatorSamples.bytes("baseline.jpg"), b = try ValidatorSamples.bytes("progressive.jpg")
        #expect(try check("jpeg", a + b) == .complete(length: Int64(a.count)))
        #expect(try check("jpeg", b + a) == .complete(length: Int64(b.count)))
    }

    @Test func pdfIncrementalUpdateAndLinearizedEndAtTheLastEOF() throws {
        for file in ["incremental.pdf", "linearized.pdf"] {
            let sample = try ValidatorSamples.bytes(file)
            let text = String(decoding: sample, as: UTF8.self)
            #expect(text.components(separatedBy: "%%EOF").count == 3, "\(file) should hold two %%EOF")
            #expect(try check("pdf", sample + [UInt8](repeating: 0, count: 4096)) == .complete(length: Int64(sample.count)))
        }
        // Two PDFs in a row: the second header is not a continuation.
        let a = try ValidatorSamples.bytes("doc.pdf"), b = try ValidatorSamples.bytes("incremental.pdf")
        #expect(try check("pdf", a + b) == .complete(length: Int64(a.count)))
    }

    @Test func zipWithDataDescriptorsIsFoundThroughTheDirectory() throws {
        let sample = try ValidatorSamples.bytes("streamed.zip")
        #expect(sample[6] & 0x08 != 0, "the sample should use a data descriptor")
        let other = try ValidatorSamples.bytes("archive.zip")
        #expect(try check("zip", sample + other) == .complete(length: Int64(sample.count)))
        // A ZIP stored inside another is not mistaken for the outer one's end.
        #expect(try check("zip", other + sample) == .complete(length: Int64(other.count)))
    }

    @Test func maxSizeBoundsTheWork() throws {
        let bmp = try ValidatorSamples.bytes("image.bmp")
        guard case .invalid = try check("bmp", bmp, maxSize: 1000) else {
            Issue.record("a BMP declaring more than maxSize should be invalid"); return
        }
        let jpeg = try ValidatorSamples.bytes("baseline.jpg")
        #expect(try check("jpeg", jpeg, maxSize: 700) == .truncated(length: 700))
        let mp4 = try ValidatorSamples.bytes("video.mp4")
        #expect(try check("isobmff", mp4, maxSize: 1000) == .truncated(length: 1000))
        for v in Validators.all {
            guard case .invalid = v.validate(ByteArrayInput(jpeg), maxSize: 0) else {
                Issue.record("\(v.name) with maxSize 0"); continue
            }
        }
    }

    @Test func hostileStructuresTerminate() throws {
        // A TIFF whose IFD points to itself.
        var tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0, 1, 0]
        tiff += [0x00, 0x01, 3, 0, 1, 0, 0, 0, 16, 0, 0, 0]   // ImageWidth = 16
        tiff += [8, 0, 0, 0]                                  // next IFD: itself
        #expect(try check("tiff", tiff) == .complete(length: Int64(tiff.count)))
        // A JPEG that is a header followed by a megabyte of fill bytes; and one whose scan is.
        let fill = [0xFF, 0xD8] + [UInt8](repeating: 0xFF, count: 1 << 20)
        guard case .invalid = try check("jpeg", fill) else { Issue.record("endless fill accepted"); return }
        let jpeg = try ValidatorSamples.bytes("baseline.jpg")
        let sos = try #require((0..<jpeg.count - 1).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xDA })
        let scanFill = Array(jpeg.prefix(sos + 14)) + [UInt8](repeating: 0xFF, count: 1 << 20)
        #expect(try check("jpeg", scanFill) == .truncated(length: Int64(scanFill.count)))
        // ISO-BMFF boxes claiming huge sizes.
        var box: [UInt8] = [0, 0, 0, 1] + Array("ftyp".utf8) + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        box += [UInt8](repeating: 0x20, count: 16)
        guard case .invalid = try check("isobmff", box) else { Issue.record("huge ftyp accepted"); return }
        // A RIFF claiming 4 GiB.
        let riff = Array("RIFF".utf8) + [0xFF, 0xFF, 0xFF, 0xFF] + Array("WEBPVP8 ".utf8) + [10, 0, 0, 0]
            + [UInt8](repeating: 0, count: 10)
        #expect(try check("riff", riff) == .truncated(length: Int64(riff.count)))
    }

    @Test func fuzzedInputsAlwaysReturn() throws {
        var rng = SeededGenerator(seed: 2024)
        let samples = try ValidatorSamples.all.map { try ValidatorSamples.bytes($0.file) }
        for round in 0..<2000 {
            var bytes: [UInt8]
            switch round % 4 {
            case 0:
                bytes = rng.bytes(Int.random(in: 0...2048, using: &rng))
            case 1:   // a sample with bytes flipped
                bytes = samples[round % samples.count]
                for _ in 0..<Int.random(in: 1...16, using: &rng) where !bytes.isEmpty {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
            case 2:   // a sample cut anywhere
                let s = samples[round % samples.count]
                bytes = Array(s.prefix(Int.random(in: 0...s.count, using: &rng)))
            default:  // a sample's header followed by random bytes, with 32-bit fields set to extremes
                let s = samples[round % samples.count]
                bytes = Array(s.prefix(Int.random(in: 4...64, using: &rng))) + rng.bytes(512)
                for _ in 0..<4 {
                    let at = Int.random(in: 0..<(bytes.count - 4), using: &rng)
                    let value: UInt8 = Bool.random(using: &rng) ? 0xFF : 0x00
                    for i in 0..<4 { bytes[at + i] = value }
                }
            }
            for v in Validators.all {
                switch v.validate(ByteArrayInput(bytes), maxSize: 1 << 20) {
                case .complete(let length):
                    #expect(length > 0 && length <= Int64(bytes.count), "\(v.name) round \(round)")
                case .truncated(let length):
                    #expect(length >= 0 && length <= Int64(bytes.count), "\(v.name) round \(round)")
                case .invalid:
                    break
                }
            }
        }
    }
}
