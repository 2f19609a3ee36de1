import Foundation
import SleuthKit

/// The items of a listing, in read order, kept out of memory.
///
/// A file system with a million files makes a million items; as Swift values
/// (paths, names, times, run information) they take about 0.6 KB each, which
/// would make memory grow with the number of files. The spool encodes each
/// item as it is found into a compact record (about 100–200 bytes) and keeps
/// only its sort key and place (32 bytes) in memory. Records stay in memory up
/// to `spillAbove` bytes, then go to an unlinked temporary file in `directory`
/// (the case folder for a scan, the temporary folder otherwise, never beside the
/// evidence), which disappears with the spool. Iterating decodes one item at a
/// time, in read order: by file system, then first block, then walk order,
/// as ``ContentPipeline/items(_:withoutOrphans:)`` sorts them.
public final class ItemSpool: Sequence, @unchecked Sendable {
    private struct Key {
        var fileSystem: Int32
        var walkOrder: UInt32
        var firstBlock: UInt64
        var offset: Int64
        var length: UInt32
    }

    private var keys: [Key] = []
    private var pending: [UInt8] = []
    /// Bytes of records already in the file.
    private var spilled: Int64 = 0
    private var file: ScratchFile?
    private let directory: URL?
    private let spillAbove: Int
    /// No temporary file could be made: the records stay in memory.
    private var unspillable = false
    private var sorted = false
    /// The temporary file's room (tests of a disk that fills up part-way).
    var scratchCapacity = Int64.max
    /// Sum of the items' sizes (progress bars).
    public private(set) var totalSize: Int64 = 0
    /// Why the records could not be read back (a failing temporary disk; a
    /// full one only keeps them in memory); iteration ends early when it is set.
    public private(set) var failure: String?

    /// Where each file system lies (by index): the items' provenance is made again from it as they are read back.
    private let places: [Provenance.Place]

    public init(directory: URL?, places: [Provenance.Place], spillAbove: Int = 32 << 20) {
        self.directory = directory
        self.places = places
        self.spillAbove = spillAbove
    }

    /// Where commands without a case folder spool: `$TMPDIR`, else `/tmp`.
    public static var temporaryFolder: URL { FileManager.default.temporaryDirectory }

    public var count: Int { keys.count }
    /// Whether records went to the temporary file (diagnostics, tests).
    public var isSpilled: Bool { file != nil }

    /// Adds an item found by a walk; call ``finishListing()`` once all are in.
    func append(_ item: ContentItem) {
        guard case .file(let fileSystem, let entry, let ref) = item.origin else {
            preconditionFailure("only file system entries are spooled")
        }
        append(fileSystem: fileSystem, entry: entry, ref: ref, source: item.source)
    }

    func append(fileSystem: Int, entry: FileEntry, ref: ContentRef, source: ItemSource) {
        precondition(!sorted, "items added after the listing was finished")
        let start = pending.count
        var writer = RecordWriter(bytes: pending)
        pending = []
        writer.item(fileSystem: fileSystem, entry: entry, ref: ref, source: source)
        pending = writer.bytes
        let length = pending.count - start
        keys.append(Key(fileSystem: Int32(fileSystem), walkOrder: UInt32(truncatingIfNeeded: keys.count),
                        firstBlock: ref.firstBlock ?? 0, offset: spilled + Int64(start), length: UInt32(length)))
        totalSize += Swift.max(0, entry.size)
        if !unspillable, pending.count >= (isSpilled ? 1 << 20 : spillAbove) { spill() }
    }

    /// Sorts the keys into read order; the spool can then be iterated (more than once).
    func finishListing() {
        if isSpilled { spill() }
        keys.sort {
            ($0.fileSystem, $0.firstBlock, $0.walkOrder) < ($1.fileSystem, $1.firstBlock, $1.walkOrder)
        }
        sorted = true
    }

    /// Moves the records held in memory to the temporary file (opening it first).
    private func spill() {
        guard failure == nil, !pending.isEmpty else { return }
        if file == nil {
            // Nowhere to spill (no folder, a read-only one): the records stay in memory.
            file = ScratchFile.make(in: directory, prefix: "exhume-items", capacity: scratchCapacity)
            guard file != nil else {
                unspillable = true
                return
            }
        }
        if pending.withUnsafeBytes({ file!.write($0, at: spilled) }) {
            spilled += Int64(pending.count)
            pending.removeAll(keepingCapacity: true)
            return
        }
        // A full or failing temporary disk: take back what went to the file and
        // keep everything in memory from now on (offsets stay valid: they count
        // from the first record either way).
        var front = [UInt8](repeating: 0, count: Int(spilled))
        let back = front.withUnsafeMutableBytes { file!.read(into: $0, at: 0) }
        file = nil
        unspillable = true
        guard back else {
            failure = "the item list's temporary file in \(directory?.path ?? "?") could not be written nor read back"
            return
        }
        pending = front + pending
        spilled = 0
    }

