#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemCalls

/// The one owner of a file descriptor opened for writing a new file
/// (`open(O_WRONLY|O_CREAT|O_TRUNC)`, closed in `deinit`), with a write buffer.
///
/// Not `Sendable`: one writer, one thread.
final class FileOutput {
    let path: String
    private let fd: Int32
    private let buffer: UnsafeMutableRawBufferPointer
    private var used = 0
    private(set) var written = 0

    init(path: String) throws(HashSetError) {
        self.path = path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw HashSetError(.writeFailed, path: path, "cannot create the file", underlying: String(cString: strerror(errno)))
        }
        self.fd = fd
        self.buffer = .allocate(byteCount: 1 << 20, alignment: 16)
    }

    deinit {
        close(fd)
        buffer.deallocate()
    }

    /// Appends `count` bytes (at most 1 MiB) that `fill` writes into raw memory.
    @inline(__always)
    func append(count: Int, _ fill: (UnsafeMutableRawPointer) -> Void) throws(HashSetError) {
        precondition(count <= buffer.count)
        if used + count > buffer.count { try flush() }
        guard let base = buffer.baseAddress else { return }
        fill(base + used)
        used += count
        written += count
    }

    func append(_ bytes: [UInt8]) throws(HashSetError) {
        var done = 0
        while done < bytes.count {
            if used == buffer.count { try flush() }
            let n = min(bytes.count - done, buffer.count - used)
            bytes.withUnsafeBytes { source in
                if let dst = buffer.baseAddress, let src = source.baseAddress {
                    memcpy(dst + used, src + done, n)
                }
            }
            used += n
            done += n
        }
        written += bytes.count
    }

    /// Zero bytes up to the next multiple of 8.
    func pad8() throws(HashSetError) {
        let padding = IndexLayout.align8(written) - written
        if padding > 0 { try append([UInt8](repeating: 0, count: padding)) }
    }

    /// `write(2)` the buffered bytes.
    func flush() throws(HashSetError) {
        var done = 0
        while done < used {
            let n: Int
            do {
                n = try valueOrErrno { write(fd, buffer.baseAddress.map { $0 + done }, used - done) }.get()
            } catch {
                throw HashSetError(.writeFailed, path: path, "write failed", underlying: error.description)
            }
            done += n
        }
        used = 0
    }

    /// `fsync(2)`: the index is complete on disk before it is renamed into place.
    func sync() throws(HashSetError) {
        try flush()
        guard fsync(fd) == 0 else {
            throw HashSetError(.writeFailed, path: path, "fsync failed", underlying: String(cString: strerror(errno)))
        }
    }
}
