internal import CEWF
#if canImport(Glibc)
import Glibc
#endif

/// The one owner of a `libewf_handle_t`: opened in `init`, closed and freed in `deinit`.
///
/// Not `Sendable` by itself: libewf handles must not be used from two threads
/// at once; ``EWFImage`` keeps it inside a mutex.
final class EWFHandle: @unchecked Sendable {
    let raw: UnsafeMutablePointer<Int>
    private let path: String

    /// `libewf_handle_initialize` + `libewf_handle_open` (read-only).
    init(opening segments: [String], reportedAs path: String) throws(EvidenceError) {
        self.path = path
        var error: UnsafeMutablePointer<Int>? = nil
        var handle: UnsafeMutablePointer<Int>? = nil
        guard libewf_handle_initialize(&handle, &error) == 1, let handle else {
            throw EvidenceError(.unreadable, path: path, "cannot create a libewf handle",
                                underlying: EWFHandle.message(consuming: &error))
        }
        let cNames = segments.map { strdup($0) }
        defer { cNames.forEach { free($0) } }
        let opened = cNames.withUnsafeBufferPointer { names in
            libewf_handle_open(handle, names.baseAddress, Int32(names.count), Int32(LIBEWF_ACCESS_FLAG_READ.rawValue), &error)
        }
        guard opened == 1 else {
            let detail = EWFHandle.message(consuming: &error)
            var freeError: UnsafeMutablePointer<Int>? = nil
            var doomed: UnsafeMutablePointer<Int>? = handle
            libewf_handle_free(&doomed, &freeError)
            libewf_error_free(&freeError)
            throw EvidenceError(.corrupt, path: path,
                                "cannot open the EWF image (truncated or damaged segment file?)", underlying: detail)
        }
        self.raw = handle
    }

    deinit {
        var error: UnsafeMutablePointer<Int>? = nil
        libewf_handle_close(raw, &error)
        libewf_error_free(&error)
        var doomed: UnsafeMutablePointer<Int>? = raw
        libewf_handle_free(&doomed, &error)
        libewf_error_free(&error)
    }

    /// `libewf_handle_get_media_size`.
    func mediaSize() throws(EvidenceError) -> Int64 {
        var error: UnsafeMutablePointer<Int>? = nil
        var size: UInt64 = 0
        guard libewf_handle_get_media_size(raw, &size, &error) == 1 else {
            throw EvidenceError(.corrupt, path: path, "cannot read the media size",
                                underlying: EWFHandle.message(consuming: &error))
        }
        return Int64(size)
    }

    /// `libewf_handle_get_bytes_per_sector`.
    func bytesPerSector() throws(EvidenceError) -> UInt32 {
        var error: UnsafeMutablePointer<Int>? = nil
        var value: UInt32 = 0
        guard libewf_handle_get_bytes_per_sector(raw, &value, &error) == 1 else {
            throw EvidenceError(.corrupt, path: path, "cannot read the sector size",
                                underlying: EWFHandle.message(consuming: &error))
        }
        return value == 0 ? 512 : value
    }

