/// A sortable table entry of the index writer: a digest as big-endian words
/// plus its record number. Fixed-size values, so tens of millions of them
/// sort in place without a heap allocation each.
protocol IndexKey: Comparable, Sendable {
    static var kind: DigestKind { get }
    init(_ digest: Digest, record: UInt32)
    var record: UInt32 { get }
    /// Same digest bytes (the record number aside).
    func sameDigest(as other: Self) -> Bool
    /// Writes the digest bytes (big-endian) and the record number (little-endian).
    func store(into pointer: UnsafeMutableRawPointer)
}

extension UnsafeMutableRawPointer {
    @inline(__always)
    func storeBigEndian(_ value: UInt64, at offset: Int) {
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt64.self)
    }

    @inline(__always)
    func storeLittleEndian<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
    }
}

struct MD5Key: IndexKey {
    static var kind: DigestKind { .md5 }
    var a: UInt64
    var b: UInt64
    var record: UInt32

    init(_ digest: Digest, record: UInt32) {
        a = digest.w0
        b = digest.w1
        self.record = record
    }

    func sameDigest(as other: MD5Key) -> Bool { a == other.a && b == other.b }

    func store(into p: UnsafeMutableRawPointer) {
        p.storeBigEndian(a, at: 0)
        p.storeBigEndian(b, at: 8)
        p.storeLittleEndian(record, at: 16)
    }

    static func < (l: MD5Key, r: MD5Key) -> Bool {
        if l.a != r.a { return l.a < r.a }
        if l.b != r.b { return l.b < r.b }
        return l.record < r.record
    }
}

struct SHA1Key: IndexKey {
    static var kind: DigestKind { .sha1 }
    var a: UInt64
    var b: UInt64
    var c: UInt32
    var record: UInt32

    init(_ digest: Digest, record: UInt32) {
        a = digest.w0
        b = digest.w1
        c = UInt32(truncatingIfNeeded: digest.w2 >> 32)
        self.record = record
    }

    func sameDigest(as other: SHA1Key) -> Bool { a == other.a && b == other.b && c == other.c }

    func store(into p: UnsafeMutableRawPointer) {
        p.storeBigEndian(a, at: 0)
        p.storeBigEndian(b, at: 8)
        p.storeBytes(of: c.bigEndian, toByteOffset: 16, as: UInt32.self)
        p.storeLittleEndian(record, at: 20)
    }

    static func < (l: SHA1Key, r: SHA1Key) -> Bool {
        if l.a != r.a { return l.a < r.a }
        if l.b != r.b { return l.b < r.b }
        if l.c != r.c { return l.c < r.c }
        return l.record < r.record
    }
}

struct SHA256Key: IndexKey {
    static var kind: DigestKind { .sha256 }
    var a: UInt64
    var b: UInt64
    var c: UInt64
    var d: UInt64
    var record: UInt32

    init(_ digest: Digest, record: UInt32) {
        a = digest.w0
        b = digest.w1
        c = digest.w2
        d = digest.w3
        self.record = record
    }

    func sameDigest(as other: SHA256Key) -> Bool { a == other.a && b == other.b && c == other.c && d == other.d }

    func store(into p: UnsafeMutableRawPointer) {
        p.storeBigEndian(a, at: 0)
        p.storeBigEndian(b, at: 8)
        p.storeBigEndian(c, at: 16)
        p.storeBigEndian(d, at: 24)
        p.storeLittleEndian(record, at: 32)
    }

    static func < (l: SHA256Key, r: SHA256Key) -> Bool {
        if l.a != r.a { return l.a < r.a }
        if l.b != r.b { return l.b < r.b }
        if l.c != r.c { return l.c < r.c }
        if l.d != r.d { return l.d < r.d }
        return l.record < r.record
    }
}
