#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemCalls

/// Buffered byte output to a file descriptor (stdout by default): listings
/// run to millions of lines, so they are written in 256 KiB blocks.
public final class OutputSink {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private let capacity: Int
    /// The first write error, reported when flushing.
    public private(set) var failure: String?

    public init(fd: Int32 = STDOUT_FILENO, capacity: Int = 256 << 10) {
        self.fd = fd
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    deinit { try? flush() }

    public func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { drain() }
    }

    public func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= capacity { drain() }
    }

    public func line(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        buffer.append(0x0A)
        if buffer.count >= capacity { drain() }
    }

    /// Lets `body` append one line's bytes straight into the buffer (no
    /// intermediate array), then ends the line.
    public func line(_ body: (inout [UInt8]) -> Void) {
        body(&buffer)
        buffer.append(0x0A)
        if buffer.count >= capacity { drain() }
    }

    public func line(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count >= capacity { drain() }
    }

    /// Writes what is buffered; throws if any write failed (disk full, closed pipe).
    public func flush() throws(ExhumeError) {
        drain()
        if let failure { throw ExhumeError(.outputFailed, "cannot write output: \(failure)") }
    }

    private func drain() {
        guard !buffer.isEmpty else { return }
        if failure == nil {
            var offset = 0
            buffer.withUnsafeBytes { raw in
                while offset < raw.count {
                    switch valueOrErrno({ Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset) }) {
                    case .success(let n): offset += n
                    case .failure(let error):
                        failure = error.description
                        return
                    }
                }
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Standard error, written unbuffered (C's `stderr` is shared mutable state to
/// Swift 6): progress, notes and problems. A failed write is dropped, as there
/// is nowhere left to say so.
public enum StandardError {
    public static func write(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                guard case .success(let n) = valueOrErrno({ Glibc.write(STDERR_FILENO, raw.baseAddress! + offset, raw.count - offset) }),
                      n > 0 else { return }
                offset += n
            }
        }
    }
}
