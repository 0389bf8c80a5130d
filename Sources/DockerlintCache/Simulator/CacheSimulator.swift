// The cache simulator: keys every step the way the chosen builder does (op definition + parent
// key, content digests for content-based inputs) and calls a step a hit when its key was seen
// in an earlier build (the cache keeps every earlier build, so a revert hits again).
//
// BuildKit (CACHE-SEMANTICS §1, §2, §6): FROM, RUN, COPY/ADD and WORKDIR are vertices; ENV,
// ARG, USER, SHELL only change later RUN keys (ARGs with a value enter every later RUN's env);
// LABEL, CMD, EXPOSE, ... never miss; COPY sources, `COPY --from` and bind mounts are keyed by
// content, so a step after a re-run producer can hit; `COPY --link` copies off the chain; only
// stages the target needs are built.
// Classic (§1, §2, §6): every instruction after FROM is a step keyed by parent image + config;
// the first miss busts the rest of the stage; every stage up to the target is built.

import DockerlintModel
import DockerlintSupport
import DockerlintSyntax

struct Component: Equatable, Sendable {
    var name: String
    var value: String
    /// For `sources`/`bind:*`: the context paths the component hashes.
    var paths: [String] = []
}

struct StepRecord: Sendable {
    var parent: String
    var components: [Component]
    var key: String
}

struct TransferredFile: Sendable {
    var stamp: FileStamp
    var digest: String?
}

public struct CacheSimulator: Sendable {
    public let engine: BuilderKind
    public var costs: CostModel { didSet { stepLooks.removeAll(); downloadLooks.removeAll() } }
    public var options: SimulatorOptions
    /// Key -> index of the build that first produced it.
    var seen: [String: Int] = [:]
    /// Step identity -> its record in the latest build that had it.
    var records: [String: StepRecord] = [:]
    var transfers: [String: [String: TransferredFile]] = [:]
    var previousContext: ContextSnapshot?
    var previousIgnore: DockerIgnore = .empty
    var labels: [String] = []
    /// CI caches: the keys the previous build exported, and whether their layers came along.
    var exported: [String: Bool] = [:]
    /// CI caches: BuildKit's "fast" keys of `COPY --from` / `--mount from=` steps (built from the
    /// source stage's cache key instead of the copied files' checksum) → the exported key they
    /// lead to. A record keeps its fast keys while later builds re-export it, which is how a
    /// revert can skip a whole builder stage (docs/CACHE-SEMANTICS.md, "CI caches").
    var exportedFastKeys: [String: String] = [:]
    /// CI caches (`mode=max`): exported keys whose layers only came along because the previous
    /// export had them, the step being matched but never loaded (`StepCause.uncertainRestore`).
    var exportedLazily: Set<String> = []
    /// The context paths each COPY/ADD and each bind mount of the last build hashed (their
    /// sources as resolved in that build's model), in step order.
    public private(set) var contextSources: [[String]] = []
    /// `makeStep`'s one-line text and cost per step (emptied when `costs` changes).
    var stepLooks: [StepLook: (String, Double, Bool)] = [:]
    /// `costs.downloads` per command (emptied when `costs` changes): every build of a replay
    /// asks about the same commands, and the cost model splits each into words to answer.
    var downloadLooks: [String: (fetch: Set<DownloadEcosystem>, build: Set<DownloadEcosystem>)] = [:]
    /// Per step identity and key kind, the parts last hashed and their digest: a step whose
    /// inputs are those of the previous build (most steps of most commits) is not hashed again.
    var keyMemo: [KeySlot: (parts: [String], digest: String)] = [:]
    /// The step keys the simulators of one side-by-side replay hashed (the file and its fixes'
    /// variants share most steps): nil for a simulator of its own.
    public var sharedHashes: SharedStepHashes? = nil

    struct KeySlot: Hashable {
        var identity: String
        var kind: UInt8
    }

    /// Whether builds start on a fresh runner that imports only the previous build's export.
    var ciMode: Bool { engine == .buildkit && options.ciCache != .local }

    public init(engine: BuilderKind = .buildkit, costs: CostModel = .standard, options: SimulatorOptions = SimulatorOptions()) {
        self.engine = engine.cacheModel
        self.costs = costs
        self.options = options
    }

    /// How many builds the cache has seen.
    public var buildCount: Int { labels.count }

    /// Simulates the builds in order, the cache carrying across them.
    public mutating func simulate(builds: [BuildState]) -> [BuildPrediction] {
        var out: [BuildPrediction] = []
        out.reserveCapacity(builds.count)
        for var b in builds { out.append(simulate(&b)) }
        return out
    }

