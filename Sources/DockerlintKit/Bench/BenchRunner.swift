// `dockerlint bench`: builds a Dockerfile cold and then through a sequence of changes on a real
// builder, measures every step, counts the layer bytes each build adds, and sets the
// predictor's step-by-step forecast beside the measurements.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import DockerlintBuilders
import DockerlintCache
import struct DockerlintModel.DockerfileModel
import DockerlintSupport
import Foundation

/// What the progress display is told.
public enum BenchProgress: Sendable {
    /// A build starts: run r of R, build k of n.
    case buildStarted(run: Int, runs: Int, build: Int, builds: Int, scenario: String)
    /// The builder started a step (its own text, e.g. `[2/3] RUN pip install flask`).
    case step(String)
    case buildFinished(seconds: Double)
    /// Cleaning up a run's images and containers.
    case cleaning
}

public final class BenchRunner: @unchecked Sendable {
    public let configuration: BenchConfiguration
    public let builder: any ImageBuilder
    public let predictor: any BenchPredictor
    /// Receives progress events (on the calling thread, or the engine's stream callback).
    public var progress: (@Sendable (BenchProgress) -> Void)?

    public init(configuration: BenchConfiguration, builder: any ImageBuilder, predictor: any BenchPredictor = SimulatorPredictor()) {
        self.configuration = configuration
        self.builder = builder
        self.predictor = predictor
    }

    /// One build of the sequence before it runs.
    struct Planned {
        var scenario: String
        var noCache: Bool
        /// Makes the scratch context (fresh directory or an edit of the current one).
        var prepare: (_ run: Int, _ runID: String, _ current: URL?) throws -> (URL, String, Bool)
        var buildArgs: [String: String]
        var target: String?
    }

    var dockerfilePath: String { absolute(configuration.dockerfile) }
    var contextPath: String { absolute(configuration.context) }

    func absolute(_ p: String) -> String {
        let u = p.hasPrefix("/") ? URL(fileURLWithPath: p) : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(p)
        return u.standardized.path
    }

    /// The engine the builder talks to (nil for podman/buildah).
    var engineClient: EngineClient? {
        if let e = builder as? DockerEngineBuilder { return e.client }
        if let b = builder as? BuildxBuilder { return b.client }
        return nil
    }

    /// Validates the inputs before anything is built (usage errors, exit 2).
    public func validate() throws {
        if configuration.ciCache != .local {
            guard builder is BuildxBuilder else {
                throw CommandError("--ci-cache \(configuration.ciCache.rawValue) needs BuildKit through buildx on an engine with the containerd image store (scripts/setup-builders --docker26; --builder buildkit)")
            }
            if configuration.ciCache == .registryMin || configuration.ciCache == .registryMax,
               let client = engineClient, (try? client.usesContainerdStore()) != true {
                throw CommandError("--ci-cache \(configuration.ciCache.rawValue): the engine at \(client.endpoint) does not keep images in containerd, and BuildKit's docker driver exports registry caches only there (scripts/setup-builders --docker26)", status: .environment)
            }
            guard configuration.pruneBuildCache else {
                throw CommandError("--ci-cache \(configuration.ciCache.rawValue) removes the engine's whole build cache before every build (a fresh runner); add --prune-build-cache to confirm, on an engine nobody else builds on")
            }
        }
        if configuration.push && engineClient == nil {
            throw CommandError("--push needs a Docker engine (the image is pushed through the Engine API)")
        }
        guard FileIO.isDirectory(contextPath) else { throw CommandError("\(configuration.context): context is not a directory") }
        if configuration.planBuilds.isEmpty {
            guard FileIO.exists(dockerfilePath) else { throw CommandError("\(configuration.dockerfile): no such file") }
        }
        guard configuration.runs >= 1 else { throw CommandError("--runs must be at least 1") }
        guard configuration.timeout > 0 else { throw CommandError("--timeout must be positive") }
    }

