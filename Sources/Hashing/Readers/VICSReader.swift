/// Reads Project VIC VICS JSON (v1.x and v2) and UK CAID exports, which use the
/// same OData shape: `{"odata.metadata": …, "value": [ … ]}`.
///
/// The file is streamed: the reader walks the containers (`value`, and the
/// `Media` array of a v1.x case object) token by token and holds only one media
/// entry in memory at a time, so files of any size read in bounded memory.
/// A top-level array of media entries is accepted too.
///
/// Liberal about spelling: keys are matched case-insensitively, ignoring `-`,
/// `_` and spaces. A media entry is any object with a digest key (`MD5`, `SHA1`,
/// `SHA256`) or a `Hashes` list (`[{"HashName": "MD5", "HashValue": "…"}]` or
/// `{"MD5": "…"}`); `Category`, `MediaSize`/`Size`, `Name`/`FileName` are read,
/// every other scalar is kept in `extra`. Entries in a nested `MediaFiles` array
/// that carry their own digests become entries too (with the parent's category),
/// and give the parent its name when it has none. Entries without any digest
/// (PhotoDNA only) are skipped.
public struct VICSReader: HashSetReader {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Keys whose array values are walked as streams of entries.
    static let containerKeys: Set<String> = ["value", "media", "medias", "mediaitems"]

    public func forEach(_ body: (KnownHash) throws -> Void) throws {
        let stream = JSONStream(input: try FileInput(path: path))
        // A UTF-8 byte-order mark is allowed before the document.
        if try stream.input.peekByte() == 0xEF {
            for expected: UInt8 in [0xEF, 0xBB, 0xBF] {
                guard try stream.input.nextByte() == expected else { throw stream.error("not JSON: bad byte-order mark") }
            }
        }
        switch try stream.peek() {
        case UInt8(ascii: "{"):
            try walkEntity(stream, depth: 0, body)
        case UInt8(ascii: "["):
            try walkEntries(stream, depth: 0, body)
        case nil:
            throw stream.error("empty file: no VICS JSON document")
        case let c?:
            throw stream.error("not VICS JSON: expected '{' or '[', found '\(JSONStream.show(c))'")
        }
        if let c = try stream.peek() {
            throw stream.error("unexpected '\(JSONStream.show(c))' after the end of the JSON document")
        }
    }

    private func walkEntries(_ stream: JSONStream, depth: Int, _ body: (KnownHash) throws -> Void) throws {
        try stream.walkArray(depth: depth + 1) {
            if try stream.peek() == UInt8(ascii: "{") {
                try walkEntity(stream, depth: depth + 1, body)
            } else {
                try stream.skipValue(depth: depth + 1)
            }
        }
    }

    /// One object: containers inside it are streamed, its other members are
    /// collected; if they make a media entry, it is emitted when the object closes.
    private func walkEntity(_ stream: JSONStream, depth: Int, _ body: (KnownHash) throws -> Void) throws {
        var members: [Member] = []
        try stream.walkObject(depth: depth + 1) { key in
            if Self.containerKeys.contains(Self.normalized(key)), try stream.peek() == UInt8(ascii: "[") {
                try walkEntries(stream, depth: depth + 1, body)
            } else {
                let place = Place(line: stream.line, offset: stream.input.offset)
                members.append(Member(key: key, value: try stream.parseValue(depth: depth + 1), place: place))
            }
        }
        for entry in try entries(from: members, inheritedCategory: nil, stream: stream) {
            try body(entry)
        }
    }

    struct Place {
        var line: Int
        var offset: Int64
    }

    struct Member {
        var key: String
        var value: JSONValue
        var place: Place
    }

    /// `MD5`, `Sha-1`, `media_size` → `md5`, `sha1`, `mediasize`.
    static func normalized(_ key: String) -> String {
        String(key.lowercased().unicodeScalars.filter { $0 != "-" && $0 != "_" && $0 != " " })
    }