    /// Simulates one build after all earlier ones. `state` is inout only so that digests
    /// memoised in its context survive for the next (incrementally updated) build.
    public mutating func simulate(_ state: inout BuildState) -> BuildPrediction {
        var ctx = ContextSnapshot(origin: state.context.origin)
        swap(&ctx, &state.context)
        var run = BuildRun(index: labels.count, state: state)
        labels.append(state.label)
        contextSources.removeAll(keepingCapacity: true)

        // §8: files BuildKit would not re-send keep the content of the previous transfer.
        var pristine: ContextSnapshot? = nil
        if engine == .buildkit, let t = state.transfer {
            var newRecord: [String: TransferredFile] = [:]
            let old = options.staleTransfer ? transfers[t.session] : nil
            for (path, stamp) in t.stamps {
                guard let e = ctx.entries[path], e.kind == .file else { continue }
                var digest = e.contentDigest
                if let o = old?[path], o.stamp == stamp, o.digest != digest {
                    if pristine == nil { pristine = ctx }
                    var stale = e
                    stale.contentDigest = o.digest
                    ctx.setEntry(stale)
                    digest = o.digest
                    run.stale.insert(path)
                }
                newRecord[path] = TransferredFile(stamp: stamp, digest: digest)
            }
            transfers[t.session] = newRecord
        }

        var prediction = BuildPrediction(label: state.label, commit: state.commit, engine: engine,
                                         dockerfilePath: state.dockerfilePath, targetStage: nil, target: state.target,
                                         steps: [], errors: state.model.errors.map { "\($0.range.start.line):\($0.range.start.column): \(OneLine.clip($0.message))" },
                                         baseline: false, staleFiles: run.stale.sorted(by: utf8Less))
        let model = state.model
        let builtResult = engine == .buildkit ? model.reachableStages(target: state.target) : model.classicStages(target: state.target)
        switch (builtResult, model.targetStage(state.target)) {
        case (.failure(let e), _), (_, .failure(let e)):
            prediction.errors.append(e.message)
        case (.success(let built), .success(let target)):
            prediction.targetStage = target
            let builtSet = Set(built)
            let targetName = model.stages[target].displayName
            for stage in model.stages {
                if builtSet.contains(stage.index) {
                    processStage(stage, model: model, run: &run, ctx: &ctx)
                } else {
                    let after = engine == .classic && stage.index > target
                    let reason = after ? "stage after the target \(targetName): not built" : "stage not needed for target \(targetName)"
                    notBuilt(stage, reason: reason, cause: after ? .afterTarget : .notNeeded, run: &run)
                }
            }
        }
        if ciMode, run.index > 0, let target = prediction.targetStage { applyDemand(&run, target: target) }
        prediction.steps = run.steps
        prediction.ciCache = engine == .buildkit ? options.ciCache : .local
        prediction.release = options.release
        if ciMode, let target = prediction.targetStage { export(run, target: target) }
        for s in run.steps where s.status != .notBuilt && s.cause != .missingSource {
            if let k = s.key, seen[k] == nil { seen[k] = run.index }
        }
        for k in run.baseKeys where seen[k] == nil { seen[k] = run.index }
        for (id, r) in run.newRecords { records[id] = r }

        if state.changedPaths == nil { previousContext = ctx } else { previousContext = nil }
        previousIgnore = state.ignore
        state.context = pristine ?? ctx
        return prediction
    }

    // MARK: - Per build

    struct StageResult {
        var finalKey: String
        var contentKey: String
        var missed: Bool
        var shell: [String]
        /// Index in `BuildRun.steps` of the stage's last step (nil: only FROM).
        var lastStep: Int? = nil
        var fetched: Set<DownloadEcosystem> = []
    }

    /// What the CI-cache demand pass needs to know of one step (BuildKit).
    struct StepNode {
        var key: String
        /// `COPY --from` / `--mount from=`: the key through the source stage's cache key.
        var fastKey: String?
        /// The step whose result this one runs on.
        var parent: Int?
        /// Last steps of the stages whose files this step reads (content-based inputs).
        var sources: [Int] = []
        /// An identical step earlier in this build (built once).
        var dedupeOf: Int?
        var matchedFast = false
    }

    struct BuildRun {
        var index: Int
        var state: BuildState
        var steps: [StepPrediction] = []
        var stages: [Int: StageResult] = [:]
        var stale = Set<String>()
        var newRecords: [String: StepRecord] = [:]
        /// Keys produced in this build so far.
        var produced: Set<String> = []
        var changes: [String: String]? = nil
        var baseKeys: [String] = []
        /// CI caches: per step index, the inputs of the demand pass.
        var nodes: [Int: StepNode] = [:]
        /// CI caches: steps restored from the imported cache and loaded (their result was needed).
        var loaded: Set<Int> = []
        /// Key -> index of the step that produced it in this build.
        var producedAt: [String: Int] = [:]

        init(index: Int, state: BuildState) {
            self.index = index
            self.state = state
        }
    }

    /// What breaks the chain for the next step (nil while every step so far hit).
    struct Chain {
        var key: String
        var content: String
        var broken: (String, StepCause)?
        var shell: [String] = ["/bin/sh", "-c"]
        var missed = false
        /// Index in `BuildRun.steps` of the last step on this chain.
        var lastStep: Int? = nil
        /// Ecosystems whose dependencies a RUN on this chain downloaded into the image (a later
        /// build command does not download them again: `CostModel.downloadShare`).
        var fetched: Set<DownloadEcosystem> = []
    }

    func isSteppable(_ mi: ModelInstruction) -> Bool {
        guard let typed = mi.typed else { return false }
        if engine == .classic { return typed.kind != .from }
        switch typed.command {
        case .run, .copy, .add: return true
        case .workdir: return (mi.resolved?.workdir ?? "") != "/"
        default: return false
        }
    }

    mutating func notBuilt(_ stage: Stage, reason: String, cause: StepCause, run: inout BuildRun) {
        for (mi, identity) in namedSteps(stage) {
            run.steps.append(makeStep(mi, stage: stage, identity: identity, status: .notBuilt, reason: reason, cause: cause,
                                      key: nil, command: nil))
        }
    }