    public struct Iterator: IteratorProtocol {
        private let spool: ItemSpool
        private var index = 0
        private var buffer: [UInt8] = []

        fileprivate init(_ spool: ItemSpool) { self.spool = spool }

        public mutating func next() -> ContentItem? {
            precondition(spool.sorted, "an item spool is read after finishListing()")
            guard index < spool.keys.count, spool.failure == nil else { return nil }
            let key = spool.keys[index]
            defer { index += 1 }
            var item: ContentItem?
            if spool.isSpilled {
                let length = Int(key.length)
                if buffer.count < length { buffer = [UInt8](repeating: 0, count: length) }
                let ok = buffer.withUnsafeMutableBytes {
                    spool.file!.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<length]), at: key.offset)
                }
                guard ok else {
                    spool.failure = "item \(index + 1) of \(spool.keys.count) could not be read back from the item list's temporary file (\(ScratchFile.lastError))"
                    return nil
                }
                item = buffer.withUnsafeBytes {
                    var reader = RecordReader(UnsafeRawBufferPointer(rebasing: $0[0..<length]))
                    return reader.item(places: spool.places)
                }
            } else {
                let start = Int(key.offset)
                item = spool.pending.withUnsafeBytes {
                    var reader = RecordReader(UnsafeRawBufferPointer(rebasing: $0[start..<(start + Int(key.length))]))
                    return reader.item(places: spool.places)
                }
            }
            guard var item else {
                spool.failure = "item \(index + 1) of \(spool.keys.count) of the item list did not decode"
                return nil
            }
            item.sequence = index
            return item
        }
    }

    public func makeIterator() -> Iterator { Iterator(self) }

    /// ``failure`` as an issue of the image's listing: the items from there on were not read.
    public func issues(image: String) -> [Issue] {
        guard let failure else { return [] }
        return [Issue(severity: .warning, image: image, partition: nil, sectorOffset: nil,
                      message: "items not read: \(failure); the listing's later items were skipped")]
    }
}

/// Little-endian record fields of ``ItemSpool``.
struct RecordWriter {
    var bytes: [UInt8]

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }
    mutating func u16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func i64(_ value: Int64) { u64(UInt64(bitPattern: value)) }
    mutating func data(_ value: [UInt8]) {
        u32(UInt32(value.count))
        bytes += value
    }
    mutating func optional<T>(_ value: T?, _ put: (inout RecordWriter, T) -> Void) {
        bool(value != nil)
        if let value { put(&self, value) }
    }
    mutating func type(_ value: EntryType) { u8(UInt8(EntryType.allCases.firstIndex(of: value)!)) }
    mutating func attribute(_ value: AttributeID) {
        u32(value.type)
        u16(value.id)
    }
    mutating func times(_ value: MACBTimes) {
        for time in [value.modified, value.accessed, value.changed, value.created] {
            i64(time.seconds)
            u32(time.nanoseconds)
        }
    }
    mutating func ref(_ value: ContentRef) {
        u64(value.metaAddress)
        optional(value.attribute) { $0.attribute($1) }
        optional(value.firstBlock) { $0.u64($1) }
        i64(value.size)
        bool(value.contiguous)
    }

    mutating func item(fileSystem: Int, entry: FileEntry, ref: ContentRef, source: ItemSource) {
        u32(UInt32(fileSystem))
        u8(UInt8(ItemSource.allCases.firstIndex(of: source)!))
        self.ref(ref)
        data(entry.parentPath)
        data(entry.name)
        u64(entry.metaAddress)
        optional(entry.attribute) { $0.attribute($1) }
        optional(entry.streamName) { $0.data($1) }
        bool(entry.isFileNameAttribute)
        type(entry.nameType)
        optional(entry.metaType) { $0.type($1) }
        bool(entry.isDeleted)
        bool(entry.isMetaAllocated)
        bool(entry.hasMetadata)
        i64(entry.size)
        u32(entry.uid)
        u32(entry.gid)
        u32(entry.mode)
        data(Array(entry.lsMode.utf8))
        times(entry.times)
        optional(entry.fileNameTimes) { $0.times($1) }
        optional(entry.linkTarget) { $0.data($1) }
        optional(entry.content) { $0.ref($1) }
        optional(entry.parentComponents) { writer, components in
            writer.u32(UInt32(components.count))
            for component in components { writer.data(component) }
        }
    }
}

