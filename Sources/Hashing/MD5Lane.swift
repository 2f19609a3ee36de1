/// The MD5 of one stream (not `Sendable`: a state per thread), hashed by our
/// own MD5 engine (``PairedMD5``), which hashes two threads' streams at once on
/// one core when two are busy. Beside it, on another thread, a ``SHALane``:
/// MD5 is the slow one, so it gets a core of its own.
public struct MD5Lane {
    private var context = MD5Context()
    public init() {}

    /// Feeds `bytes` to the stream; returns once the engine has hashed them.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        if !isKnownUniquelyReferenced(&context) { context = context.copy() }
        PairedMD5.shared.update(context.raw, bytes)
    }

    /// The MD5 of what was fed so far.
    public func finalize() -> [UInt8] { context.digest() }
}
