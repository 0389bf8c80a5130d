import ArgumentParser
import DockerlintKit
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a Dockerfile on a real builder, cold and then after each change, and compare every step with the cache prediction.",
        discussion: """
        The first build runs without cache; then each scenario in order: --git commits, --plan builds, --edit files. \
        The context is never written to: builds use scratch copies with .dockerignore applied. Every image and \
        container made carries the label dev.dockerlint.bench=<run id> and is removed at the end, on failure and on \
        Ctrl-C/SIGTERM. Exit codes: 0 done, 1 a build failed or a step disagreed with --fail-on-disagreement, \
        2 usage, 3 no builder reachable or a builder failed.
        """)

    @Argument(help: "The Dockerfile (with --plan: optional, the plan names its own).")
    var file: String?

    @Option(help: "The build context directory (default: the context a GitHub workflow, bake or compose file of the project builds the Dockerfile with, else the Dockerfile's directory).")
    var context: String?

    @Option(parsing: .upToNextOption, help: "Files (context-relative) to change, one build after each, in order.")
    var edit: [String] = []

    @Option(help: "A git revision range in the context's repository (A..B): each commit's tree is built in turn; A is the cold build.")
    var git: String?

    @Option(help: "A plan file (the simulator's format: builds: with context, dockerfile, build-args, target).")
    var plan: String?

    @Option(name: .customLong("build-arg"), help: "KEY=VALUE, repeatable.")
    var buildArg: [String] = []

    @Option(help: "The stage to build.")
    var target: String?

    @Option(help: "Repeat the whole sequence N times, each with a fresh cache (medians and spread).")
    var runs: Int = 1

    @Option(help: "buildkit, classic, podman, buildah or auto (the first one reachable, in that order).")
    var builder: String = "auto"

    @Option(help: "Seconds per build before it is cancelled.")
    var timeout: Double = 900

    @Option(name: [.short, .long], help: "tty, json or markdown.")
    var format: String = "tty"

    @Option(name: [.short, .long], help: "Write the report to this file instead of standard output.")
    var output: String?

    @Option(name: .customLong("save-costs"), help: "Write measured step times here, in the costs format `simulate --costs` reads.")
    var saveCosts: String?

    @Option(name: .customLong("ci-cache"), help: "local (default: one engine keeps its cache), none, inline, registry-min or registry-max: build every commit on a fresh runner (the engine's build cache pruned, see --prune-build-cache) that imports only what the previous build exported to the registry. BuildKit through buildx.")
    var ciCache: String = "local"

    @Flag(name: .customLong("prune-build-cache"), help: "Allow --ci-cache to remove the engine's whole build cache before every build. Use an engine nobody else builds on.")
    var pruneBuildCache = false

    @Flag(help: "Push every build to the registry and report the layers uploaded, already there and mounted, and the bytes sent, beside the predicted new layers. --push=HOST:PORT names the registry.")
    var push = false

    @Option(help: "HOST:PORT of the registry for --push and --ci-cache (default: 127.0.0.1:5000 when it answers, else a docker-registry started for the run).")
    var registry: String?

    @Option(help: "The engine release to model: docker-20.10 or docker-26 (default: detected from the engine's /version).")
    var engine: String?

    @Flag(help: "Exit 1 when any step disagrees with the prediction.")
    var failOnDisagreement = false

    @Flag(help: "No progress display.")
    var quiet = false

    @Flag(help: "No colour.")
    var noColor = false

    @Flag(help: "Remove what earlier benches left (images and containers labelled dev.dockerlint.bench, scratch directories), except those of benches still running on this host, then exit. A bench removes the leftovers of dead benches by itself when it starts.")
    var cleanup = false

    /// `bench --push=HOST:PORT` is `bench --push --registry HOST:PORT`.
    static func expandPushRegistry(_ args: [String]) -> [String] {
        guard args.first == "bench" else { return args }
        return args.flatMap { a -> [String] in
            a.hasPrefix("--push=") ? ["--push", "--registry", String(a.dropFirst("--push=".count))] : [a]
        }
    }

    func run() throws {
        if cleanup { return try removeLeftovers() }
        guard let fmt = BenchFormat(rawValue: format) else {
            throw CommandError("--format must be tty, json or markdown, not \(format)")
        }
        var args: [String: String] = [:]
        for a in buildArg {
            guard let eq = a.firstIndex(of: "=") else { throw CommandError("--build-arg \(a): expected KEY=VALUE") }
            args[String(a[..<eq])] = String(a[a.index(after: eq)...])
        }
        let planBuilds = try plan.map { try BenchPlan.load($0) } ?? []
        guard let dockerfile = file ?? (planBuilds.isEmpty ? nil : "Dockerfile") else {
            throw CommandError("missing the Dockerfile argument")
        }
        let ctx = ContextDiscovery.choose(dockerfile: dockerfile, explicit: context, configured: nil).path
        if git != nil && plan != nil { throw CommandError("--git and --plan cannot be combined") }
        var config = BenchConfiguration(dockerfile: dockerfile, context: ctx, edits: edit, gitRange: git,
                                        planBuilds: planBuilds, buildArgs: args, target: target, runs: runs,
                                        timeout: timeout)
        config.pruneBuildCache = pruneBuildCache
        config.push = push
        config.registry = registry
        let builderName = try config.applyCommandLine(ciCache: ciCache, engine: engine, builder: builder)
        let chosen = try BenchRunner.connect(builder: builderName, buildx: config.usesBuildx)
        let tty = isatty(2) == 1 && !quiet
        if builder == "auto" { Console.err("dockerlint bench: using \(chosen.summary)\n") }
        let display = ProgressDisplay(enabled: tty)
        BenchCleanup.shared.installSignalHandlers { sig in
            display.stop()
            Console.err("\ndockerlint bench: signal \(sig): removing images and containers of this bench\n")
            Console.flush()
        }
        let runner = BenchRunner(configuration: config, builder: chosen)
        if tty { runner.progress = { display.handle($0) } }
        let report: BenchReport
        do { report = try runner.run() } catch {
            display.stop()
            throw error
        }
        display.stop()
        if let left = runner.leftovers, !left.0.runIDs.isEmpty || !left.0.directories.isEmpty {
            let (found, removed) = left
            Console.err("dockerlint bench: removed what \(found.runIDs.count) dead bench run\(found.runIDs.count == 1 ? "" : "s") left "
                + "(\(removed.removedImages.count) images, \(removed.removedContainers.count) containers, \(found.directories.count) scratch directories)\n")
        }
        let text = BenchOutput.render(report, format: fmt, color: fmt == .tty && output == nil && isatty(1) == 1 && !noColor
                                       && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
        if let output { try FileIO.writeAtomically(output, Array(text.utf8)) } else { Console.out(text) }
        if let saveCosts { try FileIO.writeAtomically(saveCosts, Array(BenchOutput.costs(report).utf8)) }
        let failed = report.builds.contains { $0.error != nil }
        if failed || (failOnDisagreement && !report.disagreements.isEmpty) { throw ExitCode(ExitStatus.findings.rawValue) }
    }
}