    /// The entries one media object makes: itself (when it has a digest) and
    /// its `MediaFiles` children that carry digests of their own.
    private func entries(from members: [Member], inheritedCategory: String?, stream: JSONStream) throws -> [KnownHash] {
        var entry = KnownHash()
        var children: [(members: [Member], place: Place)] = []
        var childName: String?
        for member in members {
            let key = Self.normalized(member.key)
            if let kind = DigestKind(name: key) {
                if let digest = try digest(member.value, kind: kind, field: member.key, place: member.place) {
                    entry.set(digest)
                }
                continue
            }
            switch key {
            case "hashes":
                try collectHashes(member.value, into: &entry, field: member.key, place: member.place)
            case "category", "categoryid", "caidcategory":
                entry.category = member.value.scalarText
            case "mediasize", "size", "filesize":
                if let text = member.value.scalarText { entry.size = Int64(text) ?? Double(text).flatMap { Int64(exactly: $0) } }
            case "name", "filename", "medianame":
                entry.fileName = member.value.scalarText
            case "mediafiles", "files":
                guard case .array(let elements) = member.value else { break }
                for element in elements {
                    guard case .object(let fields) = element else { continue }
                    let nested = fields.map { Member(key: $0.key, value: $0.value, place: member.place) }
                    if childName == nil {
                        childName = nested.first { ["filename", "name"].contains(Self.normalized($0.key)) }?.value.scalarText
                    }
                    children.append((nested, member.place))
                }
            default:
                if let text = member.value.scalarText { entry.extra[member.key] = text }
            }
        }
        if entry.category == nil { entry.category = inheritedCategory }
        if entry.fileName == nil { entry.fileName = childName }
        var out: [KnownHash] = []
        if entry.hasDigest { out.append(entry) }
        for child in children {
            for nested in try entries(from: child.members, inheritedCategory: entry.category, stream: stream)
            where nested.digests != entry.digests {
                out.append(nested)
            }
        }
        return out
    }

    private func digest(_ value: JSONValue, kind: DigestKind, field: String, place: Place) throws(HashSetError) -> Digest? {
        switch value {
        case .null: return nil
        case .string(let text):
            return try DigestField.parse(text, expected: kind, name: field, path: path, line: place.line, offset: place.offset)
        default:
            throw HashSetError(.badDigest, path: path, line: place.line, offset: place.offset, "\(field): not a hex string")
        }
    }

    /// `"Hashes": [{"HashName": "MD5", "HashValue": "…"}]`, `[{"MD5": "…"}]` or `{"MD5": "…"}`.
    private func collectHashes(_ value: JSONValue, into entry: inout KnownHash, field: String, place: Place) throws(HashSetError) {
        let nameKeys: Set<String> = ["hashname", "name", "type", "algorithm", "hashtype", "hashalgorithm"]
        let valueKeys: Set<String> = ["hashvalue", "value", "hash", "digest"]
        var objects: [[(key: String, value: JSONValue)]] = []
        switch value {
        case .object(let fields): objects = [fields]
        case .array(let elements):
            for element in elements { if case .object(let fields) = element { objects.append(fields) } }
        default: return
        }
        for fields in objects {
            var named: DigestKind?
            var hashValue: JSONValue?
            for (key, inner) in fields {
                let normal = Self.normalized(key)
                if let kind = DigestKind(name: normal) {
                    if let digest = try digest(inner, kind: kind, field: "\(field).\(key)", place: place) { entry.set(digest) }
                } else if nameKeys.contains(normal), let text = inner.scalarText {
                    named = DigestKind(name: text)
                } else if valueKeys.contains(normal) {
                    hashValue = inner
                }
            }
            if let named, let hashValue,
               let digest = try digest(hashValue, kind: named, field: "\(field).\(named.rawValue.uppercased())", place: place) {
                entry.set(digest)
            }
        }
    }
}