    /// Copies `source` into a new scratch directory with the Dockerfile in it; returns the
    /// directory and the Dockerfile's path inside it.
    func scratchCopy(source: String, dockerfile: String, run: Int, label: String) throws -> (URL, String) {
        let dir = try BenchScratch.makeDirectory(root: scratchRoot.path, prefix: "r\(run)-\(label)")
        let ctx = source.hasSuffix("/") ? source : source + "/"
        if dockerfile.hasPrefix(ctx) {
            let rel = String(dockerfile.dropFirst(ctx.count))
            try BenchScratch.copyContext(from: source, to: dir, dockerfile: rel)
            return (dir, rel)
        }
        // A Dockerfile outside the context: copied in under a fixed name and ignored, like the
        // docker CLI does.
        let rel = BenchScratch.outsideDockerfileName
        try BenchScratch.copyContext(from: source, to: dir, dockerfile: rel)
        try BenchScratch.copyFile(dockerfile, dir.path + "/" + rel, mode: 0o644)
        let ignorePath = dir.path + "/.dockerignore"
        var ignore = (try? FileIO.read(ignorePath)) ?? []
        if let l = ignore.last, l != 0x0A { ignore.append(0x0A) }
        ignore += Array("/\(rel)\n".utf8)
        try BenchScratch.writeFile(ignorePath, ignore, mode: 0o644)
        return (dir, rel)
    }

    private var scratchRootStorage: URL?
    var scratchRoot: URL {
        if let r = scratchRootStorage { return r }
        let r = (try? BenchScratch.makeDirectory(root: configuration.scratchRoot, prefix: BenchLeftovers.scratchPrefix))
            ?? URL(fileURLWithPath: NSTemporaryDirectory())
        scratchRootStorage = r
        BenchCleanup.shared.addScratch(r)
        return r
    }

    /// The build sequence: cold first, then every scenario in order.
    func sequence() throws -> [Planned] {
        let cfg = configuration
        var out: [Planned] = []
        let df = dockerfilePath, ctx = contextPath
        if !cfg.planBuilds.isEmpty {
            for (i, b) in cfg.planBuilds.enumerated() {
                let bctx = absolute(b.context)
                let bdf = b.dockerfile.map { $0.hasPrefix("/") ? $0 : bctx + "/" + $0 } ?? bctx + "/Dockerfile"
                out.append(Planned(scenario: i == 0 ? "cold (\(b.name ?? "plan build 1"))" : (b.name ?? "plan build \(i + 1)"),
                                   noCache: i == 0, prepare: { run, _, _ in
                    let (u, rel) = try self.scratchCopy(source: bctx, dockerfile: URL(fileURLWithPath: bdf).standardized.path, run: run, label: "plan\(i + 1)")
                    return (u, rel, true)
                }, buildArgs: cfg.buildArgs.merging(b.buildArgs) { _, n in n }, target: b.target ?? cfg.target))
            }
        } else if let range = cfg.gitRange {
            let prefix = try BenchScratch.gitPrefix(of: ctx)
            var commits = try BenchScratch.gitCommits(repository: ctx, range: range)
            let base = BenchScratch.gitRangeBase(repository: ctx, range: range) ?? commits.removeFirst()
            let ctxSlash = ctx.hasSuffix("/") ? ctx : ctx + "/"
            guard df.hasPrefix(ctxSlash) else {
                throw CommandError("--git: the Dockerfile must be inside the context (it is read from each commit)")
            }
            let relDF = String(df.dropFirst(ctxSlash.count))
            for (i, c) in ([base] + commits).enumerated() {
                out.append(Planned(scenario: i == 0 ? "cold (commit \(c.prefix(12)))" : "commit \(c.prefix(12))", noCache: i == 0,
                                   prepare: { run, _, _ in
                    let raw = try BenchScratch.makeDirectory(root: self.scratchRoot.path, prefix: "r\(run)-git")
                    defer { BenchScratch.remove(raw) }
                    try BenchScratch.gitExport(repository: ctx, commit: c, prefix: prefix, into: raw)
                    guard FileIO.exists(raw.path + "/" + relDF) else {
                        throw CommandError("--git: commit \(c.prefix(12)) has no \(relDF)")
                    }
                    let (u, rel) = try self.scratchCopy(source: raw.path, dockerfile: raw.path + "/" + relDF, run: run, label: "commit")
                    return (u, rel, true)
                }, buildArgs: cfg.buildArgs, target: cfg.target))
            }
        } else {
            out.append(Planned(scenario: "cold", noCache: true, prepare: { run, _, _ in
                let (u, rel) = try self.scratchCopy(source: ctx, dockerfile: df, run: run, label: "ctx")
                return (u, rel, false)
            }, buildArgs: cfg.buildArgs, target: cfg.target))
        }
        for (n, path) in cfg.edits.enumerated() {
            out.append(Planned(scenario: "edit \(path)", noCache: false, prepare: { _, runID, current in
                guard let current else { throw CommandError("--edit: no context to edit") }
                try BenchScratch.edit(path, in: current, nonce: "\(runID) #\(n + 1)")
                return (current, "", false)
            }, buildArgs: cfg.buildArgs, target: cfg.target))
        }
        return out
    }

