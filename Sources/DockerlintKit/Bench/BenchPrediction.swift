// How predictions plug into the bench: a tiny session protocol (one call per build, in order,
// while the build's scratch context still exists), the mapping of builder steps to Dockerfile
// lines, and a baseline chain predictor used until the simulator is wired in.
import DockerlintBuilders
import DockerlintCache
import DockerlintModel
import DockerlintSupport
import DockerlintSyntax
import Foundation

/// One build as a predictor sees it.
public struct BenchBuildInput: Sendable {
    /// The scratch context exactly as sent (ignored files already left out).
    public var context: URL
    /// Dockerfile path relative to `context`.
    public var dockerfile: String
    public var buildArgs: [String: String]
    public var target: String?
    /// The bench's cold build: `nocache`, every step executes.
    public var noCache: Bool
    public var scenario: String
    public init(context: URL, dockerfile: String, buildArgs: [String: String], target: String?, noCache: Bool,
                scenario: String) {
        self.context = context
        self.dockerfile = dockerfile
        self.buildArgs = buildArgs
        self.target = target
        self.noCache = noCache
        self.scenario = scenario
    }
}

/// A predictor's state across one run's sequence (a fresh session per run: fresh cache).
public protocol BenchPredictionSession: AnyObject {
    /// The predicted steps of the next build, in builder order.
    func predict(_ build: BenchBuildInput) throws -> [PredictedStep]
}

/// Makes sessions. The simulator adapter and the baseline implement this.
public protocol BenchPredictor: Sendable {
    /// Shown in reports (`simulator`, `baseline chain model`).
    var name: String { get }
    func session(builder: BuilderKind) -> any BenchPredictionSession
}

// MARK: - Steps as builders number them

/// One step the builder will report, tied to its Dockerfile instruction.
public struct PlannedStep: Sendable, Equatable {
    public var stageIndex: Int
    public var stage: String
    public var line: Int
    /// The instruction's first source line, trimmed.
    public var instruction: String
    public var keyword: String
    /// Builder numbering: BuildKit `[stage k/n]` (k per stage), classic/buildah `Step k/n` (global).
    public var index: Int
}

public enum BenchStepMap {
    /// The Dockerfile model for one build.
    /// The base images (not `scratch`, not a stage) of the stages a build of `model` runs, in
    /// stage order.
    static func baseImages(_ model: DockerfileModel, target: String?) -> [String] {
        guard case .success(let indices) = model.reachableStages(target: target) else { return [] }
        var names: [String] = []
        for i in indices {
            if case .image(let name) = model.stages[i].base, !name.isEmpty, !names.contains(name) { names.append(name) }
        }
        return names
    }

    public static func model(text: String, buildArgs: [String: String], target: String?) -> DockerfileModel {
        DockerfileModel.parse(text, options: BuildOptions(buildArgs: BuildArgs(buildArgs), target: target))
    }

    static func firstLine(_ i: Instruction) -> String {
        let t = i.original.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? i.original
        var s = t.trimmingCharacters(in: .whitespaces)
        if s.hasSuffix("\\") { s.removeLast(); s = s.trimmingCharacters(in: .whitespaces) + " …" }
        return s
    }

    /// Does BuildKit make a vertex (a `[k/n]` step) of this instruction?
    static func isBuildKitVertex(_ m: ModelInstruction) -> Bool {
        switch m.syntax.kind {
        case .from, .run, .copy, .add: return true
        case .workdir:
            // `WORKDIR /` makes no mkdir op.
            let dir = m.resolved?.workdir ?? m.syntax.arguments.first?.value ?? ""
            return dir != "/"
        default: return false
        }
    }

    /// The steps `builder` reports for this model and target, in its order.
    public static func plannedSteps(_ model: DockerfileModel, builder: BuilderKind, target: String?) -> [PlannedStep] {
        var out: [PlannedStep] = []
        switch builder {
        case .buildkit:
            guard case .success(let stages) = model.reachableStages(target: target) else { return [] }
            for si in stages {
                let st = model.stages[si]
                let ins = ([st.from] + st.instructions).filter(isBuildKitVertex)
                for (k, m) in ins.enumerated() {
                    out.append(PlannedStep(stageIndex: si, stage: st.displayName, line: m.syntax.startLine,
                                           instruction: firstLine(m.syntax), keyword: m.syntax.keyword.uppercased(), index: k + 1))
                }
            }
        case .classic, .buildah, .podman:
            guard case .success(let stages) = model.classicStages(target: target) else { return [] }
            var k = 0
            for si in stages {
                let st = model.stages[si]
                for m in [st.from] + st.instructions {
                    k += 1
                    out.append(PlannedStep(stageIndex: si, stage: st.displayName, line: m.syntax.startLine,
                                           instruction: firstLine(m.syntax), keyword: m.syntax.keyword.uppercased(), index: k))
                }
            }
        }
        return out
    }

    /// Ties measured steps to planned ones: BuildKit by (stage, k) — an unnamed single stage
    /// prints no stage, so it is the target stage; the others by the global k.
    public static func match(_ step: StepResult, in planned: [PlannedStep], builder: BuilderKind) -> PlannedStep? {
        switch builder {
        case .buildkit:
            let candidates: [PlannedStep]
            if let s = step.stage {
                candidates = planned.filter { $0.stage == s.lowercased() || $0.stage == s }
            } else {
                let last = planned.last?.stageIndex
                candidates = planned.filter { $0.stageIndex == last }
            }
            return candidates.first { $0.index == step.index }
        default:
            return planned.first { $0.index == step.index }
        }
    }
}

// MARK: - Baseline predictor

