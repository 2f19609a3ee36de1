import Foundation
import GRDB

extension CaseDatabase {
    /// Inserts a batch of items with their digests and hits, in one transaction.
    ///
    /// An item whose (image, key) is already stored is ignored together with its hits
    /// (`INSERT OR IGNORE`), so a resumed scan never duplicates. Either the whole batch is
    /// committed or none of it.
    public func insert(_ items: [ItemRecord]) throws {
        guard !items.isEmpty else { return }
        try write { db in
            let itemStatement = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO item (image_id, key, source, path, addr, fs_offset, deleted,
                    size, bytes_read, atime, mtime, ctime, crtime, image_offset, image_length, rule,
                    verdict, mime, description, ext_mismatch, md5, sha1, sha256, read_error, exported_path,
                    parent_item, path_in_parent, offset_in_parent)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                    (SELECT id FROM item WHERE image_id = ?1 AND key = ?), ?, ?)
                """)
            let exportStatement = try db.cachedStatement(sql: """
                UPDATE item SET exported_path = ? WHERE image_id = ? AND key = ? AND exported_path IS NULL
                """)
            let hitStatement = try db.cachedStatement(sql: """
                INSERT INTO hit (item_id, set_name, kind, category, matched) VALUES (?, ?, ?, ?, ?)
                """)
            for item in items {
                try itemStatement.execute(arguments: [
                    item.imageID, item.key, item.source, item.path, item.addr, item.fsOffset,
                    item.deleted, item.size, item.bytesRead, item.atime, item.mtime, item.ctime,
                    item.crtime, item.imageOffset, item.imageLength, item.rule, item.verdict,
                    item.mime, item.description, item.extensionMismatch, item.md5, item.sha1,
                    item.sha256, item.readError, item.exportedPath,
                    item.parentKey, item.pathInParent.map { Data($0) }, item.offsetInParent,
                ])
                // Ignored as a duplicate: its hits were stored with the first copy. A rescan
                // that exported an item recorded before without a file records where it went.
                guard db.changesCount == 1 else {
                    if let exported = item.exportedPath {
                        try exportStatement.execute(arguments: [exported, item.imageID, item.key])
                    }
                    continue
                }
                let itemID = db.lastInsertedRowID
                for hit in item.hits {
                    try hitStatement.execute(arguments: [itemID, hit.setName, hit.kind, hit.category, hit.matched])
                }
            }
        }
    }

    /// Each provenance key stored for an image (with `exportedOnly`, those of
    /// items with an exported file), streamed from the database: a resumed scan
    /// skips these items, a rescan does not export them again.
    public func forEachItemKey(image: Int64, exportedOnly: Bool = false, _ body: (String) throws -> Void) throws {
        try queue.read { db in
            let sql = "SELECT key FROM item WHERE image_id = ?" + (exportedOnly ? " AND exported_path IS NOT NULL" : "")
            let keys = try String.fetchCursor(db, sql: sql, arguments: [image])
            while let key = try keys.next() { try body(key) }
        }
    }

    /// Item counts per source (`allocated`, `deleted`…), for one image or for the whole case.
    public func counts(image: Int64?) throws -> [String: Int] {
        try queue.read { db in
            var sql = "SELECT source, COUNT(*) FROM item"
            var arguments = StatementArguments()
            if let image {
                sql += " WHERE image_id = ?"
                arguments += [image]
            }
            sql += " GROUP BY source"
            return try Self.dictionary(db, sql: sql, arguments: arguments)
        }
    }

    /// Items in insertion order, with their hits.
    /// - Parameters:
    ///   - source: only items of this source, or all when nil.
    ///   - hitsOnly: only items with at least one hash-set hit.
    ///   - mismatchOnly: only items whose content contradicts their extension.
    ///   - limit: at most this many items.
    public func items(source: String? = nil, hitsOnly: Bool = false, mismatchOnly: Bool = false,
                      limit: Int? = nil) throws -> [ItemRecord] {
        try queue.read { db in
            var conditions: [String] = []
            var arguments = StatementArguments()
            if let source {
                conditions.append("source = ?")
                arguments += [source]
            }
            if hitsOnly { conditions.append("EXISTS (SELECT 1 FROM hit WHERE hit.item_id = item.id)") }
            if mismatchOnly { conditions.append("ext_mismatch = 1") }
            var sql = "SELECT * FROM item"
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY id"
            if let limit {
                sql += " LIMIT ?"
                arguments += [limit]
            }
            var items = try Row.fetchAll(db, sql: sql, arguments: arguments).map { try ItemRecord(row: $0) }
            try Self.attachHits(db, to: &items)
            return items
        }
    }

    /// Fills `hits` of each item, querying by chunks of ids to stay under SQLite's
    /// bound-parameter limit.
    static func attachHits(_ db: Database, to items: inout [ItemRecord]) throws {
        var index: [Int64: Int] = [:]
        for (i, item) in items.enumerated() { if let id = item.id { index[id] = i } }
        let ids = Array(index.keys)
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT item_id, set_name, kind, category, matched FROM hit
                WHERE item_id IN (\(marks)) ORDER BY id
                """, arguments: StatementArguments(chunk))
            while let row = try rows.next() {
                let itemID: Int64 = row["item_id"]
                guard let i = index[itemID] else { continue }
                items[i].hits.append(HitRecord(setName: row["set_name"], kind: try row.decode(HitKind.self, forColumn: "kind"),
                                               category: row["category"], matched: row["matched"]))
            }
        }
    }

    /// Runs a two-column `key, count` query into a dictionary; NULL keys become `unknown`.
    static func dictionary(_ db: Database, sql: String, arguments: StatementArguments = []) throws -> [String: Int] {
        var result: [String: Int] = [:]
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            let key: String? = row[0]
            result[key ?? "unknown", default: 0] += row[1] as Int
        }
        return result
    }

    /// Counts per source and MIME type, hits by set and category, extension mismatches,
    /// carved items by verdict, and the images with their verification state, read in one
    /// transaction so the numbers agree with each other.
    public func report() throws -> CaseReport {
        try queue.read { db in
            let hits = try Row.fetchAll(db, sql: """
                SELECT set_name, kind, category, COUNT(*) AS n FROM hit
                GROUP BY set_name, kind, category ORDER BY set_name, kind, category
                """).map {
                HitSummary(setName: $0["set_name"], kind: try $0.decode(forColumn: "kind"), category: $0["category"], count: $0["n"])
            }
            return CaseReport(
                countsBySource: try Self.dictionary(db, sql: "SELECT source, COUNT(*) FROM item GROUP BY source"),
                countsByMime: try Self.dictionary(db, sql: "SELECT mime, COUNT(*) FROM item GROUP BY mime"),
                hits: hits,
                mismatches: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item WHERE ext_mismatch = 1") ?? 0,
                carvedByVerdict: try Self.dictionary(
                    db, sql: "SELECT verdict, COUNT(*) FROM item WHERE source = 'carved' GROUP BY verdict"),
                images: try Self.images(db))
        }
    }
}

extension ItemRecord {
    /// Throws when the verdict column holds a word this version does not know.
    init(row: Row) throws {
        self.init(id: row["id"], imageID: row["image_id"], key: row["key"], source: row["source"],
                  path: row["path"], addr: row["addr"], fsOffset: row["fs_offset"], deleted: row["deleted"],
                  size: row["size"], bytesRead: row["bytes_read"], atime: row["atime"], mtime: row["mtime"],
                  ctime: row["ctime"], crtime: row["crtime"], imageOffset: row["image_offset"],
                  imageLength: row["image_length"], rule: row["rule"], verdict: try row.decode(forColumn: "verdict"),
                  mime: row["mime"], description: row["description"], extensionMismatch: row["ext_mismatch"],
                  md5: row["md5"], sha1: row["sha1"], sha256: row["sha256"], readError: row["read_error"],
                  exportedPath: row["exported_path"], hits: [])
        offsetInParent = row["offset_in_parent"]
        pathInParent = (row["path_in_parent"] as Data?).map { [UInt8]($0) }
    }
}
