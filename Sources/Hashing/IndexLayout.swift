/// The on-disk layout of a hash-set index (version 1). All integers are
/// little-endian; digests are stored as their bytes, in order, so tables sort
/// bytewise.
///
/// ```
/// offset  size  header (144 bytes)
///      0     8  magic "EXHIDX1\0"
///      8     4  version (1)
///     12     4  header size (144)
///     16     1  kind: 0 known-good, 1 known-bad; 7 bytes reserved (0)
///     24     8  creation time, seconds since 1970 (signed)
///     32     8  file size in bytes (a shorter file is truncated)
///     40     8  record count
///     48    16  MD5 table: entry count, byte offset
///     64    16  SHA-1 table: entry count, byte offset
///     80    16  SHA-256 table: entry count, byte offset
///     96     8  record table byte offset
///    104    16  string pool: byte offset, size
///    120     4  set name (string id)
///    124     4  source file name (string id)
///    128     8  reserved (0)
///    136     8  FNV-1a 64 of bytes 0..<136
///
/// MD5 table      count × 20 bytes: digest (16) + record number (u32), sorted by digest
/// SHA-1 table    count × 24 bytes: digest (20) + record number
/// SHA-256 table  count × 36 bytes: digest (32) + record number
/// record table   recordCount × 8 bytes: category (string id), file name (string id)
/// string pool    strings as u32 byte length + UTF-8 bytes; a string id is the
///                string's offset in the pool; 0xFFFFFFFF means none
/// ```
/// Sections start at 8-byte boundaries, in the order above. Equal digests are
/// adjacent (one per record that carries it, duplicates with the same
/// category dropped), so a lookup returns every record of a digest.
enum IndexLayout {
    static let magic: [UInt8] = Array("EXHIDX1\0".utf8)
    static let version: UInt32 = 1
    static let headerSize = 144
    static let checksummedBytes = 136
    static let recordSize = 8
    static let noString = UInt32.max

    static func entrySize(_ kind: DigestKind) -> Int { kind.byteCount + 4 }

    /// Header field offsets.
    static let versionAt = 8, headerSizeAt = 12, kindAt = 16, createdAt = 24, fileSizeAt = 32
    static let recordCountAt = 40, recordsAt = 96, stringsAt = 104, stringsSizeAt = 112
    static let nameAt = 120, sourceAt = 124, checksumAt = 136

    /// Where a table's count and offset live in the header.
    static func tableAt(_ kind: DigestKind) -> Int {
        switch kind {
        case .md5: 48
        case .sha1: 64
        case .sha256: 80
        }
    }

    static func align8(_ value: Int) -> Int { (value + 7) & ~7 }

    /// FNV-1a, 64 bits: enough to tell a damaged header from a good one.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
