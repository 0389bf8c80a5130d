// `dockerlint optimize`: the order of a Dockerfile's steps that re-runs least over the
// project's real history, among the orders the move-safety constraints allow.
//
// 1. The history is replayed once through the simulator with the file as it is; every step
//    of every build records the digest of its own inputs (`StepPrediction.inputKey`).
// 2. Per stage, those digests give the search its cost model (OrderSearch): which sets of
//    steps differ between each build and every earlier one.
// 3. The best order is written into the file's own slots (OptimizeLayout) and replayed
//    through the simulator again: the before/after numbers are the simulator's, never the
//    search's. A proposal the simulator does not find cheaper is not made.

import DockerlintAnalysis
import DockerlintCache
import DockerlintModel
import DockerlintSupport
import DockerlintSyntax
import Foundation

public struct OptimizeOptions: Sendable {
    public enum Format: String, CaseIterable, Sendable { case tty, json, markdown }

    public var dockerfile: String = ""
    public var context: String?
    /// A revision range; nil means the last `last` commits.
    public var git: String?
    public var last: Int = 100
    public var builder: BuilderKind = .buildkit
    public var target: String?
    public var buildArgs: [String: String] = [:]
    public var costsFile: String?
    public var costOverrides: [String: Double] = [:]
    public var format: Format = .tty
    public var write = false
    public var noColor = false
    /// Smallest saving, in estimated seconds per 100 builds, worth a proposal (the same
    /// default as a cache finding's `min-saving`).
    public var minimumSaving: Double = 60
    /// Smallest saving as a share of the estimated rebuild time: every proposal moves lines a
    /// reviewer must check, and a reorder that saves a few percent is not worth that.
    public var minimumSavingShare: Double = 0.05
    public var verify = false
    public var verifyOptions = VerifyOptions()

    public init() {}
}

/// One step in the proposed order, with its re-runs before and after.
public struct OptimizedStep: Sendable {
    public var stage: Int
    public var keyword: String
    public var display: String
    /// Line in the current file (nil for a step the proposal adds).
    public var lineBefore: Int?
    /// Line in the proposed file.
    public var lineAfter: Int
    public var missesBefore: Int?
    public var missesAfter: Int
    public var built: Int
    public var costSeconds: Double
}

/// What the search did for one stage.
public struct StageSearch: Sendable {
    public var stage: Int
    public var name: String
    public var units: Int
    public var exact: Bool
    public var states: Int
    /// Model cost (estimated seconds over the history) of the file's order and the best order.
    public var modelBefore: Double
    public var modelAfter: Double
    public var lowerBound: Double
    /// Why a stage was not searched (too many steps, not built for the target).
    public var skipped: String?
}

public struct OptimizeResult: Sendable {
    public var dockerfile: String
    public var context: String
    public var range: String
    public var engine: BuilderKind
    public var original: [UInt8]
    /// The proposed file (equal to `original` when nothing beats the current order).
    public var proposed: [UInt8]
    public var moves: [String]
    public var before: SimulationSummary
    public var after: SimulationSummary
    public var steps: [OptimizedStep]
    public var stages: [StageSearch]
    /// Seconds of the search alone, and of the history replays (recording and proposal).
    public var searchSeconds: Double
    public var replaySeconds: Double = 0
    /// Why no proposal is made, when none is.
    public var noChangeReason: String?
    public var verification: VerificationResult?

    public var changed: Bool { proposed != original }
    /// Estimated seconds per 100 builds.
    public static func per100(_ s: SimulationSummary) -> Double { s.builds > 0 ? s.estimatedSeconds / Double(s.builds) * 100 : 0 }
}

public struct OptimizeRunner: Sendable {
    public var options: OptimizeOptions

    public init(options: OptimizeOptions) { self.options = options }

    public func run() throws(CommandError) -> ExitStatus {
        var result = try optimize()
        if options.verify {
            let costs = try SimulateRunner(options: simulateOptions()).costModel()
            result = try OptimizeVerifier(options: options.verifyOptions, engine: options.builder)
                .verify(result, target: options.target, buildArgs: options.buildArgs, costs: costs)
        }
        switch options.format {
        case .json: Console.out(OptimizeOutput.json(result) + "\n")
        case .markdown: Console.out(OptimizeOutput.markdown(result))
        case .tty: Console.out(OptimizeOutput.tty(result, color: !options.noColor && Console.stdoutIsTerminal && Console.environment("NO_COLOR") == nil))
        }
        if options.write, result.changed, result.verification?.withdrawn != true {
            try FileIO.writeAtomically(options.dockerfile, result.proposed)
        }
        return .clean
    }

