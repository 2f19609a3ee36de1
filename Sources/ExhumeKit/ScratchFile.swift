import Foundation
import SystemCalls

/// A temporary file that is unlinked as soon as it is made: it holds a
/// command's spilled working data (item lists, timeline runs) and disappears
/// with its descriptor, whatever happens to the process. Never made beside the
/// evidence: callers give the case folder or the temporary folder.
final class ScratchFile {
    private let descriptor: Int32
    /// Writes that would end past this many bytes fail as on a full disk (tests
    /// of the callers' fallbacks; no limit otherwise).
    var capacity = Int64.max

    /// A scratch file in `directory` with room for `capacity` bytes; nil when
    /// there is no folder or no file can be made there (missing, read-only).
    static func make(in directory: URL?, prefix: String, capacity: Int64 = .max) -> ScratchFile? {
        guard let directory, let file = ScratchFile(in: directory, prefix: prefix) else { return nil }
        file.capacity = capacity
        return file
    }

    private init?(in directory: URL, prefix: String) {
        var template = Array(directory.appendingPathComponent(".\(prefix)-XXXXXX").path.utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Writes all of `bytes` at `offset`; false when the disk refuses (full, failing).
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) -> Bool {
        guard offset + Int64(bytes.count) <= capacity else {
            errno = ENOSPC
            return false
        }
        return whole(bytes.count) { pwrite(descriptor, bytes.baseAddress! + $0, bytes.count - $0, off_t(offset) + off_t($0)) }
    }

    /// Fills all of `buffer` from `offset`; false when it cannot.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) -> Bool {
        whole(buffer.count) { pread(descriptor, buffer.baseAddress! + $0, buffer.count - $0, off_t(offset) + off_t($0)) }
    }

    /// Repeats `transfer(bytesDoneSoFar)` (a pread or pwrite) until `count` bytes are done.
    private func whole(_ count: Int, _ transfer: (Int) -> Int) -> Bool {
        var done = 0
        while done < count {
            // A failure leaves its errno for `lastError`.
            guard case .success(let n) = valueOrErrno({ transfer(done) }), n > 0 else { return false }
            done += n
        }
        return true
    }

    /// The last system error, for messages.
    static var lastError: String { String(cString: strerror(errno)) }
}
