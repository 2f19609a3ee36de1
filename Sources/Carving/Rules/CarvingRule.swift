/// One declarative carving signature, as written in a `CarvingRules/*.yaml` file.
///
/// A candidate file starts at an aligned offset `start`; the rule matches when
/// one of `headers` is found at `start + headerOffset`. The `validator` then
/// walks the structure to find the file's end (bounded by `maxSize`), and
/// libmagic must report one of `mimeTypes`.
public struct CarvingRule: Sendable, Hashable {
    /// Unique name (`jpeg`, `mp4`); a later rule with the same name overrides.
    public var name: String
    /// File extensions, the first being the one used for carved files.
    public var extensions: [String]
    /// MIME types libmagic may report for a genuine file; empty accepts any.
    public var mimeTypes: [String]
    /// Alternative header signatures (any one matches), all at `headerOffset`.
    public var headers: [ByteSignature]
    /// Distance from the start of the file to the header bytes (4 for `ftyp`).
    public var headerOffset: Int
    /// Optional trailer (`FF D9`, `%%EOF`); required by the `footer` validator.
    public var footer: ByteSignature?
    /// Smallest plausible file, in bytes.
    public var minSize: Int64
    /// Largest plausible file, in bytes: carving never reads past it.
    public var maxSize: Int64
    /// Name of the structural validator (`jpeg`, `isobmff`…), or `footer`
    /// for a generic header-to-footer rule as Foremost/Scalpel do.
    public var validator: String
    /// Optional free text.
    public var description: String?
    /// Where the rule was defined.
    public var origin: Origin

    /// A rule's place in its file.
    public struct Origin: Sendable, Hashable, CustomStringConvertible {
        /// Path of the YAML file (`<memory>` for rules built in code).
        public var file: String
        /// 1-based line of the rule.
        public var line: Int
        public init(file: String, line: Int) {
            self.file = file
            self.line = line
        }
        /// `file:line`.
        public var description: String { "\(file):\(line)" }
    }

    /// Makes a rule in code; the loader checks the same invariants.
    public init(name: String, extensions: [String], mimeTypes: [String] = [],
                headers: [ByteSignature], headerOffset: Int = 0, footer: ByteSignature? = nil,
                minSize: Int64 = 0, maxSize: Int64, validator: String, description: String? = nil,
                origin: Origin = Origin(file: "<memory>", line: 0)) {
        precondition(!headers.isEmpty, "a rule needs a header")
        precondition(headerOffset >= 0 && minSize >= 0 && minSize <= maxSize)
        self.name = name
        self.extensions = extensions
        self.mimeTypes = mimeTypes
        self.headers = headers
        self.headerOffset = headerOffset
        self.footer = footer
        self.minSize = minSize
        self.maxSize = maxSize
        self.validator = validator
        self.description = description
        self.origin = origin
    }

    /// Whether `mime` is one libmagic may report for this rule (any when the
    /// list is empty).
    public func accepts(mime: String) -> Bool {
        mimeTypes.isEmpty || mimeTypes.contains(mime)
    }
}

/// Names of the structural validators; `footer` is the generic
/// header-to-footer carver.
public enum CarvingValidatorNames {
    /// The validators of the Carving module.
    public static let builtIn: Set<String> = [
        "jpeg", "png", "gif", "bmp", "tiff", "riff", "isobmff", "pdf", "zip", "footer",
    ]
}