    /// Runs everything; always removes what it made. Builder/transport failures throw
    /// `CommandError` with status 3.
    public func run() throws -> BenchReport {
        try validate()
        let seq = try sequence()
        var builds: [BenchBuild] = []
        // What benches killed before they could clean up left: images and scratch directories
        // of runs whose process is gone.
        leftovers = try? BenchLeftovers.sweep(builder: builder, scratchBase: configuration.scratchRoot ?? BenchLeftovers.defaultScratchBase, all: false)
        defer { BenchScratch.remove(scratchRoot); BenchCleanup.shared.removeScratch(scratchRoot) }
        engine = try detectEngine()
        if configuration.push || (configuration.ciCache != .local && configuration.ciCache != .none) {
            registry = try BenchRegistry.resolve(configuration.registry)
        }
        defer { registry?.stop() }
        for run in 1...configuration.runs {
            let runID = Self.makeRunID(run: run)
            BenchCleanup.shared.register(builder: builder, runID: runID)
            do {
                builds += try runOnce(seq, run: run, runID: runID)
            } catch {
                progress?(.cleaning)
                _ = try? builder.cleanup(runID: runID)
                BenchCleanup.shared.unregister(runID: runID)
                throw Self.commandError(error)
            }
            progress?(.cleaning)
            do { try builder.cleanup(runID: runID) } catch { throw Self.commandError(error) }
            BenchCleanup.shared.unregister(runID: runID)
        }
        return BenchReport(builder: builder.kind, builderSummary: builder.summary, predictor: predictor.name,
                           dockerfile: configuration.dockerfile, context: configuration.context,
                           runs: configuration.runs, builds: builds, engine: engine, ciCache: configuration.ciCache,
                           registry: registry?.address)
    }

    /// Filled by `run`.
    var engine: BenchEngine?
    /// The leftovers of dead benches `run` removed first.
    public var leftovers: (BenchLeftovers.Found, CleanupReport)?
    var registry: BenchRegistry?

    /// The engine's `/version`, and the release the simulator models for it (`--engine` wins).
    func detectEngine() throws -> BenchEngine? {
        guard let client = engineClient else { return nil }
        let v: EngineVersion
        do { v = try client.version() } catch { throw Self.commandError(error) }
        let nearest = EngineRelease.nearest(toEngineVersion: v.version) ?? (.docker20_10, false)
        if let r = configuration.release { return BenchEngine(version: v.version, apiVersion: v.apiVersion, release: r, exact: true) }
        return BenchEngine(version: v.version, apiVersion: v.apiVersion, release: nearest.release, exact: nearest.exact)
    }

    /// The predictor with the engine release and cache of this bench.
    var configuredPredictor: any BenchPredictor {
        guard var p = predictor as? SimulatorPredictor else { return predictor }
        p.release = engine?.release ?? configuration.release ?? p.release
        p.ciCache = configuration.ciCache
        return p
    }

    /// The repository of this run in the registry (`127.0.0.1:5000/dockerlint-bench/<run id>`).
    func repository(runID: String) -> String? {
        registry.map { "\($0.address)/dockerlint-bench/\(runID.lowercased())" }
    }

    /// Cache import/export of build `index` (0 = cold) for the CI cache of this bench.
    func cacheOptions(index: Int, runID: String) -> BuildCacheOptions {
        guard let repo = repository(runID: runID) else { return BuildCacheOptions() }
        let cacheRef = "type=registry,ref=\(repo):cache"
        switch configuration.ciCache {
        case .local, .none: return BuildCacheOptions()
        case .inline:
            return BuildCacheOptions(cacheFrom: index == 0 ? [] : ["type=registry,ref=\(repo):ci"], cacheTo: ["type=inline"], push: true)
        case .registryMin:
            return BuildCacheOptions(cacheFrom: index == 0 ? [] : [cacheRef], cacheTo: [cacheRef + ",mode=min"])
        case .registryMax:
            return BuildCacheOptions(cacheFrom: index == 0 ? [] : [cacheRef], cacheTo: [cacheRef + ",mode=max"])
        }
    }

