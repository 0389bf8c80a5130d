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
    public var steps: [StepHistory] { let t = tallied; return t.order.compactMap { t.byKey[$0] } }
    /// A counted build: its built steps and the version of the Dockerfile it was built from
    /// (an index into `versions`; nil: none was given).
    struct Record: Sendable {
        var version: Int?
        var steps: [StepPrediction]
    }
    var records: [Record] = []
    /// What steps are named by: the last counted build's file.
    var names: HistoryStepNames
    /// The counts per step under the names the last counted build's file gives them,
    /// worked out when first read after a build was added (`tallied`): every build is
    /// named by the last file, so a count made before the last file was known would be
    /// made again (once per change of the file, over every build so far).
    struct Counts: Sendable {
        var order: [String] = []
        var byKey: [String: StepHistory] = [:]
        /// Per record: step key → index of the step in the record.
        var recordKeys: [[String: Int]] = []
    }
    private var counts = Locked<Counts?>(nil)

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
        builds > 0 ? Double(tallied.byKey.values.reduce(0) { $0 + $1.misses }) / Double(builds) : 0
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
        if let version { names.nameBy(version) }
        // A new box: a copy of this summary made before keeps its own counts.
        counts = Locked(nil)
    }

    /// The counts of every record under the current names, made on first read.
    var tallied: Counts {
        counts.locked { c in
            if let c { return c }
            var out = Counts()
            var names = self.names
            for r in records { Self.tally(r, names: &names, into: &out) }
            c = out
            return out
        }
    }

    /// Counts record `r`'s steps under the names the reference file gives them.
    static func tally(_ r: Record, names: inout HistoryStepNames, into c: inout Counts) {
        let built = r.steps
        let keys = names.keys(of: built.map(\.identity), version: r.version)
        var recordKeys: [String: Int] = [:]
        for (n, (s, key)) in zip(built, keys).enumerated() {
            if recordKeys[key] == nil { recordKeys[key] = n }
            if c.byKey[key] == nil {
                c.order.append(key)
                c.byKey[key] = StepHistory(identity: s.identity, instruction: s.instruction, stage: s.stage,
                                           stageName: s.stageName, line: s.line, text: s.text, built: 0, misses: 0,
                                           estimatedSeconds: 0, key: key)
            }
            var h = c.byKey[key]!
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
            c.byKey[key] = h
        }
        c.recordKeys.append(recordKeys)
    }

    /// The `n`-th counted build's prediction of `step` (one of `steps`), the step the counts
    /// took for it (nil: that build did not build it). Counted builds are the builds given
    /// less the baseline and the failed ones, in order.
    public func prediction(of step: StepHistory, inBuild n: Int) -> StepPrediction? {
        let t = tallied
        guard records.indices.contains(n), let k = t.recordKeys[n][step.key] else { return nil }
        return records[n].steps[k]
    }

    /// "RUN pip install flask re-ran 87 of 100 builds": what the lint cache rules quote.
    public func sentence(for identity: String) -> String? {
        guard let s = tallied.byKey[identity] ?? steps.first(where: { $0.identity == identity }) else { return nil }
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
