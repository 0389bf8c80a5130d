// The simulator behind `dockerlint bench`: each measured build is handed to `CacheSimulator`
// as a `BuildState` loaded from the very scratch context that was sent to the builder.
import DockerlintBuilders
import DockerlintCache
import DockerlintModel
import DockerlintSupport
import Foundation

public struct SimulatorPredictor: BenchPredictor {
    public var costs: CostModel
    /// The engine release and cache the predictions assume.
    public var release: EngineRelease
    public var ciCache: CICacheMode
    public init(costs: CostModel = .standard, release: EngineRelease = .docker20_10, ciCache: CICacheMode = .local) {
        self.costs = costs
        self.release = release
        self.ciCache = ciCache
    }
    public var name: String { "simulator (CacheSimulator)" }

    public func session(builder: BuilderKind) -> any BenchPredictionSession {
        Session(engine: builder.cacheModel, costs: costs,
                options: SimulatorOptions(staleTransfer: false, release: release, ciCache: builder == .buildkit ? ciCache : .local))
    }

    final class Session: BenchPredictionSession {
        var simulator: CacheSimulator
        init(engine: BuilderKind, costs: CostModel, options: SimulatorOptions) {
            // Every build gets a fresh context (a tar body, or a new scratch directory for
            // buildx): BuildKit's incremental transfer (and its stale-file quirk,
            // CACHE-SEMANTICS §8) never happens here.
            simulator = CacheSimulator(engine: engine, costs: costs, options: options)
        }

        func predict(_ build: BenchBuildInput) throws -> [PredictedStep] {
            var state: BuildState
            do {
                state = try BuildState.load(dockerfile: build.context.path + "/" + build.dockerfile,
                                            contextDirectory: build.context.path, buildArgs: build.buildArgs,
                                            target: build.target, label: build.scenario)
            } catch { throw CommandError(error.description) }
            state.transfer = nil
            let model = state.model
            let prediction = simulator.simulate(&state)
            var out: [PredictedStep] = prediction.steps.filter { $0.status != .notBuilt }.map { s in
                var status: DockerlintBuilders.StepStatus = s.status == .hit ? .hit : .miss
                var reason: String? = s.reason
                // FROM is no cache lookup on either builder: a local base image resolves
                // (BuildKit `DONE`, classic `---> <id>`) and the drivers report it as a hit.
                if s.instruction == "FROM" { status = .hit; reason = "base image resolved locally" }
                // The cold build runs with `nocache`: everything executes; FROM only resolves.
                if build.noCache && s.instruction != "FROM" { status = .miss; reason = "cold build (nocache)" }
                return PredictedStep(line: s.line, instruction: s.text, stage: s.stageName ?? "stage-\(s.stage)",
                                     status: status, reason: reason, seconds: s.costSeconds, identity: s.identity,
                                     stageIndex: s.stage, keyword: s.instruction, cause: s.cause.rawValue)
            }
            // Classic prints `Step 1/n : FROM …` for every stage it builds; the simulator has no
            // step for it (nothing is probed), so the bench adds the resolved base as a hit.
            if simulator.engine == .classic, case .success(let stages) = model.classicStages(target: build.target) {
                for si in stages where !out.contains(where: { $0.stageIndex == si && $0.keyword == "FROM" }) {
                    let st = model.stages[si]
                    let at = out.firstIndex { ($0.stageIndex ?? 0) >= si } ?? out.count
                    out.insert(PredictedStep(line: st.from.syntax.startLine, instruction: BenchStepMap.firstLine(st.from.syntax),
                                             stage: st.displayName, status: .hit, reason: "base image resolved locally",
                                             stageIndex: si, keyword: "FROM"), at: at)
                }
            }
            return out
        }
    }
}
