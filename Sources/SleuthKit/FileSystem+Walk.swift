internal import CSleuthKit

extension FileSystem {
    /// Visits every entry of the file system, allocated and deleted, orphans
    /// under `$OrphanFiles` included, in TSK's directory-walk order
    /// (`tsk_fs_dir_walk` from the root with `ALLOC | UNALLOC | RECURSE`).
    ///
    /// `visit` returns false to stop. Entries found before a damaged
    /// directory stops TSK are kept; the error comes back as the result.
    /// With `locatingContent`, each entry with content carries its
    /// ``ContentRef`` (this loads every file's attributes: slower). Without
    /// `orphans`, `$OrphanFiles` is left out (`NOORPHAN`): TSK finds orphans
    /// by walking all unallocated metadata, which on FAT means reading every
    /// unallocated cluster.
    @discardableResult
    public func walk(locatingContent: Bool = false, orphans: Bool = true, _ visit: (FileEntry) -> Bool) -> TSKError? {
        withoutActuallyEscaping(visit) { escapable in
            let context = WalkContext(fileSystem: self, locatingContent: locatingContent, visit: escapable)
            let ok = DirectoryWalk.run(raw, context: context, orphans: orphans)
            let where_ = "\(image.path), file system at sector \(info.sectorOffset)"
            if !ok {
                var error = TSKError.capture(function: "tsk_fs_dir_walk", context: where_)
                if let failure = image.lastReadFailure { error.message += " (\(failure.description))" }
                return error
            }
            // TSK resets the error of a sub-directory it could not load and
            // carries on; anything left over after success is stale.
            tsk_error_reset()
            return nil
        }
    }
}