    /// The steps of `stage` in build order with their identities (`stage:KEYWORD#n`, the n-th
    /// step of that keyword in the stage; BuildKit's FROM first), as every build names them.
    func namedSteps(_ stage: Stage) -> [(ModelInstruction, String)] {
        var out: [(ModelInstruction, String)] = []
        var counts: [String: Int] = [:]
        let name = stage.name ?? String(stage.index)
        if engine == .buildkit { out.append((stage.from, "\(name):FROM")) }
        for mi in stage.onbuildTriggers + stage.instructions where isSteppable(mi) {
            let kw = mi.syntax.kind.keyword
            counts[kw, default: 0] += 1
            out.append((mi, "\(name):\(kw)#\(counts[kw]!)"))
        }
        return out
    }

    /// The identities of `today`'s steps → the identities of the same steps in `other`, another
    /// version of the file (an older commit's): identities are ordinals (`stage:RUN#n`), which
    /// an inserted or removed step shifts, so the steps are aligned as `git diff` would align
    /// them. Per stage (matched by name, else by position when no stage of today's file bears
    /// the other's name), the steps' normalised texts are
    /// aligned by a longest common subsequence; a step left between two aligned neighbours (an
    /// edited one) takes the step of the same keyword between the same neighbours in `other`
    /// that shares the most words with it. A step with no counterpart (it did not exist then)
    /// has no entry.
    public func alignedIdentities(from today: DockerfileModel, to other: DockerfileModel) -> [String: String] {
        var out: [String: String] = [:]
        let words = CacheSimulator.alignmentWords
        let todayNames = Set(today.stages.compactMap(\.name))
        for stage in today.stages {
            // By position only a stage that no stage of today's file names (a stage added above
            // shifts the others: they still match by name, the new one matches none).
            let match = stage.name.flatMap { n in other.stages.first { $0.name == n } }
                ?? (stage.index < other.stages.count && !todayNames.contains(other.stages[stage.index].name ?? "\u{0}")
                    ? other.stages[stage.index] : nil)
            guard let theirs = match else { continue }
            let a = namedSteps(stage), b = namedSteps(theirs)
            let ta = a.map { CacheSimulator.alignmentText($0.0) }, tb = b.map { CacheSimulator.alignmentText($0.0) }
            // LCS table over the exact normalised texts.
            let n = a.count, m = b.count
            var l = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
            for i in stride(from: n - 1, through: 0, by: -1) {
                for j in stride(from: m - 1, through: 0, by: -1) {
                    l[i][j] = ta[i] == tb[j] ? l[i + 1][j + 1] + 1 : max(l[i + 1][j], l[i][j + 1])
                }
            }
            var pairs: [(Int, Int)] = []
            var i = 0, j = 0
            while i < n && j < m {
                if ta[i] == tb[j] { pairs.append((i, j)); i += 1; j += 1 } else if l[i + 1][j] >= l[i][j + 1] { i += 1 } else { j += 1 }
            }
            // The gaps between aligned neighbours: edited steps pair with steps of the same
            // keyword in the same gap, in order, the pairing that shares the most words.
            var prev = (-1, -1)
            for next in pairs + [(n, m)] {
                let xs = Array((prev.0 + 1)..<next.0), ys = Array((prev.1 + 1)..<next.1)
                if !xs.isEmpty && !ys.isEmpty {
                    func score(_ x: Int, _ y: Int) -> Double? {
                        guard a[x].0.syntax.kind == b[y].0.syntax.kind else { return nil }
                        let wx = Set(words(a[x].0)), wy = Set(words(b[y].0))
                        return 1 + Double(wx.intersection(wy).count) / Double(max(1, wx.union(wy).count))
                    }
                    // best[p][q]: the best total pairing xs[p...] with ys[q...].
                    var best = Array(repeating: Array(repeating: 0.0, count: ys.count + 1), count: xs.count + 1)
                    for p in stride(from: xs.count - 1, through: 0, by: -1) {
                        for q in stride(from: ys.count - 1, through: 0, by: -1) {
                            best[p][q] = max(best[p + 1][q], best[p][q + 1], score(xs[p], ys[q]).map { $0 + best[p + 1][q + 1] } ?? -1)
                        }
                    }
                    var p = 0, q = 0
                    while p < xs.count && q < ys.count {
                        if let sc = score(xs[p], ys[q]), best[p][q] == sc + best[p + 1][q + 1] {
                            out[a[xs[p]].1] = b[ys[q]].1; p += 1; q += 1
                        } else if best[p][q] == best[p + 1][q] { p += 1 } else { q += 1 }
                    }
                }
                if next.0 < n { out[a[next.0].1] = b[next.1].1 }
                prev = next
            }
        }
        return out
    }

    /// The words of a step's full instruction text (line continuations dropped), what
    /// `alignedIdentities` compares steps by.
    static func alignmentWords(_ mi: ModelInstruction) -> [Substring] {
        mi.syntax.original.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" || $0 == "\\" })
    }

    /// A step's full instruction text, whitespace and line continuations normalised: two steps
    /// `alignedIdentities` pairs as unchanged have the same.
    static func alignmentText(_ mi: ModelInstruction) -> String { alignmentWords(mi).joined(separator: " ") }

