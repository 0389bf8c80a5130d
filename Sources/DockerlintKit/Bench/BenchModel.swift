// Data types of `dockerlint bench`: what is asked (configuration, plan builds), what is measured
// (builds and steps with layer bytes), what is predicted, and how they agree.
import DockerlintBuilders
import DockerlintModel
import DockerlintSupport
import Foundation

/// A build of the simulator's plan format (`builds:` items).
public struct BenchPlanBuild: Sendable, Equatable {
    public var name: String?
    /// Context directory (absolute, or relative to the plan file).
    public var context: String
    /// Dockerfile path (relative to the context unless absolute); nil = `<context>/Dockerfile`.
    public var dockerfile: String?
    public var buildArgs: [String: String]
    public var target: String?
    public init(name: String? = nil, context: String, dockerfile: String? = nil, buildArgs: [String: String] = [:],
                target: String? = nil) {
        self.name = name
        self.context = context
        self.dockerfile = dockerfile
        self.buildArgs = buildArgs
        self.target = target
    }
}

/// Everything `BenchRunner` needs.
public struct BenchConfiguration: Sendable {
    /// The Dockerfile (absolute or relative to the working directory).
    public var dockerfile: String
    /// The build context directory; never written to.
    public var context: String
    public var edits: [String]
    /// `A..B` (or one revision): every first-parent commit of the range, oldest first.
    public var gitRange: String?
    /// Builds read from a plan file (already parsed; see `BenchPlan.load`).
    public var planBuilds: [BenchPlanBuild]
    public var buildArgs: [String: String]
    public var target: String?
    /// Repetitions of the whole sequence, each with a fresh cache.
    public var runs: Int
    /// Seconds per build before it is cancelled.
    public var timeout: Double
    /// Where scratch directories go (default: the system temp dir).
    public var scratchRoot: String?
    /// The cache every build starts from. Anything but `local` builds each commit on a fresh
    /// runner: the engine's whole build cache is pruned first (`pruneBuildCache` must be set),
    /// and only what the previous build exported to `registry` is imported.
    public var ciCache: CICacheMode = .local
    /// Consent to removing the engine's build cache before every build (CI caches).
    public var pruneBuildCache = false
    /// Push every build to `registry` and count what is sent.
    public var push = false
    /// `host:port` of the registry for pushes and CI caches; nil: 127.0.0.1:5000 when it
    /// answers, else a docker-registry the bench starts for the run.
    public var registry: String?
    /// The engine release to model; nil: detected from the engine's `/version`.
    public var release: EngineRelease?

    public init(dockerfile: String, context: String, edits: [String] = [], gitRange: String? = nil,
                planBuilds: [BenchPlanBuild] = [], buildArgs: [String: String] = [:], target: String? = nil,
                runs: Int = 1, timeout: Double = 900, scratchRoot: String? = nil) {
        self.dockerfile = dockerfile
        self.context = context
        self.edits = edits
        self.gitRange = gitRange
        self.planBuilds = planBuilds
        self.buildArgs = buildArgs
        self.target = target
        self.runs = runs
        self.timeout = timeout
        self.scratchRoot = scratchRoot
    }
}

/// What the simulator (or any predictor) says about one step.
public struct PredictedStep: Sendable, Equatable, Codable {
    /// 1-based line of the instruction in the Dockerfile.
    public var line: Int
    public var instruction: String
    /// Stage name, or `stage-N`.
    public var stage: String
    /// `hit` or `miss`.
    public var status: StepStatus
    /// Why (first changed input, "cache busted above", ...).
    public var reason: String?
    /// Predicted seconds when a costs file is known.
    public var seconds: Double?
    /// The simulator's stable step identity (`<stage>:<KEYWORD>#<n>`), when it gives one.
    public var identity: String?
    public var stageIndex: Int?
    /// Upper-case keyword.
    public var keyword: String?
    /// The simulator's cause (`StepCause` raw value: `restored-uncertain`, `parent-rebuilt`, …).
    public var cause: String? = nil
    public init(line: Int, instruction: String, stage: String, status: StepStatus, reason: String? = nil,
                seconds: Double? = nil, identity: String? = nil, stageIndex: Int? = nil, keyword: String? = nil,
                cause: String? = nil) {
        self.cause = cause
        self.identity = identity
        self.stageIndex = stageIndex
        self.keyword = keyword
        self.line = line
        self.instruction = instruction
        self.stage = stage
        self.status = status
        self.reason = reason
        self.seconds = seconds
    }
}

