import GRDB

extension CaseDatabase {
    /// Records where items were exported after the scan (`--export hits`
    /// writes hit items once their hashes are known): provenance key →
    /// path relative to the case folder, in one transaction.
    public func setExported(image: Int64, paths: [String: String]) throws {
        guard !paths.isEmpty else { return }
        try write { db in
            let statement = try db.cachedStatement(sql: "UPDATE item SET exported_path = ? WHERE image_id = ? AND key = ?")
            for (key, path) in paths {
                try statement.execute(arguments: [path, image, key])
            }
        }
    }

    /// Where an image's items were exported (paths relative to the case folder).
    public func exportedPaths(image: Int64) throws -> Set<String> {
        try queue.read { db in
            try String.fetchSet(db, sql: "SELECT exported_path FROM item WHERE image_id = ? AND exported_path IS NOT NULL",
                                arguments: [image])
        }
    }

}
