import Hashing
import SleuthKit

/// Where an item's bytes come from, made where the item is found and carried
/// unchanged to the case, the exports, the JSON and the errors: the image, and
/// in it a file system entry (volume slot, file-system offset and type, metadata
/// address and stream) or a carved extent (offset, length, rule); and, for an
/// item found inside another one, that `parent` with the path or offset inside it.
///
/// ``key`` is the one text form the case stores (`fs@2048/64-128-2/…`,
/// `carved@12345`): unique within an image and stable from run to run, so that
/// a resumed scan recognises what it already recorded. It is derived here and
/// nowhere else.
public struct Provenance: Sendable, Hashable, CustomStringConvertible {
    /// The evidence file (the first segment of a set), as the command was given it.
    public var image: String
    public var origin: Origin
    /// The item this one was found inside; nil for items of the image itself.
    public var parent: Parent?

    public enum Origin: Sendable, Hashable {
        /// A file system entry (allocated, deleted, orphan, stream).
        case file(FileOrigin)
        /// A byte range of the image found by signature.
        case carved(CarvedOrigin)
    }

    /// Where a file system lies in its image: what every entry of it shares.
    public struct Place: Sendable, Hashable {
        public var image: String
        /// The partition slot as `mmls` numbers it; nil for a bare file system.
        public var volumeSlot: Int?
        /// Sector offset of the file system in the image (TSK's `-o`).
        public var sectorOffset: UInt64
        /// TSK's name of the file-system type (`ntfs`, `fat16`, `ext4`…).
        public var fileSystemType: String
        /// The pool volume (APFS) holding the file system, if any.
        public var poolVolume: Int?

        public init(image: String, volumeSlot: Int?, sectorOffset: UInt64, fileSystemType: String, poolVolume: Int?) {
            self.image = image
            self.volumeSlot = volumeSlot
            self.sectorOffset = sectorOffset
            self.fileSystemType = fileSystemType
            self.poolVolume = poolVolume
        }
    }

    public struct FileOrigin: Sendable, Hashable {
        public var place: Place
        /// The metadata address, and the attribute (NTFS type and id) the entry names, if any.
        public var metaAddress: UInt64
        public var attribute: AttributeID?
        /// The item is the default data of an entry that names an attribute (NTFS `$DATA`).
        public var defaultStream: Bool
        /// The name's exact bytes: parent path and name (two names of one inode are two items).
        public var parentPath: [UInt8]
        public var name: [UInt8]

        /// The address as `fls` prints it (`12`, `64-128-2`); made when asked, not
        /// for every item a walk finds.
        public var address: String {
            if let attribute { return "\(metaAddress)-\(attribute.type)-\(attribute.id)" }
            return "\(metaAddress)"
        }
    }

    public struct CarvedOrigin: Sendable, Hashable {
        /// Byte offset in the image, length, and the carving rule that matched.
        public var offset: Int64
        public var length: Int64
        public var rule: String
    }

    /// The item an item was found inside: its key, and where inside it.
    public struct Parent: Sendable, Hashable {
        public var key: String
        /// The member's path inside the parent (an archive's member name), raw bytes.
        public var path: [UInt8]?
        /// The byte offset inside the parent (an embedded picture).
        public var offset: Int64?

        public init(key: String, path: [UInt8]? = nil, offset: Int64? = nil) {
            self.key = key
            self.path = path
            self.offset = offset
        }
    }

    /// A file system entry whose content `ref` reads.
    public init(_ place: Place, entry: FileEntry, ref: ContentRef) {
        image = place.image
        origin = .file(FileOrigin(place: place, metaAddress: entry.metaAddress, attribute: entry.attribute,
                                  defaultStream: ref.attribute == nil && entry.attribute != nil,
                                  parentPath: entry.parentPath, name: entry.name))
    }

    /// A carved extent of `image`.
    public init(image: String, carved extent: CarvedExtent) {
        self.image = image
        origin = .carved(CarvedOrigin(offset: extent.offset, length: extent.length, rule: extent.rule))
    }

    /// The provenance key: `fs@SECTOR[/poolN]/ADDR[/default]/HEX(parent path/name)` or
    /// `carved@OFFSET`; for an item inside another, the parent's key, `>`, and where
    /// inside it: `HEX(member path)`, `@OFFSET`, or both (`HEX@OFFSET`).
    public var key: String {
        if let parent {
            var key = parent.key + ">"
            if let path = parent.path { key += Digests.hex(path) }
            if let offset = parent.offset { key += "@\(offset)" }
            return key
        }
        var key: String
        switch origin {
        case .file(let file):
            key = "fs@\(file.place.sectorOffset)"
            if let pool = file.place.poolVolume { key += "/pool\(pool)" }
            key += "/\(file.address)"
            if file.defaultStream { key += "/default" }
            key += "/" + Digests.hex(file.parentPath + [0x2F] + file.name)
        case .carved(let carved):
            key = "carved@\(carved.offset)"
        }
        return key
    }

    /// The image and the key: `image.E01: fs@2048/…`.
    public var description: String { "\(image): \(key)" }

    /// Byte offset of a carved item in its image; nil for file system entries.
    public var imageOffset: Int64? {
        if case .carved(let carved) = origin { return carved.offset }
        return nil
    }
}

extension MountedFileSystem {
    /// Where this file system lies in `image`, for the provenance of its entries.
    public func place(image: String) -> Provenance.Place {
        Provenance.Place(image: image, volumeSlot: partition?.slot, sectorOffset: info.sectorOffset,
                         fileSystemType: info.type, poolVolume: poolVolume?.index)
    }
}

extension Examination {
    /// Each file system's place, by index.
    public var places: [Provenance.Place] { fileSystems.map { $0.place(image: source.path) } }
}
