import DockerlintCache
import DockerlintCore
import DockerlintModel
import DockerlintReporters
import DockerlintRules
import DockerlintSupport
import DockerlintSyntax
import Foundation


/// `dockerlint report FILE --context DIR [--git RANGE | --last N] [--bench FILE.json] [--compare OTHER]`:
/// one document for CI with the lint findings, the simulated cache history, measured bench
/// results and a side-by-side comparison, rendered as Markdown, HTML or JSON, and gates that
/// fail the run (exit 1) with one line per failed gate.
public struct ReportRunner: Sendable {
    public enum Format: String, CaseIterable, Sendable { case markdown, html, json }

    public struct Options: Sendable {
        public var dockerfile: String = "Dockerfile"
        public var context: String?
        public var git: String?
        /// Replay the last N first-parent commits of HEAD (when `git` is not given).
        public var last: Int?
        /// `dockerlint bench --format json` outputs (repeatable).
        public var bench: [String] = []
        public var compare: String?
        public var format: Format = .markdown
        public var output: String?
        public var builder: BuilderKind = .buildkit
        /// The engine release and the cache the history assumes (`--engine`, `--ci-cache`). No
        /// release given: the one a `--bench` file detected, else docker-20.10.
        public var release: EngineRelease?
        public var ciCache: CICacheMode = .local
        public var target: String?
        public var buildArgs: [String: String] = [:]
        public var costsFile: String?
        public var configPath: String?
        public var title: String?
        public var gates: [ReportGate] = []
        /// By default this process's environment.
        public var environment: [String: String] = ProcessEnvironment.current
        public var workingDirectory: String = "."
        public init() {}
    }

    public var options: Options
    public init(options: Options) { self.options = options }

    /// Builds the report, writes it, evaluates the gates.
    public func run() throws(CommandError) -> ExitStatus {
        let doc = try build()
        let text: String
        switch options.format {
        case .markdown: text = ReportMarkdown.render(doc)
        case .html: text = ReportHTML.render(doc)
        case .json: text = ReportJSON.render(doc) + "\n"
        }
        if let out = options.output {
            try FileIO.writeAtomically(out, Array(text.utf8))
        } else {
            Console.out(text)
        }
        let failed = doc.gates.filter { !$0.passed }
        for g in failed { Console.err("dockerlint: gate failed: \(g.reason)\n") }
        return failed.isEmpty ? .clean : .findings
    }

    // MARK: Building the document

    public func build() throws(CommandError) -> ReportDocument {
        let context = ContextDiscovery.choose(dockerfile: options.dockerfile, explicit: options.context, configured: nil).path
        guard FileIO.exists(options.dockerfile) else { throw CommandError("\(options.dockerfile): error: no such file or directory") }
        guard FileIO.isDirectory(context) else { throw CommandError("\(context): error: context directory not found") }
        if let other = options.compare, !FileIO.exists(other) { throw CommandError("\(other): error: no such file or directory") }
        // Read the bench file first: a bad file is a usage error before any long work.
        var benches: [BenchResults] = []
        for path in options.bench { benches.append(try BenchResults.load(path)) }

        var files = [options.dockerfile]
        if let other = options.compare { files.append(other) }
        let lint = try lintFiles(files, context: context)

        var range = options.git
        if range == nil, let n = options.last { range = try ReportRunner.lastRange(n, context: context) }
        var sim = simulateOptions(context: context)
        sim.release = options.release ?? benches.compactMap { $0.release.flatMap(EngineRelease.init(argument:)) }.first ?? .docker20_10
        sim.git = range

        let primary: SimulationReport
        var comparison: CompareRunner.Comparison?
        var compareMode: String?
        if let other = options.compare {
            (primary, comparison, compareMode) = try compare(options.dockerfile, other, sim)
        } else {
            primary = range != nil ? try simulate(options.dockerfile, sim) : try editScenarios(options.dockerfile, sim)
        }
        var subjects: [String: String] = [:]
        if let range { subjects = ReportRunner.commitSubjects(range, context: context) }

        var doc = ReportDocument(
            title: options.title ?? "dockerlint report: \(options.dockerfile)",
            toolVersion: DockerlintVersion.string, dockerfile: options.dockerfile, context: context,
            builder: options.builder, range: range, lint: lint, history: primary,
            historyKind: range != nil ? .git : .edits, commitSubjects: subjects,
            comparison: comparison, compareMode: compareMode, benches: benches, gates: [])
        doc.costsCalibrated = options.costsFile != nil
        doc.ciCache = options.ciCache
        doc.release = sim.release
        doc.cacheModes = try cacheModes(sim, primary: primary)
        doc.gates = try options.gates.map { g throws(CommandError) in try g.evaluate(doc) }
        return doc
    }