    /// Identity → (stage name or index, `alignmentText`) of every step of `model`.
    func stepTexts(_ model: DockerfileModel) -> [String: (stage: String, text: String)] {
        var out: [String: (stage: String, text: String)] = [:]
        for stage in model.stages {
            for (mi, identity) in namedSteps(stage) { out[identity] = (stage.name ?? String(stage.index), CacheSimulator.alignmentText(mi)) }
        }
        return out
    }

    /// Line → identity of the steps `simulate` would predict for `model` (the first step of
    /// each line), without simulating a build: empty when the build fails before its first
    /// step (an unknown target, a stage cycle).
    public func stepIdentities(_ model: DockerfileModel, target: String? = nil) -> [Int: String] {
        let built = engine == .buildkit ? model.reachableStages(target: target) : model.classicStages(target: target)
        guard case .success = built, case .success = model.targetStage(target) else { return [:] }
        var out: [Int: String] = [:]
        for stage in model.stages {
            for (mi, identity) in namedSteps(stage) where out[mi.syntax.startLine] == nil { out[mi.syntax.startLine] = identity }
        }
        return out
    }

    /// What `makeStep` derives from a step's text alone, memoised: the same steps recur in
    /// every build of a replay.
    struct StepLook: Hashable {
        var identity: String
        var line: Int
        var stage: Int
        var original: String
        var command: String?
        var kept: Set<DownloadEcosystem> = []
    }

    mutating func makeStep(_ mi: ModelInstruction, stage: Stage, identity: String, status: StepStatus, reason: String,
                           cause: StepCause, key: String?, command: String?, kept: Set<DownloadEcosystem> = []) -> StepPrediction {
        let kw = mi.syntax.kind.keyword
        let look = StepLook(identity: identity, line: mi.syntax.startLine, stage: stage.index, original: mi.syntax.original, command: command,
                            kept: kept)
        let text: String, cost: Double, measured: Bool
        if let m = stepLooks[look] {
            (text, cost, measured) = m
        } else {
            let engine = engine, costs = costs
            func make() -> (String, Double, Bool) {
                let text = CacheSimulator.shortText(mi.syntax)
                let isMeta = engine == .classic && !["RUN", "COPY", "ADD", "WORKDIR"].contains(kw)
                let (cost, measured) = costs.seconds(identity: identity, line: mi.syntax.startLine, instruction: kw, stage: stage.index,
                                                     text: text, command: command, classicMetadata: isMeta, kept: kept)
                return (text, cost, measured)
            }
            let m = sharedHashes?.looks.value(look, make) ?? make()
            (text, cost, measured) = m
            if stepLooks.count > 4096 { stepLooks.removeAll() }
            stepLooks[look] = m
        }
        return StepPrediction(line: mi.syntax.startLine, instruction: kw, stage: stage.index, stageName: stage.name,
                              status: status, reason: reason, cause: cause, key: key, identity: identity, text: text,
                              costSeconds: cost, measured: measured)
    }

    /// The instruction on one line, whitespace collapsed, at most 72 characters.
    public static func shortText(_ inst: Instruction) -> String {
        var s = ""
        var lastSpace = false
        var appended = 0
        for ch in inst.original {
            if ch == " " || ch == "\t" || ch == "\n" || ch == "\r" {
                if !lastSpace && !s.isEmpty { s.append(" "); appended += 1 }
                lastSpace = true
            } else {
                s.append(ch)
                appended += 1
                lastSpace = false
                // 73 characters ending in a non-space: the rest only adds to a text cut to
                // its first 69 (a RUN may run to hundreds of lines). `appended` bounds the
                // count from above (appending never splits a character), so the count is
                // taken once.
                if appended >= 73 && s.count >= 73 { break }
            }
        }
        while s.hasSuffix(" ") { s.removeLast() }
        if s.count > 72 { s = String(s.prefix(69)) + "..." }
        return s
    }

    static func hash(_ parts: [String]) -> String { "sha256:" + SHA256Hex.of(parts: parts) }

    /// `hash(parts)`, remembered per step identity and kind of key (`keyMemo`).
    mutating func stepHash(_ identity: String, _ kind: UInt8, _ parts: [String]) -> String {
        let slot = KeySlot(identity: identity, kind: kind)
        if let m = keyMemo[slot], m.parts == parts { return m.digest }
        let digest: String
        if let shared = sharedHashes {
            if let d = shared.digest(slot, parts) {
                digest = d
            } else {
                digest = CacheSimulator.hash(parts)
                shared.record(slot, parts, digest)
            }
        } else {
            digest = CacheSimulator.hash(parts)
        }
        if keyMemo.count > 4096 { keyMemo.removeAll() }
        keyMemo[slot] = (parts, digest)
        return digest
    }

