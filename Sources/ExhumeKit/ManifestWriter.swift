import Export
import Synchronization
import SystemCalls
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `DIR/manifest.jsonl` of `recover` and `carve`: one JSON line per item, written as
/// each item is delivered, so that the manifest describes what is on disk while the
/// export goes on, and whatever stops it.
///
/// The disk can fill up under it. Three rules keep the manifest usable then:
/// - Room for a file's line is set aside (``setAside(for:)``, `fallocate` past the end)
///   before the file is created; when it cannot be, that file is not written. So every
///   written file finds room for its line.
/// - Lines of items that were not written use the room left over and never the room
///   held for the files; a line that does not fit goes to standard output instead, so
///   the item's hashes are still somewhere.
/// - A write that fails half way is cut back (`ftruncate`) to the last whole line.
///
/// The manifest's name is reserved through the exporter (no exported file can take it),
/// but the lines go through a descriptor of its own: an `ExportedFile` removes itself
/// when a write fails, which is right for a recovered file and would throw the manifest
/// away with every line it holds.
///
/// ``setAside(for:)`` is called from the export lane, ``append(_:line:)`` from the
/// delivery queue, ``close()`` once the pipeline has finished.
final class ManifestWriter: Sendable {
    /// The manifest as the analyst named it: `DIR/manifest.jsonl` (`manifest~2.jsonl`
    /// when `--force` met an older one).
    let path: String

    /// Room kept beyond what the lines need, so that `fallocate` runs once per few dozen lines.
    private static let step: Int64 = 8 << 10

    private let state: Mutex<State>

    /// Creates the manifest at the top of the exporter's folder.
    init(in exporter: RecoveryExporter, image: String) throws(ExhumeError) {
        let reserved: ExportedFile
        do {
            reserved = try exporter.createReservedFile("manifest.jsonl")
        } catch {
            throw ExhumeError(.outputFailed, "\(error)")
        }
        path = reserved.path
        let real = exporter.exporter.resolvedRootPath + "/" + reserved.relativePath
        let fd = open(real, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY)
        if fd < 0 {
            let reason = String(cString: strerror(errno))
            reserved.abandon()
            throw ExhumeError(.outputFailed, "\(path): open: \(reason)")
        }
        // It must still be the empty file just created, not something put in its place.
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_size == 0 else {
            Glibc.close(fd)
            reserved.abandon()
            throw ExhumeError(.outputFailed, "\(path): the manifest was replaced while it was being opened")
        }
        do {
            _ = try reserved.finish()   // closes the exporter's descriptor; the name stays taken
        } catch {
            Glibc.close(fd)
            throw ExhumeError(.outputFailed, "\(error)")
        }
        state = Mutex(State(fd: fd, fixedEstimate: 1536 + 2 * Int64(image.utf8.count)))
    }

    /// Holds room for `item`'s line before its file is created. Returns nil when the room
    /// is held (or cannot be held on this file system: the file is then written anyway),
    /// else the `errno` saying why there is none (`ENOSPC`, `EDQUOT`): do not write the file.
    func setAside(for item: ContentItem) -> Int32? {
        state.withLock { s in
            guard s.open, s.failure == nil, s.mode != .none else { return nil }
            let estimate = s.fixedEstimate + Self.pathEstimate(item)
            if s.reservedEnd - s.length < s.promised + estimate,
               let code = s.extend(to: s.length + s.promised + estimate) {
                // Any other error: room cannot be held here; the file is written without it.
                return code == ENOSPC || code == EDQUOT ? code : nil
            }
            s.promised += estimate
            s.promises[item.sequence, default: 0] += estimate
            return nil
        }
    }

