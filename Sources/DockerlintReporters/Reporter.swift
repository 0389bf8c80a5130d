import DockerlintCore
import DockerlintSyntax

/// One output format. A reporter is a pure function of its input: no clock, no
/// environment, no file system, so the same input always gives the same bytes.
public protocol Reporter: Sendable {
    /// The name users pass to `--format` (lowercase, e.g. `sarif`).
    var identifier: String { get }
    /// Other accepted names (e.g. `text` for `tty`).
    var aliases: [String] { get }
    /// One line for `--help` and `dockerlint formats`.
    var description: String { get }
    /// The whole report as one string.
    func report(_ input: ReportInput) -> String
    /// Writes the report to a stream; the default writes `report(input)`.
    func write<Target: TextOutputStream>(_ input: ReportInput, to stream: inout Target)
    /// True when the output shows rule summaries or help text (`input.rules` with full
    /// descriptors); otherwise callers may pass descriptors without them.
    var usesRuleDocumentation: Bool { get }
}

extension Reporter {
    public var aliases: [String] { [] }
    public var usesRuleDocumentation: Bool { false }

    public func write<Target: TextOutputStream>(_ input: ReportInput, to stream: inout Target) {
        stream.write(report(input))
    }
}

/// What the caller decides about presentation.
public struct ReportOptions: Hashable, Sendable {
    /// ANSI colour in `tty` output. The caller decides (stdout is a TTY and `NO_COLOR`
    /// is unset); reporters never look at the environment.
    public var color: Bool
    /// Findings at or above this severity fail the run; summaries say how many do.
    public var failureThreshold: Severity
    /// The tool's name in SARIF, Code Climate and JUnit output.
    public var toolName: String
    /// SARIF `tool.driver.informationUri`.
    public var informationURI: String

    public init(color: Bool = false, failureThreshold: Severity = .info,
                toolName: String = "dockerlint",
                informationURI: String = "https://github.com/dockerlint/dockerlint") {
        self.color = color
        self.failureThreshold = failureThreshold
        self.toolName = toolName
        self.informationURI = informationURI
    }
}

/// Everything a reporter may use.
public struct ReportInput: Sendable {
    /// The findings in deterministic order (file, line, column, code, then the rest of the
    /// diagnostic as a tie-break). Findings with severity `off` are dropped.
    public var diagnostics: [Diagnostic] {
        didSet { diagnostics = Self.normalise(diagnostics) }
    }
    /// Rule metadata by code.
    public var rules: [String: RuleDescriptor]
    /// The files checked, clean or not, as given by the user.
    public var files: [String]
    /// The tool's version, e.g. `1.2.0`.
    public var toolVersion: String
    public var options: ReportOptions
    /// The text of a checked file, for source excerpts and fingerprints; nil when unknown
    /// (e.g. standard input already consumed). Must be deterministic.
    public var source: @Sendable (String) -> String?
    /// Per checked file: the build context used (`path`), where that choice came from
    /// (`source`) and why (`reason`). JSON only; empty when not known.
    public var contexts: [String: [String: String]] = [:]

    public init(diagnostics: [Diagnostic], rules: [String: RuleDescriptor] = [:], files: [String] = [],
                toolVersion: String, options: ReportOptions = ReportOptions(),
                source: @escaping @Sendable (String) -> String? = { _ in nil }) {
        self.diagnostics = Self.normalise(diagnostics)
        self.rules = rules
        self.files = files
        self.toolVersion = toolVersion
        self.options = options
        self.source = source
    }

    /// Convenience: rule descriptors as a list (later duplicates win).
    public init(diagnostics: [Diagnostic], rules: [RuleDescriptor], files: [String] = [],
                toolVersion: String, options: ReportOptions = ReportOptions(),
                source: @escaping @Sendable (String) -> String? = { _ in nil }) {
        var byCode: [String: RuleDescriptor] = [:]
        for rule in rules { byCode[rule.code] = rule }
        self.init(diagnostics: diagnostics, rules: byCode, files: files, toolVersion: toolVersion,
                  options: options, source: source)
    }

    /// Every file, checked or mentioned by a finding, sorted and without duplicates.
    public var allFiles: [String] {
        Array(Set(files).union(diagnostics.map(\.file))).sorted()
    }

    public var summary: ReportSummary { ReportSummary(self) }