    mutating func processStage(_ stage: Stage, model: DockerfileModel, run: inout BuildRun, ctx: inout ContextSnapshot) {
        let name = stage.name ?? String(stage.index)
        var chain: Chain
        // FROM
        switch stage.base {
        case .image(let ref):
            let k = CacheSimulator.hash(["image", ref, stage.platform ?? ""])
            chain = Chain(key: k, content: CacheSimulator.hash(["image-content", ref, stage.platform ?? ""]))
            run.baseKeys.append(k)
            if seen[k] == nil && run.index > 0 {
                chain.broken = ("base image changed (\(stage.fromCommand?.image.value ?? ref))", .baseChanged)
            }
        case .scratch:
            let k = CacheSimulator.hash(["scratch", stage.platform ?? ""])
            chain = Chain(key: k, content: k)
        case .stage(let j):
            let parent = run.stages[j] ?? StageResult(finalKey: CacheSimulator.hash(["missing-stage", String(j)]),
                                                      contentKey: "", missed: true, shell: ["/bin/sh", "-c"])
            chain = Chain(key: parent.finalKey, content: parent.contentKey, shell: parent.shell)
            chain.lastStep = parent.lastStep
            chain.fetched = parent.fetched
            if parent.missed || (seen[parent.finalKey] == nil && run.index > 0) {
                chain.broken = ("base stage \(model.stages[j].displayName) was rebuilt", .baseChanged)
            }
        }
        if engine == .buildkit {
            let status: StepStatus
            var reason: String
            var cause: StepCause
            if run.index == 0 {
                status = .miss; reason = "first build: the cache is empty"; cause = .coldCache
            } else if let b = chain.broken {
                status = .miss; reason = b.0; cause = b.1
            } else if seen[chain.key] == nil {
                status = .miss; reason = "not in the cache"; cause = .notCached
            } else {
                status = .hit; reason = "unchanged"; cause = .unchanged
            }
            if case .stage = stage.base, status == .miss, run.index == 0 {
                reason = "first build: the cache is empty"
            }
            var step = makeStep(stage.from, stage: stage, identity: "\(name):FROM", status: status, reason: reason, cause: cause,
                                key: chain.key, command: nil)
            step.inputKey = chain.key
            run.steps.append(step)
            if status == .miss {
                chain.missed = true
                if chain.broken == nil { chain.broken = ("parent step re-ran (line \(step.line) FROM)", .parentRebuilt) }
            }
        }
        // Instructions
        // The steps after FROM, named as every build names them.
        let named = namedSteps(stage).dropFirst(engine == .buildkit ? 1 : 0)
        var next = named.startIndex
        for mi in stage.onbuildTriggers + stage.instructions {
            guard let typed = mi.typed else { continue }
            if case .shell(let sh) = typed.command { chain.shell = sh.shell }
            guard isSteppable(mi) else { continue }
            let identity = named[next].1
            next += 1
            processStep(mi, typed: typed, stage: stage, model: model, identity: identity, chain: &chain, run: &run, ctx: &ctx)
        }
        run.stages[stage.index] = StageResult(finalKey: chain.key, contentKey: chain.content, missed: chain.missed, shell: chain.shell,
                                              lastStep: chain.lastStep, fetched: chain.fetched)
    }

    // MARK: - One step

    struct StepDefinition {
        var components: [Component] = []
        var contentComponents: [String] = []
        /// BuildKit `COPY --link`: the copy is keyed off the chain.
        var linked = false
        var missing: [String] = []
        var command: String?
        /// Stages whose content this step reads.
        var fromStages: [Int] = []
        /// `from:` / `bind-from:` components as BuildKit's fast key has them: the source stage's
        /// cache key instead of its content (name → value).
        var fastValues: [String: String] = [:]
    }

