// Predictions of the CI-cache model set against real builds: the per-step results that
// `scripts/record-ci-cache` records on Docker 26 (BuildKit v0.13), read back and matched to the
// simulator's steps by BuildKit's own numbering (`[stage k/n]`).
import DockerlintBuilders
import DockerlintCache
import DockerlintSupport
import Foundation

/// One build of a recorded sequence.
public struct ObservedBuild: Sendable, Equatable {
    /// 1-based position in the sequence (1 = the cold build).
    public var index: Int
    public var commit: String
    public var steps: [ObservedStep]
}

/// One BuildKit step as recorded: `[stage k/n] INSTR`, hit or miss, seconds.
public struct ObservedStep: Sendable, Equatable {
    /// The stage as BuildKit names it (nil: a single-stage build).
    public var stage: String?
    public var index: Int
    public var instruction: String
    public var status: DockerlintBuilders.StepStatus
    public var seconds: Double

    public var isFrom: Bool { instruction.uppercased().hasPrefix("FROM ") }
}

/// One step's prediction beside its observation.
public struct StepAgreement: Sendable, Equatable {
    public var build: Int
    public var stage: String?
    public var index: Int
    public var instruction: String
    public var observed: DockerlintBuilders.StepStatus
    /// nil when the simulator has no such step.
    public var predicted: DockerlintCache.StepStatus?
    public var reason: String?
    public var cause: StepCause?

    public var agrees: Bool {
        switch (observed, predicted) {
        case (.hit, .hit?), (.miss, .miss?): return true
        default: return false
        }
    }
    /// `build 4 [deps 2/4] WORKDIR /deps`.
    public var label: String { "build \(build) [\(stage.map { $0 + " " } ?? "")\(index)] \(instruction)" }
}

public enum CICacheAgreement {
    /// Reads `scripts/record-ci-cache` output: `build TAB commit TAB [stage k/n] INSTR TAB hit|miss TAB seconds`.
    /// Blank lines and `#` comments are skipped. Throws on a malformed line (with its number).
    public static func parseObserved(_ text: String, path: String = "<observed>") throws(CommandError) -> [ObservedBuild] {
        var builds: [ObservedBuild] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let f = raw.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 5, let b = Int(f[0]), let secs = Double(f[4]), let step = parseStepName(f[2]),
                  let st = DockerlintBuilders.StepStatus(rawValue: f[3]) else {
                throw CommandError("\(path):\(n + 1):1: error: expected build, commit, [stage k/n] step, hit|miss, seconds")
            }
            if builds.last?.index != b { builds.append(ObservedBuild(index: b, commit: f[1], steps: [])) }
            builds[builds.count - 1].steps.append(ObservedStep(stage: step.stage, index: step.index, instruction: step.instruction,
                                                               status: st, seconds: secs))
        }
        return builds
    }

    /// `[build 3/5] COPY src/ ./src/` → ("build", 3, "COPY src/ ./src/"); `[2/3] RUN x` → (nil, 2, …).
    static func parseStepName(_ name: String) -> (stage: String?, index: Int, instruction: String)? {
        guard name.hasPrefix("["), let close = name.firstIndex(of: "]") else { return nil }
        let words = name[name.index(after: name.startIndex)..<close].split(separator: " ")
        guard let frac = words.last, words.count <= 2 else { return nil }
        let kn = frac.split(separator: "/")
        guard kn.count == 2, let k = Int(kn[0]) else { return nil }
        return (words.count == 2 ? String(words[0]) : nil, k, name[name.index(after: close)...].trimmingCharacters(in: .whitespaces))
    }

    /// The simulator's steps of one build, numbered as BuildKit prints them: per stage, FROM is
    /// 1 and every vertex after it counts; the key is (BuildKit's stage name, k). BuildKit names
    /// a stage by its `AS` name, else `stage-N`, and prints no stage for a single-stage build.
    public static func numbered(_ p: BuildPrediction) -> [String: StepPrediction] {
        let built = p.steps.filter { $0.status != .notBuilt }
        let stages = Set(built.map(\.stage))
        var count: [Int: Int] = [:]
        var out: [String: StepPrediction] = [:]
        for s in built {
            count[s.stage, default: 0] += 1
            let name = stages.count == 1 ? "" : (s.stageName?.lowercased() ?? "stage-\(s.stage)")
            out["\(name)\u{0}\(count[s.stage]!)"] = s
        }
        return out
    }

    /// Every observed step beside its prediction (FROM left out: it is the base image's
    /// resolution, never a cache lookup). Predictions and observations pair up by position.
    public static func compare(predictions: [BuildPrediction], observed: [ObservedBuild]) -> [StepAgreement] {
        var out: [StepAgreement] = []
        for (p, o) in zip(predictions, observed) {
            let steps = numbered(p)
            for s in o.steps where !s.isFrom {
                let pred = steps["\(s.stage ?? "")\u{0}\(s.index)"]
                out.append(StepAgreement(build: o.index, stage: s.stage, index: s.index, instruction: s.instruction,
                                         observed: s.status, predicted: pred?.status, reason: pred?.reason, cause: pred?.cause))
            }
        }
        return out
    }

    /// Replays `range` of the repository holding `context` through the simulator.
    public static func predict(dockerfile: String, context: String, range: String, engine: BuilderKind = .buildkit,
                               options: SimulatorOptions, costs: CostModel = .standard) throws(CommandError) -> [BuildPrediction] {
        var sim = CacheSimulator(engine: engine, costs: costs, options: options)
        var out: [BuildPrediction] = []
        do {
            let source = try GitReplay.locate(dockerfile: dockerfile, contextDirectory: context)
            try GitReplay.replay(source, range: range, simulator: &sim) { out.append($0) }
        } catch {
            switch error {
            case .gitMissing: throw CommandError("git is not installed", status: .environment)
            case .input(let m): throw CommandError(m)
            }
        }
        return out
    }
}
