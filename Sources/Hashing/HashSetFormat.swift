/// The hash-set file formats Exhume reads, detected from content.
public enum HashSetFormat: String, Sendable, CaseIterable {
    /// `md5sum`/`sha1sum`/`sha256sum` lists (and the BSD `MD5 (name) = hex` form).
    case digestList = "md5sum"
    /// `hashdeep` output (`%%%% HASHDEEP-1.0`).
    case hashdeep
    /// NSRL RDS v3: SQLite with a `FILE` table.
    case nsrlSQLite = "nsrl"
    /// Legacy NSRL RDS 2.x `NSRLFile.txt`.
    case nsrlLegacy = "nsrl-txt"
    /// Project VIC VICS JSON (v1.x, v2) and UK CAID.
    case vics
    /// INTERPOL ICSE `;`-separated CSV export.
    case icse
    /// HashKeeper CSV.
    case hashKeeper = "hashkeeper"

    /// A format from its command-line name (`md5sum`, `sha1sum`, `sha256sum`,
    /// `hashdeep`, `nsrl`, `nsrl-txt`, `vics`, `caid`, `icse`, `hashkeeper`), case-insensitive.
    public init?(name: String) {
        let lower = name.lowercased()
        switch lower {
        case "md5sum", "sha1sum", "sha256sum", "digest-list", "list": self = .digestList
        case "nsrl", "rds", "nsrl-sqlite", "rdsv3": self = .nsrlSQLite
        case "nsrl-txt", "nsrlfile", "nsrl-legacy": self = .nsrlLegacy
        case "vics", "caid", "json", "projectvic": self = .vics
        default:
            guard let format = HashSetFormat(rawValue: lower) else { return nil }
            self = format
        }
    }

    /// Detects the format from the first bytes of a file: the SQLite header,
    /// `{`/`[` for JSON, the hashdeep banner, the NSRL/HashKeeper/ICSE header
    /// lines, or a hex digest at the start of the first data line.
    public static func detect(path: String) throws(HashSetError) -> HashSetFormat {
        let head = try FileInput(path: path).prefix(8192)
        guard let format = detect(prefix: head) else {
            throw HashSetError(.unsupportedFormat, path: path, head.isEmpty ? "empty file: not a hash set"
                : "not a known hash-set format (md5sum/sha1sum/sha256sum, hashdeep, NSRL RDS, VICS/CAID JSON, ICSE, HashKeeper)")
        }
        return format
    }

    /// Detection on the file's first bytes; nil when nothing matches.
    public static func detect(prefix head: [UInt8]) -> HashSetFormat? {
        if head.starts(with: Array("SQLite format 3\0".utf8)) { return .nsrlSQLite }
        var bytes = head[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let first = bytes.first(where: { !Trim.isBlank($0) && $0 != UInt8(ascii: "\n") }) else { return nil }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return .vics }
        // The first line that is neither blank nor a comment.
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        guard let line = lines.lazy.map({ Trim.blanks($0) }).first(where: { !$0.isEmpty && $0.first != UInt8(ascii: "#") }) else {
            return nil
        }
        let text = String(decoding: line, as: UTF8.self).lowercased()
        if text.hasPrefix("%%%% hashdeep") { return .hashdeep }
        let unquoted = text.replacingAll("\"", with: "")
        if unquoted.hasPrefix("sha-1,md5,") || unquoted.hasPrefix("sha1,md5,") { return .nsrlLegacy }
        if unquoted.hasPrefix("file_id,hashset_id,") || (unquoted.contains("hashset_id") && unquoted.contains(",hash,")) {
            return .hashKeeper
        }
        if unquoted.contains(";") {
            let columns = unquoted.split(separator: ";").map { $0.trimmingBlanks() }
            if columns.contains(where: { DigestKind(name: $0) != nil }) { return .icse }
        }
        // md5sum-style: a hex run of 32/40/64 digits, then a blank or the end;
        // or the BSD tagged form.
        var hexCount = 0
        var body = line
        if body.first == UInt8(ascii: "\\") { body = body.dropFirst() }
        for c in body {
            if Trim.isBlank(c) { break }
            let isHex = (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "f"))
            guard isHex else { hexCount = -1; break }
            hexCount += 1
        }
        if DigestKind(hexLength: hexCount) != nil { return .digestList }
        for tag in ["md5 (", "sha1 (", "sha256 ("] where text.hasPrefix(tag) && text.contains(") = ") {
            return .digestList
        }
        return nil
    }

    /// The reader for a file of this format.
    public func reader(path: String) -> any HashSetReader {
        switch self {
        case .digestList: DigestListReader(path: path)
        case .hashdeep: HashdeepReader(path: path)
        case .nsrlSQLite: NSRLSQLiteReader(path: path)
        case .nsrlLegacy: NSRLLegacyReader(path: path)
        case .vics: VICSReader(path: path)
        case .icse: ICSEReader(path: path)
        case .hashKeeper: HashKeeperReader(path: path)
        }
    }

    /// The reader for `path`, the format detected unless `format` is given.
    public static func reader(path: String, format: HashSetFormat? = nil) throws(HashSetError) -> any HashSetReader {
        if let format { return format.reader(path: path) }
        return try detect(path: path).reader(path: path)
    }
}

extension String {
    /// Plain replacement without Foundation.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for c in self {
            if c == target { out += replacement } else { out.append(c) }
        }
        return out
    }
}
