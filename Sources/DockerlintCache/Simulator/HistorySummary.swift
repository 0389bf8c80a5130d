// Statistics over a sequence of predicted builds: per step (by stable identity) how often it
// re-ran, the estimated time per build and in total, and the cache efficiency
// (reused cost / total cost). Baseline builds (the one that fills the cache) and builds that
// could not be simulated are left out.

import DockerlintSupport

/// One step across a history, keyed by `StepPrediction.identity`.
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
}

public struct SimulationSummary: Sendable {
    public var engine: BuilderKind
    /// Builds counted (baseline and failed builds excluded).
    public var builds: Int = 0
    public var failedBuilds: Int = 0
    public var estimatedSeconds: Double = 0
    public var totalSeconds: Double = 0
    public var steps: [StepHistory] { order.compactMap { byIdentity[$0] } }
    var order: [String] = []
    var byIdentity: [String: StepHistory] = [:]

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
        builds > 0 ? Double(byIdentity.values.reduce(0) { $0 + $1.misses }) / Double(builds) : 0
    }

    public mutating func add(_ p: BuildPrediction) {
        if p.baseline { return }
        if p.steps.isEmpty && !p.errors.isEmpty { failedBuilds += 1; return }
        builds += 1
        estimatedSeconds += p.estimatedSeconds
        totalSeconds += p.totalSeconds
        for s in p.steps where s.status != .notBuilt {
            if byIdentity[s.identity] == nil {
                order.append(s.identity)
                byIdentity[s.identity] = StepHistory(identity: s.identity, instruction: s.instruction, stage: s.stage,
                                                     stageName: s.stageName, line: s.line, text: s.text, built: 0, misses: 0,
                                                     estimatedSeconds: 0)
            }
            byIdentity[s.identity]!.line = s.line
            byIdentity[s.identity]!.text = s.text
            byIdentity[s.identity]!.built += 1
            if s.status == .miss {
                byIdentity[s.identity]!.misses += 1
                byIdentity[s.identity]!.estimatedSeconds += s.costSeconds
            }
        }
    }

    /// "RUN pip install flask re-ran 87 of 100 builds": what the lint cache rules quote.
    public func sentence(for identity: String) -> String? {
        guard let s = byIdentity[identity] else { return nil }
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