    /// The builder `name` asks for (`auto`: BuildKit, classic, podman, buildah, the first that
    /// answers). None reachable: a one-line `CommandError` listing what was tried, status 3.
    /// A set `DOCKER_HOST` is the only engine endpoint tried, as with the docker CLI.
    public static func connect(builder name: String, buildx: Bool = false,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any ImageBuilder {
        let kinds: [BuilderKind]
        if name == "auto" { kinds = [.buildkit, .classic, .podman, .buildah] } else {
            guard let k = BuilderKind(rawValue: name) else {
                throw CommandError("--builder must be buildkit, classic, podman, buildah or auto, not \(name)")
            }
            kinds = [k]
        }
        let named = environment["DOCKER_HOST"].flatMap { $0.isEmpty ? nil : $0 }
        let endpoints = named == nil ? EngineEndpoint.candidates(environment) : [EngineEndpoint.fromEnvironment(environment)]
        if let h = named, (try? EngineEndpoint(parsing: h)) == nil {
            throw CommandError("DOCKER_HOST=\(h): not a unix:// or tcp:// address", status: .environment)
        }
        var tried = kinds
        if let h = named, name == "auto" {
            // A daemon the user named is the one measured: when it cannot be reached, auto
            // detection does not fall back to another engine (its numbers would be another's).
            tried = [.buildkit, .classic]
            do { return try Builders.connect(tried, endpoints: endpoints, buildx: buildx) } catch {
                throw CommandError("DOCKER_HOST=\(h): the Docker daemon it names cannot be reached (\(Self.firstReason(error))); "
                    + "start it, or unset DOCKER_HOST to let --builder auto choose", status: .environment)
            }
        }
        do { return try Builders.connect(tried, endpoints: endpoints, buildx: buildx) } catch {
            let one = error.description.split(whereSeparator: \.isNewline).joined(separator: " ")
            throw CommandError(one, status: .environment)
        }
    }

    /// The first reason of a connection failure, on one line.
    static func firstReason(_ error: BuilderError) -> String {
        if case .noBuilderReachable(let tried) = error, let first = tried.first { return OneLine.clip(first.reason, limit: 160) }
        return OneLine.clip(error.description, limit: 160)
    }

    static func commandError(_ error: Error) -> Error {
        if let e = error as? CommandError { return e }
        if let e = error as? BuilderError {
            switch e {
            case .invalidArgument(let m): return CommandError(m, status: .usage)
            default: return CommandError(e.description, status: .environment)
            }
        }
        return CommandError("\(error)", status: .environment)
    }

    /// `dlb-<host>-<pid>-<start>-<random>-r<run>`: unique per run, so cleanup never touches
    /// another bench, and a later bench can tell when its bench is gone (`BenchLeftovers`).
    static func makeRunID(run: Int) -> String { BenchLeftovers.runID(run: run) }

    func runOnce(_ seq: [Planned], run: Int, runID: String) throws -> [BenchBuild] {
        let session = configuredPredictor.session(builder: builder.kind)
        var seenLayers = Set<String>()
        var out: [BenchBuild] = []
        var current: URL?
        var currentDockerfile = ""
        for (i, p) in seq.enumerated() {
            progress?(.buildStarted(run: run, runs: configuration.runs, build: i + 1, builds: seq.count, scenario: p.scenario))
            let (dir, rel, fresh) = try p.prepare(run, runID, current)
            if fresh || current == nil {
                if let old = current, old != dir { BenchScratch.remove(old) }
                current = dir
                currentDockerfile = rel
            }
            let dockerfileRel = rel.isEmpty ? currentDockerfile : rel
            var request = BuildRequest(runID: runID, noCache: p.noCache, buildArgs: p.buildArgs, target: p.target,
                                       dockerfile: dockerfileRel, timeout: configuration.timeout)
            if configuration.ciCache != .local, let client = engineClient {
                // A fresh runner: no build cache, no image of this run; base images stay.
                do {
                    try builder.cleanup(runID: runID)
                    try client.pruneBuildCache()
                } catch { throw Self.commandError(error) }
                request.cache = cacheOptions(index: i, runID: runID)
                if configuration.ciCache == .inline, let repo = repository(runID: runID) { request.tag = repo + ":ci" }
            }
            var result: BuildResult
            do {
                result = try build(context: dir, request: request)
            } catch BuilderError.timeout(let s, _) {
                result = BuildResult(builder: builder.kind, wallSeconds: s, steps: [], imageID: nil,
                                     error: "timed out after \(Int(s))s (--timeout)", exitCode: nil, log: [])
            }
            progress?(.buildFinished(seconds: result.wallSeconds))
            let text = String(decoding: (try? FileIO.read(dir.path + "/" + dockerfileRel)) ?? [], as: UTF8.self)
            let model = BenchStepMap.model(text: text, buildArgs: p.buildArgs, target: p.target)
            // A cold build that fails for want of its base image: nothing of the sequence can
            // run, and the builder's message (a truncated registry error) does not say why.
            if i == 0, !result.succeeded,
               let missing = BenchStepMap.baseImages(model, target: p.target).first(where: { hasImage($0) == false }) {
                let how = builder is CLIImageBuilder ? "run scripts/setup-builders --podman (it fills dockerlint's private store)"
                                                     : "run scripts/setup-builders, or pull it (docker pull \(missing))"
                throw CommandError("base image \(missing) is not on this machine (\(builder.summary)) and could not be pulled: \(how)",
                                   status: .environment)
            }
            let planned = BenchStepMap.plannedSteps(model, builder: builder.kind, target: p.target)
            var steps: [BenchStep] = result.steps.map { s in
                let m = BenchStepMap.match(s, in: planned, builder: builder.kind)
                return BenchStep(line: m?.line, instruction: m?.instruction ?? s.instruction,
                                 stage: m?.stage ?? (s.stage ?? "stage-0"), status: s.status, seconds: s.seconds,
                                 stageIndex: m?.stageIndex, keyword: m?.keyword ?? s.keyword,
                                 builderInstruction: s.instruction, error: s.error, predicted: nil)
            }
            // Prediction for the same build, joined on (stage, line).
            var unmatched: [PredictedStep] = []
            let input = BenchBuildInput(context: dir, dockerfile: dockerfileRel, buildArgs: p.buildArgs, target: p.target,
                                        noCache: p.noCache, scenario: p.scenario)
            if let predicted = try? session.predict(input) {
                var used = Set<Int>()
                for (k, s) in steps.enumerated() {
                    if let j = predicted.indices.first(where: { !used.contains($0) && predicted[$0].line == s.line && predicted[$0].stage == s.stage }) {
                        steps[k].predicted = predicted[j]
                        used.insert(j)
                    }
                }
                if result.succeeded {
                    unmatched = predicted.indices.filter { !used.contains($0) }.map { predicted[$0] }
                    // BuildKit makes one vertex of every FROM of the same image and reports it
                    // under one of the stages: the others have nothing to match.
                    if builder.kind == .buildkit, steps.contains(where: { $0.keyword == "FROM" }) {
                        unmatched.removeAll { $0.keyword == "FROM" }
                    }
                }
            }
            var b = BenchBuild(index: i + 1, run: run, runID: runID, scenario: p.scenario, builder: builder.kind,
                               wallSeconds: result.wallSeconds, steps: steps, imageID: result.imageID,
                               imageBytes: nil, newLayerBytes: nil, newLayers: nil, error: result.error,
                               unmatchedPredictions: unmatched, model: model)
            var layers: [(digest: String, size: Int)]? = nil
            if let id = result.imageID, let ls = try? layerSizes(imageID: id) {
                layers = ls
                b.imageBytes = ls.reduce(0) { $0 + $1.size }
                let new = ls.filter { !seenLayers.contains($0.digest) }
                // The same layer twice in one image uploads once.
                var once = Set<String>()
                b.newLayerBytes = new.filter { once.insert($0.digest).inserted }.reduce(0) { $0 + $1.size }
                b.newLayers = once.count
                seenLayers.formUnion(ls.map(\.digest))
            }
            if configuration.push, let id = result.imageID, let repo = repository(runID: runID), let client = engineClient {
                let tag = "b\(i + 1)"
                do {
                    try client.tag(image: id, repository: repo, tag: tag)
                    let pushed = try client.push(repository: repo, tag: tag, timeout: configuration.timeout)
                    b.push = BenchPush.make(pushed, first: i == 0,
                                            finalSteps: Self.finalImageSteps(model, target: p.target, steps: b.steps))
                } catch { throw Self.commandError(error) }
            }
            _ = layers
            out.append(b)
        }
        if let c = current { BenchScratch.remove(c) }
        return out
    }

    /// The steps of the final image (the target stage and the stages it is built FROM), in
    /// Dockerfile order, with their predicted status (a step without a prediction counts as run).
    static func finalImageSteps(_ model: DockerfileModel, target: String?, steps: [BenchStep])
        -> [(keyword: String, status: DockerlintBuilders.StepStatus)] {
        guard case .success(let t) = model.targetStage(target) else { return [] }
        var chain = [t]
        while case .stage(let p) = model.stages[chain[0]].base, !chain.contains(p) { chain.insert(p, at: 0) }
        var out: [(keyword: String, status: DockerlintBuilders.StepStatus)] = []
        for si in chain {
            for m in model.stages[si].instructions {
                let kw = m.syntax.keyword.uppercased()
                let st = steps.first { $0.stageIndex == si && $0.line == m.syntax.startLine }
                out.append((kw, st?.predicted?.status ?? .miss))
            }
        }
        return out
    }

    /// One build as the bench times it, and what it costs besides: what `dockerlint-bench lab`
    /// compares with a plain `docker build` to measure the driver's overhead. `seconds` is the
    /// bench's own build time (`BuildResult.wallSeconds`: the build request from its start to the
    /// end of the stream that carries the final image ID, the same span a `docker build`
    /// measures); `callSeconds` is the whole `build` call (context walk and result assembly
    /// included); `accountingSeconds` is the layer accounting that `runOnce` does after the
    /// timed section (image inspect + history), reported apart because no `docker build` does it.
    public func timedBuild(context: URL, request: BuildRequest)
        throws -> (seconds: Double, callSeconds: Double, accountingSeconds: Double, result: BuildResult) {
        let start = monotonicSeconds()
        let result = try build(context: context, request: request)
        let afterBuild = monotonicSeconds()
        if let id = result.imageID { _ = try? layerSizes(imageID: id) }
        return (result.wallSeconds, afterBuild - start, monotonicSeconds() - afterBuild, result)
    }

    /// Builds, streaming step names to the progress display when the builder is the engine.
    func build(context: URL, request: BuildRequest) throws -> BuildResult {
        guard let engine = builder as? DockerEngineBuilder, let progress else {
            return try builder.build(context: context, request: request)
        }
        var trace = BuildKitTraceAccumulator()
        var lastName = ""
        return try engine.client.build(context: context, mode: engine.mode, request: request) { line in
            guard let obj = EngineProgressLine.decode(line.utf8) else { return }
            if let s = obj.stream, s.hasPrefix("Step ") {
                progress(.step(s.trimmingCharacters(in: .whitespacesAndNewlines)))
            } else if let aux = obj.trace, let st = try? TraceStatus.decode(base64: aux) {
                trace.add(st)
                if let v = st.vertexes.last(where: { $0.started != nil && $0.completed == nil && $0.name.hasPrefix("[") && !$0.name.hasPrefix("[internal]") }),
                   v.name != lastName {
                    lastName = v.name
                    progress(.step(v.name))
                }
            }
        }
    }

    /// Whether the builder's image store holds `reference`; nil when it cannot be asked.
    func hasImage(_ reference: String) -> Bool? {
        if let engine = builder as? DockerEngineBuilder {
            do {
                _ = try engine.client.inspectImage(reference)
                return true
            } catch BuilderError.http(404, _) {
                return false
            } catch {
                return nil
            }
        }
        if let cli = builder as? CLIImageBuilder { return try? cli.hasImage(reference) }
        return nil
    }

    /// (diff ID, uncompressed size) of each layer of an image, oldest first. Engine only: the
    /// diff IDs come from `RootFS.Layers`, sizes from `/history`, whose layer-making entries are
    /// matched to diff IDs from the newest end (metadata entries have no layer).
    /// buildah/podman: `CLIImageBuilder.layerSizes` (podman inspect + history of the same store).
    func layerSizes(imageID: String) throws -> [(digest: String, size: Int)] {
        if let cli = builder as? CLIImageBuilder { return try cli.layerSizes(imageID: imageID) }
        guard let engine = builder as? DockerEngineBuilder else {
            throw BuilderError.invalidArgument("layer sizes need the Docker Engine or podman")
        }
        let details = try engine.client.inspectImage(imageID)
        let history = try engine.client.imageHistory(imageID).reversed()
        let layerEntries = history.filter { Self.makesLayer(createdBy: $0.createdBy, size: $0.size) }
        let layers = details.layers
        var sizes = [Int](repeating: 0, count: layers.count)
        for k in 0..<min(layers.count, layerEntries.count) {
            sizes[layers.count - 1 - k] = layerEntries[layerEntries.count - 1 - k].size
        }
        return zip(layers, sizes).map { ($0, $1) }
    }

    /// Whether a history entry carries a layer: anything with bytes, RUN/COPY/ADD/WORKDIR
    /// (BuildKit `# buildkit` entries, classic `#(nop) COPY/ADD`), not metadata.
    static func makesLayer(createdBy: String, size: Int) -> Bool {
        if size > 0 { return true }
        let c = createdBy.trimmingCharacters(in: .whitespaces)
        if c.contains("#(nop)") { return c.contains("#(nop) COPY") || c.contains("#(nop) ADD") }
        let meta = ["CMD ", "ENV ", "LABEL ", "EXPOSE ", "ENTRYPOINT ", "ARG ", "USER ", "VOLUME ", "STOPSIGNAL ",
                    "HEALTHCHECK ", "SHELL ", "ONBUILD ", "MAINTAINER "]
        if meta.contains(where: { c.hasPrefix($0) }) { return false }
        if c.hasPrefix("WORKDIR ") { return c.hasSuffix("# buildkit") }
        return true
    }
}

/// What the signal handlers clean: every run in flight and every scratch directory.
public final class BenchCleanup: @unchecked Sendable {
    public static let shared = BenchCleanup()
    private let lock = NSLock()
    private var runs: [(builder: any ImageBuilder, runID: String)] = []
    private var scratch: [URL] = []

