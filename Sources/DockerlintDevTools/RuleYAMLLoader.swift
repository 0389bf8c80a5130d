import DockerlintCore
import Yams

/// Reads one `rules/<CODE>.yaml` into the rule's metadata, rejecting unknown keys.
public enum RuleYAMLLoader {
    public struct Problem: Error, CustomStringConvertible {
        public var file: String
        public var message: String
        public var description: String { "\(file): \(message)" }
        public init(file: String, message: String) { self.file = file; self.message = message }
    }

    static let topKeys: Set<String> = ["code", "name", "aliases", "severity", "category", "status", "summary", "url",
                                       "docs", "fix", "examples", "fixes", "build_errors"]
    static let docKeys: Set<String> = ["what", "why", "example", "use_instead", "fix_safety", "notes"]
    static let exampleKeys: Set<String> = ["name", "dockerfile", "valid", "config", "context", "skip", "messages"]
    static let fixKeys: Set<String> = ["before", "after", "unsafe", "config", "context"]

    /// Parses one rule file.
    public static func load(yaml: String, file: String) throws -> RuleMetadata {
        func fail(_ m: String) -> Problem { Problem(file: file, message: m) }
        guard let node = try Yams.compose(yaml: yaml), let map = node.mapping else { throw fail("not a mapping") }
        for (k, _) in map where !topKeys.contains(k.string ?? "") { throw fail("unknown key '\(k.string ?? "?")'") }
        func str(_ m: Node.Mapping, _ k: String, required: Bool = true) throws -> String {
            guard let v = m[k] else {
                if required { throw fail("missing '\(k)'") }
                return ""
            }
            guard let s = v.string else { throw fail("'\(k)' must be a string") }
            return s
        }
        func list(_ n: Node?) throws -> [String] {
            guard let n else { return [] }
            guard let seq = n.sequence else { throw fail("expected a list") }
            return try seq.map { guard let s = $0.string else { throw fail("expected strings") }; return s }
        }
        let code = try str(map, "code")
        let sevText = try str(map, "severity")
        guard let severity = ConfigurationLoader.parseSeverity(sevText, allowOff: true) else { throw fail("bad severity '\(sevText)'") }
        guard let status = RuleMetadata.Status(rawValue: try str(map, "status")) else { throw fail("status must be stable, preview or deprecated") }
        let fixText = try str(map, "fix", required: false)
        guard let fix = RuleMetadata.FixAvailability(rawValue: fixText.isEmpty ? "none" : fixText) else { throw fail("fix must be none, safe or unsafe") }
        guard let docsMap = map["docs"]?.mapping else { throw fail("missing 'docs'") }
        for (k, _) in docsMap where !docKeys.contains(k.string ?? "") { throw fail("unknown docs key '\(k.string ?? "?")'") }
        let docs = RuleDocs(what: try str(docsMap, "what"), why: try str(docsMap, "why"),
                            example: try str(docsMap, "example", required: false),
                            useInstead: try str(docsMap, "use_instead", required: false),
                            fixSafety: try str(docsMap, "fix_safety", required: false),
                            notes: try str(docsMap, "notes", required: false))
        var examples: [RuleExample] = []
        for e in map["examples"]?.sequence ?? [] {
            guard let em = e.mapping else { throw fail("an example must be a mapping") }
            for (k, _) in em where !exampleKeys.contains(k.string ?? "") { throw fail("unknown example key '\(k.string ?? "?")'") }
            var context: [String: String] = [:]
            for (k, v) in em["context"]?.mapping ?? [:] { context[k.string ?? ""] = v.string ?? "" }
            let valid = em["valid"]?.bool ?? false
            examples.append(RuleExample(name: try str(em, "name"), dockerfile: try str(em, "dockerfile"), valid: valid,
                                        config: try str(em, "config", required: false), context: context,
                                        skip: try list(em["skip"]), messages: try list(em["messages"])))
        }
        var fixes: [RuleFixExample] = []
        for f in map["fixes"]?.sequence ?? [] {
            guard let fm = f.mapping else { throw fail("a fix must be a mapping") }
            for (k, _) in fm where !fixKeys.contains(k.string ?? "") { throw fail("unknown fix key '\(k.string ?? "?")'") }
            var context: [String: String] = [:]
            for (k, v) in fm["context"]?.mapping ?? [:] { context[k.string ?? ""] = v.string ?? "" }
            fixes.append(RuleFixExample(before: try str(fm, "before"), after: try str(fm, "after"), unsafe: fm["unsafe"]?.bool ?? false,
                                        config: try str(fm, "config", required: false), context: context))
        }
        return RuleMetadata(code: code, name: try str(map, "name"), aliases: try list(map["aliases"]), severity: severity,
                            category: try str(map, "category"), status: status, summary: try str(map, "summary"),
                            url: map["url"]?.string, docs: docs, fix: fix, examples: examples, fixes: fixes,
                            buildErrors: try list(map["build_errors"]))
    }
}