    func simulateOptions() -> SimulateOptions {
        var o = SimulateOptions()
        o.dockerfile = options.dockerfile
        o.context = options.context
        o.builder = options.builder
        o.target = options.target
        o.baseBuildArgs = options.buildArgs
        o.costsFile = options.costsFile
        o.costOverrides = options.costOverrides
        return o
    }

    /// The revision range replayed: `--git`, else the last `last` commits (all of them when
    /// the history is shorter).
    func range(repository: String) -> String {
        if let g = options.git { return g }
        if let base = try? GitHistory.resolve(repository: repository, revision: "HEAD~\(options.last)") { return "\(base)..HEAD" }
        return "HEAD"
    }

    /// Replays the history with `text`; every prediction, baseline included.
    static func replay(_ source: GitReplaySource, range: String, text: [UInt8], costs: CostModel, options: OptimizeOptions) throws(CommandError) -> [BuildPrediction] {
        var sim = CacheSimulator(engine: options.builder, costs: costs)
        var builds: [BuildPrediction] = []
        do {
            try GitReplay.replay(source, range: range, buildArgs: options.buildArgs, target: options.target, dockerfileText: text,
                                 simulator: &sim) { builds.append($0) }
        } catch {
            switch error {
            case .gitMissing: throw CommandError("git is not installed (optimize replays the history)", status: .environment)
            case .input(let m): throw CommandError(m)
            }
        }
        return builds
    }

