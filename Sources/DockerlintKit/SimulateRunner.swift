import DockerlintSupport
import DockerlintCore
import DockerlintCache
import DockerlintModel
import DockerlintSupport
import DockerlintSyntax
import Foundation

/// Everything `dockerlint simulate` can be told.
public struct SimulateOptions: Sendable {
    public enum Format: String, CaseIterable, Sendable { case tty, json, markdown }

    /// The Dockerfile (optional with --plan).
    public var dockerfile: String?
    public var context: String?
    public var builder: BuilderKind = .buildkit
    /// Files edited in the second build.
    public var changed: [String] = []
    /// Build args of the second build (on top of `baseBuildArgs`).
    public var buildArgs: [String: String] = [:]
    /// Build args of both builds.
    public var baseBuildArgs: [String: String] = [:]
    public var toDockerfile: String?
    public var toContext: String?
    public var git: String?
    public var plan: String?
    public var target: String?
    public var costsFile: String?
    public var costOverrides: [String: Double] = [:]
    public var format: Format = .tty
    public var noColor = false
    /// BuildKit: directory permissions enter source digests (current BuildKit source).
    public var directoryMetadata = false
    /// The engine release whose keys are modelled (`--engine`).
    public var release: EngineRelease = .docker20_10
    /// The cache every build starts from (`--ci-cache`).
    public var ciCache: CICacheMode = .local
    /// --git: build every commit with this Dockerfile text instead of the commit's (compare).
    public var fixedDockerfile: [UInt8]?
    /// --git: build arguments that take the commit id as their value in each build (a value a
    /// CI passes per build), as lint's history evidence assumes for volatile arguments.
    public var perBuildArgs: [String] = []
    /// --git: context paths whose content changes with every commit (`.git/HEAD` for a
    /// checkout's `.git`, which the git objects do not hold), as lint's history evidence assumes.
    public var churn: [String] = []

    public init() {}

    /// The simulator switches these options select.
    public var simulatorOptions: SimulatorOptions {
        SimulatorOptions(directoryMetadata: directoryMetadata, release: release, ciCache: ciCache)
    }

    /// CI caches are BuildKit's: the classic builder has a local cache or none.
    public func validateCICache() throws(CommandError) {
        if builder == .classic && ciCache != .local && ciCache != .none {
            throw CommandError("--ci-cache \(ciCache.rawValue): CI cache exports are BuildKit's; with --builder classic use local or none")
        }
    }
}

/// The mode a simulation ran in.
public enum SimulationMode: String, Sendable { case edit, git, plan }

/// The predictions of one simulation and their statistics.
public struct SimulationReport: Sendable {
    public var mode: SimulationMode
    public var engine: BuilderKind
    /// The engine release and the cache the builds were simulated with.
    public var release: EngineRelease { builds.first?.release ?? .docker20_10 }
    public var ciCache: CICacheMode { builds.first?.ciCache ?? .local }
    public var dockerfile: String
    public var context: String
    public var range: String?
    public var builds: [BuildPrediction]
    public var summary: SimulationSummary
}

/// `dockerlint simulate`.
public struct SimulateRunner: Sendable {
    public var options: SimulateOptions

    public init(options: SimulateOptions) { self.options = options }

    public func run() throws(CommandError) -> ExitStatus {
        let report = try simulate()
        switch options.format {
        case .json: Console.out(SimulateOutput.json(report) + "\n")
        case .markdown: Console.out(SimulateOutput.markdown(report))
        case .tty: Console.out(SimulateOutput.tty(report, color: !options.noColor && Console.stdoutIsTerminal && Console.environment("NO_COLOR") == nil))
        }
        return .clean
    }

    func costModel() throws(CommandError) -> CostModel {
        var model = CostModel()
        if let f = options.costsFile {
            let bytes = try FileIO.read(f)
            do { model = try CostModel.load(json: bytes, path: f) } catch { throw CommandError((error as? CostModelError)?.message ?? "\(f): error: \(error)") }
        }
        for (k, v) in options.costOverrides { model.defaults[k] = v }
        return model
    }

