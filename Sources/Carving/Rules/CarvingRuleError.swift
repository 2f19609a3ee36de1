/// An invalid rule file: the file, the line and column, and why.
public struct CarvingRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, for callers and tests that branch on it.
    public enum Code: String, Sendable, Hashable {
        /// The file or directory cannot be read (or `$EXHUME_RULES` is not a folder).
        case unreadable
        /// The YAML itself does not parse.
        case syntax
        /// The document is not a list of rules, or a rule is not a mapping.
        case structure
        /// A key the schema does not know.
        case unknownKey
        /// The same key twice in one rule.
        case duplicateKey
        /// A required key is absent (`name`, a header, `max_size`, `validator`…).
        case missingKey
        /// A value of the wrong kind or out of range.
        case badValue
        /// A hex or text signature that does not parse.
        case badSignature
        /// A size that does not parse.
        case badSize
        /// `min_size` above `max_size`, or a header longer than `max_size`.
        case sizeRange
        /// `validator` names no known validator.
        case unknownValidator
        /// The `footer` validator without a footer.
        case missingFooter
        /// Two rules with the same name in one file.
        case duplicateName
    }

    public var code: Code
    /// Path of the rule file (or folder).
    public var file: String
    /// 1-based line; 0 when the problem concerns the whole file.
    public var line: Int
    /// 1-based column; 0 when unknown.
    public var column: Int
    /// Human-readable reason.
    public var reason: String

    public init(_ code: Code, file: String, line: Int = 0, column: Int = 0, reason: String) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `file:line:column: reason`, as compilers print it.
    public var description: String {
        var where_ = file
        if line > 0 { where_ += ":\(line)" }
        if line > 0 && column > 0 { where_ += ":\(column)" }
        return "\(where_): \(reason)"
    }
}