    mutating func processStep(_ mi: ModelInstruction, typed: TypedInstruction, stage: Stage, model: DockerfileModel,
                              identity: String, chain: inout Chain, run: inout BuildRun, ctx: inout ContextSnapshot) {
        let def = define(mi, typed: typed, stage: stage, model: model, chain: chain, run: run, ctx: &ctx)
        let flat = def.components.flatMap { [$0.name, $0.value] }
        let kw = mi.syntax.kind.keyword
        let stepKey: String
        let chainKey: String
        if def.linked {
            stepKey = stepHash(identity, 0, ["copy-link"] + flat)
            chainKey = stepHash(identity, 1, ["merge", chain.key, stepKey])
        } else {
            stepKey = stepHash(identity, 0, [kw, chain.key] + flat)
            chainKey = stepKey
        }
        let contentKey = stepHash(identity, 2, [kw + "-out", chain.content] + def.contentComponents)
        var fastKey: String? = nil
        if !def.fastValues.isEmpty && !def.linked {
            fastKey = stepHash(identity, 3, [kw + "-fast", chain.key] + def.components.flatMap { [$0.name, def.fastValues[$0.name] ?? $0.value] })
        }
        let index = run.steps.count

        var status: StepStatus
        var reason: String
        var cause: StepCause
        let known = seen[stepKey]
        let producedHere = run.produced.contains(stepKey)
        if ciMode {
            var node = StepNode(key: stepKey, fastKey: fastKey, parent: chain.lastStep,
                                sources: def.fromStages.compactMap { run.stages[$0]?.lastStep })
            node.matchedFast = fastKey.map { exportedFastKeys[$0] != nil } ?? false
            if producedHere { node.dedupeOf = run.producedAt[stepKey] }
            run.nodes[index] = node
        }
        if ciMode && def.missing.isEmpty && !producedHere && run.index > 0 {
            // A fresh runner: only what the previous build exported can be matched; whether a
            // matched step is restored, skipped or re-run is settled by `applyDemand`.
            if exported[stepKey] != nil || run.nodes[index]?.matchedFast == true {
                status = .hit; reason = "in the imported cache"; cause = .importedCache
            } else if let k = known, chain.broken == nil || def.linked {
                status = .miss
                let label = k < labels.count ? labels[k] : "#\(k + 1)"
                reason = "not in what the previous build exported (a local cache would still have it, from \(label))"
                cause = .notImported
            } else if let b = chain.broken, !def.linked {
                status = .miss; reason = b.0; cause = b.1
            } else {
                status = .miss
                (reason, cause) = options.explains ? missReason(mi, def: def, identity: identity, parent: chain.key, run: &run, ctx: &ctx)
                    : ("", .notCached)
            }
        } else if engine == .classic, let b = chain.broken, chain.missed {
            status = .miss; reason = b.0; cause = b.1
        } else if !def.missing.isEmpty {
            status = .miss
            reason = "source not found in the context: \(def.missing.joined(separator: ", ")) (the build fails here)"
            cause = .missingSource
        } else if producedHere {
            status = .hit; reason = "identical to a step earlier in this build (built once)"; cause = .deduplicated
        } else if known != nil {
            status = .hit
            (reason, cause) = options.explains ? hitReason(mi, def: def, stepKey: stepKey, known: known!, identity: identity, chain: chain,
                                                           run: run) : ("", .unchanged)
        } else if run.index == 0 {
            status = .miss; reason = "first build: the cache is empty"; cause = .coldCache
        } else if let b = chain.broken, !def.linked {
            status = .miss; reason = b.0; cause = b.1
        } else {
            status = .miss
            (reason, cause) = options.explains ? missReason(mi, def: def, identity: identity, parent: chain.key, run: &run, ctx: &ctx)
                : ("", .notCached)
        }
        if status != .miss || def.missing.isEmpty {
            run.produced.insert(stepKey)
            if run.producedAt[stepKey] == nil { run.producedAt[stepKey] = index }
        }
        // Dependencies already downloaded above, or kept by a cache mount of the step (a local
        // cache only: a fresh CI runner starts with empty cache mounts).
        var mounted = Set<DownloadEcosystem>()
        let sized = !costs.dependencies.isEmpty
        if sized, !ciMode, def.command != nil {
            for m in mi.resolved?.mounts ?? [] where m.type == .cache {
                if let e = m.target.flatMap(CostModel.downloadCache) { mounted.insert(e) }
            }
        }
        var step = makeStep(mi, stage: stage, identity: identity, status: status, reason: reason, cause: cause,
                            key: stepKey, command: def.command, kept: chain.fetched.union(mounted))
        if sized, let c = def.command {
            // What lands in a cache mount is not in the image.
            let d: (fetch: Set<DownloadEcosystem>, build: Set<DownloadEcosystem>)
            if let known = downloadLooks[c] { d = known } else {
                d = costs.downloads(c)
                if downloadLooks.count > 4096 { downloadLooks.removeAll() }
                downloadLooks[c] = d
            }
            chain.fetched.formUnion(d.fetch.union(d.build).subtracting(mounted))
        }
        if options.explains { step.inputKey = stepHash(identity, 4, ["input", kw, def.linked ? "link" : ""] + flat) }
        run.steps.append(step)
        run.newRecords[identity] = StepRecord(parent: chain.key, components: def.components, key: stepKey)
        chain.content = contentKey
        chain.key = chainKey
        chain.lastStep = index
        let wasMissed = chain.missed
        if status == .miss {
            chain.missed = true
            if engine == .classic {
                if !wasMissed {
                    chain.broken = ("an earlier step of this stage missed (line \(step.line) \(kw)): the classic builder stops using the cache",
                                    .cacheBusted)
                }
            } else {
                chain.broken = ("parent step re-ran (line \(step.line) \(kw))", .parentRebuilt)
            }
        } else if engine == .buildkit {
            if def.linked && chain.broken != nil {
                // The copy was reused, but merging it onto the re-run parent is new.
                chain.missed = true
                chain.broken = ("parent step re-ran (line \(step.line) COPY --link merge)", .parentRebuilt)
            } else {
                chain.broken = nil
            }
        }
    }

    func envComponents(_ mi: ModelInstruction, stage: Stage) -> [Component] {
        var out: [Component] = []
        for v in mi.scope {
            guard let value = v.value else { continue }
            switch v.origin {
            case .env, .defaultPath: out.append(Component(name: "env:" + v.name, value: value))
            case .stageArg, .globalArg, .builtin:
                if engine == .classic && (v.origin != .stageArg || v.stageIndex != stage.index) { continue }
                if engine == .buildkit && v.origin != .stageArg { continue }
                out.append(Component(name: "arg:" + v.name, value: value))
            }
        }
        if engine == .classic {
            out = out.filter { $0.name.hasPrefix("arg:") }.sorted { utf8Less($0.name, $1.name) }
        }
        return out
    }

    static func references(_ text: String, _ name: String) -> Bool {
        text.containsBytes("$" + name) || text.containsBytes("${" + name)
    }

    mutating func sourceDigest(_ sources: [String], ctx: inout ContextSnapshot, ignore: DockerIgnore) -> (String, [String]) {
        let opts = SourceHashOptions(engine: engine, directoryMetadata: engine == .buildkit && options.directoryMetadata, ignore: ignore)
        do {
            switch try ctx.sourceDigest(sources, options: opts) {
            case .digest(let d): return (d, [])
            case .missing(let m): return ("missing:" + m.joined(separator: ","), m)
            }
        } catch {
            return ("error:\(error)", sources)
        }
    }