    /// Header values (`libewf_handle_get_utf8_header_value`) and stored digests
    /// (`libewf_handle_get_md5_hash`, `libewf_handle_get_sha1_hash`).
    func readMetadata() -> EWFMetadata {
        var meta = EWFMetadata()
        meta.caseNumber = headerValue("case_number")
        meta.evidenceNumber = headerValue("evidence_number")
        meta.examiner = headerValue("examiner_name")
        meta.description = headerValue("description")
        meta.notes = headerValue("notes")
        meta.acquisitionDate = headerValue("acquiry_date")
        meta.systemDate = headerValue("system_date")
        meta.acquisitionOS = headerValue("acquiry_operating_system")
        meta.acquisitionSoftware = headerValue("acquiry_software_version")
        meta.model = headerValue("model")
        meta.serialNumber = headerValue("serial_number")
        meta.storedMD5 = digest(length: 16) { handle, buffer, size, error in
            libewf_handle_get_md5_hash(handle, buffer, size, error)
        }
        meta.storedSHA1 = digest(length: 20) { handle, buffer, size, error in
            libewf_handle_get_sha1_hash(handle, buffer, size, error)
        }
        var error: UnsafeMutablePointer<Int>? = nil
        var chunk: UInt32 = 0
        if libewf_handle_get_chunk_size(raw, &chunk, &error) == 1 { meta.chunkSize = Int(chunk) }
        libewf_error_free(&error)
        var level: Int8 = 0
        var flags: UInt8 = 0
        if libewf_handle_get_compression_values(raw, &level, &flags, &error) == 1 {
            switch Int32(level) {
            case Int32(LIBEWF_COMPRESSION_NONE.rawValue): meta.compression = "none"
            case Int32(LIBEWF_COMPRESSION_FAST.rawValue): meta.compression = "fast"
            case Int32(LIBEWF_COMPRESSION_BEST.rawValue): meta.compression = "best"
            default: meta.compression = "level \(level)"
            }
        }
        libewf_error_free(&error)
        return meta
    }

    /// Checksum errors recorded so far (`libewf_handle_get_checksum_error`).
    func checksumErrors() -> [SectorRange] {
        var error: UnsafeMutablePointer<Int>? = nil
        var count: UInt32 = 0
        guard libewf_handle_get_number_of_checksum_errors(raw, &count, &error) == 1 else {
            libewf_error_free(&error)
            return []
        }
        var ranges: [SectorRange] = []
        for index in 0..<count {
            var start: UInt64 = 0
            var sectors: UInt64 = 0
            if libewf_handle_get_checksum_error(raw, index, &start, &sectors, &error) == 1 {
                ranges.append(SectorRange(start: start, count: sectors))
            }
            libewf_error_free(&error)
        }
        return ranges
    }

    private func headerValue(_ identifier: String) -> String? {
        var error: UnsafeMutablePointer<Int>? = nil
        var size = 0
        // libewf compares the identifier including its terminating NUL.
        let id = Array(identifier.utf8) + [0]
        let length = id.count - 1
        let found = libewf_handle_get_utf8_header_value_size(raw, id, length, &size, &error)
        guard found == 1, size > 1 else {
            libewf_error_free(&error)
            return nil
        }
        var buffer = [UInt8](repeating: 0, count: size)
        guard libewf_handle_get_utf8_header_value(raw, id, length, &buffer, size, &error) == 1 else {
            libewf_error_free(&error)
            return nil
        }
        let end = buffer.firstIndex(of: 0) ?? buffer.count
        let text = String(decoding: buffer[..<end], as: UTF8.self)
        return text.isEmpty ? nil : text
    }

    private func digest(length: Int,
                        _ get: (UnsafeMutablePointer<Int>, UnsafeMutablePointer<UInt8>, Int, UnsafeMutablePointer<UnsafeMutablePointer<Int>?>) -> Int32) -> String? {
        var error: UnsafeMutablePointer<Int>? = nil
        var bytes = [UInt8](repeating: 0, count: length)
        let found = bytes.withUnsafeMutableBufferPointer { buffer in
            get(raw, buffer.baseAddress!, length, &error)
        }
        libewf_error_free(&error)
        guard found == 1, bytes.contains(where: { $0 != 0 }) else { return nil }
        return bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// The text of a libewf error (`libewf_error_sprint`), then frees it.
    static func message(consuming error: inout UnsafeMutablePointer<Int>?) -> String? {
        guard let current = error else { return nil }
        var buffer = [CChar](repeating: 0, count: 2048)
        let n = libewf_error_sprint(current, &buffer, buffer.count)
        libewf_error_free(&error)
        guard n > 0 else { return nil }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // libewf prints a backtrace, one frame per line; the last line is the root cause.
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters() }.filter { !$0.isEmpty }
        return lines.last.map(String.init) ?? text
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

extension Substring {
    func trimmingCharacters() -> Substring {
        var s = self
        while let first = s.first, first == " " || first == "\t" || first == "\r" { s = s.dropFirst() }
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return s
    }
}
