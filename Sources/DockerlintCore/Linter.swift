import DockerlintModel
import DockerlintSupport
import DockerlintSyntax

/// Tool-level diagnostics that are not rules of the catalog.
public enum ToolCodes {
    /// A syntax or instruction error: the file cannot be built.
    public static let syntaxError = "DF001"
    /// A pragma or check directive names a rule that does not exist.
    public static let unknownRule = "DF002"
    /// The `# syntax` directive names a frontend of its own, whose instructions dockerlint
    /// does not know: the file is not checked (info, not an error).
    public static let customFrontend = "DF003"
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
        /// What the lints of one run share about the project (`LintContext.runState`), owned
        /// and typed by the rules module; nil: the lint reads its own.
        public var runState: AnyObject?

        public init(path: String, bytes: [UInt8], configuration: Configuration, contextDirectory: String? = nil,
                    buildArgs: BuildArgs = BuildArgs(), runState: AnyObject? = nil) {
            self.path = path; self.bytes = bytes; self.configuration = configuration
            self.contextDirectory = contextDirectory; self.buildArgs = buildArgs; self.runState = runState
        }
    }

    public struct Output {
        public var diagnostics: [Diagnostic]
        public var model: DockerfileModel
        /// True when the file has syntax errors (then only the errors are reported). Errors
        /// of one instruction at build time (an expansion that fails) are reported with the
        /// other findings and do not set this.
        public var hasSyntaxErrors: Bool
        /// What the rules derived from the file (`LintContext.ruleState`: its step graph,
        /// parsed scripts), for the cache evidence of the same file to read instead of
        /// deriving it again; nil when no rule ran.
        public var ruleState: AnyObject? = nil
    }

    /// The `# syntax` value when it names a frontend other than Docker's Dockerfile frontend
    /// (`docker/dockerfile`, `docker/dockerfile-upstream`, with any tag or digest).
    static func customFrontend(_ file: Dockerfile) -> String? {
        guard let value = file.directive("syntax")?.value, !value.isEmpty else { return nil }
        var name = value.lowercased()
        if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
        let lastSlash = name.lastIndex(of: "/") ?? name.startIndex
        if let colon = name[lastSlash...].lastIndex(of: ":") { name = String(name[..<colon]) }
        for prefix in ["docker.io/", "registry-1.docker.io/", "index.docker.io/"] where name.hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
        }
        return ["docker/dockerfile", "docker/dockerfile-upstream"].contains(name) ? nil : value
    }

    public func lint(_ input: Input) -> Output {
        let file = DockerfileParser.parse(input.bytes)
        var options = BuildOptions()
        options.buildArgs = input.buildArgs
        let model = DockerfileModel.build(file, options: options)
        var errors = model.errors
        // Errors a rule of the set declares as its own (`RuleInfo.buildErrors`, hadolint
        // parity): while that rule runs, they do not stop linting; the rule reports them.
        let config0 = input.configuration
        errors.removeAll { e in
            guard let entry = rules.buildErrorOwners[e.message].map({ rules.plan[$0] }) else { return false }
            let ignoredHere = config0.ignored.contains { rules.code(named: $0) == entry.code }
            let sev = config0.severityOverrides.first { rules.code(named: $0.key) == entry.code }?.value ?? entry.info.severity
            return !ignoredHere && sev != .off
        }
        let errorDiagnostics = errors.map {
            Diagnostic(file: input.path, code: ToolCodes.syntaxError, name: "SyntaxError", severity: .error,
                       message: OneLine.clip($0.message), range: $0.range)
        }.sorted(by: Diagnostic.ordered)
        if errors.contains(where: { $0.kind == .syntax }) {
            // A frontend of its own (`# syntax=devthefuture/dockerfile-x` with INCLUDE) builds
            // a file Docker's frontend rejects: say it is not checked, do not call it broken.
            let unknown = errors.filter { $0.kind == .syntax && $0.message.hasPrefix("unknown instruction:") }
            if let frontend = Self.customFrontend(file), !unknown.isEmpty, unknown.count == errors.filter({ $0.kind == .syntax }).count {
                let first = unknown.min { $0.range.start.offset < $1.range.start.offset }!
                let keyword = first.message.dropFirst("unknown instruction:".count).split(separator: " ").first.map(String.init) ?? "?"
                let note = Diagnostic(file: input.path, code: ToolCodes.customFrontend, name: "CustomFrontend", severity: .info,
                                      message: OneLine.clip("`# syntax=\(frontend)` is a frontend of its own and `\(keyword)` (line \(first.range.start.line)) is one of its instructions; dockerlint reads Docker's Dockerfile syntax only, so this file is not checked"),
                                      range: first.range)
                return Output(diagnostics: [note], model: model, hasSyntaxErrors: false)
            }
            return Output(diagnostics: errorDiagnostics, model: model, hasSyntaxErrors: true)
        }
        let config = input.configuration
        let pragmas = Pragmas.read(file)
        let context = LintContext(path: input.path, model: model, configuration: config,
                                  contextDirectory: input.contextDirectory, pragmas: pragmas, runState: input.runState)

        // Which rules run, and at what severity.
        var severities: [String: Severity] = [:]
        var ignored = Set<String>()
        for name in config.ignored { if let c = rules.code(named: name) { ignored.insert(c) } }
        for (name, sev) in config.severityOverrides { if let c = rules.code(named: name) { severities[c] = sev } }
        let experimental = pragmas.checkExperimental
        var codes: [String] = []
        var instances: [any LintRule] = []
        for entry in rules.plan {
            let sev = severities.isEmpty ? entry.info.severity : severities[entry.code] ?? entry.info.severity
            if sev == .off || (!ignored.isEmpty && ignored.contains(entry.code)) { continue }
            if entry.info.status == .preview,
               !(experimental.contains("all") || entry.allNames.contains(where: experimental.contains)),
               severities[entry.code] == nil { continue }
            if !pragmas.checkSkip.isEmpty {
                if pragmas.checkSkip.contains("all") && entry.isBuildKit { continue }
                if entry.allNames.contains(where: pragmas.checkSkip.contains) { continue }
            }
            codes.append(entry.code)
            instances.append(entry.type.init())
        }

        var sink = FindingSink()
        sink.codes = codes
        for inst in model.allInstructions {
            for k in instances.indices {
                sink.current = k
                instances[k].visit(inst, context, &sink)
            }
        }
        for k in instances.indices {
            sink.current = k
            instances[k].finish(context, &sink)
        }

        // Pragmas: which instruction (and stage) each finding belongs to.
        let starts = file.instructions.map { ($0.startLine, $0.endLine) }
        let stageStarts = model.stages.map { $0.from.syntax.startLine }
        var out: [Diagnostic] = []
        var seen = Set<FindingKey>()
        for f in sink.findings where seen.insert(FindingKey(finding: f)).inserted {
            guard let pi = rules.planIndex(of: f.code) else {
                if rules.code(named: f.code) == nil, RuleSet.isExternalCode(f.code),
                   let d = externalDiagnostic(f, input.path, config, pragmas, starts, stageStarts) {
                    out.append(d)
                }
                continue
            }
            let entry = rules.plan[pi]
            if !config.disableIgnorePragma && suppressed(f, entry.allNames, buildKit: entry.isBuildKit, pragmas, starts, stageStarts) { continue }
            var sev = severities[entry.code] ?? entry.info.severity
            if pragmas.checkError && entry.isBuildKit && sev != .off { sev = .error }
            var d = Diagnostic(file: input.path, code: entry.code, name: entry.info.name, severity: sev, message: f.message,
                               range: f.range, fix: f.fix, helpURI: entry.info.url)
            d.relatedLines = f.relatedLines
            d.related = f.related
            d.subject = f.subject
            out.append(d)
        }
        out += pragmaProblems(pragmas, path: input.path)
        // BuildKit's errors of single instructions: the rest of the file was linted.
        out += errorDiagnostics
        out.sort(by: Diagnostic.ordered)
        return Output(diagnostics: out, model: model, hasSyntaxErrors: false, ruleState: context.ruleState)
    }

    /// A finding under an external code (ShellCheck's `SCnnnn`): ignored, overridden and
    /// suppressed by that code like a rule; its severity is the tool's unless overridden.
    func externalDiagnostic(_ f: Finding, _ path: String, _ config: Configuration, _ p: Pragmas,
                            _ starts: [(Int, Int)], _ stageStarts: [Int]) -> Diagnostic? {
        if config.ignored.contains(where: { $0.caseInsensitiveEquals(f.code) }) { return nil }
        let ownerNames = f.owner.flatMap { rules.info(named: $0) }?.allNames ?? []
        if config.ignored.contains(where: { n in ownerNames.contains { $0.caseInsensitiveEquals(n) } }) { return nil }
        if !config.disableIgnorePragma && suppressed(f, [f.code] + ownerNames, buildKit: false, p, starts, stageStarts) { return nil }
        let sev = config.severityOverrides.first { $0.key.caseInsensitiveEquals(f.code) }?.value ?? f.severity ?? .warning
        if sev == .off { return nil }
        return Diagnostic(file: path, code: f.code, name: f.code, severity: sev, message: f.message, range: f.range, fix: f.fix,
                          helpURI: "https://www.shellcheck.net/wiki/\(f.code)")
    }

    func suppressed(_ f: Finding, _ allNames: [String], buildKit: Bool, _ p: Pragmas, _ starts: [(Int, Int)], _ stageStarts: [Int]) -> Bool {
        func names(_ list: [Pragmas.Ignore]) -> Bool {
            list.contains { ig in ig.names.contains { n in allNames.contains { $0.caseInsensitiveEquals(n) } } }
        }
        if names(p.globalIgnores) { return true }
        let line = f.range.start.line
        // The instruction that holds the finding.
        if let inst = starts.last(where: { $0.0 <= line }), line <= max(inst.1, inst.0) {
            if let list = p.instructionIgnores[inst.0], names(list) { return true }
            if let skip = p.instructionCheckSkips[inst.0], allNames.contains(where: skip.contains) || (skip.contains("all") && buildKit) { return true }
        }
        if let stageLine = stageStarts.last(where: { $0 <= line }), let list = p.stageIgnores[stageLine], names(list) { return true }
        return false
    }

    /// Pragmas naming rules that do not exist.
    func pragmaProblems(_ p: Pragmas, path: String) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for ig in p.allIgnores {
            for n in ig.names where rules.info(named: n) == nil && !RuleSet.isExternalCode(n) {
                let hint = ConfigurationLoader.suggestion(n, among: rules.infos.flatMap(\.allNames)).map { " (did you mean \($0)?)" } ?? ""
                out.append(Diagnostic(file: path, code: ToolCodes.unknownRule, name: "UnknownRule", severity: .warning,
                                      message: "unknown rule '\(n)' in ignore pragma\(hint)", range: ig.range))
            }
        }
        if let r = p.checkDirectiveRange {
            for n in p.checkSkip.union(p.checkExperimental) where n != "all" && rules.info(named: n) == nil {
                out.append(Diagnostic(file: path, code: ToolCodes.unknownRule, name: "UnknownRule", severity: .warning,
                                      message: "unknown rule '\(n)' in check directive", range: r))
            }
        }
        return out
    }
}

/// A finding in the set of those already reported: equal when the findings are equal,
/// hashed by its code, place and message only (hashing its related places and fix too made
/// the duplicate check cost more than most rules).
struct FindingKey: Hashable {
    let finding: Finding
    static func == (a: FindingKey, b: FindingKey) -> Bool { a.finding == b.finding }
    func hash(into h: inout Hasher) {
        h.combine(finding.code)
        h.combine(finding.range.start.offset)
        h.combine(finding.range.end.offset)
        h.combine(finding.message)
    }
}

extension String {
    func caseInsensitiveEquals(_ other: some StringProtocol) -> Bool { lowercased() == other.lowercased() }
}
