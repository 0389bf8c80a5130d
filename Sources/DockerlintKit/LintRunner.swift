import DockerlintCore
import DockerlintModel
import DockerlintReporters
import DockerlintRules
import DockerlintSupport
import DockerlintSyntax
#if canImport(Glibc)
import Glibc
#endif

/// Everything `dockerlint lint` can be told on the command line. Values left nil fall back
/// to the environment, then the configuration file, then the defaults.
public struct LintOptions: Sendable {
    public var paths: [String] = []
    public var stdinPath: String?
    public var configPath: String?
    /// Output formats in order; `outputs[i]` (when present) is where `formats[i]` goes.
    public var formats: [String] = []
    public var outputs: [String] = []
    /// Settings given on the command line, in order: each applied through its entry of
    /// `LintSettings.all` after the configuration file and the environment.
    public var settings: [CommandLineSetting] = []
    public var contextDirectory: String?
    /// Print which context each file was linted with and why (`-v`).
    public var verbose = false
    /// The variables linting reads; by default this process's (`ProcessEnvironment.forLint`).
    public var environment: [String: String] = ProcessEnvironment.forLint
    public var workingDirectory: String = "."
    /// Apply fixes before linting (`--fix`, and the `fix` command).
    public var fix = false
    /// Also apply unsafe fixes.
    public var unsafeFixes = false
    /// Print the fixes as a unified diff instead of writing them.
    public var diff = false
    /// The `fix` command: report only what was fixed, not the remaining findings.
    public var fixOnly = false
    /// `fix --verify`: build each file and its fixed version on Docker and write the fixes
    /// only when the two images are the same.
    public var verifyFixes: VerifyOptions? = nil
    public var maxFixRounds = Fixer.defaultMaxRounds

    public init() {}

    /// Sets a setting by its command-line option (`--ignore`, `-t`, `--history` …).
    public mutating func set(_ option: String, _ input: LintSetting.Input) {
        settings.append(CommandLineSetting(option: option, input: input))
    }
}

/// One setting given on the command line.
public struct CommandLineSetting: Sendable, Equatable {
    public var option: String
    public var input: LintSetting.Input
    public init(option: String, input: LintSetting.Input) {
        self.option = option
        self.input = input
    }
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
        let base = try LintRunner.configuration(configPath: options.configPath, firstFile: files.first,
                                                workingDirectory: options.workingDirectory, environment: options.environment,
                                                commandLine: options.settings)
        for s in options.settings {
            guard let setting = LintSettings.named(option: s.option), setting.namesRules else { continue }
            for name in LintSetting.names(s.input) where rules.info(named: name) == nil && !RuleSet.isExternalCode(name) {
                Console.err("dockerlint: warning: unknown rule '\(OneLine.clip(name))'\n")
            }
        }
        for line in LintRunner.unknownRuleWarnings(base.ruleReferences.list, rules: rules) { Console.err(line + "\n") }
        let formats = options.formats.isEmpty ? (base.formats.isEmpty ? ["tty"] : base.formats) : options.formats
        var reporters: [(any Reporter, String?)] = []
        for (k, f) in formats.enumerated() {
            guard let r = Reporters.named(f) else {
                throw CommandError("unknown format '\(f)' (one of: \(Reporters.identifiers.joined(separator: ", ")))")
            }
            reporters.append((r, k < options.outputs.count && !options.outputs[k].isEmpty ? options.outputs[k] : nil))
        }