/// Reads what ``RecordWriter`` wrote; nil for a record that does not parse.
struct RecordReader {
    private let base: UnsafeRawBufferPointer
    private var at = 0
    private var bad = false

    init(_ base: UnsafeRawBufferPointer) { self.base = base }

    /// Every field read parsed and the record is used up.
    var isComplete: Bool { !bad && at == base.count }

    private mutating func take(_ n: Int) -> UnsafeRawBufferPointer? {
        guard !bad, n >= 0, at + n <= base.count else {
            bad = true
            return nil
        }
        defer { at += n }
        return UnsafeRawBufferPointer(rebasing: base[at..<(at + n)])
    }
    private mutating func fixed<T: FixedWidthInteger>(_: T.Type) -> T {
        guard let raw = take(MemoryLayout<T>.size) else { return 0 }
        return T(littleEndian: raw.loadUnaligned(as: T.self))
    }
    mutating func u8() -> UInt8 { fixed(UInt8.self) }
    mutating func bool() -> Bool { u8() != 0 }
    mutating func u16() -> UInt16 { fixed(UInt16.self) }
    mutating func u32() -> UInt32 { fixed(UInt32.self) }
    mutating func u64() -> UInt64 { fixed(UInt64.self) }
    mutating func i64() -> Int64 { Int64(bitPattern: u64()) }
    mutating func data() -> [UInt8] { take(Int(u32())).map { Array($0) } ?? [] }
    mutating func optional<T>(_ get: (inout RecordReader) -> T) -> T? { bool() ? get(&self) : nil }
    mutating func type() -> EntryType {
        let index = Int(u8())
        guard index < EntryType.allCases.count else {
            bad = true
            return .undefined
        }
        return EntryType.allCases[index]
    }
    mutating func attribute() -> AttributeID { AttributeID(type: u32(), id: u16()) }
    mutating func timestamp() -> Timestamp { Timestamp(seconds: i64(), nanoseconds: u32()) }
    mutating func times() -> MACBTimes {
        MACBTimes(modified: timestamp(), accessed: timestamp(), changed: timestamp(), created: timestamp())
    }
    mutating func ref() -> ContentRef {
        let metaAddress = u64()
        let attribute = optional { $0.attribute() }
        let firstBlock = optional { $0.u64() }
        return ContentRef(metaAddress: metaAddress, attribute: attribute, firstBlock: firstBlock, size: i64(), contiguous: bool())
    }

    mutating func item(places: [Provenance.Place]) -> ContentItem? {
        let fileSystem = Int(u32())
        let sourceIndex = Int(u8())
        let ref = self.ref()
        let parentPath = data()
        let name = data()
        let metaAddress = u64()
        let attribute = optional { $0.attribute() }
        let streamName = optional { $0.data() }
        let isFileNameAttribute = bool()
        let nameType = type()
        let metaType = optional { $0.type() }
        let isDeleted = bool(), isMetaAllocated = bool(), hasMetadata = bool()
        let size = i64()
        let uid = u32(), gid = u32(), mode = u32()
        let lsMode = String(decoding: data(), as: UTF8.self)
        let times = self.times()
        let fileNameTimes = optional { $0.times() }
        let linkTarget = optional { $0.data() }
        let content = optional { $0.ref() }
        let parentComponents = optional { reader -> [[UInt8]] in
            let count = Int(reader.u32())
            guard count <= reader.base.count else {
                reader.bad = true
                return []
            }
            return (0..<count).map { _ in reader.data() }
        }
        guard isComplete, sourceIndex < ItemSource.allCases.count, places.indices.contains(fileSystem) else { return nil }
        var entry = FileEntry(parentPath: parentPath, name: name, metaAddress: metaAddress, attribute: attribute,
                              streamName: streamName, isFileNameAttribute: isFileNameAttribute, nameType: nameType,
                              metaType: metaType, isDeleted: isDeleted, isMetaAllocated: isMetaAllocated,
                              hasMetadata: hasMetadata, size: size, uid: uid, gid: gid, mode: mode, lsMode: lsMode,
                              times: times, fileNameTimes: fileNameTimes, linkTarget: linkTarget, content: content)
        entry.parentComponents = parentComponents
        return ContentItem(sequence: 0, fileSystem: fileSystem, place: places[fileSystem], entry: entry, ref: ref,
                           source: ItemSource.allCases[sourceIndex])
    }
}