extension Bench {
    /// `bench --cleanup`: every reachable builder (the one named by --builder, else all of
    /// them) and the scratch directory base.
    func removeLeftovers() throws {
        for l in try BenchLeftovers.removeAll(builder: builder) { Console.err("dockerlint bench --cleanup: \(l)\n") }
    }
}

/// One status line on stderr, redrawn every 0.2 s: run, build, step, elapsed.
final class ProgressDisplay: @unchecked Sendable {
    let enabled: Bool
    private let lock = NSLock()
    private var label = ""
    private var step = ""
    private var started = Date()
    private var timer: DispatchSourceTimer?
    private var lastWidth = 0

    init(enabled: Bool) {
        self.enabled = enabled
        guard enabled else { return }
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "dockerlint.bench.progress"))
        t.schedule(deadline: .now(), repeating: 0.2)
        t.setEventHandler { [weak self] in self?.draw() }
        t.resume()
        timer = t
    }

    func handle(_ e: BenchProgress) {
        lock.lock()
        switch e {
        case .buildStarted(let r, let rs, let b, let bs, let s):
            label = (rs > 1 ? "run \(r)/\(rs) " : "") + "build \(b)/\(bs) \(s)"
            step = ""
            started = Date()
        case .step(let s): step = s
        case .buildFinished: step = "done"
        case .cleaning: label = "removing this run's images"; step = ""; started = Date()
        }
        lock.unlock()
    }

    private func draw() {
        lock.lock()
        var line = "\(label)  \(String(format: "%.1fs", Date().timeIntervalSince(started)))  \(step)"
        let width = 110
        if line.count > width { line = String(line.prefix(width - 1)) + "…" }
        let pad = max(0, lastWidth - line.count)
        lastWidth = line.count
        lock.unlock()
        FileHandle.standardError.write(Data(("\r" + line + String(repeating: " ", count: pad)).utf8))
    }

    func stop() {
        guard enabled else { return }
        lock.lock()
        let t = timer
        timer = nil
        let w = lastWidth
        lock.unlock()
        guard let t else { return }
        t.cancel()
        FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: w) + "\r").utf8))
    }
}