    /// The primary Dockerfile's history under every cache a build can start from (BuildKit:
    /// local and the CI caches; classic: local and none), the assumed one being `primary`.
    func cacheModes(_ base: SimulateOptions, primary: SimulationReport) throws(CommandError) -> [ReportDocument.CacheMode] {
        let modes = options.builder == .classic ? [CICacheMode.local, .none] : CICacheMode.allCases
        var out: [ReportDocument.CacheMode] = []
        for m in modes {
            let r: SimulationReport
            if m == options.ciCache {
                r = primary
            } else {
                var o = base
                o.ciCache = m
                o.dockerfile = options.dockerfile
                r = base.git != nil ? try SimulateRunner(options: o).simulate() : try editScenarios(options.dockerfile, o)
            }
            out.append(ReportDocument.CacheMode(mode: m, summary: r.summary, assumed: m == options.ciCache))
        }
        return out
    }

    func simulateOptions(context: String) -> SimulateOptions {
        var o = SimulateOptions()
        o.context = context
        o.builder = options.builder
        o.ciCache = options.ciCache
        o.target = options.target
        o.baseBuildArgs = options.buildArgs
        o.costsFile = options.costsFile
        o.format = .json
        return o
    }

    func simulate(_ dockerfile: String, _ base: SimulateOptions) throws(CommandError) -> SimulationReport {
        var o = base
        o.dockerfile = dockerfile
        return try SimulateRunner(options: o).simulate()
    }

    /// With history: each variant replays its own Dockerfile from every commit when both are
    /// tracked throughout the range; otherwise both are built from their working-tree text
    /// over the context's history, exactly as `dockerlint compare` does. Without history:
    /// the same single-file edits through both.
    func compare(_ a: String, _ b: String, _ base: SimulateOptions) throws(CommandError)
        -> (SimulationReport, CompareRunner.Comparison, String) {
        let (na, nb) = CompareRunner.names(a, b)
        if base.git != nil {
            let ra = try simulate(a, base)
            let rb = try simulate(b, base)
            if ra.summary.failedBuilds == 0 && rb.summary.failedBuilds == 0 {
                let (better, verdict) = CompareRunner.verdict(ra.summary, rb.summary, a: na, b: nb)
                return (ra, CompareRunner.Comparison(a: ra, b: rb, better: better, verdict: verdict, nameA: na, nameB: nb),
                        "each Dockerfile as committed at every commit")
            }
            let c = try CompareRunner(a: a, b: b, options: base).compare()
            return (c.a, c, "both Dockerfiles as in the working tree, over the context's history")
        }
        let ra = try editScenarios(a, base)
        let rb = try editScenarios(b, base)
        let (better, verdict) = CompareRunner.verdict(ra.summary, rb.summary, a: na, b: nb)
        return (ra, CompareRunner.Comparison(a: ra, b: rb, better: better, verdict: verdict, nameA: na, nameB: nb),
                "single-file edits of the context")
    }

    /// Without history: one rebuild per context file, each after editing only that file,
    /// from the same warm cache. The first build fills the cache (baseline).
    public static let maxEditScenarios = 40