    public func optimize() throws(CommandError) -> OptimizeResult {
        let path = options.dockerfile
        guard FileIO.exists(path) else { throw CommandError("\(path): error: no such file or directory") }
        let context = ContextDiscovery.choose(dockerfile: path, explicit: options.context, configured: nil).path
        guard FileIO.isDirectory(context) else { throw CommandError("\(context): error: context directory not found") }
        let bytes = try FileIO.read(path)
        let layout = OptimizeLayout(bytes: bytes, options: BuildOptions(buildArgs: BuildArgs(options.buildArgs), target: options.target))
        if let e = layout.model.dockerfile.errors.first(where: { $0.kind == .syntax }) {
            throw CommandError("\(path):\(e.range.start.line):\(e.range.start.column): error: \(e.message)")
        }
        let source: GitReplaySource
        do { source = try GitReplay.locate(dockerfile: path, contextDirectory: context) } catch {
            switch error {
            case .gitMissing: throw CommandError("git is not installed (optimize replays the history)", status: .environment)
            case .input(let m): throw CommandError(m + " (optimize replays the project's git history)")
            }
        }
        let range = self.range(repository: source.repository)
        let costs = try SimulateRunner(options: simulateOptions()).costModel()
        var started = Date()
        let builds = try Self.replay(source, range: range, text: bytes, costs: costs, options: options)
        var replaySeconds = Date().timeIntervalSince(started)
        started = Date()
        if let p = builds.first(where: { $0.targetStage == nil && $0.steps.isEmpty }), let e = p.errors.last, !builds.contains(where: { !$0.steps.isEmpty }) {
            throw CommandError("\(path): error: \(e)")
        }
        var before = SimulationSummary(engine: options.builder)
        for b in builds { before.add(b) }

        // Search each stage of the file as it is, then of each variant where manifests are
        // copied first (a split the analysis clears), each over its own replay.
        let buildOptions = BuildOptions(buildArgs: BuildArgs(options.buildArgs), target: options.target)
        let plain = search(layout: layout, builds: builds, safety: MoveSafety(model: layout.model, contextDirectory: context, dockerfile: path),
                           splits: [], lineOf: nil)
        var best = plain
        var searchSeconds = Date().timeIntervalSince(started)
        let candidates = OptimizeRunner.splitCandidates(layout: layout, safety: MoveSafety(model: layout.model, contextDirectory: context, dockerfile: path))
        if !candidates.isEmpty, before.builds > 0 {
            var variants: [[SplitCandidate]] = candidates.map { [$0] }
            if candidates.count > 1 { variants.append(candidates) }
            for v in variants {
                let (text, lineOf) = OptimizeRunner.insertSplits(v, into: layout)
                let vLayout = OptimizeLayout(bytes: text, options: buildOptions)
                guard vLayout.model.dockerfile.errors.isEmpty else { continue }
                let t0 = Date()
                let vBuilds = try Self.replay(source, range: range, text: text, costs: costs, options: options)
                replaySeconds += Date().timeIntervalSince(t0)
                let t1 = Date()
                var safety = MoveSafety(model: vLayout.model, contextDirectory: context, dockerfile: path)
                for c in v {
                    // The split's verdict clears the COPY to follow the install.
                    guard let ci = lineOf.newIndex(stage: c.stage, oldIndex: c.copy), let ri = lineOf.newIndex(stage: c.stage, oldIndex: c.install) else { continue }
                    safety.cleared.insert([c.stage, ci, ri])
                }
                for (stage, lines) in lineOf.lines {
                    for i in lines.indices.dropFirst() where lines[i] == nil && lines[i - 1] == nil { safety.chained.insert([stage, i - 1, i]) }
                }
                let found = search(layout: vLayout, builds: vBuilds, safety: safety, splits: v, lineOf: lineOf)
                searchSeconds += Date().timeIntervalSince(t1)
                if found.modelAfter < best.modelAfter - 1e-9 { best = found }
            }
        }
        var stages = plain.stages
        if best.splits.isEmpty == false { stages = best.stages }
        let orders = best.orders
        var result = OptimizeResult(dockerfile: path, context: context, range: range, engine: options.builder, original: bytes,
                                    proposed: bytes, moves: [], before: before, after: before, steps: [], stages: stages,
                                    searchSeconds: searchSeconds, replaySeconds: replaySeconds, noChangeReason: nil, verification: nil)
        if before.builds == 0 {
            result.noChangeReason = "the history has no build to compare (\(range))"
            result.steps = OptimizeRunner.rows(layout: layout, orders: [:], before: before, after: before, proposedLayout: layout, afterBuilds: builds)
            return result
        }
        if orders.isEmpty && best.splits.isEmpty {
            result.noChangeReason = "no order the move constraints allow re-runs less over these \(before.builds) builds"
            result.steps = OptimizeRunner.rows(layout: layout, orders: [:], before: before, after: before, proposedLayout: layout, afterBuilds: builds)
            return result
        }
        let chosen = best.layout
        let proposed = chosen.render(orders)
        let proposedLayout = OptimizeLayout(bytes: proposed, options: buildOptions)
        let afterCosts = OptimizeRunner.remap(costs, layout: chosen, orders: orders, builds: best.builds, proposed: proposedLayout)
        let replayStarted = Date()
        let afterBuilds = try Self.replay(source, range: range, text: proposed, costs: afterCosts, options: options)
        replaySeconds += Date().timeIntervalSince(replayStarted)
        result.replaySeconds = replaySeconds
        var after = SimulationSummary(engine: options.builder)
        for b in afterBuilds { after.add(b) }
        let saving = OptimizeResult.per100(before) - OptimizeResult.per100(after)
        let share = OptimizeResult.per100(before) > 0 ? saving / OptimizeResult.per100(before) : 0
        if saving < options.minimumSaving || share < options.minimumSavingShare {
            let percent = String(format: "%.1f%%", share * 100)
            result.noChangeReason = saving <= 0
                ? "the simulator finds no order that rebuilds less than the current one"
                : saving < options.minimumSaving
                ? "the best order saves only \(NumberFormat.seconds(saving)) per 100 builds (less than \(NumberFormat.seconds(options.minimumSaving)))"
                : "the best order saves only \(percent) of the estimated rebuild time (less than \(String(format: "%g%%", options.minimumSavingShare * 100)))"
            result.steps = OptimizeRunner.rows(layout: layout, orders: [:], before: before, after: before, proposedLayout: layout, afterBuilds: builds)
            return result
        }
        result.proposed = proposed
        result.after = after
        result.moves = best.splits.map(\.sentence) + OptimizeRunner.describeMoves(layout: chosen, orders: orders, lineOf: best.lineOf)
        result.steps = OptimizeRunner.rows(layout: chosen, orders: orders, before: before, after: after, proposedLayout: proposedLayout,
                                           afterBuilds: afterBuilds, lineOf: best.lineOf)
        return result
    }

