import SleuthKit
import Testing
@testable import Timeline

/// Body lines for hand-made entries, each rule of TSK's `tsk_fs_name_print_mac` in turn.
struct BodyfileTests {
    func entry(_ name: String, parent: String = "", meta: Bool = true) -> FileEntry {
        FileEntry(parentPath: Array(parent.utf8), name: Array(name.utf8), metaAddress: 12, attribute: nil,
                  streamName: nil, isFileNameAttribute: false, nameType: .regular, metaType: meta ? .regular : nil,
                  isDeleted: false, isMetaAllocated: meta, hasMetadata: meta, size: 42, uid: 1000, gid: 100,
                  mode: 0o644, lsMode: "rrw-r--r--",
                  times: MACBTimes(modified: .init(seconds: 200), accessed: .init(seconds: 100),
                                   changed: .init(seconds: 300), created: .init(seconds: 0)),
                  fileNameTimes: nil, linkTarget: nil)
    }

    func text(_ e: FileEntry, prefix: String = "") -> String {
        String(decoding: Bodyfile.line(for: e, prefix: Array(prefix.utf8)), as: UTF8.self)
    }

    @Test func plainFile() {
        #expect(text(entry("a.txt", parent: "dir/"), prefix: "/") == "0|/dir/a.txt|12|r/rrw-r--r--|1000|100|42|100|200|300|0")
    }

    @Test func deletedAndReallocated() {
        var e = entry("gone.txt")
        e.isDeleted = true
        e.isMetaAllocated = false
        #expect(text(e) == "0|gone.txt (deleted)|12|r/rrw-r--r--|1000|100|42|100|200|300|0")
        e.isMetaAllocated = true
        #expect(text(e) == "0|gone.txt (deleted-realloc)|12|r/rrw-r--r--|1000|100|42|100|200|300|0")
    }

    @Test func nameWithoutMetadata() {
        var e = entry("orphan-name", meta: false)
        e.isDeleted = true
        #expect(text(e) == "0|orphan-name (deleted)|12|r/----------|0|0|0|0|0|0|0")
    }

    @Test func controlCharactersBecomeCarets() {
        let e = entry("bad\u{01}\n\u{1F}name")
        #expect(text(e).hasPrefix("0|bad^^^name|"))
    }

    @Test func alternateDataStreamAndFileNameAttribute() {
        var e = entry("file.txt")
        e.attribute = AttributeID(type: 128, id: 5)
        e.streamName = Array("secret".utf8)
        e.size = 7
        #expect(text(e, prefix: "/") == "0|/file.txt:secret|12-128-5|r/rrw-r--r--|1000|100|7|100|200|300|0")
        var f = entry("file.txt")
        f.attribute = AttributeID(type: 48, id: 2)
        f.isFileNameAttribute = true
        f.fileNameTimes = MACBTimes(modified: .init(seconds: 9), accessed: .init(seconds: 8),
                                    changed: .init(seconds: 7), created: .init(seconds: 6))
        #expect(text(f, prefix: "/") == "0|/file.txt ($FILE_NAME)|12-48-2|r/rrw-r--r--|1000|100|42|8|9|7|6")
    }

    @Test func symlinkTarget() {
        var e = entry("a_link")
        e.nameType = .symbolicLink
        e.metaType = .symbolicLink
        e.lsMode = "lrwxrwxrwx"
        e.linkTarget = Array("a_directory/another_file".utf8)
        #expect(text(e).hasPrefix("0|a_link -> a_directory/another_file|12|l/lrwxrwxrwx|"))
    }

    @Test func timesBefore1970WrapLikeTSK() {
        var e = entry("old")
        e.times.modified = .init(seconds: -1)
        #expect(text(e).contains("|100|4294967295|300|0"))
    }
}

struct TimelineEventTests {
    func entry(m: Int64, a: Int64, c: Int64, b: Int64) -> FileEntry {
        FileEntry(parentPath: [], name: Array("f".utf8), metaAddress: 5, attribute: nil, streamName: nil,
                  isFileNameAttribute: false, nameType: .regular, metaType: .regular, isDeleted: true,
                  isMetaAllocated: false, hasMetadata: true, size: 1, uid: 0, gid: 0, mode: 0, lsMode: "----------",
                  times: MACBTimes(modified: .init(seconds: m, nanoseconds: 5), accessed: .init(seconds: a),
                                   changed: .init(seconds: c), created: .init(seconds: b)),
                  fileNameTimes: nil, linkTarget: nil)
    }

    @Test func oneRowPerDistinctTimeWithMACBLetters() {
        let events = TimelineEvent.events(for: entry(m: 10, a: 20, c: 10, b: 0), fileSystemOffset: 0)
        #expect(events.map(\.activity) == ["m.c.", ".a.."])
        #expect(events.map(\.time.seconds) == [10, 20])
        #expect(events[0].time.nanoseconds == 5)
        #expect(events[0].name == "f (deleted)")
        #expect(events[0].deleted)
    }

    @Test func allTimesEqualGiveOneRow() {
        let events = TimelineEvent.events(for: entry(m: 7, a: 7, c: 7, b: 7), fileSystemOffset: 0)
        #expect(events.map(\.activity) == ["macb"])
    }

    @Test func unsetTimesAreLeftOut() {
        #expect(TimelineEvent.events(for: entry(m: 0, a: 0, c: 0, b: 0), fileSystemOffset: 0).isEmpty)
    }
}

struct TimeFormatTests {
    @Test func iso8601WithAndWithoutFraction() {
        #expect(TimeFormat.iso8601(.init(seconds: 0)) == "1970-01-01T00:00:00Z")
        #expect(TimeFormat.iso8601(.init(seconds: 1_086_837_742)) == "2004-06-10T03:22:22Z")
        #expect(TimeFormat.iso8601(.init(seconds: 1, nanoseconds: 500_000_000)) == "1970-01-01T00:00:01.500Z")
        #expect(TimeFormat.iso8601(.init(seconds: 1, nanoseconds: 123_456_789)) == "1970-01-01T00:00:01.123456789Z")
        #expect(TimeFormat.iso8601(.init(seconds: 1, nanoseconds: 100)) == "1970-01-01T00:00:01.000000100Z")
        #expect(TimeFormat.iso8601OrNil(.init(seconds: 0)) == nil)
    }

    @Test func parsesDatesAndEpochSeconds() {
        #expect(TimeFormat.parse("2004-06-10")?.seconds == 1_086_825_600)
        #expect(TimeFormat.parse("2004-06-10T03:22:22Z")?.seconds == 1_086_837_742)
        #expect(TimeFormat.parse("2004-06-10 03:22")?.seconds == 1_086_837_720)
        #expect(TimeFormat.parse("1086837742")?.seconds == 1_086_837_742)
        #expect(TimeFormat.parse("yesterday") == nil)
        #expect(TimeFormat.parse("2004-13") == nil)
    }
}