    func editScenarios(_ dockerfile: String, _ base: SimulateOptions) throws(CommandError) -> SimulationReport {
        guard let context = base.context else { throw CommandError("--context DIR is required") }
        var runner = SimulateRunner(options: base)
        runner.options.dockerfile = dockerfile
        var sim = CacheSimulator(engine: base.builder, costs: try runner.costModel(), options: base.simulatorOptions)
        var state = try SimulateRunner.load(dockerfile, context, args: base.baseBuildArgs, target: base.target, label: "cold")
        var first = sim.simulate(&state)
        first.baseline = true
        try runner.check(first)
        var builds = [first]
        let ignore = try SimulateRunner.ignoreFor(dockerfile: dockerfile, context: context)
        let files = state.context.allPaths.filter { state.context.entries[$0]?.kind == .file }.sorted()
        for path in files.prefix(ReportRunner.maxEditScenarios) {
            var s = sim
            var next = state
            next.label = "edit \(path)"
            _ = next.edit(paths: [path], ignore: ignore)
            builds.append(s.simulate(&next))
        }
        return SimulationReport(mode: .edit, engine: base.builder, dockerfile: dockerfile, context: context, range: nil,
                                builds: builds, summary: SimulationSummary(engine: base.builder, predictions: builds))
    }

    // MARK: Lint

    /// The files linted as `dockerlint lint` lints them (configuration, environment, history
    /// evidence for the cache findings); the compared file's context is its own directory.
    func lintFiles(_ files: [String], context: String) throws(CommandError) -> ReportLint {
        let base = try LintRunner.configuration(configPath: options.configPath, firstFile: files.first,
                                                workingDirectory: options.workingDirectory, environment: options.environment)
        let history = LintRunner.history(base, environment: options.environment)
        let rules = BuiltinRules.ruleSet
        let linter = Linter(rules: rules)
        var diagnostics: [Diagnostic] = []
        var sources: [String: String] = [:]
        var syntaxErrors = false
        for (i, f) in files.enumerated() {
            let bytes = try FileIO.read(f)
            let out = LintRunner.lintFile(linter, name: f, bytes: bytes, configuration: base.resolved(for: f),
                                          contextDirectory: i == 0 ? context : FileDiscovery.directory(of: f),
                                          history: history, rules: rules)
            syntaxErrors = syntaxErrors || out.syntaxError
            diagnostics += out.diagnostics
            sources[f] = String(decoding: bytes, as: UTF8.self)
        }
        if syntaxErrors, let d = diagnostics.first(where: { $0.code == ToolCodes.syntaxError }) {
            throw CommandError("\(d.file):\(d.range.start.line):\(d.range.start.column): error: \(d.message)")
        }
        let frozen = sources
        let input = ReportInput(diagnostics: diagnostics, rules: rules.catalog.map(\.descriptor), files: files,
                                toolVersion: DockerlintVersion.string,
                                options: DockerlintReporters.ReportOptions(failureThreshold: base.failureThreshold),
                                source: { frozen[$0] })
        return ReportLint(input: input, failureThreshold: base.failureThreshold)
    }

    // MARK: git helpers

    static func git(_ args: [String], in dir: String) throws(CommandError) -> String {
        try CommandError.git(args, in: dir)
    }

    /// `--last N`: the range holding the last N first-parent commits of HEAD (all of them
    /// when the history is shorter).
    static func lastRange(_ n: Int, context: String) throws(CommandError) -> String {
        guard n >= 1 else { throw CommandError("--last: expected a number of commits of at least 1") }
        let ids: [Substring]
        do {
            ids = try git(["rev-list", "--first-parent", "--max-count=\(n + 1)", "HEAD"], in: context).split(separator: "\n")
        } catch where error.status != .environment {
            throw CommandError("\(context): error: not inside a git repository with commits (needed for --last)")
        }
        return ids.count > n ? "\(ids[n])..HEAD" : "HEAD"
    }

    /// Commit id -> subject line, for labelling the history.
    static func commitSubjects(_ range: String, context: String) -> [String: String] {
        guard let text = try? git(["log", "--first-parent", "--format=%H%x09%s", range], in: context) else { return [:] }
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            if parts.count == 2 { out[String(parts[0])] = String(parts[1]) }
        }
        return out
    }
}