    /// Writes `result`'s line (or, when the manifest has no room for it, prints it on
    /// standard output).
    func append(_ result: ItemResult, line: [UInt8]) {
        state.withLock { s in
            guard s.open else { return }
            let held = s.promises.removeValue(forKey: result.item.sequence) ?? 0
            s.promised -= held
            let written = result.exported != nil
            var bytes = line
            bytes.append(0x0A)
            if s.failure == nil, s.room(for: Int64(bytes.count), owed: written && held > 0) {
                if s.write(bytes) {
                    s.lines += 1
                    return
                }
            }
            s.overflow.write(bytes)
            s.overflowed += 1
            if written { s.overflowedWritten += 1 }
        }
    }

    /// Gives back the room held past the last line, closes the manifest and prints the
    /// lines it could not take; says how it went.
    @discardableResult
    func close() -> Summary {
        state.withLock { s in
            if s.open {
                s.open = false
                // Cuts off the blank lines and gives back the blocks held past the last line.
                if s.size > s.length || s.reservedEnd > s.length { _ = ftruncate(s.fd, off_t(s.length)) }
                if let error = closeDescriptor(s.fd), s.failure == nil { s.failure = error.code }
                try? s.overflow.flush()
                s.overflowFailure = s.overflow.failure
            }
            return Summary(path: path, lines: s.lines, overflowed: s.overflowed, overflowedWritten: s.overflowedWritten,
                           failure: s.failure, cutFailure: s.cutFailure, overflowFailure: s.overflowFailure)
        }
    }

    deinit { close() }

    /// What became of the manifest.
    struct Summary {
        var path: String
        /// Lines in the manifest.
        var lines: Int
        /// Lines it had no room for, printed on standard output instead.
        var overflowed: Int
        /// Of those, lines of files that were written (none while `fallocate` works).
        var overflowedWritten: Int
        /// The `errno` of a write (or of `close`) that failed.
        var failure: Int32?
        /// Cutting a half-written line off failed: the last line may be incomplete.
        var cutFailure: Int32?
        /// Standard output refused the lines the manifest could not take.
        var overflowFailure: String?

        /// Every line is in the manifest, whole.
        var isComplete: Bool { overflowed == 0 && failure == nil && cutFailure == nil }
        /// What went wrong was only a lack of space.
        var wasFull: Bool { failure.map { $0 == ENOSPC || $0 == EDQUOT } ?? true }
    }

    /// A generous bound on what an item's path adds to its line: the display path, the
    /// `\xNN`-escaped `original_path` and the sanitized `exported` path.
    private static func pathEstimate(_ item: ContentItem) -> Int64 {
        guard let entry = item.entry else { return 128 }
        let bytes = entry.directoryComponents.reduce(0) { $0 + $1.count + 1 } + entry.name.count + (entry.streamName?.count ?? 0)
        return 16 * Int64(bytes)
    }

    private struct State {
        /// How room past the last line is held.
        enum Room {
            /// Blocks allocated past the end (`fallocate` with `FALLOC_FL_KEEP_SIZE`).
            case allocated
            /// Blank lines written past the last line, to be written over (file systems
            /// without `fallocate`: exFAT, NTFS-3G, ext2…); a clean end cuts them off.
            case blankLines
            /// Neither works: lines are written without a guarantee.
            case none
        }

        let fd: Int32
        var open = true
        var mode = Room.allocated
        /// Bytes of whole lines: where the next line goes.
        var length: Int64 = 0
        /// The file's size: `length`, or more while blank lines hold room or cover a line
        /// that could not be written whole.
        var size: Int64 = 0
        /// Room is held up to here.
        var reservedEnd: Int64 = 0
        /// Room held for the lines of files being written, in all and by item sequence.
        var promised: Int64 = 0
        var promises: [Int: Int64] = [:]
        let fixedEstimate: Int64
        var lines = 0
        var overflowed = 0
        var overflowedWritten = 0
        var failure: Int32?
        var cutFailure: Int32?
        var overflowFailure: String?
        let overflow = OutputSink(fd: STDOUT_FILENO, capacity: 64 << 10)

        init(fd: Int32, fixedEstimate: Int64) {
            self.fd = fd
            self.fixedEstimate = fixedEstimate
        }