    mutating func define(_ mi: ModelInstruction, typed: TypedInstruction, stage: Stage, model: DockerfileModel, chain: Chain,
                         run: BuildRun, ctx: inout ContextSnapshot) -> StepDefinition {
        var d = StepDefinition()
        let r = mi.resolved
        switch typed.command {
        case .run(let cmd):
            let line = cmd.commandLine
            let command = line.arguments.joined(separator: " ")
            d.command = command
            d.components.append(Component(name: "command", value: line.arguments.joined(separator: "\u{1}")
                + line.files.map { "\u{2}\($0.name)\u{3}\($0.data)\($0.chomp)\($0.expand)" }.joined()))
            if line.prependShell { d.components.append(Component(name: "shell", value: chain.shell.joined(separator: "\u{1}"))) }
            let env = envComponents(mi, stage: stage)
            d.components += env
            let bodies = command + line.files.map(\.data).joined()
            d.contentComponents = d.components.filter { c in
                !c.name.hasPrefix("arg:") || CacheSimulator.references(bodies, String(c.name.dropFirst(4)))
            }.flatMap { [$0.name, $0.value] }
            if engine == .buildkit {
                d.components.append(Component(name: "workdir", value: mi.workingDirectory))
                d.components.append(Component(name: "user", value: mi.user))
                for (i, m) in (r?.mounts ?? []).enumerated() {
                    var id = m.id ?? "", sharing = m.sharing?.rawValue ?? ""
                    if m.type == .cache { (id, sharing) = cacheMountKey(m, workdir: mi.workingDirectory) }
                    let desc = [m.type.rawValue, m.target ?? "", m.from ?? "", m.source ?? "", String(m.readOnly), id,
                                sharing, m.mode.map { String($0) } ?? "", m.uid.map { String($0) } ?? "",
                                m.gid.map { String($0) } ?? "", String(m.sizeLimit), String(m.required), m.env ?? ""]
                    d.components.append(Component(name: "mount:\(i)", value: desc.joined(separator: "|")))
                    guard m.type == .bind else { continue }
                    let src = m.source ?? "."
                    if let from = m.from, !from.isEmpty {
                        if let j = model.stageIndex(named: from) ?? Int(from), let s = run.stages[j] {
                            let name = "bind-from:" + (m.target ?? "")
                            d.components.append(Component(name: name, value: CacheSimulator.hash([s.contentKey, src])))
                            d.fastValues[name] = CacheSimulator.hash(["fast", s.finalKey, src])
                            d.fromStages.append(j)
                        } else {
                            d.components.append(Component(name: "bind-from:" + (m.target ?? ""), value: CacheSimulator.hash(["image", from, src])))
                        }
                    } else {
                        let (digest, missing) = sourceDigest([src], ctx: &ctx, ignore: run.state.ignore)
                        contextSources.append([src])
                        d.components.append(Component(name: "bind:" + (m.target ?? ""), value: digest, paths: [src]))
                        d.missing += missing
                    }
                }
                if cmd.network != .default { d.components.append(Component(name: "network", value: cmd.network.rawValue)) }
                if cmd.security != .sandbox { d.components.append(Component(name: "security", value: cmd.security.rawValue)) }
                for dev in cmd.devices { d.components.append(Component(name: "device:" + dev.name, value: String(dev.required))) }
            } else {
                // The classic builder rejects RUN flags; keep them in the key so edits still show.
                if !cmd.flagsUsed.isEmpty { d.components.append(Component(name: "flags", value: mi.syntax.flags.map(\.text).joined(separator: " "))) }
            }
            d.contentComponents += d.components.filter { $0.name == "workdir" || $0.name == "user" || $0.name.hasPrefix("mount:")
                || $0.name.hasPrefix("bind") }.flatMap { [$0.name, $0.value] }

        case .copy(let c), .add(let c):
            let sources = r?.sources ?? c.sources.map(\.value)
            let kw = c.isAdd ? "ADD" : "COPY"
            var defParts: [String] = [kw]
            if engine == .buildkit {
                defParts += sources.map { CacheSimulator.baseName($0) }
                defParts.append(r?.absoluteDestination ?? c.destination.value)
            } else {
                defParts.append(r?.destination ?? c.destination.value)
            }
            defParts += ["chown=" + (r?.chown ?? ""), "chmod=" + (r?.chmod ?? ""), "link=\(c.link)", "parents=\(c.parents)",
                         "exclude=" + c.excludes.map(\.value).joined(separator: ","), "checksum=" + (r?.checksum ?? ""),
                         "unpack=\(c.unpack.map { String($0) } ?? "")", "keepgit=\(c.keepGitDir.map { String($0) } ?? "")"]
            d.components.append(Component(name: "def", value: defParts.joined(separator: "\u{1}")))
            if let from = c.from?.value, !from.isEmpty {
                let j = model.stageIndex(named: from) ?? Int(from)
                if let j, j < model.stages.count, let s = run.stages[j] {
                    let name = "from:" + model.stages[j].displayName
                    d.components.append(Component(name: name, value: CacheSimulator.hash([s.contentKey] + sources)))
                    d.fastValues[name] = CacheSimulator.hash(["fast", s.finalKey] + sources)
                    d.fromStages.append(j)
                } else {
                    d.components.append(Component(name: "from:" + from, value: CacheSimulator.hash(["image", from] + sources)))
                }
            } else {
                let remote = sources.filter { $0.hasPrefix("http://") || $0.hasPrefix("https://") || $0.hasPrefix("git@")
                    || $0.hasPrefix("git://") || $0.hasPrefix("ssh://") || $0.contains(".git#") }
                let local = sources.filter { s in !remote.contains(s) }
                if !remote.isEmpty {
                    d.components.append(Component(name: "remote", value: remote.joined(separator: "\u{1}")))
                }
                if !local.isEmpty {
                    let (digest, missing) = sourceDigest(local, ctx: &ctx, ignore: run.state.ignore)
                    contextSources.append(local)
                    d.components.append(Component(name: "sources", value: digest, paths: local))
                    d.missing += missing
                }
                if !c.inlineSources.isEmpty {
                    let inline = (r?.inlineSources ?? c.inlineSources).map { $0.path + "\u{1}" + $0.data }
                    d.components.append(Component(name: "inline", value: CacheSimulator.hash(inline)))
                }
            }
            d.linked = engine == .buildkit && c.link && (r?.chmod ?? c.chmod?.value ?? "").isEmpty
            d.contentComponents = d.components.flatMap { [$0.name, $0.value] }

        case .workdir:
            // BuildKit's vertex is `mkdir -p` of the cleaned path, while the working directory
            // later RUNs get keeps an absolute WORKDIR as written (CACHE-SEMANTICS, WORKDIR):
            // `/opt/app` → `/opt/app/` hits here and misses at the next RUN. The classic
            // builder of 20.10 compares the text (its commit comment and config); 26's compares
            // the cleaned path (`/opt/app/`, `/opt//app`, `/opt/./app` all hit `/opt/app`).
            let written = r?.workdir ?? mi.workingDirectory
            let path = engine == .buildkit || options.release.classicCleansWorkdir ? goPathClean(written) : written
            d.components.append(Component(name: "workdir", value: path))
            if engine == .buildkit { d.components.append(Component(name: "user", value: mi.user)) }
            d.contentComponents = [path]

        case .env(let kv):
            let pairs = r?.pairs.map { $0.map { ($0.key, $0.value) } } ?? kv.pairs.map { ($0.key.value, $0.value.value) }
            for p in pairs { d.components.append(Component(name: "env:" + p.0, value: p.1)) }
        case .label(let kv):
            let pairs = r?.pairs.map { $0.map { ($0.key, $0.value) } } ?? kv.pairs.map { ($0.key.value, $0.value.value) }
            for p in pairs { d.components.append(Component(name: "label:" + p.0, value: p.1)) }
        case .arg(let a):
            // The step records the Dockerfile default, not the --build-arg value (§2).
            for def in a.definitions {
                d.components.append(Component(name: "argdef:" + def.key, value: def.defaultValue.map { "=" + $0 } ?? ""))
            }
        case .user:
            d.components.append(Component(name: "user", value: r?.user ?? mi.user))
        default:
            d.components.append(Component(name: "def", value: CacheSimulator.shortText(mi.syntax)))
        }
        return d
    }