/// One measured step, with the prediction beside it.
public struct BenchStep: Sendable, Equatable {
    public var line: Int?
    /// The Dockerfile's text of the instruction (first line) when mapped, else the builder's.
    public var instruction: String
    public var stage: String
    public var status: StepStatus
    public var seconds: Double
    /// Stage index from 0 and upper-case keyword, when the step was tied to an instruction.
    public var stageIndex: Int? = nil
    public var keyword: String? = nil
    /// What the builder printed (`[2/3] RUN pip install flask` → `RUN pip install flask`).
    public var builderInstruction: String
    public var error: String?
    public var predicted: PredictedStep?
    /// nil when there is no prediction for the step.
    public var agrees: Bool? {
        guard let p = predicted else { return nil }
        return p.status == status
    }
}

/// One measured build.
public struct BenchBuild: Sendable {
    /// 1-based position in the run's sequence.
    public var index: Int
    public var run: Int
    /// The label value `dev.dockerlint.bench=<runID>` this run's images carried.
    public var runID: String
    /// `cold`, `edit app.py`, `commit 1a2b3c…`, plan name.
    public var scenario: String
    public var builder: BuilderKind
    public var wallSeconds: Double
    public var steps: [BenchStep]
    public var imageID: String?
    /// Sum of the image's layer sizes (uncompressed, engine `Size`).
    public var imageBytes: Int?
    /// Uncompressed bytes of layers no earlier build of this run produced: what `docker push`
    /// would upload after pushing the earlier images ("Layer already exists" for the rest).
    public var newLayerBytes: Int?
    public var newLayers: Int?
    public var error: String?
    /// Steps predicted (by line) that the builder never reported.
    public var unmatchedPredictions: [PredictedStep]
    /// `--push`: what the registry received, beside the prediction.
    public var push: BenchPush? = nil
    /// The Dockerfile the build was made from (what `BenchOutput.costs` aligns builds by).
    public var model: DockerfileModel? = nil
}

/// One build's push: measured per layer, and what the simulator predicted.
public struct BenchPush: Sendable, Equatable, Encodable {
    public var reference: String
    public var uploaded: Int
    public var existing: Int
    public var mounted: Int
    /// Compressed bytes of the uploaded layers.
    public var bytesSent: Int
    /// Layers the simulator predicts to be new (the layers of steps predicted to run, and on
    /// the first push every layer), and their compressed bytes in this image.
    public var predictedNewLayers: Int
    public var predictedNewBytes: Int
}

/// The engine a bench ran on, from its `/version`.
public struct BenchEngine: Sendable, Equatable {
    /// `26.1.5+dfsg1`.
    public var version: String
    public var apiVersion: String
    /// The release the simulator modelled.
    public var release: EngineRelease
    /// False when `version` is not a verified release and `release` stands in for it.
    public var exact: Bool
    /// `Docker 26.1.5+dfsg1 (API 1.45), modelled as docker-26 (BuildKit v0.13)`.
    public var summary: String {
        "Docker \(version) (API \(apiVersion)), modelled as \(release.rawValue) (BuildKit \(release.buildKit))"
            + (exact ? "" : "; not a verified release, the nearest verified one stands in")
    }
}

/// One disagreement between the builder and the prediction (encoded as the bench JSON has it).
public struct BenchDisagreement: Sendable, Equatable, Encodable {
    public var run: Int
    public var build: Int
    public var scenario: String
    public var line: Int?
    public var instruction: String
    public var measured: StepStatus?
    public var predicted: StepStatus?
    public var reason: String?
}

