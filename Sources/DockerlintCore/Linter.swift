import DockerlintModel
import DockerlintSyntax

/// Tool-level diagnostics that are not rules of the catalog.
public enum ToolCodes {
    /// A syntax or instruction error: the file cannot be built.
    public static let syntaxError = "DF001"
    /// A pragma or check directive names a rule that does not exist.
    public static let unknownRule = "DF002"
}

/// Lints one parsed file with a rule set and a configuration: one pass over the model for
/// all rules, then pragmas, ignores and severity overrides.
public struct Linter: Sendable {
    public let rules: RuleSet
    public init(rules: RuleSet) { self.rules = rules }

    public struct Input {
        public var path: String
        public var bytes: [UInt8]
        public var configuration: Configuration
        public var contextDirectory: String?
        public var buildArgs: BuildArgs

        public init(path: String, bytes: [UInt8], configuration: Configuration, contextDirectory: String? = nil,
                    buildArgs: BuildArgs = BuildArgs()) {
            self.path = path; self.bytes = bytes; self.configuration = configuration
            self.contextDirectory = contextDirectory; self.buildArgs = buildArgs
        }
    }

    public struct Output {
        public var diagnostics: [Diagnostic]
        public var model: DockerfileModel
        /// True when the file has syntax errors (then only those are reported).
        public var hasSyntaxErrors: Bool
    }

    public func lint(_ input: Input) -> Output {
        let file = DockerfileParser.parse(input.bytes)
        var options = BuildOptions()
        options.buildArgs = input.buildArgs
        let model = DockerfileModel.build(file, options: options)
        var errors = model.errors
        // Errors a rule of the set reports under its own code (hadolint parity): while
        // that rule runs, they do not stop linting; the rule reports them.
        let config0 = input.configuration
        errors.removeAll { e in
            guard let code = Self.ruleOwnedErrorCode(e.message), let meta = rules.rule(named: code),
                  rules.types.contains(where: { $0.code == meta.code }) else { return false }
            let ignoredHere = config0.ignored.contains { rules.rule(named: $0)?.code == meta.code }
            let sev = config0.severityOverrides.first { rules.rule(named: $0.key)?.code == meta.code }?.value ?? meta.severity
            return !ignoredHere && sev != .off
        }
        if !errors.isEmpty {
            let d = errors.map {
                Diagnostic(file: input.path, code: ToolCodes.syntaxError, name: "SyntaxError", severity: .error,
                           message: $0.message, range: $0.range)
            }.sorted(by: Diagnostic.ordered)
            return Output(diagnostics: d, model: model, hasSyntaxErrors: true)
        }
        let config = input.configuration
        let pragmas = Pragmas.read(file)
        let context = LintContext(path: input.path, model: model, configuration: config,
                                  contextDirectory: input.contextDirectory, pragmas: pragmas)

        // Which rules run, and at what severity.
        var severities: [String: Severity] = [:]
        var ignored = Set<String>()
        for name in config.ignored { if let r = rules.rule(named: name) { ignored.insert(r.code) } }
        for (name, sev) in config.severityOverrides { if let r = rules.rule(named: name) { severities[r.code] = sev } }
        let experimental = pragmas.checkExperimental
        var instances: [(String, any LintRule)] = []
        for type in rules.types {
            guard let meta = rules.rule(named: type.code) else { continue }
            let sev = severities[meta.code] ?? meta.severity
            if sev == .off || ignored.contains(meta.code) { continue }
            if meta.status == .preview,
               !(experimental.contains("all") || meta.allNames.contains(where: experimental.contains)),
               severities[meta.code] == nil { continue }
            if pragmas.checkSkip.contains("all") && meta.category == "buildkit" { continue }
            if meta.allNames.contains(where: pragmas.checkSkip.contains) { continue }
            instances.append((meta.code, type.init()))
        }

        var sink = FindingSink()
        for inst in model.allInstructions {
            for (code, rule) in instances {
                sink.code = code
                rule.visit(inst, context, &sink)
            }
        }
        for (code, rule) in instances {
            sink.code = code
            rule.finish(context, &sink)
        }

        // Pragmas: which instruction (and stage) each finding belongs to.
        let starts = file.instructions.map { ($0.startLine, $0.endLine) }
        let stageStarts = model.stages.map { $0.from.syntax.startLine }
        var out: [Diagnostic] = []
        var seen = Set<Finding>()
        for f in sink.findings where seen.insert(f).inserted {
            if rules.rule(named: f.code) == nil, RuleSet.isExternalCode(f.code) {
                if let d = externalDiagnostic(f, input.path, config, pragmas, starts, stageStarts) { out.append(d) }
                continue
            }
            guard let meta = rules.rule(named: f.code) else { continue }
            if !config.disableIgnorePragma && suppressed(f, meta, pragmas, starts, stageStarts) { continue }
            var sev = severities[meta.code] ?? meta.severity
            if pragmas.checkError && meta.category == "buildkit" && sev != .off { sev = .error }
            var d = Diagnostic(file: input.path, code: meta.code, name: meta.name, severity: sev, message: f.message,
                               range: f.range, fix: f.fix, helpURI: meta.url)
            d.relatedLines = f.relatedLines
            out.append(d)
        }
        out += pragmaProblems(pragmas, path: input.path)
        out.sort(by: Diagnostic.ordered)
        return Output(diagnostics: out, model: model, hasSyntaxErrors: false)
    }