    /// The `id` and `sharing` a cache mount contributes to the RUN key. BuildKit v0.8 keys
    /// both (the id defaulting to the target); v0.13 clears them unless the mount is the
    /// default one: its LLB id (`"/" + id`, id defaulting to the cleaned target) equals the
    /// target, or does after its first `/`, and sharing is `shared`
    /// (`solver/llbsolver/ops/exec.go checkShouldClearCacheOpts`; verified on both engines).
    func cacheMountKey(_ m: RunMount, workdir: String) -> (id: String, sharing: String) {
        var target = m.target ?? ""
        if !target.hasPrefix("/") { target = (workdir.hasSuffix("/") ? workdir : workdir + "/") + target }
        target = goPathClean(target)
        let id = m.id ?? target
        let sharing = m.sharing ?? .shared
        guard options.release.clearsCacheMountOptions else { return (id, sharing.rawValue) }
        let llbID = "/" + id
        let afterSlash = llbID.firstIndex(of: "/").map { String(llbID[llbID.index(after: $0)...]) }
        if sharing == .shared && (llbID == target || afterSlash == target) { return (llbID, sharing.rawValue) }
        return ("", "")
    }
}

/// Step keys hashed by the simulators of one side-by-side replay (`CacheSimulator.sharedHashes`):
/// per step slot, the parts last hashed by each simulator and their digest. A variant's step that
/// has the same parts as the file's (the steps a fix leaves alone) takes the digest instead of
/// hashing again. A key is a function of its parts alone, so sharing changes no key.
/// The simulators of a replay have one engine and one cost model: each step's text and cost
/// (`makeStep`) is worked out once for all of them too.
public final class SharedStepHashes: @unchecked Sendable {
    private let lock = PosixMutex()
    private var table: [CacheSimulator.KeySlot: [(parts: [String], digest: String)]] = [:]
    /// Each step's text and cost (`makeStep`).
    let looks = BoundedMemo<CacheSimulator.StepLook, (String, Double, Bool)>()

    /// Parts kept per slot (one per simulator of a replay, at most).
    private let depth: Int

    public init(simulators: Int) { depth = max(1, simulators) }

    func digest(_ slot: CacheSimulator.KeySlot, _ parts: [String]) -> String? {
        lock.locked { table[slot]?.first { $0.parts == parts }?.digest }
    }

    func record(_ slot: CacheSimulator.KeySlot, _ parts: [String], _ digest: String) {
        lock.locked {
            if table.count > 4096 { table.removeAll() }
            var list = table[slot] ?? []
            if list.count >= depth { list.removeFirst() }
            list.append((parts, digest))
            table[slot] = list
        }
    }
}
