internal import CMagic

/// The one owner of a libmagic cookie (`magic_open` + `magic_load` with the
/// system database, `magic_close` in `deinit`).
///
/// Not `Sendable`: a cookie is not thread-safe and the strings it returns live
/// in its own buffers. Use one per thread; results are copied at once.
final class MagicCookie {
    private let cookie: magic_t

    /// - Parameter flags: `MAGIC_*` flags, e.g. `MAGIC_MIME_TYPE`.
    init(flags: Int32) throws(IdentificationError) {
        guard let cookie = magic_open(flags) else {
            throw IdentificationError(message: "magic_open failed")
        }
        if magic_load(cookie, nil) != 0 {
            let message = magic_error(cookie).map { String(cString: $0) } ?? "unknown error"
            magic_close(cookie)
            throw IdentificationError(message: "cannot load the libmagic database: \(message)")
        }
        // Bound the work on large buffers: the first bytes decide for the formats we care about.
        var maxBytes = 1 << 20
        magic_setparam(cookie, MAGIC_PARAM_BYTES_MAX, &maxBytes)
        self.cookie = cookie
    }

    deinit {
        magic_close(cookie)
    }

    /// `magic_buffer`: what libmagic says about `bytes`, copied out of its buffer.
    func identify(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard let result = magic_buffer(cookie, bytes.baseAddress, bytes.count) else { return nil }
        return String(cString: result)
    }
}

/// libmagic could not be set up (no database).
public struct IdentificationError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { "libmagic: \(message)" }
}
