import ArgumentParser
import DockerlintKit

/// Options shared by `simulate` and `compare`.
struct SimulationArguments: ParsableArguments {
    @Option(help: "The build context directory.")
    var context: String?

    @Option(help: "The builder whose cache is simulated: buildkit (default) or classic.")
    var builder: String = "buildkit"

    @Option(parsing: .upToNextOption, help: "Context paths edited in the second build (PATH...).")
    var changed: [String] = []

    @Option(name: .customLong("build-arg"), help: "K=V: a build-arg value of the second build. Repeatable.")
    var buildArg: [String] = []

    @Option(name: .customLong("base-build-arg"), help: "K=V: a build-arg value of every build. Repeatable.")
    var baseBuildArg: [String] = []

    @Option(help: "Replay the first-parent commits of this revision range (A..B, or REV for all history) from git objects.")
    var git: String?

    @Option(help: "The target stage.")
    var target: String?

    @Option(help: "Measured step seconds from a real build (reports/schemas/costs.schema.json).")
    var costs: String?

    @Option(help: "KIND=SECONDS: override a default cost (RUN, COPY, ADD, WORKDIR, FROM, METADATA, run:package-install, run:small-install, run:trivial, run:build, run:download, run:package-index). Repeatable.")
    var cost: [String] = []

    @Option(name: [.short, .long], help: "Output format: tty, json or markdown.")
    var format: String = "tty"

    @Flag(help: "No colour in terminal output (also NO_COLOR).")
    var noColor = false

    @Flag(help: "BuildKit: let directory permissions enter source digests (current BuildKit source; Docker 20.10 ignores them).")
    var directoryMetadata = false

    @Option(help: "The engine release whose cache keys are modelled: docker-20.10 (BuildKit v0.8) or docker-26 (BuildKit v0.13). Default: the ci-cache/engine config keys, else docker-20.10.")
    var engine: String?

    @Option(name: .customLong("ci-cache"), help: "The cache each build starts from: local (one machine keeps every build), none, inline, registry-min or registry-max (fresh CI runners importing only the previous build's export). Default: the ci-cache config key, else local.")
    var ciCache: String?

    func options() throws -> SimulateOptions {
        var a = SimulateOptions.Arguments()
        a.context = context
        a.builder = builder
        a.changed = changed
        a.buildArgs = buildArg
        a.baseBuildArgs = baseBuildArg
        a.git = git
        a.target = target
        a.costs = costs
        a.cost = cost
        a.format = format
        a.noColor = noColor
        a.directoryMetadata = directoryMetadata
        a.engine = engine
        a.ciCache = ciCache
        return try SimulateOptions(arguments: a)
    }
}

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict which steps of a rebuild hit the layer cache, and why.",
        discussion: """
            Modes: --changed PATH... (files edited), --build-arg K=V (values changed), --to-dockerfile/--to-context \
            (a second state), --git RANGE (replay history from git objects), --plan PLAN.yaml (a sequence of builds). \
            Exit codes: 0 ok, 2 usage or input error, 3 git missing.
            """)

    @Argument(help: "The Dockerfile (optional with --plan).")
    var file: String?

    @OptionGroup var common: SimulationArguments

    @Option(help: "The Dockerfile of the second build.")
    var toDockerfile: String?

    @Option(help: "The context directory of the second build.")
    var toContext: String?

    @Option(help: "A YAML plan: builds: [{context, dockerfile, build-args, target}], replayed in order.")
    var plan: String?

    @Option(name: .customLong("per-build-arg"), help: "With --git: NAME, a build arg whose value is the commit id in each build (as a CI passes it). Repeatable.")
    var perBuildArg: [String] = []

    @Option(help: "With --git: PATH, a context path whose content changes in every commit (.git/HEAD for a checkout's .git). Repeatable.")
    var churn: [String] = []

    func run() throws {
        var o = try common.options()
        o.dockerfile = file
        o.toDockerfile = toDockerfile
        o.toContext = toContext
        o.plan = plan
        o.perBuildArgs = perBuildArg
        o.churn = churn
        if plan == nil && file == nil { throw CommandError("a Dockerfile is required (or --plan PLAN.yaml)") }
        try finish(try SimulateRunner(options: o).run())
    }
}

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the same edits or history through two Dockerfile variants and compare their cache behaviour.",
        discussion: "Exit codes: 0 ok, 2 usage or input error, 3 git missing.")

    @Argument(help: "Variant A.")
    var a: String

    @Argument(help: "Variant B.")
    var b: String

    @OptionGroup var common: SimulationArguments

    @Flag(help: "Add a third column: the best order of A's steps over the same --git history (as `optimize` finds it).")
    var withOptimum = false

    func run() throws {
        let o = try common.options()
        var runner = CompareRunner(a: a, b: b, options: o)
        runner.withOptimum = withOptimum
        try finish(try runner.run())
    }
}