        // 3. Lint. History evidence: --history, else the configuration, else 100 in CI and 0 elsewhere.
        let history = LintRunner.history(base, environment: options.environment)
        let linter = Linter(rules: rules)
        var diagnostics: [Diagnostic] = []
        var sources: [String: String] = [:]
        var names: [String] = []
        var contexts: [String: [String: String]] = [:]
        var syntaxError = false
        // One file: fix when asked, lint, add history evidence.
        let options = self.options, rules = self.rules, settings = base
        // The files of one run share the walk of a context they are built from.
        let evidenceWork = CacheEvidence.SharedWork()
        let discovery = ContextDiscovery.Memo()
        @Sendable func lintOne(_ f: String) throws(CommandError) -> FileResult {
            let name = f == "-" ? (options.stdinPath ?? "-") : f
            var bytes = try FileIO.read(f)
            let config = settings.resolved(for: name)
            // The context: --context, the configuration's `context`, the project's build files, the folder.
            let choice: ContextChoice? = f == "-" && options.contextDirectory == nil && config.context == nil ? nil
                : ContextDiscovery.choose(dockerfile: f, explicit: options.contextDirectory, configured: config.context, memo: discovery)
            let ctx = choice?.path
            if options.verbose, let choice {
                Console.err("\(name): context \(choice.path) (\(choice.source.rawValue): \(choice.reason))\n")
            }
            if options.fix || options.diff {
                let fixed = Fixer.fix(bytes, path: name, configuration: config, contextDirectory: ctx, rules: rules,
                                      unsafe: options.unsafeFixes, maxRounds: options.maxFixRounds)
                var withdrawn = false
                if fixed.bytes != bytes, let vo = options.verifyFixes, f != "-" {
                    let v = try OptimizeVerifier(options: vo, engine: config.builder.cacheModel)
                        .verify(original: bytes, proposed: fixed.bytes, dockerfile: f, context: ctx ?? ".",
                                range: OptimizeVerifier.lastCommits(vo.replayCommits, context: ctx ?? "."), target: nil, buildArgs: [:])
                    Console.err("\(name): " + OptimizeVerifier.tty(v).replacingOccurrences(of: "Verification", with: "fix verification"))
                    withdrawn = v.withdrawn || v.unavailable != nil
                }
                if fixed.bytes != bytes && !withdrawn {
                    if options.diff || f == "-" {
                        Console.out(UnifiedDiff.diff(bytes, fixed.bytes, oldName: "a/" + name, newName: "b/" + name))
                    } else {
                        try FileIO.writeAtomically(f, fixed.bytes)
                    }
                    if !options.diff && f != "-" || options.fixOnly {
                        Console.err("\(name): \(options.diff ? "would fix" : "fixed") \(fixed.applied.count) finding\(fixed.applied.count == 1 ? "" : "s") "
                            + "(\(Set(fixed.applied).sorted().joined(separator: ", ")))\(fixed.converged ? "" : "; stopped after \(fixed.rounds) rounds")\n")
                    }
                    if !options.diff { bytes = fixed.bytes }
                }
            }
            let out = LintRunner.lintFile(linter, name: name, bytes: bytes, configuration: config, contextDirectory: ctx,
                                          history: options.fixOnly ? 0 : history, rules: rules, shared: evidenceWork)
            if options.verbose, out.evidence != CacheEvidence.Work() {
                let w = out.evidence
                Console.err("\(name): cache evidence: \(w.simulatedBuilds) build\(w.simulatedBuilds == 1 ? "" : "s") simulated"
                    + (w.contextScans > 0 ? ", context walked" : "") + (w.capped ? ", context too large to weigh (capped)" : "") + "\n")
            }
            return FileResult(name: name, bytes: bytes, diagnostics: out.diagnostics, syntaxError: out.syntaxError, context: choice)
        }
        var results: [FileResult] = []
        if options.fix || options.diff || files.count < 4 {
            // Fixes print and write as they go: one file at a time, in order.
            for f in files { results.append(try lintOne(f)) }
        } else {
            // Files are independent: lint them on every core, keep the input order.
            for r in parallelMap(files.count, { i in Result { () throws(CommandError) in try lintOne(files[i]) } }) { results.append(try r.get()) }
        }
        // History evidence was asked for but the clone is shallow (the default of CI checkouts):
        // the cache findings fell back to estimated edits; one line, once per run, says why
        // and how to get the history.
        if history > 0, !options.fixOnly,
           let dir = options.contextDirectory ?? files.first.map({ $0 == "-" ? "." : FileDiscovery.directory(of: $0) }),
           let commits = Git.shallowCommitCount(repository: dir) {
            Console.err("dockerlint: warning: history unavailable: the repository is a shallow clone (\(commits) commit\(commits == 1 ? "" : "s") "
                + "of history), so cache findings are estimated from edits; fetch the history they replay (`fetch-depth: 0` on "
                + "actions/checkout, `GIT_DEPTH: 0` on GitLab, or `git fetch --unshallow`)\n")
        }
        for r in results {
            if r.syntaxError { syntaxError = true }
            diagnostics += r.diagnostics
            sources[r.name] = String(decoding: r.bytes, as: UTF8.self)
            names.append(r.name)
            if let c = r.context { contexts[r.name] = ["path": c.path, "source": c.source.rawValue, "reason": c.reason] }
        }

