import DockerlintCore
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
         File(path: registryPath, contents: RegistryGenerator.swiftSource(rules))]
    }
}
