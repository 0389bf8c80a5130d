// `--verify`: the proposal built on a real builder beside the current file, and the two final
// images compared (files and image config); a proposal whose build fails or whose image
// differs is withdrawn with the first difference shown.

import DockerlintBuilders
import DockerlintCache
import DockerlintSupport
import Foundation

public struct VerifyOptions: Sendable {
    /// The Docker Engine socket.
    public var endpoint: String?
    /// Commits replayed on the builder after the image comparison (measured vs predicted).
    public var replayCommits: Int = 3
    public var timeout: Double = 900
    public init() {}
}

public struct VerificationResult: Sendable {
    public var builder: String
    /// True when the proposal is withdrawn (build failed or images differ).
    public var withdrawn: Bool
    /// The first difference, or why a build failed.
    public var difference: String?
    public var filesCompared: Int
    /// Measured vs predicted rebuild seconds over the replayed commits, per order.
    public var replay: [ReplayMeasurement]
    /// Why verification could not run (no builder, context not buildable).
    public var unavailable: String?
    /// The bench run ids whose images and containers were made (and removed).
    public var runIDs: [String] = []
}

public struct ReplayMeasurement: Sendable {
    public var variant: String
    public var commits: Int
    public var measuredSeconds: Double
    public var predictedSeconds: Double
    public var measuredReruns: Int
    public var predictedReruns: Int
}

public struct OptimizeVerifier: Sendable {
    public var options: VerifyOptions
    public var engine: BuilderKind

    public init(options: VerifyOptions, engine: BuilderKind) {
        self.options = options
        self.engine = engine
    }

    /// Builds both orders, compares the images, then replays a few commits of the history.
    public func verify(_ result: OptimizeResult, target: String?, buildArgs: [String: String],
                       costs: CostModel = .standard) throws(CommandError) -> OptimizeResult {
        var r = result
        guard result.changed else { return r }
        r.verification = try verify(original: result.original, proposed: result.proposed, dockerfile: result.dockerfile,
                                    context: result.context, range: result.range, target: target, buildArgs: buildArgs, costs: costs)
        return r
    }

    /// Builds `original` and `proposed` (the Dockerfile at `dockerfile`, in `context`),
    /// compares the images, then builds the last commits of `range` with each (nil: no replay).
    public func verify(original: [UInt8], proposed: [UInt8], dockerfile: String, context: String, range: String?, target: String?,
                       buildArgs: [String: String], costs: CostModel = .standard) throws(CommandError) -> VerificationResult {
        var environment = ProcessInfo.processInfo.environment
        if let e = options.endpoint { environment["DOCKER_HOST"] = e.hasPrefix("/") ? "unix://" + e : e }
        let builder: any ImageBuilder
        do { builder = try BenchRunner.connect(builder: engine.rawValue, environment: environment) } catch {
            throw error as? CommandError ?? CommandError("\(error)", status: .environment)
        }
        let client: EngineClient
        if let e = builder as? DockerEngineBuilder { client = e.client } else if let b = builder as? BuildxBuilder { client = b.client } else {
            throw CommandError("--verify needs a Docker engine", status: .environment)
        }
        var v = VerificationResult(builder: builder.summary, withdrawn: false, difference: nil, filesCompared: 0, replay: [], unavailable: nil)
        let runID = BenchRunner.makeRunID(run: 1)
        v.runIDs.append(runID)
        BenchCleanup.shared.register(builder: builder, runID: runID)
        let absDockerfile = OptimizeVerifier.absolute(dockerfile), absContext = OptimizeVerifier.absolute(context)
        let bench = BenchRunner(configuration: BenchConfiguration(dockerfile: absDockerfile, context: absContext, timeout: options.timeout),
                                builder: builder)
        defer {
            _ = try? builder.cleanup(runID: runID)
            BenchCleanup.shared.unregister(runID: runID)
            BenchScratch.remove(bench.scratchRoot)
            BenchCleanup.shared.removeScratch(bench.scratchRoot)
        }
        do {
            var images: [String] = []
            for (label, text) in [("current", original), ("proposed", proposed)] {
                let (dir, rel) = try bench.scratchCopy(source: absContext, dockerfile: absDockerfile, run: 1, label: label)
                try BenchScratch.writeFile(dir.path + "/" + rel, text, mode: 0o644)
                let request = BuildRequest(runID: runID, buildArgs: buildArgs, target: target, dockerfile: rel, timeout: options.timeout)
                let built = try builder.build(context: dir, request: request)
                BenchScratch.remove(dir)
                guard built.succeeded, let id = built.imageID else {
                    let why = (built.error ?? "no image").split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
                    if label == "current" {
                        v.unavailable = "the current Dockerfile does not build here: \(why)"
                        return v
                    }
                    v.withdrawn = true
                    v.difference = "the proposed Dockerfile does not build: \(why)"
                    return v
                }
                images.append(id)
            }
            let labels = [benchLabelKey: runID]
            let ca = try client.runConfig(image: images[0]), cb = try client.runConfig(image: images[1])
            if let d = ca.firstDifference(from: cb) {
                v.withdrawn = true
                v.difference = "the images differ: \(d)"
            } else {
                let fa = try client.filesystem(image: images[0], labels: labels)
                let fb = try client.filesystem(image: images[1], labels: labels)
                v.filesCompared = max(fa.count, fb.count)
                if let d = OptimizeVerifier.firstDifference(fa, fb) {
                    v.withdrawn = true
                    v.difference = "the images differ: \(d)"
                }
            }
            if !v.withdrawn && options.replayCommits > 0, let range {
                v.replay = try replay(original: original, proposed: proposed, context: context, range: range, bench: bench, builder: builder,
                                      target: target, buildArgs: buildArgs, costs: costs, runIDs: &v.runIDs)
            }
        } catch {
            throw BenchRunner.commandError(error) as? CommandError ?? CommandError("\(error)", status: .environment)
        }
        return v
    }