    /// The search input of one stage, or why the stage is not searched.
    static func problem(for layout: StageLayout, builds: [BuildPrediction], safety: MoveSafety) -> (OrderProblem?, String?) {
        let model = safety.graph.model
        let n = layout.units.count
        if n < 2 { return (nil, "fewer than two steps") }
        if n > OrderSearch.maxUnits { return (nil, "more than \(OrderSearch.maxUnits) instructions") }
        let lines = layout.units.map(\.line)
        let fromLine = model.stages[layout.stage].from.syntax.startLine
        // Per build: the interned input digest of each unit (-1: not a step), and of FROM.
        var table: [[Int32]] = []
        var base: [Int32] = []
        var costs = [Double](repeating: 0, count: n)
        var intern: [String: Int32] = [:]
        func id(_ s: String?) -> Int32 {
            guard let s else { return -1 }
            if let v = intern[s] { return v }
            let v = Int32(intern.count)
            intern[s] = v
            return v
        }
        var counted: [Bool] = []
        var built = false
        for b in builds where !b.steps.isEmpty {
            var row = [Int32](repeating: -1, count: n)
            var fromKey: Int32 = -1
            for s in b.steps where s.stage == layout.stage {
                if s.status == .notBuilt { continue }
                built = true
                if s.line == fromLine && s.instruction == "FROM" { fromKey = id(s.inputKey); continue }
                guard let u = lines.firstIndex(of: s.line) else { continue }
                row[u] = id(s.inputKey ?? s.key)
                costs[u] = max(costs[u], s.costSeconds)
            }
            table.append(row)
            base.append(fromKey)
            counted.append(!b.baseline)
        }
        if !built { return (nil, "not built for the target") }
        var merged: [[UInt64]: Int] = [:]
        var mergedOrder: [[UInt64]] = []
        for c in 0..<table.count where counted[c] {
            var masks: [UInt64] = []
            var neverMisses = false
            for p in 0..<c {
                if base[p] != base[c] { continue }
                var m: UInt64 = 0
                for u in 0..<n where table[p][u] != table[c][u] { m |= 1 << UInt64(u) }
                if m == 0 { neverMisses = true; break }
                masks.append(m)
            }
            if neverMisses { continue }
            // Keep the minimal sets.
            masks = Array(Set(masks))
            masks = masks.filter { m in !masks.contains { o in o != m && o & m == o } }
            masks.sort()
            if merged[masks] == nil { mergedOrder.append(masks) }
            merged[masks, default: 0] += 1
        }
        var predecessors = [UInt64](repeating: 0, count: n)
        for j in 0..<n {
            for i in 0..<j where safety.constraint(stage: layout.stage, i, j) != nil { predecessors[j] |= 1 << UInt64(i) }
        }
        return (OrderProblem(costs: costs, predecessors: predecessors, builds: mergedOrder.map { ($0, merged[$0]!) }), nil)
    }

    /// The search input of one stage of `layout` (the file's text and `context`), for tools
    /// that measure the search.
    public static func problem(stage: Int, layout: OptimizeLayout, builds: [BuildPrediction], contextDirectory: String?,
                               dockerfile: String) -> OrderProblem? {
        let safety = MoveSafety(model: layout.model, contextDirectory: contextDirectory, dockerfile: dockerfile)
        return problem(for: layout.stages[stage], builds: builds, safety: safety).0
    }

