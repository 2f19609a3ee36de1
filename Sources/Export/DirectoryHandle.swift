#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SystemCalls

/// One open directory of the output tree: owns its descriptor (opened with
/// `O_DIRECTORY|O_NOFOLLOW`) and closes it in `deinit`. Everything below it is reached
/// relative to this descriptor (`openat`, `mkdirat`, `fstatat`, `unlinkat`), never by path,
/// so a symlink swapped in by someone else cannot redirect a write.
///
/// Not `Sendable`: a descriptor has one owner.
final class DirectoryHandle {
    let fd: Int32
    /// Path for messages: the output root as given, joined with `relativePath`.
    let displayPath: String
    /// Path below the output root (`""` for the root itself).
    let relativePath: String

    private init(fd: Int32, displayPath: String, relativePath: String) {
        self.fd = fd
        self.displayPath = displayPath
        self.relativePath = relativePath
    }

    deinit { closeDescriptor(fd) }

    /// Opens the output root: `open(path, O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC)`.
    static func openRoot(realPath: String, displayPath: String) throws(ExportError) -> DirectoryHandle {
        switch valueOrErrno({ open(realPath, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }) {
        case .success(let fd):
            return DirectoryHandle(fd: fd, displayPath: displayPath, relativePath: "")
        case .failure(let e):
            let code: ExportError.Code = e.code == ELOOP ? .symlinkInPath : e.code == ENOTDIR ? .notADirectory : .systemCall
            throw ExportError(code, path: displayPath, message: "open(O_DIRECTORY|O_NOFOLLOW)", errno: e.code)
        }
    }

    func childDisplayPath(_ name: String) -> String { displayPath + "/" + name }
    func childRelativePath(_ name: String) -> String { relativePath.isEmpty ? name : relativePath + "/" + name }

    /// Opens an existing child directory: `openat(fd, name, O_RDONLY|O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC)`.
    /// A symlink or non-directory in its place is `.symlinkInPath` / `.notADirectory`.
    func openDirectory(_ name: String) throws(ExportError) -> DirectoryHandle {
        switch valueOrErrno({ openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }) {
        case .success(let child):
            return DirectoryHandle(fd: child, displayPath: childDisplayPath(name), relativePath: childRelativePath(name))
        case .failure(let e):
            var code = ExportError.Code.systemCall
            if e.code == ELOOP || e.code == ENOTDIR {
                code = kind(of: name) == .symlink ? .symlinkInPath : .notADirectory
            }
            throw ExportError(code, path: childDisplayPath(name), message: "openat(O_DIRECTORY|O_NOFOLLOW)", errno: e.code)
        }
    }

    /// Creates a child directory: `mkdirat(fd, name, 0o755)`; `EEXIST` is returned, not thrown.
    func makeDirectory(_ name: String) throws(ExportError) -> Bool {
        switch valueOrErrno({ mkdirat(fd, name, 0o755) }) {
        case .success: return true
        case .failure(let e) where e.code == EEXIST: return false
        case .failure(let e):
            throw ExportError(e.code == ENOSPC || e.code == EDQUOT ? .noSpace : .systemCall,
                              path: childDisplayPath(name), message: "mkdirat", errno: e.code)
        }
    }

    /// Creates a new file: `openat(fd, name, O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, 0o644)`.
    /// Returns nil when the name exists (whatever it is: `O_EXCL` never follows a symlink).
    func createFile(_ name: String) throws(ExportError) -> Int32? {
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        switch valueOrErrno({ openat(fd, name, flags, 0o644) }) {
        case .success(let fd): return fd
        case .failure(let e) where e.code == EEXIST: return nil
        case .failure(let e):
            throw ExportError(e.code == ENOSPC || e.code == EDQUOT ? .noSpace : .systemCall,
                              path: childDisplayPath(name), message: "openat(O_CREAT|O_EXCL|O_NOFOLLOW)", errno: e.code)
        }
    }

    /// Removes a file this exporter created: `unlinkat(fd, name, 0)`; returns the errno on failure.
    func removeFile(_ name: String) -> Int32? {
        if unlinkat(fd, name, 0) == 0 { return nil }
        return errno
    }

    enum Kind { case directory, regular, symlink, other, missing }

    /// What `name` is, without following a symlink: `fstatat(fd, name, AT_SYMLINK_NOFOLLOW)`.
    func kind(of name: String) -> Kind {
        var st = stat()
        guard fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .regular
        case S_IFLNK: return .symlink
        default: return .other
        }
    }
}