    /// `<base>..HEAD` over the last `n` commits of the repository holding `context` (nil
    /// outside git or for n = 0).
    public static func lastCommits(_ n: Int, context: String) -> String? {
        guard n > 0, let source = try? GitReplay.locate(dockerfile: context + "/.", contextDirectory: context, dockerfileInRepository: false) else { return nil }
        if let base = try? GitHistory.resolve(repository: source.repository, revision: "HEAD~\(n)") { return "\(base)..HEAD" }
        return "HEAD"
    }

    static func absolute(_ p: String) -> String {
        (p.hasPrefix("/") ? URL(fileURLWithPath: p) : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(p)).standardized.path
    }

    /// The first path where two filesystems differ (content, kind, mode, owner, link target).
    public static func firstDifference(_ a: [ImageFileEntry], _ b: [ImageFileEntry]) -> String? {
        let ma = Dictionary(a.map { ($0.path, $0) }, uniquingKeysWith: { _, l in l })
        let mb = Dictionary(b.map { ($0.path, $0) }, uniquingKeysWith: { _, l in l })
        for path in Set(ma.keys).union(mb.keys).sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            guard let x = ma[path] else { return "\(path) exists only in the proposed image" }
            guard let y = mb[path] else { return "\(path) exists only in the current image" }
            if x.kind != y.kind { return "\(path) is a \(x.kind.rawValue) in the current image and a \(y.kind.rawValue) in the proposed one" }
            if x.digest != y.digest { return "\(path) has different content (\(x.size) vs \(y.size) bytes)" }
            if x.mode != y.mode { return "\(path) has mode \(String(x.mode, radix: 8)) vs \(String(y.mode, radix: 8))" }
            if x.uid != y.uid || x.gid != y.gid { return "\(path) is owned by \(x.uid):\(x.gid) vs \(y.uid):\(y.gid)" }
            if x.linkTarget != y.linkTarget { return "\(path) links to \(x.linkTarget ?? "") vs \(y.linkTarget ?? "")" }
        }
        return nil
    }

    /// The last `replayCommits` commits of the range built with each order (the commit before
    /// them first, cold), measured beside the simulator's prediction of the same sequence.
    func replay(original: [UInt8], proposed: [UInt8], context: String, range: String, bench: BenchRunner, builder: any ImageBuilder,
                target: String?, buildArgs: [String: String], costs: CostModel, runIDs: inout [String]) throws -> [ReplayMeasurement] {
        let ctx = OptimizeVerifier.absolute(context)
        var commits = try BenchScratch.gitCommits(repository: ctx, range: range)
        if let base = BenchScratch.gitRangeBase(repository: ctx, range: range) { commits.insert(base, at: 0) }
        let picked = Array(commits.suffix(options.replayCommits + 1))
        guard picked.count >= 2 else { return [] }
        let prefix = try BenchScratch.gitPrefix(of: ctx)
        let root = try BenchScratch.makeDirectory(root: bench.scratchRoot.path, prefix: "replay")
        defer { BenchScratch.remove(root) }
        var trees: [String] = []
        for (i, c) in picked.enumerated() {
            let dir = root.appendingPathComponent("c\(i)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try BenchScratch.gitExport(repository: ctx, commit: c, prefix: prefix, into: dir)
            trees.append(dir.path)
        }
        var plan: [BenchPlanBuild] = []
        let variants: [(String, [UInt8])] = [("current", original), ("proposed", proposed)]
        for (name, text) in variants {
            let df = root.path + "/\(name).Dockerfile"
            try BenchScratch.writeFile(df, text, mode: 0o644)
            for (i, t) in trees.enumerated() {
                plan.append(BenchPlanBuild(name: "\(name) \(picked[i].prefix(12))", context: t, dockerfile: df, buildArgs: buildArgs, target: target))
            }
        }
        let config = BenchConfiguration(dockerfile: root.path + "/current.Dockerfile", context: trees[0], planBuilds: plan,
                                        buildArgs: buildArgs, target: target, timeout: options.timeout)
        let report = try BenchRunner(configuration: config, builder: builder, predictor: SimulatorPredictor(costs: costs)).run()
        runIDs += Set(report.builds.map(\.runID)).sorted()
        var out: [ReplayMeasurement] = []
        for (k, (name, _)) in variants.enumerated() {
            // Each variant's first build fills the cache; the commits after it are counted.
            let builds = report.builds.filter { $0.scenario.hasPrefix(name + " ") || $0.scenario.contains("(\(name) ") }
            let counted = Array(builds.dropFirst())
            guard !counted.isEmpty else { continue }
            var m = ReplayMeasurement(variant: name, commits: counted.count, measuredSeconds: 0, predictedSeconds: 0, measuredReruns: 0,
                                      predictedReruns: 0)
            for b in counted {
                if let e = b.error { throw CommandError("--verify: the \(name) build of \(b.scenario) failed: \(e)", status: .environment) }
                for s in b.steps where (s.keyword ?? "") != "FROM" {
                    if s.status == .miss { m.measuredSeconds += s.seconds; m.measuredReruns += 1 }
                    if let p = s.predicted, p.status == .miss { m.predictedSeconds += p.seconds ?? 0; m.predictedReruns += 1 }
                }
            }
            _ = k
            out.append(m)
        }
        return out
    }

    static func tty(_ v: VerificationResult) -> String {
        if let u = v.unavailable { return "Verification: not run (\(u)).\n" }
        var out = v.withdrawn ? "Verification on \(v.builder): WITHDRAWN: \(v.difference ?? "")\n"
            : "Verification on \(v.builder): the same image (\(v.filesCompared) files and the image config compared).\n"
        for m in v.replay {
            out += "  \(m.variant): \(m.commits) commits replayed: measured \(NumberFormat.seconds(m.measuredSeconds)) "
                + "(\(m.measuredReruns) steps re-run), predicted \(NumberFormat.seconds(m.predictedSeconds)) (\(m.predictedReruns))\n"
        }
        return out
    }

    static func markdown(_ v: VerificationResult) -> String {
        if let u = v.unavailable { return "**Verification:** not run (\(u)).\n" }
        var out = v.withdrawn ? "**Verification on \(v.builder): withdrawn.** \(Markdown.cell(v.difference ?? ""))\n"
            : "**Verification on \(v.builder):** the same image (\(v.filesCompared) files and the image config compared).\n"
        if !v.replay.isEmpty {
            out += "\n| order | commits | measured | predicted | steps re-run (measured / predicted) |\n|---|---:|---:|---:|---:|\n"
            for m in v.replay {
                out += "| \(m.variant) | \(m.commits) | \(NumberFormat.seconds(m.measuredSeconds)) | \(NumberFormat.seconds(m.predictedSeconds)) | \(m.measuredReruns) / \(m.predictedReruns) |\n"
            }
        }
        return out
    }

    static func writeJSON(_ w: inout JSONWriter, _ v: VerificationResult) {
        w.beginObject()
        w.field("builder", v.builder)
        w.field("withdrawn", v.withdrawn)
        w.field("difference", v.difference)
        w.field("filesCompared", v.filesCompared)
        w.field("unavailable", v.unavailable)
        w.key("replay"); w.beginArray()
        for m in v.replay {
            w.beginObject()
            w.field("variant", m.variant)
            w.field("commits", m.commits)
            w.field("measuredSeconds", (m.measuredSeconds * 1000).rounded() / 1000)
            w.field("predictedSeconds", (m.predictedSeconds * 1000).rounded() / 1000)
            w.field("measuredReruns", m.measuredReruns)
            w.field("predictedReruns", m.predictedReruns)
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }
}
