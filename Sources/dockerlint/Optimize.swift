import ArgumentParser
import DockerlintKit

struct Optimize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find the order of a Dockerfile's steps that re-runs least over the project's git history.",
        discussion: """
            Replays the history (--git RANGE, or the last --last N commits) through the cache simulator, searches \
            the orders in which no step moves past one it depends on, and proposes the cheapest one as a diff \
            (--write applies it atomically), with the moves in words and the simulated before/after. \
            When nothing beats the current order it says so. --verify builds both orders on Docker and compares \
            the final images; a proposal that differs is withdrawn. \
            Exit codes: 0 done (with or without a proposal), 2 usage or input error, 3 git or the builder missing.
            """)

    @Argument(help: "The Dockerfile.")
    var file: String

    @Option(help: "The build context directory (default: the context a GitHub workflow, bake or compose file of the project builds the Dockerfile with, else the Dockerfile's directory).")
    var context: String?

    @Option(help: "Replay the first-parent commits of this revision range (A..B).")
    var git: String?

    @Option(help: "Replay the last N commits (default 100).")
    var last: Int?

    @Option(help: "The builder whose cache is simulated and verified: buildkit (default) or classic.")
    var builder: String = "buildkit"

    @Option(help: "The target stage.")
    var target: String?

    @Option(name: .customLong("build-arg"), help: "K=V: a build-arg value of every build. Repeatable.")
    var buildArg: [String] = []

    @Option(help: "Measured step seconds from `bench --save-costs` (reports/schemas/costs.schema.json).")
    var costs: String?

    @Option(help: "KIND=SECONDS: override a default cost. Repeatable.")
    var cost: [String] = []

    @Option(help: "Smallest saving worth a proposal, in estimated seconds per 100 builds (default 60).")
    var minSaving: Double = 60

    @Option(help: "Smallest saving worth a proposal, in percent of the estimated rebuild time (default 5).")
    var minSavingPercent: Double = 5

    @Option(name: [.short, .long], help: "Output format: tty, markdown or json.")
    var format: String = "tty"

    @Flag(help: "Write the proposed order to the file (atomically).")
    var write = false

    @Flag(help: "Build both orders on Docker, compare the final images, and replay a few commits on the builder.")
    var verify = false

    @Option(help: "Docker Engine socket for --verify (unix:///path or a path; default DOCKER_HOST or /var/run/docker.sock).")
    var host: String?

    @Option(help: "Commits replayed on the builder by --verify (default 3; 0 to only compare the images).")
    var verifyCommits: Int = 3

    @Flag(help: "No colour in terminal output (also NO_COLOR).")
    var noColor = false

    func run() throws {
        var o = OptimizeOptions()
        o.dockerfile = file
        o.context = context
        if git != nil && last != nil { throw CommandError("--git and --last cannot be combined") }
        o.git = git
        if let last {
            guard last > 0 else { throw CommandError("--last: expected a positive number of commits") }
            o.last = last
        }
        try o.applyCommandLine(builder: builder, buildArgs: buildArg, cost: cost)
        o.target = target
        o.costsFile = costs
        guard minSaving >= 0 else { throw CommandError("--min-saving: expected seconds ≥ 0") }
        o.minimumSaving = minSaving
        guard minSavingPercent >= 0, minSavingPercent <= 100 else { throw CommandError("--min-saving-percent: expected a percentage from 0 to 100") }
        o.minimumSavingShare = minSavingPercent / 100
        guard let f = OptimizeOptions.Format(rawValue: format) else { throw CommandError("--format: expected tty, markdown or json") }
        o.format = f
        o.write = write
        o.verify = verify
        o.verifyOptions.endpoint = host
        guard verifyCommits >= 0 else { throw CommandError("--verify-commits: expected a number ≥ 0") }
        o.verifyOptions.replayCommits = verifyCommits
        o.noColor = noColor
        try finish(try OptimizeRunner(options: o).run())
    }
}
