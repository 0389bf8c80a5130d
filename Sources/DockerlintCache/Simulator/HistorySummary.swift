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
    /// (`HistoryStepNames`) and named as that file names them. A step that file no longer has
    /// is matched by its stage and full instruction text.
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
    /// What steps are named by: the last counted build's file.
    var names: HistoryStepNames

    public init(engine: BuilderKind) {
        self.engine = engine
        names = HistoryStepNames(engine: engine)
    }

    public init(engine: BuilderKind, predictions: [BuildPrediction]) {
        self.init(engine: engine)
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
        let version = model.map { names.version(of: $0) }
        records.append(Record(version: version, steps: p.steps.filter { $0.status != .notBuilt }))
        if let version, names.nameBy(version) {
            // A new last file: every build's steps are named anew by it.
            order.removeAll()
            byKey.removeAll()
            for i in records.indices { tally(i) }
        } else {
            tally(records.count - 1)
        }
    }

    /// Counts record `i`'s steps under the names the reference file gives them.
    mutating func tally(_ i: Int) {
        let built = records[i].steps
        let keys = names.keys(of: built.map(\.identity), version: records[i].version)
        records[i].byKey.removeAll()
        for (n, (s, key)) in zip(built, keys).enumerated() {
            if records[i].byKey[key] == nil { records[i].byKey[key] = n }
            if byKey[key] == nil {
                order.append(key)
                byKey[key] = StepHistory(identity: s.identity, instruction: s.instruction, stage: s.stage,
                                         stageName: s.stageName, line: s.line, text: s.text, built: 0, misses: 0,
                                         estimatedSeconds: 0, key: key)
            }
            var h = byKey[key]!
            h.identity = HistoryStepNames.isReferenceIdentity(key) ? key : s.identity
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
