import GRDB

// The case database schema (`case.sqlite`, SQLite in WAL mode, foreign keys on).
//
//   scan       id INTEGER PK, tool_version, command_line, started, ended, status
//              One row per run of `exhume scan` (provenance). status: running | complete | failed.
//              started/ended are ISO 8601 UTC text.
//   image      id INTEGER PK, path UNIQUE, format, size, sector_size, case_number,
//              evidence_number, examiner, description, notes, acquired, software,
//              stored_md5, stored_sha1, computed_md5, computed_sha1, status
//              (scanning | complete | complete-with-errors; pending in early cases), verification (v2: verified |
//              mismatch | no-stored-hash; NULL until a scan has read the whole media)
//   volume     id INTEGER PK, image_id → image, slot, start, length (sectors), description, kind
//              UNIQUE(image_id, slot)
//   filesystem id INTEGER PK, image_id → image, sector_offset, type, label, block_size, block_count
//              UNIQUE(image_id, sector_offset)
//   item       id INTEGER PK, image_id → image, key (provenance text, e.g. `fs@2048/addr 64-128-2`
//              or `carved@12345`), source (allocated|deleted|orphan|stream|carved|slack), path, addr,
//              fs_offset (sectors), deleted (0/1), size, bytes_read, atime, mtime, ctime, crtime
//              (ISO 8601 text or NULL), image_offset, image_length (carved extent, bytes), rule,
//              verdict, mime, description, ext_mismatch (0/1), md5, sha1, sha256 (lowercase hex),
//              read_error, exported_path; v3: parent_item → item (the item it was found inside),
//              path_in_parent (BLOB: the member's path bytes), offset_in_parent (bytes), all NULL
//              for items of the image itself
//              UNIQUE(image_id, key): inserts are INSERT OR IGNORE, so a resumed scan never duplicates.
//   hit        id INTEGER PK, item_id → item (ON DELETE CASCADE), set_name, kind (known-good|known-bad),
//              category, matched (the digest that matched)
//   hash       VIEW (item_id, md5, sha1, sha256) over item.
//              The digests live in `item`: every item gets exactly one set of digests (1:1),
//              so a separate table would only add a second insert per item, a join to every
//              hash query and a second B-tree; the view keeps the documented `hash` shape.
//   item_event VIEW (item_id, image_id, source, path, kind, time): one row per item and MACB
//              time that is set; kind is 'm', 'a', 'c' or 'b' (crtime). For the timeline.
//
// Indexes: item(md5), item(sha1), item(sha256), item(path), item(source), item(mtime),
//          item(parent_item), hit(item_id), hit(set_name, category); the UNIQUE constraints index
//          image(path), item(image_id, key), volume(image_id, slot), filesystem(image_id, sector_offset).
enum CaseSchema {
    /// The migrations, in order. Never edit a shipped migration: add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE scan (
                    id INTEGER PRIMARY KEY,
                    tool_version TEXT NOT NULL,
                    command_line TEXT NOT NULL,
                    started TEXT NOT NULL,
                    ended TEXT,
                    status TEXT NOT NULL
                );
                CREATE TABLE image (
                    id INTEGER PRIMARY KEY,
                    path TEXT NOT NULL UNIQUE,
                    format TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    sector_size INTEGER NOT NULL,
                    case_number TEXT,
                    evidence_number TEXT,
                    examiner TEXT,
                    description TEXT,
                    notes TEXT,
                    acquired TEXT,
                    software TEXT,
                    stored_md5 TEXT,
                    stored_sha1 TEXT,
                    computed_md5 TEXT,
                    computed_sha1 TEXT,
                    status TEXT NOT NULL
                );
                CREATE TABLE volume (
                    id INTEGER PRIMARY KEY,
                    image_id INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
                    slot INTEGER NOT NULL,
                    start INTEGER NOT NULL,
                    length INTEGER NOT NULL,
                    description TEXT,
                    kind TEXT,
                    UNIQUE(image_id, slot)
                );
                CREATE TABLE filesystem (
                    id INTEGER PRIMARY KEY,
                    image_id INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
                    sector_offset INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    label TEXT,
                    block_size INTEGER,
                    block_count INTEGER,
                    UNIQUE(image_id, sector_offset)
                );
                CREATE TABLE item (
                    id INTEGER PRIMARY KEY,
                    image_id INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
                    key TEXT NOT NULL,
                    source TEXT NOT NULL,
                    path TEXT,
                    addr TEXT,
                    fs_offset INTEGER,
                    deleted INTEGER NOT NULL DEFAULT 0,
                    size INTEGER NOT NULL DEFAULT 0,
                    bytes_read INTEGER NOT NULL DEFAULT 0,
                    atime TEXT, mtime TEXT, ctime TEXT, crtime TEXT,
                    image_offset INTEGER,
                    image_length INTEGER,
                    rule TEXT,
                    verdict TEXT,
                    mime TEXT,
                    description TEXT,
                    ext_mismatch INTEGER NOT NULL DEFAULT 0,
                    md5 TEXT, sha1 TEXT, sha256 TEXT,
                    read_error TEXT,
                    exported_path TEXT,
                    UNIQUE(image_id, key)
                );
                CREATE TABLE hit (
                    id INTEGER PRIMARY KEY,
                    item_id INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
                    set_name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    category TEXT,
                    matched TEXT NOT NULL
                );
                CREATE INDEX item_md5 ON item(md5);
                CREATE INDEX item_sha1 ON item(sha1);
                CREATE INDEX item_sha256 ON item(sha256);
                CREATE INDEX item_path ON item(path);
                CREATE INDEX item_source ON item(source);
                CREATE INDEX item_mtime ON item(mtime);
                CREATE INDEX hit_item ON hit(item_id);
                CREATE INDEX hit_set_category ON hit(set_name, category);
                CREATE VIEW hash AS
                    SELECT id AS item_id, md5, sha1, sha256 FROM item;
                CREATE VIEW item_event AS
                    SELECT id AS item_id, image_id, source, path, 'm' AS kind, mtime AS time FROM item WHERE mtime IS NOT NULL
                    UNION ALL
                    SELECT id, image_id, source, path, 'a', atime FROM item WHERE atime IS NOT NULL
                    UNION ALL
                    SELECT id, image_id, source, path, 'c', ctime FROM item WHERE ctime IS NOT NULL
                    UNION ALL
                    SELECT id, image_id, source, path, 'b', crtime FROM item WHERE crtime IS NOT NULL;
                """)
        }
        // v2: the verdict of the media digests a scan computes while it reads the image.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: "ALTER TABLE image ADD COLUMN verification TEXT")
        }
        // v3: items found inside other items (archive members, embedded pictures): the
        // parent item's row, and the member's path (raw bytes) or byte offset inside it.
        // NULL for every item of the image itself; no key changes.
        migrator.registerMigration("v3") { db in
            try db.execute(sql: """
                ALTER TABLE item ADD COLUMN parent_item INTEGER REFERENCES item(id);
                ALTER TABLE item ADD COLUMN path_in_parent BLOB;
                ALTER TABLE item ADD COLUMN offset_in_parent INTEGER;
                CREATE INDEX item_parent ON item(parent_item);
                """)
        }
        return migrator
    }
}