        // 4. Report (the fix command reports only its fixes and problems).
        if options.fixOnly {
            if syntaxError { return .usage }
            return .clean
        }
        let color = !(base.noColor) && Console.stdoutIsTerminal && (options.environment["NO_COLOR"] ?? "").isEmpty
        let frozen = sources
        // Descriptors (with their rendered help text) only for the rules that reported.
        let reported = Set(diagnostics.map(\.code))
        let documented = reporters.contains { $0.0.usesRuleDocumentation }
        let descriptors = documented ? rules.catalog.filter { reported.contains($0.code) }.map(\.descriptor)
            : rules.infos.indices.filter { reported.contains(rules.infos[$0].code) }.map { rules.infos[$0].descriptor }
        for (reporter, output) in reporters {
            var input = ReportInput(diagnostics: diagnostics, rules: descriptors, files: names,
                                    toolVersion: DockerlintVersion.string,
                                    options: ReportOptions(color: color && output == nil, failureThreshold: base.failureThreshold),
                                    source: { frozen[$0] })
            input.contexts = contexts
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

    /// The configuration of a run: the file (`configPath`, else the one found from the first
    /// file or the working directory), then the environment, then `commandLine`. Warnings
    /// are printed; the first error ends the run (exit 2).
    static func configuration(configPath: String?, firstFile: String?, workingDirectory: String, environment: [String: String],
                              commandLine: [CommandLineSetting] = []) throws(CommandError) -> Configuration {
        var issues: [ConfigIssue] = []
        var base = Configuration()
        if let configFile = try ConfigDiscovery.find(explicit: configPath, firstFile: firstFile, workingDirectory: workingDirectory) {
            let text = String(decoding: try FileIO.read(configFile, limit: ConfigurationLoader.maximumSize, what: "configuration"), as: UTF8.self)
            ConfigurationLoader.parse(text, file: configFile, into: &base, issues: &issues)
        }
        ConfigurationLoader.applyEnvironment(environment, into: &base, issues: &issues)
        for s in commandLine {
            guard let setting = LintSettings.named(option: s.option) else {
                throw CommandError("unknown option '\(s.option)'", status: .usage)
            }
            do throws(LintSetting.SettingError) { try setting.apply(s.input, to: &base) } catch {
                throw CommandError("\(s.option): \(error.message)", status: .usage)
            }
        }
        for i in issues where i.level == .warning { Console.err("\(i)\n") }
        if let e = issues.first(where: { $0.level == .error }) {
            throw CommandError(e.description, status: .usage)
        }
        return base
    }

    /// The most unknown rule names warned about one by one; the rest are counted.
    static let unknownRuleWarningLimit = 20

    /// `file:line:column: warning: unknown rule 'X' (did you mean 'Y'?)` for each rule name
    /// of the configuration file that no rule has, the first `unknownRuleWarningLimit` of
    /// them, then one line counting the others.
    static func unknownRuleWarnings(_ refs: [ConfigRuleReference], rules: RuleSet) -> [String] {
        var out: [String] = []
        var more = 0
        var names: [String]? = nil
        for r in refs where rules.info(named: r.name) == nil && !RuleSet.isExternalCode(r.name) {
            if out.count == unknownRuleWarningLimit { more += 1; continue }
            if names == nil { names = rules.infos.flatMap(\.allNames) }
            let hint = ConfigurationLoader.nearestRule(r.name, names: names!, codes: rules.infos.map(\.code)).map { " (did you mean '\($0)'?)" } ?? ""
            out.append("\(r.location): warning: unknown rule '\(OneLine.clip(r.name, limit: 80))' is ignored\(hint)")
        }
        if more > 0, let last = refs.last {
            out.append("\(last.location.file): warning: \(more) more unknown rule\(more == 1 ? "" : "s") not listed")
        }
        return out
    }

    /// Commits of history evidence when the command line does not say: the configuration's,
    /// else 100 in CI and 0 elsewhere.
    static func history(_ configuration: Configuration, environment: [String: String]) -> Int {
        configuration.history ?? CacheEvidence.defaultHistory(environment: environment)
    }

    /// Lints one file's bytes: the rules, then history evidence for the cache findings
    /// (skipped on syntax errors and when `history` is 0). Findings turned off are dropped.
    static func lintFile(_ linter: Linter, name: String, bytes: [UInt8], configuration: Configuration, contextDirectory: String?,
                         history: Int, rules: RuleSet, shared: CacheEvidence.SharedWork = CacheEvidence.SharedWork())
        -> (diagnostics: [Diagnostic], syntaxError: Bool, evidence: CacheEvidence.Work) {
        let out = linter.lint(Linter.Input(path: name, bytes: bytes, configuration: configuration, contextDirectory: contextDirectory,
                                           runState: shared.projectCI))
        var found = out.diagnostics.filter { $0.severity != .off }
        var work = CacheEvidence.Work()
        if !out.hasSyntaxErrors, configuration.evidence {
            (found, _, work) = CacheEvidence.evaluate(found, model: out.model, path: name, bytes: bytes, configuration: configuration,
                                                      contextDirectory: contextDirectory, history: history, rules: rules, shared: shared,
                                                      analysis: out.ruleState)
        }
        return (found, out.hasSyntaxErrors, work)
    }
}

/// What linting one file gave.
struct FileResult: Sendable {
    var name: String
    var bytes: [UInt8]
    var diagnostics: [Diagnostic]
    var syntaxError: Bool
    var context: ContextChoice?
}
