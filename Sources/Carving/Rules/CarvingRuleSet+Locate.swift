import Foundation

extension CarvingRuleSet {
    /// Environment variable naming the built-in rules folder explicitly.
    public static let environmentVariable = "EXHUME_RULES"

    /// Where the built-in rules are looked for, in order:
    /// 1. `$EXHUME_RULES`, when set (and then only there: an explicit setting
    ///    that points nowhere is an error, not a silent fallback);
    /// 2. beside the executable, for each of its path as invoked and its
    ///    resolved path: `BIN/../share/exhume/CarvingRules` (installed under a
    ///    prefix), then `BIN/../../CarvingRules` and `BIN/../../../CarvingRules`
    ///    (a build folder: `.build/debug/exhume` and `.build/<triple>/debug/exhume`);
    /// 3. the package root this source file was compiled from (`#filePath`),
    ///    for tests and `swift run` from anywhere.
    public static func builtInDirectoryCandidates(environment: [String: String] = ProcessInfo.processInfo.environment,
                                                  executablePaths: [String] = currentExecutablePaths(),
                                                  sourceFile: String = #filePath) -> [URL] {
        if let explicit = environment[environmentVariable], !explicit.isEmpty {
            return [URL(fileURLWithPath: explicit)]
        }
        var candidates: [URL] = []
        for path in executablePaths {
            let bin = URL(fileURLWithPath: path).deletingLastPathComponent()
            candidates.append(bin.appendingPathComponent("../share/exhume/CarvingRules").standardized)
            candidates.append(bin.appendingPathComponent("../../CarvingRules").standardized)
            candidates.append(bin.appendingPathComponent("../../../CarvingRules").standardized)
        }
        // Sources/Carving/Rules/<this file> → package root.
        var root = URL(fileURLWithPath: sourceFile)
        for _ in 0..<4 { root.deleteLastPathComponent() }
        candidates.append(root.appendingPathComponent("CarvingRules"))
        var seen = Set<String>()
        return candidates.filter { seen.insert($0.path).inserted }
    }

    /// The first candidate folder that holds at least one rule file.
    public static func builtInDirectory(environment: [String: String] = ProcessInfo.processInfo.environment,
                                        executablePaths: [String] = currentExecutablePaths(),
                                        sourceFile: String = #filePath) throws(CarvingRuleError) -> URL {
        let candidates = builtInDirectoryCandidates(environment: environment, executablePaths: executablePaths,
                                                    sourceFile: sourceFile)
        if let explicit = environment[environmentVariable], !explicit.isEmpty {
            let url = candidates[0]
            guard (try? ruleFiles(in: url))?.isEmpty == false else {
                throw CarvingRuleError(.unreadable, file: url.path,
                                       reason: "$\(environmentVariable) names no folder of rule files (*.yaml)")
            }
            return url
        }
        for url in candidates where (try? ruleFiles(in: url))?.isEmpty == false {
            return url
        }
        throw CarvingRuleError(.unreadable, file: "CarvingRules",
                               reason: "built-in carving rules not found; looked in \(candidates.map(\.path).joined(separator: ", ")); set $\(environmentVariable)")
    }

    /// The running executable as invoked (`argv[0]`, when it is a path) and
    /// resolved (`/proc/self/exe` through `Bundle.main`).
    public static func currentExecutablePaths() -> [String] {
        var paths: [String] = []
        if let first = CommandLine.arguments.first, first.contains("/") {
            paths.append(URL(fileURLWithPath: first).standardized.path)
        }
        if let resolved = Bundle.main.executableURL?.resolvingSymlinksInPath().path {
            paths.append(resolved)
        }
        return paths
    }
}
