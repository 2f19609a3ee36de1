internal import CSleuthKit
import Evidence

/// A TSK image (`TSK_IMG_INFO`) that reads through an ``ImageSource``, so TSK
/// and every other reader of the evidence see the same bytes.
///
/// Owns its `TSK_IMG_INFO` and closes it in `deinit` (`tsk_img_close`).
/// Volume systems and file systems opened on it keep it alive.
public final class DiskImage: @unchecked Sendable {
    public let source: any ImageSource
    let raw: UnsafeMutablePointer<TSK_IMG_INFO>
    private let readContext: ImageReadContext

    /// Wraps `source` with `tsk_img_open_external`.
    public init(source: any ImageSource) throws(TSKError) {
        guard let (img, context) = ExternalImage.open(source) else {
            throw TSKError.capture(function: "tsk_img_open_external", context: source.path)
        }
        self.source = source
        self.raw = img
        self.readContext = context
    }

    deinit {
        tsk_img_close(raw)
    }

    /// Image name for messages.
    public var path: String { source.path }
    /// Media size in bytes.
    public var size: Int64 { source.size }
    /// Device sector size in bytes, the unit of partition and `--offset` addresses.
    public var sectorSize: Int { Int(raw.pointee.sector_size) }

    /// The last read error TSK's callbacks saw, with the evidence file and offset.
    var lastReadFailure: EvidenceError? { readContext.lastFailure }
}