    /// Runs the simulation the options describe.
    public func simulate() throws(CommandError) -> SimulationReport {
        try options.validateCICache()
        var sim = CacheSimulator(engine: options.builder, costs: try costModel(), options: options.simulatorOptions)
        let exclusive = [options.git != nil, options.plan != nil,
                         !options.changed.isEmpty || !options.buildArgs.isEmpty || options.toDockerfile != nil || options.toContext != nil]
        if exclusive.filter({ $0 }).count > 1 {
            throw CommandError("--git, --plan and the edit options (--changed, --build-arg, --to-dockerfile, --to-context) cannot be combined")
        }
        if let plan = options.plan { return try runPlan(plan, &sim) }
        guard let context = options.context else { throw CommandError("--context DIR is required") }
        guard let dockerfile = options.dockerfile else { throw CommandError("a Dockerfile is required") }
        guard FileIO.isDirectory(context) else { throw CommandError("\(context): error: context directory not found") }
        guard FileIO.exists(dockerfile) else { throw CommandError("\(dockerfile): error: no such file or directory") }
        if let range = options.git { return try runGit(range, dockerfile: dockerfile, context: context, &sim) }
        if !options.perBuildArgs.isEmpty || !options.churn.isEmpty { throw CommandError("--per-build-arg and --churn need --git") }
        return try runEdit(dockerfile: dockerfile, context: context, &sim)
    }

    static func load(_ dockerfile: String, _ context: String, args: [String: String], target: String?, label: String) throws(CommandError) -> BuildState {
        do { return try BuildState.load(dockerfile: dockerfile, contextDirectory: context, buildArgs: args, target: target, label: label) } catch {
            throw CommandError(error.message)
        }
    }

    func check(_ p: BuildPrediction) throws(CommandError) {
        // A target that does not exist is a usage error, not a prediction.
        if p.targetStage == nil, let e = p.errors.last, p.steps.isEmpty { throw CommandError("\(p.dockerfilePath): error: \(e)") }
    }

    func runEdit(dockerfile: String, context: String, _ sim: inout CacheSimulator) throws(CommandError) -> SimulationReport {
        var base = try SimulateRunner.load(dockerfile, context, args: options.baseBuildArgs, target: options.target, label: "before")
        let nextArgs = options.baseBuildArgs.merging(options.buildArgs) { _, new in new }
        var next: BuildState
        if options.toDockerfile != nil || options.toContext != nil || !options.buildArgs.isEmpty {
            let df = options.toDockerfile ?? dockerfile
            let ctx = options.toContext ?? context
            guard FileIO.isDirectory(ctx) else { throw CommandError("\(ctx): error: context directory not found") }
            next = try SimulateRunner.load(df, ctx, args: nextArgs, target: options.target, label: "after")
        } else {
            next = base
            next.label = "after"
        }
        if !options.changed.isEmpty {
            let ignore = try SimulateRunner.ignoreFor(dockerfile: next.dockerfilePath, context: options.toContext ?? context)
            _ = next.edit(paths: options.changed, ignore: ignore)
        }
        var first = sim.simulate(&base)
        first.baseline = true
        try check(first)
        let second = sim.simulate(&next)
        try check(second)
        let builds = [first, second]
        return SimulationReport(mode: .edit, engine: options.builder, dockerfile: dockerfile, context: context, range: nil,
                                builds: builds, summary: SimulationSummary(engine: options.builder, predictions: builds))
    }

    /// The ignore file of a build; one that cannot be used (a bad pattern, a named pipe)
    /// ends the run with its position, as the builders refuse it too.
    static func ignoreFor(dockerfile: String, context: String) throws(CommandError) -> DockerIgnore {
        do { return try DockerIgnore.load(dockerfile: dockerfile, contextDirectory: context)?.ignore ?? .empty } catch {
            throw CommandError(error.description)
        }
    }

