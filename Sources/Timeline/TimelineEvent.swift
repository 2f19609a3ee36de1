import SleuthKit

/// One row of a mactime-style timeline: one entry at one instant, with the
/// MACB letters of every time of the entry that falls on that instant.
public struct TimelineEvent: Sendable, Hashable {
    public var time: Timestamp
    /// `m`, `a`, `c`, `b` in that order, `.` for times that are elsewhere (`m.c.`).
    public var activity: String
    public var size: Int64
    /// Mode as in the bodyfile (`r/rrwxr-xr-x`).
    public var mode: String
    public var uid: UInt32
    public var gid: UInt32
    /// Metadata address as `fls` prints it.
    public var meta: String
    /// Path as the bodyfile names it (sanitized, with ` (deleted)` etc.).
    public var name: String
    /// Sector offset of the file system the entry belongs to.
    public var fileSystemOffset: UInt64
    public var deleted: Bool

    public init(time: Timestamp, activity: String, size: Int64, mode: String, uid: UInt32, gid: UInt32, meta: String,
                name: String, fileSystemOffset: UInt64, deleted: Bool) {
        self.time = time
        self.activity = activity
        self.size = size
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.meta = meta
        self.name = name
        self.fileSystemOffset = fileSystemOffset
        self.deleted = deleted
    }

    /// The events of one entry: one per distinct time that is set, the way
    /// `mactime` groups a body line (times TSK reports as 0 are left out).
    /// Timestamps are compared at whole-second precision, as mactime does,
    /// while the event keeps the sub-second part of the first time that matched.
    public static func events(for entry: FileEntry, prefix: [UInt8] = [], fileSystemOffset: UInt64) -> [TimelineEvent] {
        guard entry.hasMetadata else { return [] }
        let t = entry.effectiveTimes
        let slots: [(Character, Timestamp)] = [("m", t.modified), ("a", t.accessed), ("c", t.changed), ("b", t.created)]
        var seen: [Int64] = []
        var result: [TimelineEvent] = []
        let line = Bodyfile.line(for: entry, prefix: prefix)
        let fields = line.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false)
        // Name, meta and mode come from the body line so both outputs agree.
        let name = String(decoding: fields[1], as: UTF8.self)
        let meta = String(decoding: fields[2], as: UTF8.self)
        let mode = String(decoding: fields[3], as: UTF8.self)
        for (_, stamp) in slots where stamp.seconds != 0 {
            if seen.contains(stamp.seconds) { continue }
            seen.append(stamp.seconds)
            var letters = ""
            for (letter, other) in slots {
                letters.append(other.seconds == stamp.seconds ? letter : ".")
            }
            result.append(TimelineEvent(time: stamp, activity: letters, size: entry.size, mode: mode,
                                        uid: entry.uid, gid: entry.gid, meta: meta, name: name,
                                        fileSystemOffset: fileSystemOffset, deleted: entry.isDeleted))
        }
        return result
    }
}
