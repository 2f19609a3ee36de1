#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemCalls

/// What was written for one entry: where (relative to the output root) and how many bytes.
public struct ExportRecord: Sendable, Equatable {
    /// The output path relative to the root, components joined with `/` (each one a
    /// `SafeExporter.sanitize(component:)` name, possibly with a `~N` collision suffix).
    public var relativePath: String
    /// Bytes written.
    public var size: Int64
}

/// A file being exported: a new, empty file created by `SafeExporter.create(components:)`
/// that receives the entry's content chunk by chunk (`write(_:)`), then is either completed
/// (`finish()`) or removed (`abandon()`).
///
/// A file that is not finished is never left behind looking complete: a failing write
/// (disk full included), `abandon()`, or dropping the object without `finish()` removes the
/// partial file (`unlinkat` on its parent directory's descriptor). Owns its descriptor and
/// keeps its parent directory's descriptor open; not `Sendable` (one owner, one writer).
public final class ExportedFile {
    /// The output path relative to the root, as it will be recorded.
    public let relativePath: String
    /// Bytes written so far.
    public private(set) var size: Int64 = 0

    private let parent: DirectoryHandle
    private let name: String
    var fd: Int32                      // internal for fault-injection tests
    private var open = true

    init(parent: DirectoryHandle, name: String, fd: Int32) {
        self.parent = parent
        self.name = name
        self.fd = fd
        self.relativePath = parent.childRelativePath(name)
    }

    deinit {
        if open { discard() }
    }

    /// The output path for messages (root as given + relative path).
    public var path: String { parent.childDisplayPath(name) }

    /// Appends `bytes` to the file: `write(2)` until all is written (short writes and
    /// `EINTR` retried). On failure the partial file is removed and `ExportError` thrown
    /// (`.noSpace` for `ENOSPC`/`EDQUOT`); the file is then closed.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(ExportError) {
        guard open else { throw ExportError(.fileClosed, path: path, message: "write") }
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            switch valueOrErrno({ systemWrite(fd, base + done, bytes.count - done) }) {
            case .success(let n) where n > 0: done += n
            // Nothing written for a non-empty buffer: no room.
            case .success: throw failure(ENOSPC, message: "write")
            case .failure(let error): throw failure(error.code, message: "write")
            }
        }
        size += Int64(done)
    }

    /// Appends the bytes of an array (convenience over `write(_:)` with a buffer).
    public func write(_ bytes: [UInt8]) throws(ExportError) {
        // Array.withUnsafeBytes is `rethrows` (untyped): carry the error out as a Result.
        let result = bytes.withUnsafeBytes { buffer -> Result<Void, ExportError> in
            do throws(ExportError) { return .success(try write(buffer)) } catch { return .failure(error) }
        }
        try result.get()
    }

    /// Completes the file: `close(2)` (checked: a delayed write error surfaces here and the
    /// file is removed) and returns what was written.
    public func finish() throws(ExportError) -> ExportRecord {
        guard open else { throw ExportError(.fileClosed, path: path, message: "finish") }
        open = false
        if let code = closeDescriptor(fd)?.code {
            let unlinkError = parent.removeFile(name)
            throw Self.error(code, path: path, message: "close", unlinkError: unlinkError)
        }
        return ExportRecord(relativePath: relativePath, size: size)
    }

    /// Gives the file up (e.g. the image could not be read): closes and removes it.
    public func abandon() {
        if open { discard() }
    }

    private func discard() {
        open = false
        closeDescriptor(fd)
        _ = parent.removeFile(name)
    }

    private func failure(_ code: Int32, message: String) -> ExportError {
        open = false
        closeDescriptor(fd)
        let unlinkError = parent.removeFile(name)
        return Self.error(code, path: path, message: message, unlinkError: unlinkError)
    }

    private static func error(_ code: Int32, path: String, message: String, unlinkError: Int32?) -> ExportError {
        var op = message
        if let unlinkError {
            op += " (and removing the partial file failed: \(String(cString: strerror(unlinkError))))"
        } else {
            op += " (partial file removed)"
        }
        return ExportError(code == ENOSPC || code == EDQUOT ? .noSpace : .systemCall, path: path, message: op, errno: code)
    }
}