    /// The documentation link for a finding: its own, else its rule's.
    public func helpURI(for diagnostic: Diagnostic) -> String? {
        if let uri = diagnostic.helpURI, !uri.isEmpty { return uri }
        if let uri = rules[diagnostic.code]?.helpURI, !uri.isEmpty { return uri }
        return nil
    }

    /// The rule name of a finding: its own, else its rule's; empty for syntax errors.
    public func ruleName(for diagnostic: Diagnostic) -> String {
        diagnostic.name.isEmpty ? (rules[diagnostic.code]?.name ?? "") : diagnostic.name
    }

    static func normalise(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.filter { $0.severity != .off }.sorted(by: totalOrder)
    }

    /// `Diagnostic.ordered`, extended so that no two distinct findings compare equal: the
    /// output then never depends on the order the linter produced them in.
    static func totalOrder(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        if Diagnostic.ordered(a, b) { return true }
        if Diagnostic.ordered(b, a) { return false }
        if a.range.end != b.range.end { return a.range.end < b.range.end }
        if a.severity != b.severity { return a.severity < b.severity }
        if a.message != b.message { return a.message < b.message }
        if a.name != b.name { return a.name < b.name }
        if a.range.start.offset != b.range.start.offset { return a.range.start.offset < b.range.start.offset }
        if (a.helpURI ?? "") != (b.helpURI ?? "") { return (a.helpURI ?? "") < (b.helpURI ?? "") }
        return (a.fix?.title ?? "") < (b.fix?.title ?? "")
    }
}

/// Counts for summary lines and exit codes.
public struct ReportSummary: Hashable, Sendable {
    public var errors = 0
    public var warnings = 0
    public var info = 0
    public var style = 0
    /// Findings at or above the failure threshold.
    public var failing = 0
    public var failureThreshold: Severity
    /// Files checked (including those only mentioned by findings).
    public var files: Int
    public var filesWithProblems: Int

    public var problems: Int { errors + warnings + info + style }
    public var failed: Bool { failing > 0 }

    public init(_ input: ReportInput) {
        failureThreshold = input.options.failureThreshold
        for d in input.diagnostics {
            switch d.severity {
            case .error: errors += 1
            case .warning: warnings += 1
            case .info: info += 1
            case .style: style += 1
            case .off: continue
            }
            if d.severity.meets(threshold: input.options.failureThreshold) { failing += 1 }
        }
        files = input.allFiles.count
        filesWithProblems = Set(input.diagnostics.map(\.file)).count
    }

    /// "3 problems (1 error, 2 warnings) in 2 files" or "No problems found in 4 files".
    public var sentence: String {
        if problems == 0 { return "No problems found in \(plural(files, "file"))" }
        var parts: [String] = []
        if errors > 0 { parts.append(plural(errors, "error")) }
        if warnings > 0 { parts.append(plural(warnings, "warning")) }
        if info > 0 { parts.append("\(info) info") }
        if style > 0 { parts.append("\(style) style") }
        // Joined by hand, as InstructionParser.handleJSONArgs does (the first generic `joined`
        // of a run costs a scan of the binary's conformance records).
        var counts = parts.first ?? ""
        for p in parts.dropFirst() { counts += ", " + p }
        var text = "\(plural(problems, "problem")) (\(counts)) in \(plural(filesWithProblems, "file"))"
        if failing < problems {
            text += "; \(problems - failing) below the failure threshold (\(failureThreshold.rawValue))"
        }
        return text
    }
}

func plural(_ n: Int, _ word: String) -> String { n == 1 ? "1 \(word)" : "\(n) \(word)s" }

/// The registry of formats.
public enum Reporters {
    /// Every format, in the order `--help` lists them.
    public static let all: [any Reporter] = [
        TTYReporter(), JSONReporter(), SARIFReporter(), CheckstyleReporter(), JUnitReporter(),
        CodeClimateReporter(), GitLabReporter(), GNUReporter(), GitHubReporter(), MarkdownReporter(),
    ]

    /// The identifiers of all formats.
    public static var identifiers: [String] { all.map(\.identifier) }

    /// The reporter called `name` (identifier or alias, case-insensitive), or nil.
    public static func named(_ name: String) -> (any Reporter)? {
        let key = name.lowercased()
        return all.first { $0.identifier == key || $0.aliases.contains(key) }
    }
}
