import ArgumentParser
import DockerlintKit

struct Fix: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply rule fixes to Dockerfiles (safe ones; --unsafe-fixes for all).",
        discussion: """
            Fixes of every rule that offers one are applied round after round until nothing changes \
            (at most --max-rounds); a fix whose edits collide with another waits for the next round, and a \
            round whose result does not parse is dropped. Files are written atomically; comments, line \
            endings and untouched lines stay as they are. With --diff the patch is printed instead. \
            Exit codes: 0 done, 2 usage/input error.
            """)

    @Argument(help: "Dockerfiles or directories.")
    var files: [String] = []

    @Flag(help: "Also apply unsafe fixes (reorders whose safety depends on what a RUN reads).")
    var unsafeFixes = false

    @Flag(help: "Print a unified diff instead of writing the files.")
    var diff = false

    @Option(name: [.short, .long], help: "Configuration file.")
    var config: String?

    @Option(help: "The build context directory (default: the context a GitHub workflow, bake or compose file of the project builds the Dockerfile with, else the Dockerfile's directory).")
    var context: String?

    @Option(help: "The builder whose cache the cache rules model: buildkit or classic.")
    var builder: String?

    @Option(help: "Ignore a rule (code or name): its fixes are not applied. Repeatable.")
    var ignore: [String] = []

    @Option(help: "At most this many rounds of fixes.")
    var maxRounds: Int = 10

    func run() throws {
        var o = LintOptions()
        o.paths = files
        o.configPath = config
        o.contextDirectory = context
        if let b = builder { o.set("--builder", value: b) }
        for name in ignore { o.set("--ignore", values: [name]) }
        o.fix = true
        o.unsafeFixes = unsafeFixes
        o.diff = diff
        o.fixOnly = true
        o.set("--history", value: "0")
        o.maxFixRounds = max(1, maxRounds)
        try finish(try LintRunner(options: o).run())
    }
}
