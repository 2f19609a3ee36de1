import Foundation

/// The rules a carve runs with: the built-in `CarvingRules/*.yaml`, then the
/// files of each `--rules DIR`, a later rule replacing an earlier one of the
/// same name (in place, so indices of other rules do not move).
public struct CarvingRuleSet: Sendable, Hashable {
    /// The rules in load order; a `Candidate.rule` is an index into this array.
    public private(set) var rules: [CarvingRule]

    /// A set of rules made in code (later duplicates override earlier ones).
    public init(rules: [CarvingRule] = []) {
        self.rules = []
        for rule in rules { add(rule) }
    }

    /// The rule called `name`.
    public func rule(named name: String) -> CarvingRule? {
        rules.first { $0.name == name }
    }

    /// Adds `rule`, or replaces the rule of the same name; returns the replaced one.
    @discardableResult
    public mutating func add(_ rule: CarvingRule) -> CarvingRule? {
        if let index = rules.firstIndex(where: { $0.name == rule.name }) {
            let old = rules[index]
            rules[index] = rule
            return old
        }
        rules.append(rule)
        return nil
    }

    /// Only the rules whose name or one of whose extensions is in `types`
    /// (`--types jpg,png,mp4`), compared case-insensitively.
    public func restricted(to types: [String]) -> CarvingRuleSet {
        let wanted = Set(types.map { $0.lowercased() })
        return CarvingRuleSet(rules: rules.filter { rule in
            wanted.contains(rule.name.lowercased()) || rule.extensions.contains { wanted.contains($0.lowercased()) }
        })
    }

    // MARK: loading

    /// Parses one YAML document of rules; `file` names it in errors and origins.
    public static func parse(yaml: String, file: String,
                             knownValidators: Set<String> = CarvingValidatorNames.builtIn) throws(CarvingRuleError) -> [CarvingRule] {
        try CarvingRuleParser(file: file, knownValidators: knownValidators).parse(yaml: yaml)
    }

    /// Loads one rule file.
    public static func load(file: URL,
                            knownValidators: Set<String> = CarvingValidatorNames.builtIn) throws(CarvingRuleError) -> [CarvingRule] {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw CarvingRuleError(.unreadable, file: file.path, reason: "cannot read the rule file: \(error.localizedDescription)")
        }
        return try parse(yaml: text, file: file.path, knownValidators: knownValidators)
    }

    /// The `*.yaml` and `*.yml` files directly inside `directory`, by name.
    public static func ruleFiles(in directory: URL) throws(CarvingRuleError) -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw CarvingRuleError(.unreadable, file: directory.path, reason: "cannot list the rules folder: \(error.localizedDescription)")
        }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .filter { !$0.hasPrefix(".") }
            .sorted()
            .map { directory.appendingPathComponent($0) }
    }

    /// Loads every rule file of each folder in order: the files of a folder
    /// by name, a rule replacing any earlier rule of the same name.
    public static func load(directories: [URL],
                            knownValidators: Set<String> = CarvingValidatorNames.builtIn) throws(CarvingRuleError) -> CarvingRuleSet {
        var set = CarvingRuleSet()
        for directory in directories {
            for file in try ruleFiles(in: directory) {
                for rule in try load(file: file, knownValidators: knownValidators) {
                    set.add(rule)
                }
            }
        }
        return set
    }

    /// The built-in rules (found with `builtInDirectory()`), then the rules
    /// of each user folder (`--rules DIR`), which add rules or override them by name.
    public static func load(userDirectories: [URL] = [],
                            knownValidators: Set<String> = CarvingValidatorNames.builtIn) throws(CarvingRuleError) -> CarvingRuleSet {
        try load(directories: [try builtInDirectory()] + userDirectories, knownValidators: knownValidators)
    }
}
