import ExhumeTestSupport
import Foundation
import SleuthKit
import Testing
import Timeline
@testable import ExhumeKit

/// The timeline sorted in runs through a temporary file must be the timeline
/// sorted in memory, event for event.
struct EventSorterTests {
    @Test(arguments: ["ntfs.raw", "fat16.raw", "ext4.raw", "hostile.raw", "mbr.E01"])
    func runsMergedFromAFileGiveTheSameTimeline(_ name: String) throws {
        let exam = try Examination(path: try Fixtures.path(name), requireFileSystem: false)
        let builder = TimelineBuilder()
        let (inMemory, issues) = builder.events(exam)
        #expect(!inMemory.isEmpty, "\(name) has events")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("exhume-events-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for runLength in [1, 2, 7, 1000] {
            var merged: [TimelineEvent] = []
            let mergeIssues = builder.sortedEvents(exam, directory: folder, runLength: runLength) { merged.append($0) }
            #expect(merged == inMemory, "\(name), runs of \(runLength)")
            #expect(mergeIssues.count == issues.count)
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "the runs' file is unlinked")
        }
        // Nowhere to write the runs: sorted in memory all the same.
        var unspilled: [TimelineEvent] = []
        _ = builder.sortedEvents(exam, directory: folder.appendingPathComponent("missing"), runLength: 2) { unspilled.append($0) }
        #expect(unspilled == inMemory)
    }

    @Test func aTemporaryDiskThatFillsUpPartWayLosesNothing() throws {
        let exam = try Examination(path: try Fixtures.path("ntfs.raw"), requireFileSystem: false)
        let (inMemory, _) = TimelineBuilder().events(exam)
        // Room for no run, for some, for all.
        for capacity: Int64 in [0, 900, 1 << 30] {
            let sorter = EventSorter(directory: FileManager.default.temporaryDirectory, runLength: 4)
            sorter.scratchCapacity = capacity
            inMemory.forEach(sorter.add)
            var out: [TimelineEvent] = []
            sorter.drain { out.append($0) }
            #expect(out == inMemory, "capacity \(capacity)")
            #expect(sorter.failure == nil)
        }
    }

    @Test func equalKeysKeepTheirArrivalOrderAcrossRuns() {
        // Same time, name and meta; told apart by size, which gives the arrival order.
        var events: [TimelineEvent] = []
        for index in 0..<50 {
            events.append(TimelineEvent(time: Timestamp(seconds: Int64(index % 3)), activity: "m...", size: Int64(index),
                                        mode: "r/r---------", uid: 0, gid: 0, meta: "5", name: index % 2 == 0 ? "a" : "b",
                                        fileSystemOffset: 0, deleted: false))
        }
        // By key, then by arrival (the size).
        let expected = events.sorted { (a: TimelineEvent, b: TimelineEvent) -> Bool in
            if EventSorter.precedes(a, b) { return true }
            if EventSorter.precedes(b, a) { return false }
            return a.size < b.size
        }
        for runLength in [1, 3, 4, 50] {
            let sorter = EventSorter(directory: FileManager.default.temporaryDirectory, runLength: runLength)
            events.forEach(sorter.add)
            var out: [TimelineEvent] = []
            sorter.drain { out.append($0) }
            #expect(out == expected, "runs of \(runLength)")
        }
    }
}
