#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks and prepares the output root before anything is written.
enum OutputFolder {
    /// `realpath(3)` of an existing path, or nil.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The absolute, symlink-free form of `path`, which need not exist yet: the longest
    /// existing prefix goes through `realpath`, the missing rest is appended lexically
    /// (`.` dropped, `..` removes the previous component — a missing folder holds no
    /// symlinks, so this is what `mkdir -p` will create).
    static func resolvedPath(_ path: String) -> String? {
        var base = path.hasPrefix("/") ? "/" : (realPath(".") ?? "/")
        var missing = false
        for component in path.split(separator: "/", omittingEmptySubsequences: true).map(String.init) {
            if component == "." { continue }
            if missing {
                if component == ".." {
                    if base != "/" { base = parentOf(base) }
                } else {
                    base = join(base, component)
                }
                continue
            }
            let candidate = join(base, component)
            if let resolved = realPath(candidate) {
                base = resolved
            } else if component == ".." {
                return nil                       // `..` of something unreadable: give up
            } else {
                base = candidate
                missing = true
            }
        }
        return base
    }

    static func join(_ base: String, _ name: String) -> String { base == "/" ? "/" + name : base + "/" + name }

    static func parentOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// True when `path` equals `folder` or lies below it (both absolute and resolved).
    static func isInside(_ path: String, folder: String) -> Bool {
        folder == "/" || path == folder || path.hasPrefix(folder + "/")
    }

    /// True when the directory at `path` holds any entry besides `.` and `..` (`opendir`/`readdir`).
    static func hasEntries(_ path: String) throws(ExportError) -> Bool {
        guard let dir = opendir(path) else {
            throw ExportError(.systemCall, path: path, message: "opendir", errno: errno)
        }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { return true }
        }
        return false
    }

    /// Creates `path` and its missing parents with `mkdir(2)` (mode 0o755), like `mkdir -p`.
    static func makeDirectories(_ path: String, display: String) throws(ExportError) {
        var current = ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            current += "/" + component
            if mkdir(current, 0o755) != 0 {
                let code = errno
                if code != EEXIST {
                    throw ExportError(code == ENOSPC || code == EDQUOT ? .noSpace : .systemCall, path: display,
                                      message: "mkdir \(current)", errno: code)
                }
            }
        }
    }
}
