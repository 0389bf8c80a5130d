// Statistics over a sequence of predicted builds: per step (found in each build's Dockerfile
// by aligning it with the last build's, as lint's history evidence does) how often it
// re-ran, the estimated time per build and in total, and the cache efficiency (reused cost /
// total cost). Baseline builds (the one that fills the cache) and builds that could not be
// simulated are left out.

import DockerlintModel
import DockerlintSupport

/// One step across a history, named (`identity`, `line`, `text`) as the last build that had it
/// names it: the last build's Dockerfile, for a step that file still has.
public struct StepHistory: Sendable, Equatable {
    public var identity: String
    public var instruction: String
    public var stage: Int
    public var stageName: String?
    /// Line and text in the latest build that had the step.
    public var line: Int
    public var text: String
    /// Builds in which the step was built (hit or miss).
    public var built: Int
    /// Builds in which it re-ran.
    public var misses: Int
    public var estimatedSeconds: Double
    public var rebuildRate: Double { built > 0 ? Double(misses) / Double(built) : 0 }
    /// What the summary matches the step by across builds (`SimulationSummary.prediction`).
    var key: String = ""
}

public struct SimulationSummary: Sendable {
    public var engine: BuilderKind
    /// Builds counted (baseline and failed builds excluded).
    public var builds: Int = 0
    public var failedBuilds: Int = 0
    public var estimatedSeconds: Double = 0
    public var totalSeconds: Double = 0
    /// The steps in the order they first appeared. A step is matched across builds as lint's
    /// history evidence matches it: identities are ordinals (`stage:RUN#n`) that a RUN inserted
    /// above shifts, so each build's steps are aligned with the last counted build's Dockerfile
    /// (`CacheSimulator.alignedIdentities`) and named as that file names them. A step that
    /// file no longer has is matched by its stage and text.
    public var steps: [StepHistory] { order.compactMap { byKey[$0] } }
    var order: [String] = []
    var byKey: [String: StepHistory] = [:]
    /// A counted build: its built steps, the version of the Dockerfile it was built from (an
    /// index into `versions`; nil: none was given), and per step key the step.
    struct Record: Sendable {
        var version: Int?
        var steps: [StepPrediction]
        var byKey: [String: Int] = [:]
    }
    var records: [Record] = []
    var versions: [DockerfileModel] = []
    var versionIndex: [String: Int] = [:]
    /// The version steps are named by: the last counted build's.
    var reference: Int? = nil
    /// Per (reference, version): the version's identities → the reference's.
    var aligned: [[Int]: [String: String]] = [:]

    public init(engine: BuilderKind) { self.engine = engine }

    public init(engine: BuilderKind, predictions: [BuildPrediction]) {
        self.engine = engine
        for p in predictions { add(p) }
    }

    public var reusedSeconds: Double { totalSeconds - estimatedSeconds }
    /// reused cost / total cost over the counted builds (1 when nothing costs anything).
    public var efficiency: Double { totalSeconds > 0 ? reusedSeconds / totalSeconds : 1 }
    public var averageSeconds: Double { builds > 0 ? estimatedSeconds / Double(builds) : 0 }
    /// Steps re-run per build, on average.
    public var averageMisses: Double {
        builds > 0 ? Double(byKey.values.reduce(0) { $0 + $1.misses }) / Double(builds) : 0
    }

    /// Counts build `p`, simulated from `model` (without it, the build's steps are taken by
    /// their identities as they are: right when every build has the same file).
    public mutating func add(_ p: BuildPrediction, model: DockerfileModel? = nil) {
        if p.baseline { return }
        if p.steps.isEmpty && !p.errors.isEmpty { failedBuilds += 1; return }
        builds += 1
        estimatedSeconds += p.estimatedSeconds
        totalSeconds += p.totalSeconds
        let version = model.map { self.version(of: $0) }
        records.append(Record(version: version, steps: p.steps.filter { $0.status != .notBuilt }))
        if let version, version != reference {
            // A new last file: every build's steps are named anew by it.
            reference = version
            order.removeAll()
            byKey.removeAll()
            for i in records.indices { tally(i) }
        } else {
            tally(records.count - 1)
        }
    }