        /// Holds room up to `end`, and a ``ManifestWriter/step`` more when there is room
        /// for it; the `errno` when not even `end` can be had (after which the mode may
        /// have changed).
        mutating func extend(to end: Int64) -> Int32? {
            var failure: Int32 = ENOSPC
            for target in [end + ManifestWriter.step, end] where target > reservedEnd {
                let code: Int32?
                switch mode {
                case .allocated:
                    code = FileSpace.reserve(fd, from: length, length: target - length)
                    if code == EOPNOTSUPP || code == ENOSYS {
                        mode = .blankLines
                        return extend(to: end)
                    }
                case .blankLines:
                    code = blank(from: size, to: target)
                    reservedEnd = max(reservedEnd, size)   // what was written of it holds room too
                case .none:
                    return nil
                }
                guard let code else {
                    reservedEnd = max(reservedEnd, target)
                    return nil
                }
                guard code == ENOSPC || code == EDQUOT else {
                    mode = .none
                    return code
                }
                failure = code
            }
            return end > reservedEnd ? failure : nil
        }

        /// Whether a line of `count` bytes may be written: it fits in the room held, next
        /// to what is held for other files' lines, or more room can be had. A line whose
        /// file was written (`owed`) is tried in any case.
        mutating func room(for count: Int64, owed: Bool) -> Bool {
            if mode == .none || reservedEnd - length - promised >= count { return true }
            switch extend(to: length + promised + count) {
            case nil: return true
            case ENOSPC?, EDQUOT?: return owed
            default: return true
            }
        }

        /// Writes one whole line at `length`; when only part of it could be written, that
        /// part is covered with blank lines (or cut off) so the manifest never ends in half
        /// a line.
        mutating func write(_ bytes: [UInt8]) -> Bool {
            let (done, code) = bytes.withUnsafeBytes { put($0, at: length) }
            size = max(size, length + Int64(done))
            if mode == .blankLines { reservedEnd = max(reservedEnd, size) }
            guard let code else {
                length += Int64(done)
                return true
            }
            if done > 0, blank(from: length, to: length + Int64(done)) != nil {
                // Not even that (a copy-on-write file system): cut the file back to the last line,
                // which gives back the room held past it.
                if ftruncate(fd, off_t(length)) == 0 {
                    size = length
                    reservedEnd = length
                    if mode != .none, promised > 0 { _ = extend(to: length + promised) }
                } else {
                    cutFailure = errno
                }
            }
            // A full disk leaves the manifest open to the lines that find room; any other
            // error ends it.
            if !(code == ENOSPC || code == EDQUOT) || mode == .none { failure = code }
            return false
        }

        /// Newlines over `from..<to`; the `errno` of a write that failed. On failure
        /// ``size`` tells how far the file now reaches.
        mutating func blank(from: Int64, to: Int64) -> Int32? {
            guard to > from else { return nil }
            let newlines = [UInt8](repeating: 0x0A, count: Int(min(to - from, 64 << 10)))
            var at = from
            while at < to {
                let piece = Int(min(Int64(newlines.count), to - at))
                let (done, code) = newlines.withUnsafeBytes { put(UnsafeRawBufferPointer(rebasing: $0[0..<piece]), at: at) }
                at += Int64(done)
                size = max(size, at)
                if let code { return code }
            }
            return nil
        }

        /// `pwrite(2)` until all of `bytes` is written at `offset`, short writes and `EINTR`
        /// retried: the bytes written and the `errno` that stopped it.
        func put(_ bytes: UnsafeRawBufferPointer, at offset: Int64) -> (Int, Int32?) {
            var done = 0
            while done < bytes.count {
                switch valueOrErrno({ pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done)) }) {
                case .success(0): return (done, ENOSPC)
                case .success(let n): done += n
                case .failure(let error): return (done, error.code)
                }
            }
            return (done, nil)
        }
    }
}