/// Lint findings of the report's files.
public struct ReportLint: Sendable {
    public var input: ReportInput
    public var failureThreshold: Severity

    public var diagnostics: [Diagnostic] { input.diagnostics }
    public func count(atLeast severity: Severity) -> Int { diagnostics.filter { $0.severity.meets(threshold: severity) }.count }
    public func count(_ severity: Severity) -> Int { diagnostics.filter { $0.severity == severity }.count }
    public func diagnostics(for file: String) -> [Diagnostic] { diagnostics.filter { $0.file == file } }
}

/// What `dockerlint report` renders.
public struct ReportDocument: Sendable {
    public enum HistoryKind: String, Sendable { case git, edits }

    public var title: String
    public var toolVersion: String
    public var dockerfile: String
    public var context: String
    public var builder: BuilderKind
    public var range: String?
    public var lint: ReportLint
    /// The simulated history of `dockerfile` (git replay, or single-file edits).
    public var history: SimulationReport
    public var historyKind: HistoryKind
    public var commitSubjects: [String: String]
    public var comparison: CompareRunner.Comparison?
    /// How the comparison built its two histories (one phrase).
    public var compareMode: String?
    public var benches: [BenchResults]
    public var gates: [GateResult]
    /// Step costs came from a measured build (`--costs`), not the defaults.
    public var costsCalibrated: Bool = false
    /// The cache the history (and the gates) assume, and the engine release modelled.
    public var ciCache: CICacheMode = .local
    public var release: EngineRelease = .docker20_10
    /// The same history under every cache mode, side by side.
    public var cacheModes: [CacheMode] = []

    public struct CacheMode: Sendable {
        public var mode: CICacheMode
        public var summary: SimulationSummary
        /// The mode the report's numbers assume.
        public var assumed: Bool
    }

    /// `a local cache that keeps every earlier build (engine model docker-20.10)`.
    public var cacheSentence: String {
        "\(ciCache.summary) (engine model \(release.rawValue), BuildKit \(release.buildKit))"
    }

    /// The builds that count (baseline and failed builds left out), in order: the summary's
    /// counted builds (`SimulationSummary.prediction(of:inBuild:)` takes their index).
    public static func rows(_ r: SimulationReport) -> [BuildPrediction] {
        r.builds.filter { !$0.baseline && !($0.steps.isEmpty && !$0.errors.isEmpty) }
    }

    public func label(_ b: BuildPrediction) -> String {
        if let c = b.commit, let s = commitSubjects[c] { return "\(b.label) \(s)" }
        return b.label
    }

    public var passed: Bool { gates.allSatisfy(\.passed) }

    /// The simulation of the Dockerfile a bench measured: the same path, or one path ending
    /// with the other; else the primary history.
    public func simulation(for bench: BenchResults) -> SimulationReport {
        let candidates = [history] + (comparison.map { [$0.a, $0.b] } ?? [])
        func norm(_ p: String) -> String { p.hasPrefix("./") ? String(p.dropFirst(2)) : p }
        let target = norm(bench.dockerfile)
        return candidates.first { norm($0.dockerfile) == target }
            ?? candidates.first { !target.isEmpty && (norm($0.dockerfile).hasSuffix("/" + target) || target.hasSuffix("/" + norm($0.dockerfile))) }
            ?? history
    }

    /// Predicted seconds of a measured build: the steps predicted to re-run, each at the
    /// bench's own predicted time when it has one, else the simulator's cost for that line.
    /// Nil when no step carries a prediction.
    public func predictedSeconds(_ build: BenchResults.Build, of bench: BenchResults) -> Double? {
        var costs: [Int: Double] = [:]
        for b in simulation(for: bench).builds { for s in b.steps { costs[s.line] = s.costSeconds } }
        var any = false
        var total = 0.0
        for s in build.steps where s.predictedStatus != nil {
            any = true
            if s.predictedStatus == "miss" { total += s.predictedSeconds ?? s.line.flatMap { costs[$0] } ?? 0 }
        }
        return any ? total : nil
    }
}
