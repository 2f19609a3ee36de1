import Evidence
import Synchronization

/// An ``ImageSource`` over another one that fails reads in chosen byte ranges
/// or pretends the media ends early: fault injection for the layers above.
public final class FaultyImageSource: ImageSource {
    public let base: any ImageSource
    /// Byte ranges whose reads throw.
    public let failing: [Range<Int64>]
    /// Media size to report (shorter than the base: a truncated image).
    public let size: Int64
    private let counter = Mutex(0)

    public init(base: any ImageSource, failing: [Range<Int64>] = [], truncatedTo: Int64? = nil) {
        self.base = base
        self.failing = failing
        self.size = min(truncatedTo ?? base.size, base.size)
    }

    public var format: ImageFormat { base.format }
    public var files: [String] { base.files }
    public var sectorSize: Int { base.sectorSize }
    /// How many reads reached this source.
    public var reads: Int { counter.withLock { $0 } }

    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(EvidenceError) -> Int {
        counter.withLock { $0 += 1 }
        guard offset < size else { return 0 }
        let wanted = Int(min(Int64(buffer.count), size - offset))
        let range = offset..<(offset + Int64(wanted))
        if let bad = failing.first(where: { $0.overlaps(range) }) {
            throw EvidenceError(.readFailed, path: path, offset: max(offset, bad.lowerBound), "injected read failure")
        }
        return try base.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]), at: offset)
    }
}
