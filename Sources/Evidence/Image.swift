#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens evidence files, choosing the reader from the content, not the name.
public enum Image {
    /// Opens `path` read-only as an E01 set, split raw or raw image.
    ///
    /// The first bytes decide: the EWF signature `EVF\t\r\n\xff\0` means libewf;
    /// other container signatures we cannot read yet (EWF2 `.Ex01`, VMDK, VHD,
    /// QCOW) are refused with a clear error rather than read as raw bytes;
    /// everything else is raw.
    public static func open(_ path: String) throws(EvidenceError) -> any ImageSource {
        let head = try readHead(of: path, count: 512)
        switch ContainerSignature.detect(head) {
        case .ewf:
            return try EWFImage(path: path)
        case .unsupported(let name):
            throw EvidenceError(.unsupportedFormat, path: path, "\(name) images are not supported yet")
        case .none:
            if head.isEmpty {
                throw EvidenceError(.unsupportedFormat, path: path, "the file is empty (0 bytes): there is no media to read")
            }
            return try RawImage(path: path)
        }
    }

    static func readHead(of path: String, count: Int) throws(EvidenceError) -> [UInt8] {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let err = errno
            throw EvidenceError(err == ENOENT ? .notFound : .unreadable, path: path,
                                err == ENOENT ? "no such file" : "cannot open evidence file",
                                underlying: String(cString: strerror(err)))
        }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw EvidenceError(.unsupportedFormat, path: path, "is a directory, not an image file")
        }
        var buffer = [UInt8](repeating: 0, count: count)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, 0) }
        guard n >= 0 else {
            throw EvidenceError(.unreadable, path: path, offset: 0, "cannot read evidence file",
                                underlying: String(cString: strerror(errno)))
        }
        return Array(buffer.prefix(n))
    }
}

enum ContainerSignature: Equatable {
    case ewf
    case unsupported(String)

    static func detect(_ head: [UInt8]) -> ContainerSignature? {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && Array(head[offset..<offset + magic.count]) == magic
        }
        if starts([0x45, 0x56, 0x46, 0x09, 0x0D, 0x0A, 0xFF, 0x00]) { return .ewf }
        if starts([0x4C, 0x56, 0x46, 0x09, 0x0D, 0x0A, 0xFF, 0x00]) { return .unsupported("EWF logical evidence (L01)") }
        if starts(Array("EVF2\r\n".utf8) + [0x81, 0x00]) { return .unsupported("EWF2 (Ex01)") }
        if starts(Array("KDMV".utf8)) { return .unsupported("VMDK") }
        if starts(Array("# Disk DescriptorFile".utf8)) { return .unsupported("VMDK") }
        if starts(Array("conectix".utf8)) { return .unsupported("VHD") }
        if starts(Array("vhdxfile".utf8)) { return .unsupported("VHDX") }
        if starts([0x51, 0x46, 0x49, 0xFB]) { return .unsupported("QCOW") }
        if starts(Array("AFF10\r\n".utf8)) { return .unsupported("AFF") }
        return nil
    }
}