    /// The index of `model`'s version, by the texts of its stages and steps (what the
    /// alignment reads).
    mutating func version(of model: DockerfileModel) -> Int {
        var signature = ""
        for stage in model.stages {
            signature += "\u{1}" + (stage.name ?? "") + "\u{2}" + stage.from.syntax.original
            for mi in stage.onbuildTriggers + stage.instructions { signature += "\u{0}" + mi.syntax.original }
        }
        if let v = versionIndex[signature] { return v }
        versions.append(model)
        versionIndex[signature] = versions.count - 1
        return versions.count - 1
    }

    /// Counts record `i`'s steps under the names the reference file gives them.
    mutating func tally(_ i: Int) {
        let version = records[i].version, built = records[i].steps
        var map: [String: String]? = nil
        if let version, let reference, version != reference {
            let pair = [reference, version]
            if let m = aligned[pair] { map = m } else {
                if aligned.count > 512 { aligned.removeAll() }
                let forward = CacheSimulator(engine: engine).alignedIdentities(from: versions[reference], to: versions[version])
                let m = Dictionary(forward.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
                aligned[pair] = m
                map = m
            }
        }
        var unaligned: [String: Int] = [:]
        records[i].byKey.removeAll()
        for (n, s) in built.enumerated() {
            var key = s.identity
            if let map {
                if let today = map[s.identity] { key = today } else {
                    // Not in the reference file: matched by stage and text.
                    let text = (s.stageName ?? String(s.stage)) + "\u{0}" + s.text
                    unaligned[text, default: 0] += 1
                    key = "\u{1}" + text + "\u{0}" + String(unaligned[text]!)
                }
            }
            if records[i].byKey[key] == nil { records[i].byKey[key] = n }
            if byKey[key] == nil {
                order.append(key)
                byKey[key] = StepHistory(identity: s.identity, instruction: s.instruction, stage: s.stage,
                                         stageName: s.stageName, line: s.line, text: s.text, built: 0, misses: 0,
                                         estimatedSeconds: 0, key: key)
            }
            var h = byKey[key]!
            h.identity = key.hasPrefix("\u{1}") ? s.identity : key
            h.instruction = s.instruction
            h.stage = s.stage
            h.stageName = s.stageName
            h.line = s.line
            h.text = s.text
            h.built += 1
            if s.status == .miss {
                h.misses += 1
                h.estimatedSeconds += s.costSeconds
            }
            byKey[key] = h
        }
    }

    /// The `n`-th counted build's prediction of `step` (one of `steps`), the step the counts
    /// took for it (nil: that build did not build it). Counted builds are the builds given
    /// less the baseline and the failed ones, in order.
    public func prediction(of step: StepHistory, inBuild n: Int) -> StepPrediction? {
        guard records.indices.contains(n), let k = records[n].byKey[step.key] else { return nil }
        return records[n].steps[k]
    }

    /// "RUN pip install flask re-ran 87 of 100 builds": what the lint cache rules quote.
    public func sentence(for identity: String) -> String? {
        guard let s = byKey[identity] ?? steps.first(where: { $0.identity == identity }) else { return nil }
        return "\(s.text) re-ran \(s.misses) of \(s.built) builds"
    }
}

extension BuildPrediction {
    /// A build that could not be simulated (no Dockerfile at a commit, unknown target, ...).
    public static func failed(label: String, commit: String? = nil, engine: BuilderKind, dockerfilePath: String,
                              message: String) -> BuildPrediction {
        BuildPrediction(label: label, commit: commit, engine: engine, dockerfilePath: dockerfilePath, targetStage: nil,
                        target: nil, steps: [], errors: [message], baseline: false, staleFiles: [])
    }
}
