import DockerlintCore
import DockerlintModel
import DockerlintReporters
import DockerlintRules
import DockerlintSyntax

/// Everything `dockerlint lint` can be told on the command line. Values left nil fall back
/// to the environment, then the configuration file, then the defaults.
public struct LintOptions: Sendable {
    public var paths: [String] = []
    public var stdinPath: String?
    public var configPath: String?
    /// Output formats in order; `outputs[i]` (when present) is where `formats[i]` goes.
    public var formats: [String] = []
    public var outputs: [String] = []
    public var failureThreshold: Severity?
    public var noFail: Bool?
    public var noColor: Bool?
    public var ignore: [String] = []
    public var severityOverrides: [String: Severity] = [:]
    public var trustedRegistries: [String] = []
    public var requireLabels: [String] = []
    public var strictLabels: Bool?
    public var disableIgnorePragma: Bool?
    public var contextDirectory: String?
    public var builder: Configuration.Builder?
    public var shellcheck: Bool?
    public var history: Int?
    public var environment: [String: String] = [:]
    public var workingDirectory: String = "."

    public init() {}
}

/// `dockerlint lint`: discovery, configuration, the linter, reporters, exit codes.
public struct LintRunner {
    public var options: LintOptions
    public var rules: RuleSet

    public init(options: LintOptions, rules: RuleSet = BuiltinRules.ruleSet) {
        self.options = options
        self.rules = rules
    }

    public func run() throws(CommandError) -> ExitStatus {
        // 1. Files.
        let files = try FileDiscovery.expand(options.paths.isEmpty ? ["Dockerfile"] : options.paths)
        // 2. Configuration (one per file: per-path overrides).
        var issues: [ConfigIssue] = []
        var base = Configuration()
        let configFile = try ConfigDiscovery.find(explicit: options.configPath, firstFile: files.first, workingDirectory: options.workingDirectory)
        if let configFile {
            let text = String(decoding: try FileIO.read(configFile), as: UTF8.self)
            ConfigurationLoader.parse(text, file: configFile, into: &base, issues: &issues)
        }
        ConfigurationLoader.applyEnvironment(options.environment, into: &base, issues: &issues)
        applyCommandLine(&base)
        for i in issues where i.level == .warning { Console.err("\(i)\n") }
        if let e = issues.first(where: { $0.level == .error }) {
            throw CommandError(e.description, status: .usage)
        }
        for name in options.ignore + Array(options.severityOverrides.keys) where rules.rule(named: name) == nil && !RuleSet.isExternalCode(name) {
            Console.err("dockerlint: warning: unknown rule '\(name)'\n")
        }
        let formats = options.formats.isEmpty ? (base.formats.isEmpty ? ["tty"] : base.formats) : options.formats
        var reporters: [(any Reporter, String?)] = []
        for (k, f) in formats.enumerated() {
            guard let r = Reporters.named(f) else {
                throw CommandError("unknown format '\(f)' (one of: \(Reporters.identifiers.joined(separator: ", ")))")
            }
            reporters.append((r, k < options.outputs.count && !options.outputs[k].isEmpty ? options.outputs[k] : nil))
        }

        // 3. Lint.
        let linter = Linter(rules: rules)
        var diagnostics: [Diagnostic] = []
        var sources: [String: String] = [:]
        var names: [String] = []
        var syntaxError = false
        var threshold = base.failureThreshold
        for f in files {
            let name = f == "-" ? (options.stdinPath ?? "-") : f
            let bytes = try FileIO.read(f)
            let config = base.resolved(for: name)
            threshold = min(threshold, config.failureThreshold) == config.failureThreshold ? threshold : threshold
            let ctx = options.contextDirectory ?? (f == "-" ? nil : FileDiscovery.directory(of: f))
            let out = linter.lint(Linter.Input(path: name, bytes: bytes, configuration: config, contextDirectory: ctx))
            if out.hasSyntaxErrors { syntaxError = true }
            diagnostics += out.diagnostics.filter { $0.severity != .off }
            sources[name] = String(decoding: bytes, as: UTF8.self)
            names.append(name)
        }

        // 4. Report.
        let color = !(base.noColor) && Console.stdoutIsTerminal && (options.environment["NO_COLOR"] ?? "").isEmpty
        let frozen = sources
        for (reporter, output) in reporters {
            let input = ReportInput(diagnostics: diagnostics, rules: rules.catalog.map(\.descriptor), files: names,
                                    toolVersion: DockerlintVersion.string,
                                    options: ReportOptions(color: color && output == nil, failureThreshold: base.failureThreshold),
                                    source: { frozen[$0] })
            let text = reporter.report(input)
            if let output {
                try FileIO.writeAtomically(output, Array(text.utf8))
            } else {
                Console.out(text)
            }
        }
        if syntaxError { return .usage }
        if base.noFail { return .clean }
        let failing = diagnostics.contains { $0.severity.meets(threshold: base.failureThreshold) }
        return failing ? .findings : .clean
    }

    func applyCommandLine(_ c: inout Configuration) {
        if let t = options.failureThreshold { c.failureThreshold = t }
        if let b = options.noFail { c.noFail = b }
        if let b = options.noColor { c.noColor = b }
        c.ignored += options.ignore
        c.severityOverrides.merge(options.severityOverrides) { _, new in new }
        c.trustedRegistries += options.trustedRegistries
        for item in options.requireLabels {
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            c.labelSchema[parts[0]] = parts.count > 1 && !parts[1].isEmpty ? parts[1] : "text"
        }
        if let b = options.strictLabels { c.strictLabels = b }
        if let b = options.disableIgnorePragma { c.disableIgnorePragma = b }
        if let b = options.builder { c.builder = b }
        if let b = options.shellcheck { c.shellcheck = b }
        if let h = options.history { c.history = h }
    }
}
