internal import CInflate

/// Who inflates compressed EWF chunks: libewf calls zlib's `uncompress`, which
/// the `CInflate` target serves with libdeflate (about twice zlib's speed).
public enum Inflate {
    /// "libdeflate 1.14": the engine behind libewf's inflating.
    public static var engine: String { String(cString: exhume_inflate_engine()) }

    /// Chunks inflated through the engine so far, in this process (all threads).
    public static var calls: UInt64 { exhume_inflate_calls() }
}