/// A small chain model of both cache families, enough for straight-line Dockerfiles: each step's
/// key is its instruction text + parent key (+ the in-scope ENV/ARG values for RUN, + the
/// content of COPY/ADD sources in the scratch context); a step hits when an earlier build of
/// the same run made the same key. Classic busts the rest of the stage after a miss. It is the
/// stand-in until the simulator (`CacheSimulator`) is wired in through `BenchPredictor`.
public struct BaselineChainPredictor: BenchPredictor {
    public init() {}
    public var name: String { "baseline chain model" }
    public func session(builder: BuilderKind) -> any BenchPredictionSession { Session(builder: builder) }

    final class Session: BenchPredictionSession {
        let builder: BuilderKind
        var seen = Set<String>()
        init(builder: BuilderKind) { self.builder = builder }

        func predict(_ build: BenchBuildInput) throws -> [PredictedStep] {
            let path = build.context.path + "/" + build.dockerfile
            let text = String(decoding: try FileIO.read(path), as: UTF8.self)
            let model = BenchStepMap.model(text: text, buildArgs: build.buildArgs, target: build.target)
            let snapshot = try ContextSnapshot.scan(directory: build.context.path)
            let planned = BenchStepMap.plannedSteps(model, builder: builder, target: build.target)
            let plannedLines = Set(planned.map { "\($0.stageIndex):\($0.line)" })
            let stages = (builder == .buildkit ? try? model.reachableStages(target: build.target).get()
                                               : try? model.classicStages(target: build.target).get()) ?? []
            var stageKeys: [Int: String] = [:]
            var out: [PredictedStep] = []
            for si in stages {
                let st = model.stages[si]
                var key: String
                switch st.base {
                case .stage(let i): key = "stage:" + (stageKeys[i] ?? "?")
                default: key = "image:" + st.baseName
                }
                var busted = false
                var firstChange: String?
                for m in [st.from] + st.instructions {
                    let isStep = plannedLines.contains("\(si):\(m.syntax.startLine)")
                    let kind = m.syntax.kind
                    if kind == .from {
                        if isStep { out.append(step(m, st, .hit, "base image")) }
                        continue
                    }
                    if builder == .buildkit && !isStep { continue }   // config only: never a key
                    var parts = [key, m.syntax.original.trimmingCharacters(in: .whitespacesAndNewlines)]
                    if kind == .run {
                        parts += m.scope.filter { ($0.origin == .env || $0.origin == .stageArg) && $0.value != nil }
                            .map { "\($0.name)=\($0.value!)" }
                    }
                    if kind == .copy || kind == .add {
                        if case .copy(let c) = m.typed?.command, let from = c.from?.value {
                            let idx = model.stageIndex(named: from) ?? Int(from)
                            parts.append("from:" + (idx.flatMap { stageKeys[$0] } ?? from))
                        } else {
                            for src in m.resolved?.sources ?? [] { parts.append(sourceDigest(src, snapshot)) }
                        }
                    }
                    key = digest(parts)
                    let status: DockerlintBuilders.StepStatus
                    var reason: String?
                    if build.noCache {
                        status = .miss; reason = "cold build (no cache)"
                    } else if busted && builder != .buildkit {
                        status = .miss; reason = "cache busted above" + (firstChange.map { " (\($0))" } ?? "")
                    } else if seen.contains(key) {
                        status = .hit
                    } else {
                        status = .miss
                        reason = (kind == .copy || kind == .add) ? "source content or parent changed" : "instruction or parent changed"
                        if firstChange == nil { firstChange = "line \(m.syntax.startLine)" }
                    }
                    if status == .miss { busted = true }
                    seen.insert(key)
                    if isStep { out.append(step(m, st, status, reason)) }
                }
                stageKeys[si] = key
            }
            return out
        }

        func step(_ m: ModelInstruction, _ st: Stage, _ s: DockerlintBuilders.StepStatus, _ r: String?) -> PredictedStep {
            PredictedStep(line: m.syntax.startLine, instruction: BenchStepMap.firstLine(m.syntax), stage: st.displayName,
                          status: s, reason: r)
        }

        func sourceDigest(_ src: String, _ snap: ContextSnapshot) -> String {
            var p = goPathClean(src)
            while p.hasPrefix("/") { p.removeFirst() }
            if p == "." { p = "" }
            let hasGlob = p.contains { "*?[".contains($0) }
            var parts: [String] = []
            for path in snap.allPaths.sorted() {
                let inside: Bool
                if hasGlob {
                    let top = path.split(separator: "/").prefix(p.split(separator: "/").count).joined(separator: "/")
                    inside = (try? goPathMatch(p, top)) ?? false
                } else {
                    inside = p.isEmpty || path == p || path.hasPrefix(p + "/")
                }
                guard inside, let e = snap.entry(at: path) else { continue }
                parts.append("\(path)|\(e.kind)|\(String(e.permissionBits, radix: 8))|\(e.size)|\(e.linkTarget ?? "")|\(e.contentDigest ?? "")")
            }
            return "src:" + src + ":" + digest(parts)
        }
    }
}

/// FNV-1a 128-bit (two 64-bit lanes) over the parts: a stable in-process key.
func digest(_ parts: [String]) -> String {
    var a: UInt64 = 0xcbf29ce484222325, b: UInt64 = 0x84222325cbf29ce4
    for part in parts {
        for byte in part.utf8 {
            a = (a ^ UInt64(byte)) &* 0x100000001b3
            b = (b ^ UInt64(byte)) &* 0x100000001b3 &+ 0x9e3779b97f4a7c15
        }
        a = (a ^ 0xff) &* 0x100000001b3
        b = (b ^ 0xfe) &* 0x100000001b3
    }
    return String(a, radix: 16) + String(b, radix: 16)
}