    func runGit(_ range: String, dockerfile: String, context: String, _ sim: inout CacheSimulator) throws(CommandError) -> SimulationReport {
        var builds: [BuildPrediction] = []
        var summary = SimulationSummary(engine: options.builder)
        do {
            let source = try GitReplay.locate(dockerfile: dockerfile, contextDirectory: context,
                                              dockerfileInRepository: options.fixedDockerfile == nil)
            try GitReplay.replayBuilds(source, range: range, buildArgs: options.baseBuildArgs, perBuildArgs: options.perBuildArgs,
                                       churn: options.churn, target: options.target,
                                       dockerfileText: options.fixedDockerfile, simulator: &sim) { b in
                summary.add(b.prediction, model: b.model)
                builds.append(b.prediction)
            }
        } catch {
            switch error {
            case .gitMissing: throw CommandError("git is not installed (needed for --git)", status: .environment)
            case .input(let m): throw CommandError(m)
            }
        }
        if let p = builds.first(where: { !$0.steps.isEmpty || $0.targetStage != nil }) ?? builds.first { try check(p) }
        return SimulationReport(mode: .git, engine: options.builder, dockerfile: dockerfile, context: context, range: range,
                                builds: builds, summary: summary)
    }

    func runPlan(_ path: String, _ sim: inout CacheSimulator) throws(CommandError) -> SimulationReport {
        let bytes = try FileIO.read(path, limit: ConfigurationLoader.maximumSize, what: "plan")
        let plan: SimulationPlan
        do { plan = try SimulationPlan.parse(String(decoding: bytes, as: UTF8.self), path: path) } catch { throw CommandError(error.message) }
        let dir = (path as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String { p.hasPrefix("/") || dir.isEmpty ? p : dir + "/" + p }
        var builds: [BuildPrediction] = []
        var summary = SimulationSummary(engine: options.builder)
        for (i, entry) in plan.builds.enumerated() {
            let ctx = resolve(entry.context)
            guard FileIO.isDirectory(ctx) else { throw CommandError("\(path):\(entry.line): error: context directory not found: \(entry.context)") }
            let df = entry.dockerfile.map(resolve) ?? options.dockerfile ?? ctx + "/Dockerfile"
            guard FileIO.exists(df) else { throw CommandError("\(path):\(entry.line): error: Dockerfile not found: \(df)") }
            let args = options.baseBuildArgs.merging(entry.buildArgs) { _, new in new }
            var state = try SimulateRunner.load(df, ctx, args: args, target: entry.target ?? options.target,
                                                label: entry.name ?? "build \(i + 1)")
            var p = sim.simulate(&state)
            if p.targetStage == nil, p.steps.isEmpty, let e = p.errors.last {
                throw CommandError("\(path):\(entry.line): error: \(e)")
            }
            p.baseline = i == 0 && plan.builds.count > 1
            builds.append(p)
            summary.add(p, model: state.model)
        }
        return SimulationReport(mode: .plan, engine: options.builder, dockerfile: options.dockerfile ?? "", context: path, range: nil,
                                builds: builds, summary: summary)
    }
}

/// The `engine` and `ci-cache` settings `simulate`, `compare` and `report` read from the
/// configuration (found as for lint, next to `path`) and the environment.
public struct CacheModelConfiguration: Sendable {
    public var engine: EngineRelease?
    public var ciCache: CICacheMode?

    public static func load(near path: String?, explicit: String? = nil,
                            environment: [String: String] = ProcessEnvironment.current) throws(CommandError) -> CacheModelConfiguration {
        var issues: [ConfigIssue] = []
        var config = Configuration()
        // `path` is a Dockerfile or a context directory: discovery starts from its directory.
        let first = path.map { FileIO.isDirectory($0) ? $0 + "/." : $0 }
        if let file = try ConfigDiscovery.find(explicit: explicit, firstFile: first, workingDirectory: ".") {
            ConfigurationLoader.parse(String(decoding: try FileIO.read(file, limit: ConfigurationLoader.maximumSize, what: "configuration"), as: UTF8.self), file: file, into: &config, issues: &issues)
        }
        ConfigurationLoader.applyEnvironment(environment, into: &config, issues: &issues)
        // Only these two keys matter here: other problems are lint's to report.
        if let e = issues.first(where: { $0.level == .error && ($0.message.hasPrefix("engine:") || $0.message.hasPrefix("ci-cache:")
                                                                  || $0.message.hasPrefix("DOCKERLINT_ENGINE") || $0.message.hasPrefix("DOCKERLINT_CI_CACHE")) }) {
            throw CommandError(e.description)
        }
        return CacheModelConfiguration(engine: config.engine, ciCache: config.ciCache)
    }
}
