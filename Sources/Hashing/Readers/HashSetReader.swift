/// A reader of one hash-set file: streams its entries, one ``KnownHash`` at a
/// time, without loading the file into memory.
///
/// `forEach` throws a ``HashSetError`` naming the file and the line, row or
/// byte offset of the first malformed entry, or whatever `body` throws.
public protocol HashSetReader {
    /// The file read.
    var path: String { get }
    /// Calls `body` with every entry in file order.
    func forEach(_ body: (KnownHash) throws -> Void) throws
}