    /// Measured costs follow their step to its new line (identities change with the order).
    static func remap(_ costs: CostModel, layout: OptimizeLayout, orders: [Int: [Int]], builds: [BuildPrediction],
                      proposed: OptimizeLayout) -> CostModel {
        guard !costs.measured.isEmpty else { return costs }
        var measured: [MeasuredStep] = []
        let steps = builds.last(where: { !$0.steps.isEmpty })?.steps ?? []
        for st in layout.stages {
            let order = orders[st.stage] ?? Array(0..<st.units.count)
            for (pos, u) in order.enumerated() {
                let unit = st.units[u]
                guard let s = steps.first(where: { $0.line == unit.line && $0.stage == st.stage }), s.measured,
                      pos < proposed.stages[st.stage].units.count else { continue }
                measured.append(MeasuredStep(line: proposed.stages[st.stage].units[pos].line, instruction: unit.keyword, stage: st.stage,
                                             seconds: s.costSeconds))
            }
        }
        for st in layout.stages {
            // FROM lines do not move.
            if let s = steps.first(where: { $0.stage == st.stage && $0.instruction == "FROM" }), s.measured {
                measured.append(MeasuredStep(line: s.line, instruction: "FROM", stage: st.stage, seconds: s.costSeconds))
            }
        }
        return CostModel(defaults: costs.defaults, measured: measured)
    }

    /// The moves in words: the steps that leave the longest run kept in order, each placed
    /// below its new predecessor.
    static func describeMoves(layout: OptimizeLayout, orders: [Int: [Int]], lineOf: LineMap? = nil) -> [String] {
        var out: [String] = []
        for st in layout.stages {
            guard let order = orders[st.stage] else { continue }
            // Lines as in the current file; units a split adds are described by the split.
            func line(_ u: Int) -> Int? { lineOf.map { $0.oldLine(stage: st.stage, newIndex: u) } ?? st.units[u].line }
            let keep = longestIncreasing(order)
            for (pos, u) in order.enumerated() where !keep.contains(u) {
                let unit = st.units[u]
                guard let l = line(u) else { continue }
                let what = "`\(unit.display)` (line \(l))"
                func at(_ v: Int) -> String { line(v).map { "(line \($0))" } ?? "(new)" }
                if pos > 0 {
                    let prev = st.units[order[pos - 1]]
                    out.append("move \(what) \(order[pos - 1] > u ? "down" : "up") to below `\(prev.display)` \(at(order[pos - 1]))")
                } else if order.count > 1 {
                    let next = st.units[order[1]]
                    out.append("move \(what) up to above `\(next.display)` \(at(order[1]))")
                }
            }
        }
        return out
    }

    /// The elements of the longest increasing subsequence of `a`.
    static func longestIncreasing(_ a: [Int]) -> Set<Int> {
        guard !a.isEmpty else { return [] }
        var len = [Int](repeating: 1, count: a.count), prev = [Int](repeating: -1, count: a.count)
        for i in 0..<a.count {
            for j in 0..<i where a[j] < a[i] && len[j] + 1 > len[i] { len[i] = len[j] + 1; prev[i] = j }
        }
        var i = len.indices.max { len[$0] < len[$1] || (len[$0] == len[$1] && $0 > $1) }!
        var out = Set<Int>()
        while i >= 0 { out.insert(a[i]); i = prev[i] }
        return out
    }

    /// Per step of the proposed order: re-runs before and after.
    static func rows(layout: OptimizeLayout, orders: [Int: [Int]], before: SimulationSummary, after: SimulationSummary,
                     proposedLayout: OptimizeLayout, afterBuilds: [BuildPrediction], lineOf: LineMap? = nil) -> [OptimizedStep] {
        var out: [OptimizedStep] = []
        let lastSteps = afterBuilds.last(where: { !$0.steps.isEmpty })?.steps ?? []
        let bySteps = before.steps, afterSteps = after.steps
        for st in layout.stages {
            let order = orders[st.stage] ?? Array(0..<st.units.count)
            for (pos, u) in order.enumerated() {
                let unit = st.units[u]
                let newLine = pos < proposedLayout.stages[st.stage].units.count ? proposedLayout.stages[st.stage].units[pos].line : unit.line
                guard let a = afterSteps.first(where: { $0.stage == st.stage && $0.line == newLine }) else { continue }
                let oldLine = lineOf.map { $0.oldLine(stage: st.stage, newIndex: u) } ?? unit.line
                let b = oldLine.flatMap { l in bySteps.first { $0.stage == st.stage && $0.line == l } }
                out.append(OptimizedStep(stage: st.stage, keyword: unit.keyword, display: unit.display, lineBefore: oldLine, lineAfter: newLine,
                                         missesBefore: b?.misses, missesAfter: a.misses, built: a.built,
                                         costSeconds: lastSteps.first { $0.stage == st.stage && $0.line == newLine }?.costSeconds ?? 0))
            }
        }
        return out
    }