/// The result of `dockerlint bench`.
public struct BenchReport: Sendable {
    public var builder: BuilderKind
    public var builderSummary: String
    public var predictor: String
    public var dockerfile: String
    public var context: String
    public var runs: Int
    public var builds: [BenchBuild]
    /// The engine, for Docker builders.
    public var engine: BenchEngine? = nil
    /// The cache every build started from.
    public var ciCache: CICacheMode = .local
    /// The registry used for pushes and CI caches.
    public var registry: String? = nil

    /// Measured steps that have a prediction.
    public var comparedSteps: Int { builds.flatMap(\.steps).filter { $0.agrees != nil }.count }
    public var agreeingSteps: Int { builds.flatMap(\.steps).filter { $0.agrees == true }.count }
    /// agreeing / compared (1 when nothing was compared).
    public var agreementRate: Double {
        comparedSteps == 0 ? 1 : Double(agreeingSteps) / Double(comparedSteps)
    }

    public var disagreements: [BenchDisagreement] {
        var out: [BenchDisagreement] = []
        for b in builds {
            for s in b.steps where s.agrees != true {
                out.append(BenchDisagreement(run: b.run, build: b.index, scenario: b.scenario, line: s.line,
                                             instruction: s.instruction, measured: s.status,
                                             predicted: s.predicted?.status, reason: s.predicted?.reason))
            }
            for p in b.unmatchedPredictions {
                out.append(BenchDisagreement(run: b.run, build: b.index, scenario: b.scenario, line: p.line,
                                             instruction: p.instruction, measured: nil, predicted: p.status,
                                             reason: "predicted a step the builder did not report"))
            }
        }
        return out
    }

    /// Builds of one position across runs (for medians).
    public func builds(at index: Int) -> [BenchBuild] { builds.filter { $0.index == index } }
    public var sequenceLength: Int { builds.map(\.index).max() ?? 0 }
}

/// Median and spread of a sample.
public struct BenchStatistic: Sendable, Equatable, Encodable {
    public var median: Double
    public var min: Double
    public var max: Double
    public var count: Int
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        let s = values.sorted()
        count = s.count
        median = s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        min = s.first!
        max = s.last!
    }
    /// max − min.
    public var spread: Double { max - min }
}

extension BenchPush {
    /// Measured counts from the push; the prediction from the steps of the final image. The
    /// image's history names what made each layer; the entries of layer-making instructions
    /// (RUN, COPY, ADD, WORKDIR) are paired, from the end, with `finalSteps` (the final image's
    /// steps in Dockerfile order, with their predicted status), so base-image entries are left
    /// over at the front. A layer is predicted new when its step is predicted to run, and every
    /// layer is on the first push.
    static func make(_ r: PushResult, first: Bool, finalSteps: [(keyword: String, status: StepStatus)]) -> BenchPush {
        var predicted = [Bool](repeating: first, count: r.layers.count)
        if !first {
            // Layer index of every history entry that made one.
            var layerOf: [Int?] = []
            var next = 0
            for h in r.history {
                layerOf.append(h.emptyLayer ? nil : next)
                if !h.emptyLayer { next += 1 }
            }
            let made = ["RUN", "COPY", "ADD", "WORKDIR"]
            func keyword(_ createdBy: String) -> String? {
                var c = createdBy.trimmingCharacters(in: .whitespaces)
                if let r = c.range(of: "#(nop) ") { c = String(c[r.upperBound...]).trimmingCharacters(in: .whitespaces) }
                if c.hasPrefix("/bin/sh -c ") { return "RUN" }
                let k = String(c.split(separator: " ").first ?? "").uppercased()
                return made.contains(k) ? k : nil
            }
            var h = r.history.count - 1
            for step in finalSteps.reversed() where made.contains(step.keyword) {
                while h >= 0, keyword(r.history[h].createdBy) != step.keyword { h -= 1 }
                guard h >= 0 else { break }
                if let l = layerOf[h], l < predicted.count { predicted[l] = step.status == .miss }
                h -= 1
            }
        }
        var bytes = 0
        for (l, p) in zip(r.layers, predicted) where p { bytes += l.size }
        return BenchPush(reference: r.reference, uploaded: r.uploaded, existing: r.existing, mounted: r.mounted,
                         bytesSent: r.bytesSent, predictedNewLayers: predicted.filter { $0 }.count, predictedNewBytes: bytes)
    }
}
