internal import CMagic

/// What the content of an item is, according to libmagic, and whether its
/// name's extension contradicts it.
public struct ContentType: Sendable, Hashable, Codable {
    /// MIME type (`image/jpeg`), from `MAGIC_MIME_TYPE`.
    public var mime: String
    /// libmagic's description (`JPEG image data, JFIF standard 1.01, …`).
    public var description: String
    /// The name's extension claims another kind of content than the bytes
    /// hold (a JPEG named `.dll`, a video named `.txt`, text named `.jpg`).
    public var extensionMismatch: Bool

    public init(mime: String, description: String, extensionMismatch: Bool) {
        self.mime = mime
        self.description = description
        self.extensionMismatch = extensionMismatch
    }

    /// The same content judged under another name (the mismatch depends on the name).
    public func named(_ name: [UInt8]) -> ContentType {
        ContentType(mime: mime, description: description,
                    extensionMismatch: ExtensionTable.mismatch(mime: mime, name: name))
    }
}

/// Identifies content with libmagic (`magic_buffer` on the first bytes).
///
/// Owns two cookies (MIME type and description); not thread-safe: create one
/// per worker thread.
public final class TypeIdentifier {
    private let mimeCookie: MagicCookie
    private let describeCookie: MagicCookie
    /// How many leading bytes are examined.
    public static let headBytes = 64 << 10

    public init() throws(IdentificationError) {
        // Compressed files are reported as what they are (gzip), not what is inside.
        mimeCookie = try MagicCookie(flags: MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS)
        describeCookie = try MagicCookie(flags: MAGIC_NO_CHECK_COMPRESS)
    }

    /// Identifies `head` (the first bytes of the item) and checks it against
    /// the extension of `name` (bytes of the file name, as in the image).
    public func identify(head: UnsafeRawBufferPointer, name: [UInt8]) -> ContentType {
        let mime = self.mime(head: head)
        let description = describeCookie.identify(Self.examined(head)) ?? "data"
        return ContentType(mime: mime, description: description,
                           extensionMismatch: ExtensionTable.mismatch(mime: mime, name: name))
    }

    /// The MIME type alone: one libmagic pass instead of two, for callers that
    /// only filter on it (the carver's confirmation, `--media` exports).
    public func mime(head: UnsafeRawBufferPointer) -> String {
        mimeCookie.identify(Self.examined(head)) ?? "application/octet-stream"
    }

    private static func examined(_ head: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: head[0..<min(head.count, headBytes)])
    }
}
