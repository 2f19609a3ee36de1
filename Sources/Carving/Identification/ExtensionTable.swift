/// Which extensions each kind of content normally carries, to flag files
/// whose name hides what they are.
///
/// A mismatch is reported only when the content is a type listed here: then
/// an extension that belongs to other types (`photo.jpg` holding a PNG, text
/// named `.jpg`), an extension this table does not know (a ZIP named `.boo`;
/// text is let through) or no extension (pictures, video, programs) is
/// flagged. Unknown content (`application/octet-stream`) is never flagged.
enum ExtensionTable {
    /// Families of content, each with its MIME types and usual extensions.
    static let families: [(mimes: [String], extensions: [String])] = [
        (["image/jpeg"], ["jpg", "jpeg", "jpe", "jfif", "jfi", "thm"]),
        (["image/png", "image/apng"], ["png", "apng"]),
        (["image/gif"], ["gif"]),
        (["image/bmp", "image/x-ms-bmp"], ["bmp", "dib"]),
        (["image/tiff"], ["tif", "tiff", "nef", "cr2", "dng", "arw"]),
        (["image/webp"], ["webp"]),
        (["image/heic", "image/heif", "image/heic-sequence", "image/heif-sequence"], ["heic", "heif", "hif"]),
        (["image/avif"], ["avif"]),
        (["image/x-icon", "image/vnd.microsoft.icon"], ["ico", "cur"]),
        (["video/mp4", "video/x-m4v", "audio/mp4", "audio/x-m4a"], ["mp4", "m4v", "m4a", "mp4v", "3gp", "mov"]),
        (["video/quicktime"], ["mov", "qt", "mp4"]),
        (["video/3gpp", "video/3gpp2"], ["3gp", "3g2", "mp4"]),
        (["video/x-msvideo"], ["avi"]),
        (["video/x-matroska", "video/webm"], ["mkv", "webm", "mka"]),
        (["video/mpeg"], ["mpg", "mpeg", "m2v", "vob", "mpe"]),
        (["video/MP2T"], ["ts", "m2ts", "mts"]),
        (["video/x-ms-asf", "video/x-ms-wmv"], ["wmv", "asf", "wma"]),
        (["video/x-flv"], ["flv"]),
        (["audio/mpeg"], ["mp3", "mp2", "mpga"]),
        (["audio/x-wav", "audio/wav"], ["wav"]),
        (["application/pdf"], ["pdf"]),
        (["application/zip"], ["zip", "jar", "apk", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub", "xpi", "cbz", "kmz"]),
        (["application/vnd.openxmlformats-officedocument.wordprocessingml.document"], ["docx", "docm", "dotx"]),
        (["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"], ["xlsx", "xlsm", "xltx"]),
        (["application/vnd.openxmlformats-officedocument.presentationml.presentation"], ["pptx", "pptm", "potx"]),
        (["application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint", "application/x-ole-storage",
          "application/CDFV2", "application/vnd.ms-office"], ["doc", "dot", "xls", "xlt", "ppt", "pps", "msg", "msi", "db", "pub", "vsd"]),
        (["application/x-rar", "application/vnd.rar"], ["rar", "cbr"]),
        (["application/x-7z-compressed"], ["7z"]),
        (["application/gzip", "application/x-gzip"], ["gz", "tgz"]),
        (["application/x-bzip2"], ["bz2", "tbz2"]),
        (["application/x-xz"], ["xz", "txz"]),
        (["application/x-tar"], ["tar"]),
        (["application/x-dosexec", "application/x-msdownload", "application/vnd.microsoft.portable-executable"],
         ["exe", "dll", "sys", "scr", "ocx", "cpl", "drv", "efi", "com", "mui"]),
        (["application/x-executable", "application/x-sharedlib", "application/x-pie-executable", "application/x-object"],
         ["so", "o", "ko", "elf", "bin", "out"]),
        (["text/plain"], ["txt", "text", "log", "csv", "ini", "cfg", "conf", "md", "nfo", "asc", "dat", "lst", "readme", "me"]),
        (["text/html"], ["html", "htm", "xhtml"]),
        (["text/xml", "application/xml"], ["xml", "xsl", "plist", "svg", "rss"]),
        (["image/svg+xml"], ["svg"]),
        (["text/rtf"], ["rtf", "doc"]),
    ]

    /// Extension → the MIME families it claims.
    static let byExtension: [String: Set<String>] = {
        var table: [String: Set<String>] = [:]
        for family in families {
            for ext in family.extensions { table[ext, default: []].formUnion(family.mimes) }
        }
        return table
    }()

    static let knownMimes: Set<String> = Set(families.flatMap(\.mimes))

    /// The lower-cased extension of a name (after the last `.`, if any and not leading).
    static func extensionOf(_ name: [UInt8]) -> String? {
        guard let dot = name.lastIndex(of: UInt8(ascii: ".")), dot > 0, dot < name.count - 1 else { return nil }
        let ext = name[(dot + 1)...]
        guard ext.count <= 10, ext.allSatisfy({ $0 < 0x80 }) else { return nil }
        return String(decoding: ext, as: UTF8.self).lowercased()
    }

    static func mismatch(mime: String, name: [UInt8]) -> Bool {
        guard knownMimes.contains(mime) else { return false }
        guard let ext = extensionOf(name) else {
            // No extension at all: only media and executables are worth flagging.
            return mime.hasPrefix("image/") || mime.hasPrefix("video/") || mime == "application/x-dosexec"
        }
        guard let claimed = byExtension[ext] else {
            // An extension we do not know: flag anything but text hidden behind it
            // (a picture, an archive or a program named .boo is what hiding looks like).
            return !mime.hasPrefix("text/") && !mime.hasSuffix("xml")
        }
        return !claimed.contains(mime)
    }
}
