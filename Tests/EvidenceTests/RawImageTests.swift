@testable import Evidence
import ExhumeTestSupport
import Foundation
import Testing

struct RawImageTests {
    /// Writes `parts` as files `name.<suffix>` in a fresh folder.
    func makeSegments(_ parts: [[UInt8]], suffixes: [String], base: String = "disk") throws -> (URL, [String]) {
        let dir = try Locations.temporaryDirectory("raw")
        var paths: [String] = []
        for (part, suffix) in zip(parts, suffixes) {
            let url = dir.appendingPathComponent("\(base).\(suffix)")
            try Data(part).write(to: url)
            paths.append(url.path)
        }
        return (dir, paths)
    }

    func readAll(_ source: any ImageSource, chunk: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: chunk)
        var offset: Int64 = 0
        while true {
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0, at: offset) }
            if n == 0 { break }
            out += buffer[0..<n]
            offset += Int64(n)
        }
        return out
    }

    @Test func readsSingleFileWithShortReadAtEnd() throws {
        let bytes = (0..<5000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let (dir, paths) = try makeSegments([bytes], suffixes: ["dd"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = try RawImage(path: paths[0])
        #expect(image.size == 5000)
        #expect(image.format == .raw)
        var buffer = [UInt8](repeating: 0, count: 1024)
        let n = try buffer.withUnsafeMutableBytes { try image.read(into: $0, at: 4500) }
        #expect(n == 500)
        #expect(Array(buffer[0..<500]) == Array(bytes[4500...]))
        let beyond = try buffer.withUnsafeMutableBytes { try image.read(into: $0, at: 6000) }
        #expect(beyond == 0)
    }

    @Test(arguments: [["001", "002", "003"], ["000", "001", "002"], ["aa", "ab", "ac"]])
    func splitRawReadsAcrossSegmentBoundaries(suffixes: [String]) throws {
        let parts = [[UInt8](repeating: 1, count: 1000), [UInt8](repeating: 2, count: 700), [UInt8](repeating: 3, count: 333)]
        let (dir, paths) = try makeSegments(parts, suffixes: suffixes)
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = try RawImage(path: paths[0])
        #expect(image.files == paths)
        #expect(image.format == .splitRaw)
        #expect(image.size == 2033)
        #expect(try readAll(image, chunk: 333) == parts.flatMap { $0 })
        var buffer = [UInt8](repeating: 0, count: 10)
        let n = try buffer.withUnsafeMutableBytes { try image.read(into: $0, at: 995) }
        #expect(n == 10)
        #expect(buffer == [1, 1, 1, 1, 1, 2, 2, 2, 2, 2])
    }

    @Test func splitNamingStopsAtTheFirstGap() throws {
        let (dir, paths) = try makeSegments([[1], [2], [4]], suffixes: ["001", "002", "004"])
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(SplitRawNaming.segments(startingAt: paths[0]) == Array(paths[0...1]))
    }

    @Test func plainNamesAreNotSplit() throws {
        let (dir, paths) = try makeSegments([[1], [2]], suffixes: ["raw", "001"], base: "x")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(SplitRawNaming.segments(startingAt: paths[0]) == [paths[0]])
    }

    @Test func negativeOffsetIsAnError() throws {
        let (dir, paths) = try makeSegments([[1, 2, 3]], suffixes: ["dd"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = try RawImage(path: paths[0])
        var buffer = [UInt8](repeating: 0, count: 2)
        #expect(throws: EvidenceError.self) {
            _ = try buffer.withUnsafeMutableBytes { try image.read(into: $0, at: -1) }
        }
    }
}

struct ImageOpeningTests {
    @Test func missingFileIsNotFound() {
        do {
            _ = try Image.open("/nonexistent/evidence.E01")
            Issue.record("opened a missing file")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.description.contains("/nonexistent/evidence.E01"))
        }
    }

    @Test func emptyFileIsRefused() throws {
        let dir = try Locations.temporaryDirectory("empty")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("empty.raw")
        FileManager.default.createFile(atPath: url.path, contents: Data())
        do {
            _ = try Image.open(url.path)
            Issue.record("opened an empty file")
        } catch {
            #expect(error.code == .unsupportedFormat)
            #expect(error.description.contains("empty"))
        }
    }

    @Test func directoryIsRefused() throws {
        let dir = try Locations.temporaryDirectory("dir")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: EvidenceError.self) { _ = try Image.open(dir.path) }
    }

    @Test(arguments: [("KDMV", "VMDK"), ("conectix", "VHD"), ("QFI\u{FB}", "QCOW")])
    func otherContainersAreRefusedByContent(magic: String, name: String) throws {
        let dir = try Locations.temporaryDirectory("container")
        defer { try? FileManager.default.removeItem(at: dir) }
        // Named .dd on purpose: the content decides, not the name.
        let url = dir.appendingPathComponent("disguised.dd")
        var bytes = Array(magic.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        bytes += [UInt8](repeating: 0, count: 4096)
        try Data(bytes).write(to: url)
        do {
            _ = try Image.open(url.path)
            Issue.record("opened a \(name) container as raw")
        } catch {
            #expect(error.code == .unsupportedFormat)
            #expect(error.description.contains(name))
        }
    }

    @Test func ewfIsDetectedByContentWhateverTheName() throws {
        guard let corpus = Locations.corpus else { return }
        let dir = try Locations.temporaryDirectory("renamed")
        defer { try? FileManager.default.removeItem(at: dir) }
        let renamed = dir.appendingPathComponent("evidence.E01")
        try FileManager.default.copyItem(at: corpus.appendingPathComponent("tsk-image.E01"), to: renamed)
        let image = try Image.open(renamed.path)
        #expect(image.format == .ewf)
        #expect(image.size == 102_400)
    }
}
