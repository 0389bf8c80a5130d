import DockerlintCore
import DockerlintSupport

/// Code Climate engine issues, as a JSON array (the form GitLab and most importers
/// read; the engine spec's NUL-separated stream is not produced).
///
/// `check_name` is the code, `description` the message, `content.body` the rule's help,
/// `categories` from the rule's category (see `CodeClimateReporter.categories`),
/// `location.positions` with 1-based lines and columns, `severity` error → critical,
/// warning → major, info → info, style → minor, and `fingerprint` from `Fingerprints`.
public struct CodeClimateReporter: Reporter {
    public init() {}
    public var identifier: String { "codeclimate" }
    public var usesRuleDocumentation: Bool { true }
    public var aliases: [String] { ["code-climate"] }
    public var description: String { "Code Climate issues (JSON array)" }

    static func severity(_ s: Severity) -> String {
        switch s {
        case .error: "critical"
        case .warning: "major"
        case .info, .off: "info"
        case .style: "minor"
        }
    }

    /// Maps a free-form rule category onto Code Climate's fixed list.
    public static func categories(ruleCategory: String, severity: Severity) -> [String] {
        let c = ruleCategory.lowercased()
        let table: [(keys: [String], category: String)] = [
            (["secur", "secret", "privilege", "root", "supply"], "Security"),
            (["perf", "cache", "size", "layer"], "Performance"),
            (["compat", "portab", "deprecat", "platform"], "Compatibility"),
            (["clarity", "readab", "maintain", "doc"], "Clarity"),
            (["complex"], "Complexity"),
            (["duplic"], "Duplication"),
            (["style", "format", "convention", "naming"], "Style"),
            (["bug", "correct", "syntax", "error", "reliab"], "Bug Risk"),
        ]
        for entry in table where entry.keys.contains(where: { c.contains($0) }) { return [entry.category] }
        return [severity == .style ? "Style" : "Bug Risk"]
    }

    public func report(_ input: ReportInput) -> String {
        JSONValue.array(issues(input)).serialized() + "\n"
    }

    func issues(_ input: ReportInput) -> [JSONValue] {
        let fingerprints = Fingerprints.compute(input)
        return zip(input.diagnostics, fingerprints).map { d, fingerprint in
            let rule = input.rules[d.code]
            var o: [String: JSONValue] = [
                "type": "issue",
                "engine_name": .string(input.options.toolName),
                "check_name": .string(d.code),
                "description": .string(d.message),
                "categories": .array(Self.categories(ruleCategory: rule?.category ?? "", severity: d.severity)
                    .map(JSONValue.string)),
                "location": [
                    "path": .string(relativePath(d.file)),
                    "positions": [
                        "begin": ["line": .int(d.range.start.line), "column": .int(d.range.start.column)],
                        "end": ["line": .int(max(d.range.start.line, d.range.end.line)),
                                "column": .int(d.range.end.column)],
                    ],
                ],
                "severity": .string(Self.severity(d.severity)),
                "fingerprint": .string(fingerprint),
            ]
            var body = rule?.helpText ?? ""
            if let uri = input.helpURI(for: d) {
                body += (body.isEmpty ? "" : "\n\n") + "[\(d.code) documentation](\(Markdown.destination(uri)))"
            }
            if !body.isEmpty { o["content"] = ["body": .string(body)] }
            return .object(o)
        }
    }
}

/// GitLab Code Quality (`artifacts:reports:codequality`): the Code Climate subset GitLab
/// reads — `description` (prefixed with the code, since the merge-request widget shows
/// only the description), `check_name`, `fingerprint` (unique per finding), `severity`
/// (info/minor/major/critical/blocker), `location.path` (relative, as given) and
/// `location.lines.begin`/`end`.
public struct GitLabReporter: Reporter {
    public init() {}
    public var identifier: String { "gitlab" }
    public var aliases: [String] { ["gitlab-codequality", "gitlab_codeclimate"] }
    public var description: String { "GitLab Code Quality report (artifacts:reports:codequality)" }

    public func report(_ input: ReportInput) -> String {
        let fingerprints = Fingerprints.compute(input)
        let issues: [JSONValue] = zip(input.diagnostics, fingerprints).map { d, fingerprint in
            let rule = input.rules[d.code]
            return [
                "type": "issue",
                "engine_name": .string(input.options.toolName),
                "check_name": .string(d.code),
                "description": .string("[\(d.code)] \(d.message)"),
                "categories": .array(CodeClimateReporter.categories(ruleCategory: rule?.category ?? "",
                                                                    severity: d.severity).map(JSONValue.string)),
                "fingerprint": .string(fingerprint),
                "severity": .string(CodeClimateReporter.severity(d.severity)),
                "location": [
                    "path": .string(relativePath(d.file)),
                    "lines": [
                        "begin": .int(d.range.start.line),
                        "end": .int(max(d.range.start.line, d.range.end.line)),
                    ],
                ],
            ]
        }
        return JSONValue.array(issues).serialized() + "\n"
    }
}