    /// The rule that reports a syntax error of this message itself, if any.
    public static func ruleOwnedErrorCode(_ message: String) -> String? {
        if message == "no build stage in current context" { return "DL3061" }
        if message == "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"
            || message == "FROM isn't allowed as an ONBUILD trigger"
            || message == "MAINTAINER isn't allowed as an ONBUILD trigger" { return "DL3043" }
        return nil
    }

    /// A finding under an external code (ShellCheck's `SCnnnn`): ignored, overridden and
    /// suppressed by that code like a rule; its severity is the tool's unless overridden.
    func externalDiagnostic(_ f: Finding, _ path: String, _ config: Configuration, _ p: Pragmas,
                            _ starts: [(Int, Int)], _ stageStarts: [Int]) -> Diagnostic? {
        if config.ignored.contains(where: { $0.caseInsensitiveEquals(f.code) }) { return nil }
        let ownerNames = f.owner.flatMap { rules.rule(named: $0) }?.allNames ?? []
        if config.ignored.contains(where: { n in ownerNames.contains { $0.caseInsensitiveEquals(n) } }) { return nil }
        let meta = RuleMetadata(code: f.code, name: f.code, aliases: ownerNames, severity: f.severity ?? .warning, category: "shellcheck",
                                status: .stable, summary: "", url: nil,
                                docs: RuleDocs(what: "", why: "", example: "", useInstead: "", fixSafety: ""), fix: .none,
                                examples: [], fixes: [])
        if !config.disableIgnorePragma && suppressed(f, meta, p, starts, stageStarts) { return nil }
        let sev = config.severityOverrides.first { $0.key.caseInsensitiveEquals(f.code) }?.value ?? meta.severity
        if sev == .off { return nil }
        return Diagnostic(file: path, code: f.code, name: f.code, severity: sev, message: f.message, range: f.range, fix: f.fix,
                          helpURI: "https://www.shellcheck.net/wiki/\(f.code)")
    }

    func suppressed(_ f: Finding, _ meta: RuleMetadata, _ p: Pragmas, _ starts: [(Int, Int)], _ stageStarts: [Int]) -> Bool {
        func names(_ list: [Pragmas.Ignore]) -> Bool {
            list.contains { ig in ig.names.contains { n in meta.allNames.contains { $0.caseInsensitiveEquals(n) } } }
        }
        if names(p.globalIgnores) { return true }
        let line = f.range.start.line
        // The instruction that holds the finding.
        if let inst = starts.last(where: { $0.0 <= line }), line <= max(inst.1, inst.0) {
            if let list = p.instructionIgnores[inst.0], names(list) { return true }
            if let skip = p.instructionCheckSkips[inst.0], meta.allNames.contains(where: skip.contains) || (skip.contains("all") && meta.category == "buildkit") { return true }
        }
        if let stageLine = stageStarts.last(where: { $0 <= line }), let list = p.stageIgnores[stageLine], names(list) { return true }
        return false
    }

    /// Pragmas naming rules that do not exist.
    func pragmaProblems(_ p: Pragmas, path: String) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for ig in p.allIgnores {
            for n in ig.names where rules.rule(named: n) == nil && !RuleSet.isExternalCode(n) {
                let hint = ConfigurationLoader.suggestion(n, among: rules.catalog.flatMap(\.allNames)).map { " (did you mean \($0)?)" } ?? ""
                out.append(Diagnostic(file: path, code: ToolCodes.unknownRule, name: "UnknownRule", severity: .warning,
                                      message: "unknown rule '\(n)' in ignore pragma\(hint)", range: ig.range))
            }
        }
        if let r = p.checkDirectiveRange {
            for n in p.checkSkip.union(p.checkExperimental) where n != "all" && rules.rule(named: n) == nil {
                out.append(Diagnostic(file: path, code: ToolCodes.unknownRule, name: "UnknownRule", severity: .warning,
                                      message: "unknown rule '\(n)' in check directive", range: r))
            }
        }
        return out
    }
}

extension String {
    func caseInsensitiveEquals(_ other: some StringProtocol) -> Bool { lowercased() == other.lowercased() }
}
