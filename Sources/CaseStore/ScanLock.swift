#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An exclusive hold on a case folder's `case.lock`, so two scans never write one case at once.
///
/// Wraps `flock(LOCK_EX | LOCK_NB)`. The lock belongs to the open file description, so a
/// second `open` of the file — in this process or another — is refused while this one lives.
/// The kernel drops the lock if the process dies (kill -9), so a crashed scan never leaves a
/// stale lock. Released (`flock(LOCK_UN)`, `close`) in `deinit`.
public final class ScanLock {
    /// The lock file's path.
    public let path: String
    private let fd: Int32

    init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CaseError(.io, "cannot open the lock file \(path)", underlying: String(cString: strerror(errno)))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK {
                throw CaseError(.scanRunning, "another scan is running on this case (\(path) is locked)")
            }
            throw CaseError(.io, "cannot lock \(path)", underlying: String(cString: strerror(code)))
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

extension CaseDatabase {
    /// The lock file's name inside a case folder.
    public static let lockFileName = "case.lock"

    /// Takes the case's scan lock (`flock(LOCK_EX | LOCK_NB)` on `folder/case.lock`), creating
    /// the folder when needed. Throws `CaseError.Code.scanRunning` ("another scan is running on
    /// this case") when it is already held. Keep the returned value alive for the whole scan.
    public static func acquireScanLock(folder: URL) throws -> ScanLock {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw CaseError(.io, "cannot create the case folder \(folder.path)",
                            underlying: "\(error.localizedDescription)")
        }
        return try ScanLock(path: folder.appendingPathComponent(lockFileName).path)
    }
}