    // MARK: - Variants

    /// What the search found for one text (the file, or the file with splits).
    struct Found {
        var layout: OptimizeLayout
        var builds: [BuildPrediction]
        var orders: [Int: [Int]]
        var stages: [StageSearch]
        /// Model cost of the best orders over this text's history.
        var modelAfter: Double
        var splits: [SplitCandidate]
        var lineOf: LineMap?
    }

    func search(layout: OptimizeLayout, builds: [BuildPrediction], safety: MoveSafety, splits: [SplitCandidate], lineOf: LineMap?) -> Found {
        var orders: [Int: [Int]] = [:]
        var stages: [StageSearch] = []
        var total = 0.0
        for st in layout.stages {
            let (problem, skip) = OptimizeRunner.problem(for: st, builds: builds, safety: safety)
            guard let problem else {
                stages.append(StageSearch(stage: st.stage, name: st.name, units: st.units.count, exact: true, states: 0,
                                          modelBefore: 0, modelAfter: 0, lowerBound: 0, skipped: skip))
                continue
            }
            let identity = Array(0..<problem.count)
            let solution = OrderSearch.solve(problem)
            let beforeCost = problem.cost(of: identity)
            stages.append(StageSearch(stage: st.stage, name: st.name, units: problem.count, exact: solution.exact,
                                      states: solution.states, modelBefore: beforeCost, modelAfter: min(beforeCost, solution.cost),
                                      lowerBound: solution.lowerBound, skipped: nil))
            if solution.order != identity && solution.cost < beforeCost - 1e-9 {
                orders[st.stage] = solution.order
                total += solution.cost
            } else {
                total += beforeCost
            }
        }
        return Found(layout: layout, builds: builds, orders: orders, stages: stages, modelAfter: total, splits: splits, lineOf: lineOf)
    }

    /// A `COPY` of a tree before an install that reads only some of its files: those files
    /// copied first (the analysis's `manifestSplit`, cleared as safe).
    struct SplitCandidate {
        var stage: Int
        var copy: Int
        var install: Int
        var lines: String
        var sentence: String
    }

    /// The splits the analysis clears, at most one per COPY and three in all.
    static func splitCandidates(layout: OptimizeLayout, safety: MoveSafety) -> [SplitCandidate] {
        var out: [SplitCandidate] = []
        let src = layout.model.dockerfile.source
        let nl = String(decoding: layout.newline, as: UTF8.self)
        for st in layout.stages {
            for c in st.units.indices where st.units[c].keyword == "COPY" {
                let cs = safety.graph.step(StepID(stage: st.stage, index: c))
                guard cs.copied.contains(where: \.isTree), let mi = st.units[c].instruction, !mi.isOnbuildTrigger else { continue }
                if mi.syntax.flags.contains(where: { $0.name == "from" || $0.name == "parents" || $0.name == "exclude" }) { continue }
                for r in (c + 1)..<st.units.count where st.units[r].keyword == "RUN" {
                    guard let split = safety.moves.manifestSplit(copy: StepID(stage: st.stage, index: c), install: StepID(stage: st.stage, index: r)),
                          split.verdict.isSafe, !split.files.contains(where: { $0.contextPath.hasSuffix("*") }) else { continue }
                    let keyword = mi.syntax.keyword == mi.syntax.keyword.lowercased() ? "copy" : "COPY"
                    let flags = mi.syntax.flags.filter { ["chown", "chmod", "link"].contains($0.name) }.map(\.text)
                    var groups: [(String, [String])] = []
                    for f in split.files {
                        let dest: String
                        var source = f.contextPath
                        if f.isTree {
                            dest = f.imagePath.hasSuffix("/") ? f.imagePath : f.imagePath + "/"
                            if !source.hasSuffix("/") { source += "/" }
                            groups.append((dest, [source]))
                            continue
                        }
                        let dir = (f.imagePath as NSString).deletingLastPathComponent
                        guard (f.imagePath as NSString).lastPathComponent == (f.contextPath as NSString).lastPathComponent else {
                            groups.append((f.imagePath, [source]))
                            continue
                        }
                        // Into the COPY's own destination: written as the COPY writes it.
                        let own = (mi.resolved?.absoluteDestination ?? "").trimmingTrailingSlashes
                        if dir.trimmingTrailingSlashes == own, case .copy(let cc)? = mi.typed?.command, !cc.destination.value.contains("$") {
                            let raw = cc.destination.value
                            dest = raw == "." ? "./" : (raw.hasSuffix("/") ? raw : raw + "/")
                        } else {
                            dest = dir.hasSuffix("/") ? dir : dir + "/"
                        }
                        if let k = groups.firstIndex(where: { $0.0 == dest && !$0.1.contains(where: { $0.hasSuffix("/") }) }) { groups[k].1.append(source) } else { groups.append((dest, [source])) }
                    }
                    var lines = ""
                    for (dest, files) in groups {
                        lines += ([keyword] + flags + files.map(quoteIfNeeded) + [quoteIfNeeded(dest)]).joined(separator: " ") + nl
                    }
                    _ = src
                    let names = split.files.map { "`\($0.contextPath)`" }.joined(separator: ", ")
                    let sentence = "copy \(names) first (`\(lines.split(separator: "\n").first.map(String.init) ?? "")`\(groups.count > 1 ? " …" : "")), so that "
                        + "`\(st.units[r].display)` (line \(st.units[r].line)) no longer re-runs for every change `\(st.units[c].display)` (line \(st.units[c].line)) brings"
                    out.append(SplitCandidate(stage: st.stage, copy: c, install: r, lines: lines, sentence: sentence))
                    break
                }
                if out.count >= 3 { return out }
            }
        }
        return out
    }

