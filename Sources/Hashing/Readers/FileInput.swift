#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemCalls

/// The one owner of a read-only file descriptor (`open(2)`, closed in `deinit`),
/// read in large chunks with `read(2)`: the readers stream files of any size
/// through a fixed buffer.
///
/// Not `Sendable`: it holds a read position; one reader uses it on one thread.
final class FileInput {
    let path: String
    private let fd: Int32
    private var buffer: UnsafeMutableRawBufferPointer
    /// Bytes valid in `buffer`, and the position of the next unread byte.
    private var filled = 0
    private var position = 0
    /// File offset of `buffer[0]`.
    private(set) var bufferOffset: Int64 = 0
    private var atEnd = false

    /// `open(path, O_RDONLY | O_CLOEXEC)`.
    init(path: String, bufferSize: Int = 1 << 20) throws(HashSetError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let err = errno
            throw HashSetError(err == ENOENT ? .notFound : .unreadable, path: path,
                               err == ENOENT ? "no such file" : "cannot open the file",
                               underlying: String(cString: strerror(err)))
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw HashSetError(.unreadable, path: path, "is a directory, not a hash-set file")
        }
        self.fd = fd
        self.buffer = .allocate(byteCount: max(bufferSize, 4096), alignment: 16)
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    /// The first `count` bytes of the file (fewer if it is shorter), for format
    /// detection; `pread(2)`, so the read position is untouched.
    func prefix(_ count: Int) throws(HashSetError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, 0) }
        guard n >= 0 else {
            throw HashSetError(.unreadable, path: path, "cannot read the file", underlying: String(cString: strerror(errno)))
        }
        return Array(out[0..<n])
    }

    /// Refills the buffer, keeping the bytes from `keep` on (moved to the front).
    /// Returns false at end of file. Grows the buffer when `keep` is 0 and it is full.
    private func refill(keepingFrom keep: Int) throws(HashSetError) -> Bool {
        let kept = filled - keep
        if keep > 0 {
            if kept > 0, let base = buffer.baseAddress {
                memmove(base, base + keep, kept)
            }
            bufferOffset += Int64(keep)
            position -= keep
        } else if kept == buffer.count {
            guard buffer.count < 1 << 28 else {
                throw HashSetError(.malformed, path: path, offset: bufferOffset,
                                   "a line longer than 256 MiB: not a hash-set file")
            }
            let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
            if let dst = bigger.baseAddress, let src = buffer.baseAddress { memcpy(dst, src, kept) }
            buffer.deallocate()
            buffer = bigger
        }
        filled = kept
        if atEnd { return false }
        while filled < buffer.count {
            let n: Int
            do {
                n = try valueOrErrno { read(fd, buffer.baseAddress.map { $0 + filled }, buffer.count - filled) }.get()
            } catch {
                throw HashSetError(.unreadable, path: path, offset: bufferOffset + Int64(filled),
                                   "read failed", underlying: error.description)
            }
            if n == 0 { atEnd = true; break }
            filled += n
            if filled > kept { break }
        }
        return filled > kept
    }

    /// Calls `body` with each line (without its `\n` or `\r\n`; a UTF-8 byte-order
    /// mark at the very start is dropped) and its 1-based number.
    func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        var lineNumber = 0
        var lineStart = position
        var scanFrom = position
        var first = true
        while true {
            if scanFrom >= filled {
                // refill moves the unfinished line to the front of the buffer.
                let more = try refill(keepingFrom: lineStart)
                scanFrom -= lineStart
                lineStart = 0
                if !more {
                    if lineStart < filled {
                        lineNumber += 1
                        try emit(from: lineStart, to: filled, number: lineNumber, first: &first, body)
                    }
                    position = filled
                    return
                }
                continue
            }
            guard let base = buffer.baseAddress else { return }
            let bytes = base.assumingMemoryBound(to: UInt8.self)
            if let hit = memchr(bytes + scanFrom, Int32(UInt8(ascii: "\n")), filled - scanFrom) {
                let end = bytes.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                lineNumber += 1
                try emit(from: lineStart, to: end, number: lineNumber, first: &first, body)
                lineStart = end + 1
                scanFrom = lineStart
                position = lineStart
            } else {
                scanFrom = filled
            }
        }
    }

    private func emit(from start: Int, to end: Int, number: Int, first: inout Bool,
                      _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        guard let base = buffer.baseAddress else { return }
        var s = start
        var e = end
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        if first {
            first = false
            if e - s >= 3, bytes[s] == 0xEF, bytes[s + 1] == 0xBB, bytes[s + 2] == 0xBF { s += 3 }
        }
        if e > s, bytes[e - 1] == UInt8(ascii: "\r") { e -= 1 }
        try body(UnsafeBufferPointer(start: bytes + s, count: e - s), number)
    }

    /// The next byte, or nil at end of file; `offset` is its position in the file.
    @inline(__always)
    func nextByte() throws(HashSetError) -> UInt8? {
        if position >= filled {
            guard try refill(keepingFrom: filled) else { return nil }
        }
        let byte = buffer.load(fromByteOffset: position, as: UInt8.self)
        position += 1
        return byte
    }

    /// The next byte without consuming it.
    @inline(__always)
    func peekByte() throws(HashSetError) -> UInt8? {
        if position >= filled {
            guard try refill(keepingFrom: filled) else { return nil }
        }
        return buffer.load(fromByteOffset: position, as: UInt8.self)
    }

    /// File offset of the next byte `nextByte` returns.
    var offset: Int64 { bufferOffset + Int64(position) }
}
