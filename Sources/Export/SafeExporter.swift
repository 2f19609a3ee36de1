#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files recovered from an image below one output root, treating every name from the
/// image as hostile.
///
/// - Every name component goes through `sanitize(component:)`: no `..`, no `/`, no control
///   bytes, valid UTF-8, at most 255 bytes.
/// - Nothing is written outside the root, and no symlink is followed: the root is opened
///   with `open(O_DIRECTORY|O_NOFOLLOW)` and every directory below it is created with
///   `mkdirat` and entered with `openat(dirfd, name, O_DIRECTORY|O_NOFOLLOW)`, relative to
///   its parent's descriptor. A symlink where a directory is needed is an error
///   (`.symlinkInPath`) naming the path; so is a device, FIFO or socket (`.notADirectory`).
/// - Nothing is overwritten: files are created with
///   `openat(O_CREAT|O_EXCL|O_WRONLY|O_NOFOLLOW, 0o644)`. When the name is taken (an earlier
///   entry with the same output name, e.g. two deleted `_ILE.TXT`, or anything already
///   there) the file gets the first free name of `name~2.ext`, `name~3.ext`, ….
/// - Directories with the same output name are merged (their files still never overwrite
///   each other). When a directory is needed where an earlier entry left a regular *file* of
///   the same name, the directory gets the first free `name~N` that `mkdirat` can create,
///   and every later entry under that source directory goes to the same `name~N`.
/// - The path each file really got is in `ExportedFile.relativePath` and in the
///   `ExportRecord` that `finish()` returns: that is what the manifest records.
///
/// Not `Sendable`: it owns the root's descriptor and the name tables; use one exporter from
/// one task (the pipeline's single export stage).
public final class SafeExporter {
    /// The output root as given (used in messages).
    public let rootPath: String
    /// The output root's absolute path with symlinks resolved (`realpath`), as opened.
    public let resolvedRootPath: String

    private let root: DirectoryHandle
    /// Source directory path (sanitized components joined with `/`) → output name chosen.
    private var directoryNames: [[UInt8]: String] = [:]
    /// Output file path → next collision suffix to try (only for names that collided).
    private var nextSuffix: [[UInt8]: Int] = [:]

    /// Opens (creating it and its parents when missing, `mkdir`) the output root.
    ///
    /// Refuses, unless `force` is true: a root that is an evidence file's folder or lies
    /// inside it (`realpath` of both compared; `.outputInsideEvidence`), and a root that
    /// exists and holds any entry (`.outputNotEmpty`). A root that exists as something other
    /// than a directory is always refused (`.notADirectory`).
    /// - Parameters:
    ///   - root: the output folder (`--out`).
    ///   - evidence: the evidence files (image, or every segment).
    ///   - force: accept an output folder inside the evidence folder or not empty.
    public init(root: String, evidence: [String] = [], force: Bool = false) throws(ExportError) {
        rootPath = root
        guard let resolved = OutputFolder.resolvedPath(root) else {
            throw ExportError(.systemCall, path: root, message: "realpath", errno: ENOENT)
        }
        resolvedRootPath = resolved
        if !force {
            for file in evidence {
                let real = OutputFolder.realPath(file) ?? OutputFolder.resolvedPath(file) ?? file
                let folder = OutputFolder.parentOf(real)
                if OutputFolder.isInside(resolved, folder: folder) {
                    throw ExportError(.outputInsideEvidence, path: root,
                                      message: "refusing to write inside the evidence folder \(folder) (real path \(resolved)); choose another output folder or force")
                }
            }
        }
        var st = stat()
        if lstat(resolved, &st) == 0 {
            guard st.st_mode & S_IFMT == S_IFDIR else {
                throw ExportError(.notADirectory, path: root, message: "the output folder exists and is not a directory")
            }
            if !force, try OutputFolder.hasEntries(resolved) {
                throw ExportError(.outputNotEmpty, path: root,
                                  message: "refusing to write into a non-empty output folder; choose an empty or new folder, or force")
            }
        } else {
            try OutputFolder.makeDirectories(resolved, display: root)
        }
        self.root = try DirectoryHandle.openRoot(realPath: resolved, displayPath: root)
    }

    /// Creates a new, empty file for one entry and returns its writer.
    ///
    /// `components` is the entry's path below the root as raw bytes (e.g. `["vol2", "dir",
    /// "name"]`: the caller splits the image's path on `/`); each one is sanitized, every
    /// directory is created or entered safely and the file is created exclusively (see the
    /// type's rules). Throws `ExportError` naming the output path; never crashes on a name.
    public func create(components: [[UInt8]]) throws(ExportError) -> ExportedFile {
        guard let last = components.last else {
            throw ExportError(.emptyPath, path: rootPath, message: "no path components given")
        }
        var dir = root
        var sourceKey: [UInt8] = []
        for component in components.dropLast() {
            let name = Self.sanitize(component: component)
            sourceKey.append(0x2F)
            sourceKey.append(contentsOf: name.utf8)
            if let known = directoryNames[sourceKey] {
                dir = try dir.openDirectory(known)
            } else {
                let (chosen, child) = try makeOrOpenDirectory(name, in: dir)
                directoryNames[sourceKey] = chosen
                dir = child
            }
        }
        let name = Self.sanitize(component: last)
        let fileKey = Array(dir.relativePath.utf8) + [0x2F] + Array(name.utf8)
        var n = nextSuffix[fileKey] ?? 1
        while true {
            let candidate = n == 1 ? name : Self.suffixed(name, n)
            if let fd = try dir.createFile(candidate) {
                if n > 1 { nextSuffix[fileKey] = n + 1 }
                return ExportedFile(parent: dir, name: candidate, fd: fd)
            }
            n += 1
        }
    }

    /// `mkdirat` then `openat(O_DIRECTORY|O_NOFOLLOW)`; an existing directory is merged,
    /// an existing regular file moves the directory to the first new `name~N`.
    private func makeOrOpenDirectory(_ name: String, in dir: DirectoryHandle) throws(ExportError) -> (String, DirectoryHandle) {
        var n = 1
        while true {
            let candidate = n == 1 ? name : Self.suffixed(name, n)
            let created = try dir.makeDirectory(candidate)
            if created || n == 1 {
                do {
                    return (candidate, try dir.openDirectory(candidate))
                } catch {
                    guard !created, error.code == .notADirectory, dir.kind(of: candidate) == .regular else { throw error }
                }
            }
            n += 1
        }
    }
}
