import ArgumentParser
import DockerlintKit

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One report for CI: lint findings, the simulated cache history, measured bench results and a comparison, with gates.",
        discussion: """
            Renders Markdown (a PR comment, $GITHUB_STEP_SUMMARY), a self-contained HTML page with inline SVG charts, or JSON. \
            Without --git or --last, the history is one rebuild per context file, each after editing only that file. \
            Gates: --max-rebuild-rate STEP_PATTERN=RATE (a glob over the step text, e.g. 'RUN pip install*', or its identity, e.g. '0:RUN#1'), \
            --min-cache-efficiency X, --max-findings SEVERITY=N (findings at or above SEVERITY in FILE). \
            Exit codes: 0 ok, 1 a gate failed (one line per failed gate on standard error), 2 usage or input error, 3 environment (git missing).
            """)

    @Argument(help: "The Dockerfile.")
    var file: String

    @Option(help: "The build context directory (default: the context a GitHub workflow, bake or compose file of the project builds the Dockerfile with, else the Dockerfile's directory).")
    var context: String?

    @Option(help: "Replay the first-parent commits of this revision range (A..B, or REV for all history).")
    var git: String?

    @Option(help: "Replay the last N first-parent commits of HEAD (when --git is not given).")
    var last: Int?

    @Option(help: "Measured builds: the output of `dockerlint bench --format json`. Repeatable.")
    var bench: [String] = []

    @Option(help: "A second Dockerfile to compare with FILE through the same history.")
    var compare: String?

    @Option(name: [.short, .long], help: "markdown (default), html or json.")
    var format: String = "markdown"

    @Option(name: [.short, .long], help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(help: "The builder whose cache is simulated: buildkit (default) or classic.")
    var builder: String = "buildkit"

    @Option(help: "The target stage.")
    var target: String?

    @Option(help: "The engine release whose cache keys are modelled: docker-20.10 or docker-26 (default: the engine config key, else the release a --bench file detected, else docker-20.10).")
    var engine: String?

    @Option(name: .customLong("ci-cache"), help: "The cache the numbers and gates assume: local, none, inline, registry-min or registry-max (default: the ci-cache config key, else local). Every mode is shown side by side.")
    var ciCache: String?

    @Option(name: .customLong("build-arg"), help: "K=V: a build-arg value of every build. Repeatable.")
    var buildArg: [String] = []

    @Option(help: "Measured step seconds from a real build (reports/schemas/costs.schema.json).")
    var costs: String?

    @Option(name: [.short, .long], help: "Lint configuration file (default: .dockerlint.yaml or .hadolint.yaml as for lint).")
    var config: String?

    @Option(help: "The report's title.")
    var title: String?

    @Option(name: .customLong("max-rebuild-rate"), help: "STEP_PATTERN=RATE: fail when a matching step re-runs in more than RATE (0.25 or 25%) of the builds. Repeatable.")
    var maxRebuildRate: [String] = []

    @Option(name: .customLong("min-cache-efficiency"), help: "X: fail when the cache efficiency (reused / total estimated time) is below X (0.8 or 80%).")
    var minCacheEfficiency: String?

    @Option(name: .customLong("max-findings"), help: "SEVERITY=N: fail when FILE has more than N findings at or above SEVERITY. Repeatable.")
    var maxFindings: [String] = []

    func run() throws {
        var o = ReportRunner.Options()
        o.dockerfile = file
        o.context = context
        o.git = git
        o.last = last
        o.bench = bench
        o.compare = compare
        guard let f = ReportRunner.Format(rawValue: format) else { throw CommandError("--format: expected markdown, html or json") }
        o.format = f
        o.output = output
        o.target = target
        o.configPath = config
        try o.applyCommandLine(builder: builder, engine: engine, ciCache: ciCache, buildArgs: buildArg)
        o.costsFile = costs
        o.title = title
        if git != nil && last != nil { throw CommandError("--git and --last cannot be combined") }
        o.gates = try maxRebuildRate.map(ReportGate.parseRebuildRate)
            + (minCacheEfficiency.map { [try ReportGate.parseEfficiency($0)] } ?? [])
            + maxFindings.map(ReportGate.parseFindings)
        try finish(try ReportRunner(options: o).run())
    }
}
