/// Everything `rules/<CODE>.yaml` says about a rule. The binary carries these values in
/// generated Swift (`RuleCatalog+Generated.swift`), so no `rules/` folder is needed at run
/// time; a test keeps the generated file in sync with the YAML.
public struct RuleMetadata: Hashable, Sendable {
    public enum Status: String, Sendable, CaseIterable { case stable, preview, deprecated }
    public enum FixAvailability: String, Sendable, CaseIterable { case none, safe, unsafe }

    public var code: String
    public var name: String
    public var aliases: [String]
    public var severity: Severity
    public var category: String
    public var status: Status
    public var summary: String
    public var url: String?
    public var docs: RuleDocs
    public var fix: FixAvailability
    public var examples: [RuleExample]
    public var fixes: [RuleFixExample]
    /// BuildKit error messages this rule reports under its own code (`build_errors:`).
    public var buildErrors: [String]

    public init(code: String, name: String, aliases: [String], severity: Severity, category: String, status: Status,
                summary: String, url: String?, docs: RuleDocs, fix: FixAvailability, examples: [RuleExample],
                fixes: [RuleFixExample], buildErrors: [String] = []) {
        self.code = code; self.name = name; self.aliases = aliases; self.severity = severity
        self.category = category; self.status = status; self.summary = summary; self.url = url
        self.docs = docs; self.fix = fix; self.examples = examples; self.fixes = fixes
        self.buildErrors = buildErrors
    }

    /// Every name that selects this rule in configuration, pragmas and `--ignore`.
    public var allNames: [String] { RuleInfo.allNames(code: code, name: name, aliases: aliases) }

    /// What linting needs of the rule.
    public var info: RuleInfo {
        RuleInfo(code: code, name: name, aliases: aliases, severity: severity, category: category, status: status, url: url,
                 buildErrors: buildErrors)
    }

    public var descriptor: RuleDescriptor {
        RuleDescriptor(code: code, name: name, aliases: aliases, severity: severity, category: category,
                       summary: summary, helpText: docs.markdown(title: "\(code) \(name)"), helpURI: url)
    }
}

/// The part of a rule's metadata that linting needs: its names, default severity,
/// category, status and link. The binary carries these in a small generated table so a
/// lint run does not build the documentation and examples of every rule at start-up.
public struct RuleInfo: Hashable, Sendable {
    public var code: String
    public var name: String
    public var aliases: [String]
    public var severity: Severity
    public var category: String
    public var status: RuleMetadata.Status
    public var url: String?
    /// Errors of the model (BuildKit's messages, exactly) that this rule reports under its
    /// own code: while the rule runs they do not stop linting (hadolint parity); while it is
    /// ignored or off they are the syntax error `DF001`.
    public var buildErrors: [String]

    public init(code: String, name: String, aliases: [String], severity: Severity, category: String,
                status: RuleMetadata.Status, url: String?, buildErrors: [String] = []) {
        self.code = code; self.name = name; self.aliases = aliases; self.severity = severity
        self.category = category; self.status = status; self.url = url; self.buildErrors = buildErrors
    }

    /// Every name that selects this rule in configuration, pragmas and `--ignore`.
    public var allNames: [String] { Self.allNames(code: code, name: name, aliases: aliases) }

    /// The names of a rule in one allocation: `[code, name] + aliases` grew the two-name array
    /// again for the aliases (the rule set does it for every rule at start-up).
    static func allNames(code: String, name: String, aliases: [String]) -> [String] {
        var names: [String] = []
        names.reserveCapacity(2 + aliases.count)
        names.append(code)
        names.append(name)
        names.append(contentsOf: aliases)
        return names
    }

    /// A descriptor without summary and help text (for output that does not show them).
    public var descriptor: RuleDescriptor {
        RuleDescriptor(code: code, name: name, aliases: aliases, severity: severity, category: category,
                       summary: "", helpText: "", helpURI: url)
    }
}

/// The fixed documentation sections of a rule.
public struct RuleDocs: Hashable, Sendable {
    public var what: String
    public var why: String
    public var example: String
    public var useInstead: String
    public var fixSafety: String
    public var notes: String

    public init(what: String, why: String, example: String, useInstead: String, fixSafety: String, notes: String = "") {
        self.what = what; self.why = why; self.example = example; self.useInstead = useInstead
        self.fixSafety = fixSafety; self.notes = notes
    }

    public func markdown(title: String) -> String {
        var s = "## \(title)\n\n### What it does\n\n\(what)\n\n### Why it matters\n\n\(why)\n"
        if !example.isEmpty { s += "\n### Example\n\n```dockerfile\n\(example.trimmingTrailingNewlines())\n```\n" }
        if !useInstead.isEmpty { s += "\n### Use instead\n\n```dockerfile\n\(useInstead.trimmingTrailingNewlines())\n```\n" }
        if !fixSafety.isEmpty { s += "\n### Fix safety\n\n\(fixSafety)\n" }
        if !notes.isEmpty { s += "\n### Notes\n\n\(notes)\n" }
        return s
    }
}

/// An example from a rule's YAML. `dockerfile` carries `↓` markers where findings must start.
public struct RuleExample: Hashable, Sendable {
    public var name: String
    public var dockerfile: String
    public var valid: Bool
    /// `.dockerlint.yaml` text for this example.
    public var config: String
    /// Files of the build context (path → content), e.g. a `.dockerignore`.
    public var context: [String: String]
    /// Derived variants this example opts out of: `ignore-pragma`, `crlf`, `lowercase`.
    public var skip: [String]
    /// Expected messages, one per marker in order (empty: not checked).
    public var messages: [String]

    public init(name: String, dockerfile: String, valid: Bool, config: String = "", context: [String: String] = [:],
                skip: [String] = [], messages: [String] = []) {
        self.name = name; self.dockerfile = dockerfile; self.valid = valid; self.config = config
        self.context = context; self.skip = skip; self.messages = messages
    }

    public static let marker: Character = "↓"
}

/// A fix shown as before/after; it runs as a test.
public struct RuleFixExample: Hashable, Sendable {
    public var before: String
    public var after: String
    /// True when the fix this example shows is an unsafe one (`--unsafe-fixes`).
    public var unsafe: Bool
    /// `.dockerlint.yaml` text the example runs with (`builder: classic`).
    public var config: String
    /// Build-context files (path -> content) the example runs with; empty: no context.
    public var context: [String: String]

    public init(before: String, after: String, unsafe: Bool = false, config: String = "", context: [String: String] = [:]) {
        self.before = before; self.after = after; self.config = config; self.unsafe = `unsafe`; self.context = context
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while s.last == "\n" || s.last == "\r" { s = s.dropLast() }
        return String(s)
    }
}
