@testable import Evidence
import ExhumeTestSupport
import Foundation
import Testing

/// libewf's zlib calls are served by libdeflate (`CInflate`): the process's
/// `uncompress` must be ours, behave as zlib's does on every kind of input, and
/// carry libewf's inflating.
struct InflateTests {
    typealias Uncompress = @convention(c) (UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt>?,
                                           UnsafePointer<UInt8>?, UInt) -> Int32
    typealias Compress2 = @convention(c) (UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt>?,
                                          UnsafePointer<UInt8>?, UInt, Int32) -> Int32
    typealias Adler32 = @convention(c) (UInt, UnsafePointer<UInt8>?, UInt32) -> UInt

    /// zlib itself, loaded by name, beside the process-wide (interposed) symbols.
    struct Zlib {
        let library: UnsafeMutableRawPointer
        init() throws {
            library = try #require(dlopen("libz.so.1", RTLD_NOW | RTLD_LOCAL))
        }
        func symbol<T>(_ name: String, as: T.Type) throws -> T {
            unsafeBitCast(try #require(dlsym(library, name)), to: T.self)
        }
    }

    static func process<T>(_ name: String, as: T.Type) throws -> T {
        unsafeBitCast(try #require(dlsym(UnsafeMutableRawPointer(bitPattern: 0), name)), to: T.self)
    }

    /// Compressible but not trivial: text-like runs with a counter.
    static let plain: [UInt8] = (0..<100_000).flatMap { i in Array("line \(i) of the chunk\n".utf8) }

    func compressed(_ zlib: Zlib) throws -> [UInt8] {
        let compress2 = try zlib.symbol("compress2", as: Compress2.self)
        var out = [UInt8](repeating: 0, count: Self.plain.count + 1024)
        var length = UInt(out.count)
        #expect(compress2(&out, &length, Self.plain, UInt(Self.plain.count), 6) == 0)
        return Array(out.prefix(Int(length)))
    }

    /// Runs both `uncompress`es on `input` with an output of `room` bytes.
    func both(_ input: [UInt8], room: Int, zlib: Zlib) throws -> [(code: Int32, output: [UInt8])] {
        let ours = try Self.process("uncompress", as: Uncompress.self)
        let theirs = try zlib.symbol("uncompress", as: Uncompress.self)
        return [ours, theirs].map { call in
            var out = [UInt8](repeating: 0, count: room)
            var length = UInt(room)
            let code = call(&out, &length, input, UInt(input.count))
            return (code, code == 0 ? Array(out.prefix(Int(length))) : [])
        }
    }

    @Test func theProcessUncompressIsOursNotZlibs() throws {
        let zlib = try Zlib()
        let ours = try #require(dlsym(UnsafeMutableRawPointer(bitPattern: 0), "uncompress"))
        let theirs = try #require(dlsym(zlib.library, "uncompress"))
        #expect(ours != theirs)
        #expect(Inflate.engine.hasPrefix("libdeflate "))
    }

    @Test func answersAsZlibDoes() throws {
        let zlib = try Zlib()
        let good = try compressed(zlib)
        var damaged = good
        damaged[damaged.count / 2] ^= 0x5A
        var badChecksum = good
        badChecksum[badChecksum.count - 1] ^= 0x01
        let cases: [(String, [UInt8], Int)] = [
            ("whole", good, Self.plain.count),
            ("room to spare", good, Self.plain.count + 4096),
            ("trailing bytes after the stream", good + [1, 2, 3, 4], Self.plain.count),
            ("output one byte short", good, Self.plain.count - 1),
            ("truncated input", Array(good.prefix(good.count / 2)), Self.plain.count),
            ("damaged in the middle", damaged, Self.plain.count),
            ("wrong Adler-32", badChecksum, Self.plain.count),
            ("not zlib at all", Array(Self.plain.prefix(5000)), Self.plain.count),
            ("empty input", [], Self.plain.count),
        ]
        for (name, input, room) in cases {
            let results = try both(input, room: room, zlib: zlib)
            #expect(results[0].code == results[1].code, "\(name): ours \(results[0].code), zlib \(results[1].code)")
            #expect(results[0].output == results[1].output, "\(name): outputs differ")
        }
        #expect(try both(good, room: Self.plain.count, zlib: zlib)[0].output == Self.plain)
    }

    @Test func adler32AsZlibComputesIt() throws {
        let zlib = try Zlib()
        let ours = try Self.process("adler32", as: Adler32.self)
        let theirs = try zlib.symbol("adler32", as: Adler32.self)
        #expect(ours(0, nil, 0) == 1)
        #expect(theirs(0, nil, 0) == 1)
        for length in [0, 1, 15, 16, 5551, 5552, 5553, 65536, Self.plain.count] {
            let slice = Array(Self.plain.prefix(length))
            #expect(ours(1, slice, UInt32(length)) == theirs(1, slice, UInt32(length)), "length \(length)")
            #expect(ours(0xDEAD_BEEF, slice, UInt32(length)) == theirs(0xDEAD_BEEF, slice, UInt32(length)))
        }
    }

    @Test func libewfInflatesThroughIt() throws {
        let image = try EWFImage(path: try Fixtures.path("mbr.E01"))
        let before = Inflate.calls
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset: Int64 = 0
        while offset < image.size {
            let n = try buffer.withUnsafeMutableBytes { try image.read(into: $0, at: offset) }
            #expect(n > 0)
            offset += Int64(n)
        }
        #expect(Inflate.calls > before)
    }
}
