import ArgumentParser
import DockerlintCore
import DockerlintKit
import DockerlintSupport

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lint Dockerfiles (the default command).",
        discussion: "Exit codes: 0 clean, 1 findings at or above the failure threshold, 2 usage/input/configuration error, 3 environment error.")

    @Argument(help: "Dockerfiles, directories (searched for Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile), or - for standard input.")
    var files: [String] = []

    @Option(name: .customLong("path"), help: "The name to use for standard input in messages.")
    var stdinPath: String?

    @Option(name: [.short, .long], help: "Configuration file (default: .dockerlint.yaml, else .hadolint.yaml, in the working directory or next to the file and upward to the repository root).")
    var config: String?

    @Option(name: [.short, .long], help: "Output format: tty, json, sarif, checkstyle, codeclimate, gitlab, junit, gnu, github, markdown. Repeatable.")
    var format: [String] = []

    @Option(name: [.short, .long], help: "Write the matching --format (by position) to this file. Repeatable.")
    var output: [String] = []

    @Option(name: [.customShort("t"), .long], help: "Fail (exit 1) on findings at or above: error, warning, info, style, none.")
    var failureThreshold: String?

    @Flag(help: "Always exit 0 when linting succeeds, whatever is found.")
    var noFail = false

    @Flag(help: "No colour in terminal output (also NO_COLOR).")
    var noColor = false

    @Option(help: "Ignore a rule (code or name). Repeatable.")
    var ignore: [String] = []

    @Option(help: "Report a rule as an error. Repeatable.") var error: [String] = []
    @Option(help: "Report a rule as a warning. Repeatable.") var warning: [String] = []
    @Option(help: "Report a rule as info. Repeatable.") var info: [String] = []
    @Option(help: "Report a rule as style. Repeatable.") var style: [String] = []

    @Option(help: "A trusted registry for DL3026. Repeatable.")
    var trustedRegistry: [String] = []

    @Option(help: "A required label and its type (label:type). Repeatable.")
    var requireLabel: [String] = []

    @Flag(help: "Report labels not in the label schema.")
    var strictLabels = false

    @Flag(help: "Do not honour ignore pragmas.")
    var disableIgnorePragma = false

    @Option(help: "The build context directory (default: the Dockerfile's directory).")
    var context: String?

    @Option(help: "The builder whose cache the cache rules model: buildkit or classic.")
    var builder: String?

    @Flag(help: "Run shellcheck on shell-form RUN scripts (needs the shellcheck program).")
    var shellcheck = false

    @Option(help: "Commits of git history the cache rules (DC) replay as evidence (0: none; default 100 when the CI environment variable is set, else 0).")
    var history: Int?

    @Option(name: .customLong("min-saving"), help: "Seconds of estimated rebuild time per 100 commits (or 100 plausible edits) a cache finding's fix must save to be reported (default 60; config key min-saving).")
    var minSaving: Double?

    @Flag(help: "Apply safe fixes (iteratively, all rules), write the files atomically, then lint the result.")
    var fix = false

    @Flag(help: "With --fix or --diff: also apply unsafe fixes (reorders whose safety depends on what a RUN reads).")
    var unsafeFixes = false

    @Flag(help: "Print the fixes as a unified diff instead of writing them.")
    var diff = false

    func run() throws {
        var o = LintOptions()
        o.paths = files
        o.stdinPath = stdinPath
        o.configPath = config
        (o.formats, o.outputs) = Lint.pairFormatsAndOutputs(CommandLine.arguments, formats: format, outputs: output)
        if let t = failureThreshold {
            guard let s = ConfigurationLoader.parseSeverity(t, allowOff: true) else {
                throw CommandError("--failure-threshold: '\(t)' is not one of error, warning, info, style, none")
            }
            o.failureThreshold = s
        }
        if noFail { o.noFail = true }
        if noColor { o.noColor = true }
        o.ignore = ignore
        for (list, sev) in [(error, Severity.error), (warning, .warning), (info, .info), (style, .style)] {
            for code in list { o.severityOverrides[code] = sev }
        }
        o.trustedRegistries = trustedRegistry
        o.requireLabels = requireLabel
        if strictLabels { o.strictLabels = true }
        if disableIgnorePragma { o.disableIgnorePragma = true }
        o.contextDirectory = context
        if let b = builder {
            guard let v = BuilderKind.named(b) else { throw CommandError("--builder: \(BuilderKind.expected())") }
            o.builder = v
        }
        if shellcheck { o.shellcheck = true }
        o.history = history
        if let m = minSaving {
            guard m >= 0, m.isFinite else { throw CommandError("--min-saving: expected a number of seconds (0 or more), not '\(m)'") }
            o.minSaving = m
        }
        o.fix = fix || unsafeFixes
        o.unsafeFixes = unsafeFixes
        o.diff = diff
        try finish(try LintRunner(options: o).run())
    }

    /// Recovers the order of `-f` and `-o` from the command line (ArgumentParser keeps
    /// them in separate arrays) and pairs them as the fast path does.
    static func pairFormatsAndOutputs(_ argv: [String], formats: [String], outputs: [String]) -> ([String], [String]) {
        guard !outputs.isEmpty else { return (formats, []) }
        var events: [(format: String?, output: String?)] = []
        var i = 1
        while i < argv.count {
            let a = argv[i]
            if a == "--" { break }
            for (short, long, isFormat) in [("-f", "--format", true), ("-o", "--output", false)] {
                var v: String? = nil
                if a == short || a == long { i += 1; v = i < argv.count ? argv[i] : nil }
                else if a.hasPrefix(long + "=") { v = String(a.dropFirst(long.count + 1)) }
                else if a.hasPrefix(short), !a.hasPrefix("--"), a.count > 2 { v = String(a.dropFirst(2)) }
                if let v { events.append(isFormat ? (v, nil) : (nil, v)) }
            }
            i += 1
        }
        let (f, o) = FastLintArguments.pairFormatsAndOutputs(events)
        return f == formats || formats.isEmpty ? (f, o) : (formats, outputs)
    }
}
