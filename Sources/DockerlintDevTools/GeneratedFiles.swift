import DockerlintCore
import DockerlintSupport
import Foundation

/// The files `dockerlint-dev generate` writes from `rules/*.yaml`, rendered in memory so a
/// test can compare them with the committed ones as text.
public enum GeneratedFiles {
    public struct File: Equatable, Sendable {
        /// Relative to the package root.
        public var path: String
        public var contents: String
    }

    public static let catalogPath = "Sources/DockerlintRules/Generated/RuleCatalog+Generated.swift"
    public static let registryPath = "Sources/DockerlintRules/Generated/RuleRegistry+Generated.swift"
    public static let settingsPath = "docs/SETTINGS.md"

    /// Every rule of `root/rules`, sorted by code; a file must be named after its code.
    public static func loadRules(root: URL) throws -> [RuleMetadata] {
        let dir = root.appendingPathComponent("rules")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted()
        var rules: [RuleMetadata] = []
        for n in names {
            let text = try String(contentsOf: dir.appendingPathComponent(n), encoding: .utf8)
            let r = try RuleYAMLLoader.load(yaml: text, file: "rules/\(n)")
            guard n == r.code + ".yaml" else {
                throw RuleYAMLLoader.Problem(file: "rules/\(n)", message: "file name must be \(r.code).yaml")
            }
            rules.append(r)
        }
        return rules.sorted { $0.code < $1.code }
    }

    /// The generated files for `rules`.
    public static func render(_ rules: [RuleMetadata]) -> [File] {
        [File(path: catalogPath, contents: CatalogGenerator.swiftSource(rules)),
         File(path: registryPath, contents: RegistryGenerator.swiftSource(rules)),
         File(path: settingsPath, contents: settingsMarkdown())]
    }

    /// docs/SETTINGS.md: every lint setting with its key, variable and option, from
    /// `LintSettings.all` (the table the loader and both argument readers use).
    public static func settingsMarkdown() -> String {
        var out = """
            # Lint settings

            Generated from `LintSettings.all` (Sources/DockerlintCore/LintSettings.swift) by \
            `swift run dockerlint-dev generate`; a test fails when this file is stale.

            Precedence: command line over environment over configuration file; lists (ignored rules, \
            registries, labels) are joined. A configuration key also accepts the spellings in brackets.

            | key | environment | option | value | meaning |
            |---|---|---|---|---|

            """
        for s in LintSettings.all {
            let key = s.key.map { k in "`\(k)`" + (s.aliases.isEmpty ? "" : " (" + s.aliases.map { "`\($0)`" }.joined(separator: ", ") + ")") } ?? ""
            let env = s.environment.map { "`\($0)`" }.joined(separator: ", ")
            let option = [s.shortOption, s.option].compactMap { $0 }.map { "`\($0)`" }.joined(separator: ", ")
            let value: String
            switch s.shape {
            case .flag: value = "true/false"
            case .single: value = s.valueName ?? "value"
            case .list: value = "list of " + (s.valueName ?? "values")
            case .structured: value = "mapping"
            }
            out += "| \(key) | \(env) | \(option) | \(value) | \(Markdown.inline(s.help)) |\n"
        }
        out += "\n`NO_COLOR` (any non-empty value) also turns colour off.\n"
        return out
    }
}
