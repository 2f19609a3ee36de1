import Foundation
import SleuthKit
import Timeline

/// Sorts timeline events by time, name and metadata address (``TimelineBuilder``'s
/// order) in bounded memory: events are sorted in runs of `runLength`, runs
/// beyond the first go to an unlinked temporary file in `directory` as compact
/// records, and the runs are merged at the end. Equal keys keep the order they
/// came in, as a stable sort of all of them would. When no file can be made or
/// written, the events stay in memory (and the output is the same).
final class EventSorter {
    private let directory: URL?
    private let runLength: Int
    private var current: [TimelineEvent] = []
    /// Runs in the file: where each starts and how many bytes it has.
    private var runs: [(offset: Int64, length: Int64)] = []
    private var fileLength: Int64 = 0
    private var file: ScratchFile?
    private var inMemoryOnly = false
    /// The temporary file's room (tests of a disk that fills up part-way).
    var scratchCapacity = Int64.max
    /// Why the file could not be read back (a failing disk); the merge stops there.
    private(set) var failure: String?

    init(directory: URL?, runLength: Int) {
        self.directory = directory
        self.runLength = max(1, runLength)
    }

    static func precedes(_ a: TimelineEvent, _ b: TimelineEvent) -> Bool {
        (a.time, a.name, a.meta) < (b.time, b.name, b.meta)
    }

    func add(_ event: TimelineEvent) {
        current.append(event)
        if !inMemoryOnly, current.count >= runLength { spillRun() }
    }

    /// The events in order, one at a time.
    func drain(_ emit: (TimelineEvent) -> Void) {
        current.sort(by: Self.precedes)   // Swift's sort is stable
        guard !runs.isEmpty else {
            current.forEach(emit)
            return
        }
        // Readers of the file's runs, then the run still in memory (the newest: last on ties).
        var sources: [RunReader] = runs.map { RunReader(file: file!, offset: $0.offset, length: $0.length) }
        var memory = current.makeIterator()
        var heads: [(event: TimelineEvent, source: Int)] = []
        func pull(_ source: Int) -> TimelineEvent? {
            if source == sources.count { return memory.next() }
            let event = sources[source].next()
            if event == nil, let problem = sources[source].failure, failure == nil { failure = problem }
            return event
        }
        for source in 0...sources.count {
            if let event = pull(source) { heads.append((event, source)) }
        }
        // A binary heap on (key, source): equal keys come out in source order, which is arrival order.
        func before(_ i: Int, _ j: Int) -> Bool {
            if Self.precedes(heads[i].event, heads[j].event) { return true }
            if Self.precedes(heads[j].event, heads[i].event) { return false }
            return heads[i].source < heads[j].source
        }
        func down(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heads.count, before(l, m) { m = l }
                if r < heads.count, before(r, m) { m = r }
                if m == i { return }
                heads.swapAt(i, m)
                i = m
            }
        }
        for i in stride(from: heads.count / 2, through: 0, by: -1) { down(i) }
        while !heads.isEmpty {
            let (event, source) = heads[0]
            emit(event)
            if let next = pull(source) {
                heads[0] = (next, source)
            } else {
                heads[0] = heads[heads.count - 1]
                heads.removeLast()
            }
            if !heads.isEmpty { down(0) }
        }
    }

    /// Sorts the events in memory and appends them to the file as one run.
    private func spillRun() {
        if file == nil {
            file = ScratchFile.make(in: directory, prefix: "exhume-events", capacity: scratchCapacity)
            guard file != nil else {
                inMemoryOnly = true
                return
            }
        }
        current.sort(by: Self.precedes)
        var writer = RecordWriter(bytes: [])
        for event in current {
            let start = writer.bytes.count
            writer.u32(0)
            writer.event(event)
            let length = UInt32(writer.bytes.count - start - 4)
            withUnsafeBytes(of: length.littleEndian) { writer.bytes.replaceSubrange(start..<(start + 4), with: $0) }
        }
        let bytes = writer.bytes
        let written = bytes.withUnsafeBytes { file!.write($0, at: fileLength) }
        guard written else {
            // A full disk: this run and the rest stay in memory.
            inMemoryOnly = true
            return
        }
        runs.append((fileLength, Int64(bytes.count)))
        fileLength += Int64(bytes.count)
        current.removeAll(keepingCapacity: true)
    }

    /// Reads one run back, record by record, through a small buffer.
    private struct RunReader {
        let file: ScratchFile
        var offset: Int64
        let end: Int64
        var buffer: [UInt8] = []
        var at = 0
        var failure: String?

        init(file: ScratchFile, offset: Int64, length: Int64) {
            self.file = file
            self.offset = offset
            self.end = offset + length
        }

        /// Makes `count` bytes available at `at`, reading more of the run as needed.
        private mutating func ensure(_ count: Int) -> Bool {
            if buffer.count - at >= count { return true }
            let kept = Array(buffer[at...])
            let want = Int(min(end - offset, Int64(max(count - kept.count, 256 << 10))))
            guard kept.count + want >= count else { return false }
            var more = [UInt8](repeating: 0, count: want)
            guard more.withUnsafeMutableBytes({ file.read(into: $0, at: offset) }) else {
                failure = "the timeline's temporary file could not be read back (\(ScratchFile.lastError))"
                return false
            }
            offset += Int64(want)
            buffer = kept + more
            at = 0
            return true
        }

        mutating func next() -> TimelineEvent? {
            guard failure == nil, ensure(4) else { return nil }
            let length = Int(buffer.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt32.self)) })
            at += 4
            guard ensure(length) else {
                if failure == nil { failure = "the timeline's temporary file ends inside a record" }
                return nil
            }
            let event = buffer.withUnsafeBytes { raw -> TimelineEvent? in
                var reader = RecordReader(UnsafeRawBufferPointer(rebasing: raw[at..<(at + length)]))
                return reader.event()
            }
            at += length
            if event == nil { failure = "the timeline's temporary file holds a damaged record" }
            return event
        }
    }
}

extension RecordWriter {
    mutating func event(_ e: TimelineEvent) {
        i64(e.time.seconds)
        u32(e.time.nanoseconds)
        data(Array(e.activity.utf8))
        i64(e.size)
        data(Array(e.mode.utf8))
        u32(e.uid)
        u32(e.gid)
        data(Array(e.meta.utf8))
        data(Array(e.name.utf8))
        u64(e.fileSystemOffset)
        bool(e.deleted)
    }
}

extension RecordReader {
    mutating func event() -> TimelineEvent? {
        let time = timestamp()
        let activity = String(decoding: data(), as: UTF8.self)
        let size = i64()
        let mode = String(decoding: data(), as: UTF8.self)
        let uid = u32(), gid = u32()
        let meta = String(decoding: data(), as: UTF8.self)
        let name = String(decoding: data(), as: UTF8.self)
        let fileSystemOffset = u64()
        let deleted = bool()
        guard isComplete else { return nil }
        return TimelineEvent(time: time, activity: activity, size: size, mode: mode, uid: uid, gid: gid, meta: meta,
                             name: name, fileSystemOffset: fileSystemOffset, deleted: deleted)
    }
}
