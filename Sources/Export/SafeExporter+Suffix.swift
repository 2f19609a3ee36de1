/// Collision suffixes: `name.ext` → `name~2.ext`, `name~3.ext`, … within 255 bytes.
extension SafeExporter {
    /// `name` (a sanitized name) with `~n` before its short extension (`.ext` of at most
    /// 16 bytes, not a leading dot), the stem cut at a UTF-8/escape boundary if the result
    /// would pass 255 bytes. `photo.jpg`, 2 → `photo~2.jpg`; `.bashrc`, 3 → `.bashrc~3`.
    static func suffixed(_ name: String, _ n: Int) -> String {
        let bytes = Array(name.utf8)
        let ext = extensionRange(of: bytes) ?? bytes.count..<bytes.count
        let tag = Array("~\(n)".utf8)
        let budget = maximumNameLength - tag.count - ext.count
        var cut = 0
        var i = 0
        while i < ext.lowerBound {
            let length = bytes[i] == 0x25 ? 3 : (UTF8Scan.scalar(in: bytes, at: i)?.0 ?? 1)
            if i + length > budget { break }
            i += length
            cut = i
        }
        cut = min(cut, ext.lowerBound)
        return String(decoding: bytes[0..<cut] + tag + bytes[ext], as: UTF8.self)
    }
}