    private var finalizers: [@Sendable () -> Void] = []
    /// Runs at cleanup (and on a signal): stopping a registry the bench started.
    func addFinalizer(_ f: @escaping @Sendable () -> Void) { lock.lock(); finalizers.append(f); lock.unlock() }

    func register(builder: any ImageBuilder, runID: String) { lock.lock(); runs.append((builder, runID)); lock.unlock() }
    func unregister(runID: String) { lock.lock(); runs.removeAll { $0.runID == runID }; lock.unlock() }
    func addScratch(_ u: URL) { lock.lock(); scratch.append(u); lock.unlock() }
    func removeScratch(_ u: URL) { lock.lock(); scratch.removeAll { $0 == u }; lock.unlock() }

    /// Removes every registered run's images/containers and scratch directories.
    public func cleanAll(forget: Bool = true) {
        lock.lock()
        let r = runs, s = scratch
        if forget { runs.removeAll(); scratch.removeAll() }
        lock.unlock()
        for (b, id) in r { _ = try? b.cleanup(runID: id) }
        for u in s { BenchScratch.remove(u) }
        lock.lock()
        let f = forget ? finalizers : []
        if forget { finalizers.removeAll() }
        lock.unlock()
        for fn in f { fn() }
    }

    private var sources: [DispatchSourceSignal] = []

    /// SIGINT/SIGTERM/SIGHUP: clean up, then exit with 128+signal. `onSignal` runs first (e.g.
    /// to end the progress line).
    public func installSignalHandlers(onSignal: (@Sendable (Int32) -> Void)? = nil) {
        let queue = DispatchQueue(label: "dockerlint.bench.signals")
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let src = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            src.setEventHandler { [self] in
                onSignal?(sig)
                cleanAll(forget: false)
                // A build still streaming can commit one more image after the first pass.
                Thread.sleep(forTimeInterval: 0.5)
                cleanAll()
                exit(128 + sig)
            }
            src.resume()
            sources.append(src)
        }
    }
}