    static func quoteIfNeeded(_ s: String) -> String {
        s.contains(where: { $0 == " " || $0 == "\t" || $0 == "\"" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : s
    }

    /// The file with each split's lines inserted right above its COPY (above the comments
    /// that belong to it), and the map from the new file's units to the current lines.
    static func insertSplits(_ splits: [SplitCandidate], into layout: OptimizeLayout) -> ([UInt8], LineMap) {
        var inserts: [(Int, [UInt8], Int, Int)] = []   // offset, bytes, stage, copy index
        for c in splits {
            let slot = layout.stages[c.stage].slots[c.copy]
            inserts.append((slot.lowerBound, Array(c.lines.utf8), c.stage, c.copy))
        }
        inserts.sort { $0.0 < $1.0 }
        var out: [UInt8] = []
        var cursor = 0
        for (off, b, _, _) in inserts {
            out += layout.bytes[cursor..<off]
            out += b
            cursor = off
        }
        out += layout.bytes[cursor...]
        // New unit index -> old line (nil for inserted units).
        var map: [Int: [Int?]] = [:]
        for st in layout.stages {
            var lines: [Int?] = []
            for (k, u) in st.units.enumerated() {
                for (_, b, s, c) in inserts where s == st.stage && c == k {
                    let n = b.split(separator: 0x0A, omittingEmptySubsequences: true).count
                    lines += [Int?](repeating: nil, count: n)
                }
                lines.append(u.line)
            }
            map[st.stage] = lines
        }
        return (out, LineMap(lines: map))
    }
}

/// Units of a file with splits inserted, mapped to the lines of the file as it is.
struct LineMap: Sendable {
    /// Per stage, per unit of the new file: its line in the current file (nil: added).
    var lines: [Int: [Int?]]

    func oldLine(stage: Int, newIndex: Int) -> Int? {
        guard let l = lines[stage], newIndex < l.count else { return nil }
        return l[newIndex]
    }

    /// The new index of the unit that was at `oldIndex` of the stage.
    func newIndex(stage: Int, oldIndex: Int) -> Int? {
        guard let l = lines[stage] else { return nil }
        var seen = -1
        for (i, v) in l.enumerated() where v != nil {
            seen += 1
            if seen == oldIndex { return i }
        }
        return nil
    }
}

extension String {
    var trimmingTrailingSlashes: String {
        var s = self
        while s.count > 1 && s.hasSuffix("/") { s.removeLast() }
        return s
    }
}
