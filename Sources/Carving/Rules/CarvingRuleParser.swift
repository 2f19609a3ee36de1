internal import Yams

/// Turns one YAML rule file into `CarvingRule`s, checking every rule and
/// locating every problem with Yams' node marks (file, line, column).
struct CarvingRuleParser {
    /// Path shown in errors and recorded in each rule's origin.
    let file: String
    /// Accepted `validator` values.
    let knownValidators: Set<String>

    /// Every key a rule may have.
    static let keys: [String] = [
        "name", "description", "extensions", "mime", "header", "header_text", "header_offset",
        "footer", "footer_text", "min_size", "max_size", "validator",
    ]
    /// Bounds that keep the scanner's margin small and its table meaningful.
    static let maxHeaderOffset = 4096
    static let maxSignatureLength = 256
    static let minFixedHeaderBytes = 2

    func parse(yaml: String) throws(CarvingRuleError) -> [CarvingRule] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error)
        } catch {
            throw CarvingRuleError(.syntax, file: file, reason: "YAML: \(error)")
        }
        guard let root else { return [] }     // an empty file holds no rules
        guard let list = root.sequence else {
            throw fail(.structure, root, "a rule file is a YAML list of rules (each item starting with '- name:')")
        }
        var rules: [CarvingRule] = []
        var seen: [String: Int] = [:]
        for item in list {
            let rule = try parseRule(item)
            if let first = seen[rule.name] {
                throw CarvingRuleError(.duplicateName, file: file, line: rule.origin.line,
                                       column: (item.mapping?["name"]?.mark?.column) ?? 0,
                                       reason: "duplicate rule name '\(rule.name)' (first defined on line \(first))")
            }
            seen[rule.name] = rule.origin.line
            rules.append(rule)
        }
        return rules
    }

    /// One rule. Its parts are checked in a fixed order (keys, name, extensions, MIME types,
    /// header, footer, sizes, validator), so a rule with several problems always names the same one.
    private func parseRule(_ node: Node) throws(CarvingRuleError) -> CarvingRule {
        let values = try keyedValues(node)
        let name = try ruleName(values, owner: node)
        let context = "rule '\(name)'"

        let extensions = try stringList(values["extensions"], "extensions")
        guard !extensions.isEmpty else {
            throw fail(.missingKey, values["extensions"] ?? node, "\(context) needs 'extensions' (at least one)")
        }
        let mimeTypes = try stringList(values["mime"], "mime")
        let headers = try headerSignatures(values, context: context, owner: node)
        let headerOffset = try self.headerOffset(values, context: context)
        let footer = try footerSignature(values, context: context, owner: node)
        let (minSize, maxSize) = try sizeBounds(values, context: context, owner: node,
                                                headerEnd: headerOffset + (headers.map(\.count).max() ?? 0))
        let validator = try validatorName(values, hasFooter: footer != nil, context: context, owner: node)
        let description = try values["description"].map { (n) throws(CarvingRuleError) in try string(n, "description") }

        return CarvingRule(name: name, extensions: extensions, mimeTypes: mimeTypes, headers: headers,
                           headerOffset: headerOffset, footer: footer, minSize: minSize, maxSize: maxSize,
                           validator: validator, description: description,
                           origin: .init(file: file, line: node.mark?.line ?? 0))
    }

    // MARK: parts of a rule

    /// The rule's keys and their values: known keys only, each once.
    private func keyedValues(_ node: Node) throws(CarvingRuleError) -> [String: Node] {
        guard let mapping = node.mapping else {
            throw fail(.structure, node, "each rule is a mapping of keys (name:, header:, …)")
        }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                throw fail(.structure, key, "rule keys are plain words")
            }
            guard Self.keys.contains(name) else {
                throw fail(.unknownKey, key, "unknown key '\(name)'; known keys: \(Self.keys.joined(separator: ", "))")
            }
            if values[name] != nil {
                throw fail(.duplicateKey, key, "key '\(name)' appears twice in one rule")
            }
            values[name] = value
        }
        return values
    }

    private func ruleName(_ values: [String: Node], owner node: Node) throws(CarvingRuleError) -> String {
        guard let nameNode = values["name"] else { throw fail(.missingKey, node, "rule without a 'name'") }
        let name = try string(nameNode, "name")
        guard !name.isEmpty, name.utf8.allSatisfy(Self.isNameByte) else {
            throw fail(.badValue, nameNode, "rule name '\(name)' must be letters, digits, '.', '_' or '-'")
        }
        return name
    }

    /// At least one header, each short enough and with enough fixed bytes to anchor the scanner.
    private func headerSignatures(_ values: [String: Node], context: String,
                                  owner node: Node) throws(CarvingRuleError) -> [ByteSignature] {
        let headers = try signatures(hex: values["header"], text: values["header_text"],
                                     field: "header", context: context, owner: node, allowList: true)
        guard !headers.isEmpty else {
            throw fail(.missingKey, node, "\(context) has no header: give 'header' (hex) or 'header_text' (ASCII)")
        }
        let headerNode = values["header"] ?? values["header_text"]!
        for header in headers {
            guard header.count <= Self.maxSignatureLength else {
                throw fail(.badValue, headerNode, "\(context): a header is at most \(Self.maxSignatureLength) bytes")
            }
            guard header.fixedCount >= Self.minFixedHeaderBytes else {
                throw fail(.badSignature, headerNode, "\(context): a header needs at least \(Self.minFixedHeaderBytes) fixed (non-??) bytes")
            }
        }
        return headers
    }

    private func headerOffset(_ values: [String: Node], context: String) throws(CarvingRuleError) -> Int {
        guard let node = values["header_offset"] else { return 0 }
        guard let value = Int(try string(node, "header_offset")), (0...Self.maxHeaderOffset).contains(value) else {
            throw fail(.badValue, node, "\(context): header_offset must be an integer from 0 to \(Self.maxHeaderOffset)")
        }
        return value
    }

    private func footerSignature(_ values: [String: Node], context: String,
                                 owner node: Node) throws(CarvingRuleError) -> ByteSignature? {
        let footers = try signatures(hex: values["footer"], text: values["footer_text"],
                                     field: "footer", context: context, owner: node, allowList: false)
        if let footer = footers.first, footer.count > Self.maxSignatureLength {
            throw fail(.badValue, values["footer"] ?? values["footer_text"]!, "\(context): a footer is at most \(Self.maxSignatureLength) bytes")
        }
        return footers.first
    }

    /// `min_size` (0 when absent) and `max_size` (required: carving is always bounded),
    /// the maximum above 0, the minimum and the header's end within it.
    private func sizeBounds(_ values: [String: Node], context: String, owner node: Node,
                            headerEnd: Int) throws(CarvingRuleError) -> (min: Int64, max: Int64) {
        guard let maxNode = values["max_size"] else {
            throw fail(.missingKey, node, "\(context) needs 'max_size' (carving is always bounded)")
        }
        let maxSize = try size(maxNode, "max_size", context)
        guard maxSize > 0 else { throw fail(.sizeRange, maxNode, "\(context): max_size must be above 0") }
        var minSize: Int64 = 0
        if let minNode = values["min_size"] {
            minSize = try size(minNode, "min_size", context)
            guard minSize <= maxSize else {
                throw fail(.sizeRange, minNode, "\(context): min_size \(ByteSize.format(minSize)) is above max_size \(ByteSize.format(maxSize))")
            }
        }
        guard Int64(headerEnd) <= maxSize else {
            throw fail(.sizeRange, maxNode, "\(context): max_size \(maxSize) is smaller than the header's end (\(headerEnd) bytes)")
        }
        return (minSize, maxSize)
    }

    private func validatorName(_ values: [String: Node], hasFooter: Bool, context: String,
                               owner node: Node) throws(CarvingRuleError) -> String {
        guard let validatorNode = values["validator"] else {
            throw fail(.missingKey, node, "\(context) needs a 'validator' (one of \(knownValidators.sorted().joined(separator: ", ")))")
        }
        let validator = try string(validatorNode, "validator")
        guard knownValidators.contains(validator) else {
            throw fail(.unknownValidator, validatorNode, "\(context): unknown validator '\(validator)'; known: \(knownValidators.sorted().joined(separator: ", "))")
        }
        if validator == "footer" && !hasFooter {
            throw fail(.missingFooter, validatorNode, "\(context): the 'footer' validator needs 'footer' or 'footer_text'")
        }
        return validator
    }

    // MARK: values

    private func string(_ node: Node, _ key: String) throws(CarvingRuleError) -> String {
        guard let scalar = node.scalar else { throw fail(.badValue, node, "'\(key)' must be a single value") }
        return scalar.string
    }

    /// A list of strings; a single string is taken as a one-item list.
    private func stringList(_ node: Node?, _ key: String) throws(CarvingRuleError) -> [String] {
        guard let node else { return [] }
        if let scalar = node.scalar { return scalar.string.isEmpty ? [] : [scalar.string] }
        guard let list = node.sequence else { throw fail(.badValue, node, "'\(key)' must be a list of strings") }
        var result: [String] = []
        for item in list {
            guard let scalar = item.scalar, !scalar.string.isEmpty else {
                throw fail(.badValue, item, "'\(key)' must be a list of non-empty strings")
            }
            result.append(scalar.string)
        }
        return result
    }

    private func size(_ node: Node, _ key: String, _ context: String) throws(CarvingRuleError) -> Int64 {
        let text = try string(node, key)
        guard let value = ByteSize.parse(text) else {
            throw fail(.badSize, node, "\(context): \(key) '\(text)' is not a size (write 512, 64KiB, 64MiB, 2GB…)")
        }
        return value
    }

    /// `hex` xor `text`; each a string, or (headers only) a list of alternatives.
    private func signatures(hex: Node?, text: Node?, field: String, context: String, owner: Node,
                            allowList: Bool) throws(CarvingRuleError) -> [ByteSignature] {
        if hex != nil, let text {
            throw fail(.badValue, text, "\(context): give either '\(field)' (hex) or '\(field)_text', not both")
        }
        guard let node = hex ?? text else { return [] }
        let key = hex != nil ? field : "\(field)_text"
        var items: [Node] = []
        if node.scalar != nil {
            items = [node]
        } else if allowList, let list = node.sequence, !list.isEmpty {
            items = Array(list)
        } else {
            throw fail(.badValue, node, "\(context): '\(key)' must be a string\(allowList ? " or a list of alternative strings" : "")")
        }
        var result: [ByteSignature] = []
        for item in items {
            guard let value = item.scalar?.string else {
                throw fail(.badValue, item, "\(context): '\(key)' alternatives must be strings")
            }
            do {
                result.append(hex != nil ? try ByteSignature(hex: value) : try ByteSignature(text: value))
            } catch {
                throw fail(.badSignature, item, "\(context): \(key) \"\(value)\": \(error.reason)")
            }
        }
        return result
    }

    // MARK: errors

    private func fail(_ code: CarvingRuleError.Code, _ node: Node, _ reason: String) -> CarvingRuleError {
        CarvingRuleError(code, file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, reason: reason)
    }

    private func syntaxError(_ error: YamlError) -> CarvingRuleError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return CarvingRuleError(.syntax, file: file, line: mark.line, column: mark.column, reason: "YAML: \(detail)")
        default:
            return CarvingRuleError(.syntax, file: file, reason: "YAML: \(error)")
        }
    }

    private static func isNameByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }
}
