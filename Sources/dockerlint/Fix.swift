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
            With --verify each file is built before and after its fixes on Docker and the fixes are written only \
            when the images are the same. Exit codes: 0 done, 2 usage/input error, 3 no builder for --verify.
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

    @Flag(help: "Build each file and its fixed version on Docker first; write the fixes only when the final images are the same (files and config), and replay a few commits on the builder.")
    var verify = false

    @Option(help: "Docker Engine socket for --verify (unix:///path or a path; default DOCKER_HOST or /var/run/docker.sock).")
    var host: String?

    @Option(help: "Commits replayed on the builder by --verify (default 3; 0 to only compare the images).")
    var verifyCommits: Int = 3

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
        if verify {
            guard verifyCommits >= 0 else { throw CommandError("--verify-commits: expected a number ≥ 0") }
            var v = VerifyOptions()
            v.endpoint = host
            v.replayCommits = verifyCommits
            o.verifyFixes = v
        }
        try finish(try LintRunner(options: o).run())
    }
}
