// Renderings of a bench report: JSON (reports/schemas/bench-output.schema.json), a terminal
// table, Markdown; and measured step costs in the simulator's costs format.
import DockerlintBuilders
import struct DockerlintCache.HistoryStepNames
import DockerlintSupport

public enum BenchFormat: String, Sendable, CaseIterable {
    case tty, json, markdown
}

public enum BenchOutput {
    public static func render(_ r: BenchReport, format: BenchFormat, color: Bool = false) -> String {
        switch format {
        case .json: return json(r)
        case .markdown: return markdown(r)
        case .tty: return tty(r, color: color)
        }
    }

    // MARK: JSON

    public static func json(_ r: BenchReport) -> String { encode(BenchJSON.Document(r), nils: .null) }

    /// Pretty JSON, keys sorted (the bench types' encodings never throw).
    static func encode<T: Encodable>(_ value: T, nils: JSONValueEncoder.Nils) -> String {
        ((try? JSONValueEncoder(nils: nils).encode(value)) ?? .null).serialized() + "\n"
    }

    // MARK: text

    /// A byte count (`NumberFormat.bytes`, binary units), `-` when unknown.
    public static func bytes(_ n: Int?) -> String { n.map(NumberFormat.bytes) ?? "-" }

    static func secs(_ s: Double) -> String { NumberFormat.fixed(s, 2) + "s" }

    public static func tty(_ r: BenchReport, color: Bool) -> String {
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        var out: [String] = []
        out.append("dockerlint bench: \(r.dockerfile) on \(r.builderSummary), \(r.runs) run\(r.runs == 1 ? "" : "s"); predictions: \(r.predictor)")
        out.append(contextLine(r))
        for b in r.builds {
            out.append("")
            var head = "run \(b.run) build \(b.index): \(b.scenario)  wall \(secs(b.wallSeconds))  new layers \(bytes(b.newLayerBytes))  image \(bytes(b.imageBytes))"
            if let e = b.error { head += "  " + paint("FAILED: \(Table.clip(e, 100))", "31") }
            out.append(paint(head, "1"))
            if let p = b.push { out.append("  " + pushLine(p)) }
            // The marks are painted here; the text in the cells is escaped here too.
            var t = Table([.left("line", 5), .left("step", 44), .left("actual", 8), .left("time", 9), .left("predicted")])
            t.escapesControlCharacters = false
            for s in b.steps {
                let mark: String
                switch s.agrees {
                case .some(true): mark = paint("ok", "32")
                case .some(false): mark = paint("DIFFERS", "31") + (s.predicted?.reason.map { " (\(OneLine.escaped($0)))" } ?? "")
                case .none: mark = "-"
                }
                let statusText = s.status == .hit ? "hit" : (s.status == .miss ? "miss" : "not run")
                t.add([s.line.map(String.init) ?? "?", Table.clip(OneLine.escaped(s.instruction), 42), statusText, secs(s.seconds),
                       (s.predicted.map { "\($0.status.rawValue) " } ?? "") + mark])
            }
            for p in b.unmatchedPredictions {
                t.add([String(p.line), Table.clip(OneLine.escaped(p.instruction), 42), "absent", "", "\(p.status.rawValue) " + paint("DIFFERS", "31")])
            }
            out += t.lines(indent: "  ")
        }
        out.append("")
        if r.runs > 1 {
            out.append("medians over \(r.runs) runs:")
            for i in 1...max(1, r.sequenceLength) {
                let bs = r.builds(at: i)
                guard let f = bs.first, let w = BenchStatistic(bs.map(\.wallSeconds)) else { continue }
                out.append("  build \(i) \(Table.pad(f.scenario, 28)) wall \(secs(w.median)) (spread \(secs(w.spread)))"
                           + "  new layers \(bytes(BenchStatistic(bs.compactMap { $0.newLayerBytes.map(Double.init) }).map { Int($0.median) }))")
            }
        }
        if r.comparedSteps == 0 {
            out.append("agreement: no step to compare (no build ran a step)")
        } else {
            out.append("agreement: \(r.agreeingSteps)/\(r.comparedSteps) steps (\(NumberFormat.fixed(r.agreementRate * 100, 1))%)")
        }
        for d in r.disagreements {
            out.append("  run \(d.run) build \(d.build) (\(d.scenario)) line \(d.line.map(String.init) ?? "?") \(Table.clip(d.instruction, 50)): "
                       + "actual \(d.measured?.rawValue ?? "absent"), predicted \(d.predicted?.rawValue ?? "nothing")"
                       + (d.reason.map { " (\($0))" } ?? ""))
        }
        return out.joined(separator: "\n") + "\n"
    }

    public static func markdown(_ r: BenchReport) -> String {
        var out: [String] = []
        out.append("## dockerlint bench: `\(r.dockerfile)`")
        out.append("")
        out.append("Builder: \(r.builderSummary). Runs: \(r.runs). Predictions: \(r.predictor).")
        out.append("")
        out.append(contextLine(r))
        out.append("")
        var builds = Table([.left("run"), .left("build"), .left("scenario"), .left("wall"), .left("new layer bytes"), .left("image"),
                            .left("steps (actual)"), .left("agreement")])
        for b in r.builds {
            let st = b.steps.map { $0.status == .hit ? "H" : ($0.status == .miss ? "M" : "-") }.joined()
            let cmp = b.steps.filter { $0.agrees != nil }
            let ok = cmp.filter { $0.agrees == true }.count
            let compared = cmp.count + b.unmatchedPredictions.count
            builds.add([String(b.run), String(b.index), Markdown.cell(b.scenario) + (b.error != nil ? " (failed)" : ""), secs(b.wallSeconds),
                        bytes(b.newLayerBytes), bytes(b.imageBytes), "`\(st)`", compared == 0 ? "–" : "\(ok)/\(compared)"])
        }
        out += builds.markdownLines()
        if r.builds.contains(where: { $0.push != nil }) {
            out.append("")
            var pushes = Table([.left("run"), .left("build"), .left("pushed to"), .left("uploaded"), .left("already there"), .left("mounted"),
                                .left("bytes sent"), .left("predicted new layers"), .left("predicted bytes")])
            for b in r.builds {
                guard let p = b.push else { continue }
                pushes.add([String(b.run), String(b.index), Markdown.codeCell(p.reference), String(p.uploaded), String(p.existing), String(p.mounted),
                            bytes(p.bytesSent), String(p.predictedNewLayers), bytes(p.predictedNewBytes)])
            }
            out += pushes.markdownLines()
        }
        out.append("")
        if r.comparedSteps == 0 {
            out.append("Agreement: no step to compare (no build ran a step).")
        } else {
            out.append("Agreement: \(r.agreeingSteps)/\(r.comparedSteps) steps (\(NumberFormat.fixed(r.agreementRate * 100, 1))%).")
        }
        let dis = r.disagreements
        if !dis.isEmpty {
            out.append("")
            var t = Table([.left("run"), .left("build"), .left("line"), .left("instruction"), .left("actual"), .left("predicted"), .left("reason")])
            for d in dis {
                t.add([String(d.run), String(d.build), d.line.map(String.init) ?? "?", Markdown.codeCell(d.instruction), d.measured?.rawValue ?? "absent",
                       d.predicted?.rawValue ?? "-", Markdown.cell(d.reason ?? "")])
            }
            out += t.markdownLines()
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// `Engine: Docker 26.1.5 (API 1.45), modelled as docker-26 (BuildKit v0.13). Cache: …`
    static func contextLine(_ r: BenchReport) -> String {
        var parts: [String] = []
        if let e = r.engine { parts.append("Engine: \(e.summary).") }
        parts.append("Cache: \(r.ciCache.rawValue) (\(r.ciCache.summary)).")
        if let reg = r.registry { parts.append("Registry: \(reg).") }
        return parts.joined(separator: " ")
    }

    /// `push 127.0.0.1:5000/…:b2: 1 uploaded, 3 already there, 0 mounted, 12.0 kB sent; predicted 1 new layer, 12.0 kB`.
    static func pushLine(_ p: BenchPush) -> String {
        "push \(p.reference): \(p.uploaded) uploaded, \(p.existing) already there, \(p.mounted) mounted, \(bytes(p.bytesSent)) sent; "
            + "predicted \(p.predictedNewLayers) new layer\(p.predictedNewLayers == 1 ? "" : "s"), \(bytes(p.predictedNewBytes))"
    }

    // MARK: costs

    /// Measured step costs for `simulate --costs` (reports/schemas/costs.schema.json): per step,
    /// the median seconds of the builds where it executed (misses; a cached step says nothing
    /// about its run time). Steps are matched across builds as simulate's history matches them
    /// (`HistoryStepNames`): each build's Dockerfile is aligned with the last build's, and a step
    /// is written as that file names it (identity, line, text), since identities are ordinals
    /// that a RUN inserted above shifts. A step that file no longer has is written by its text
    /// alone (no identity, no line: either would name another step of the file).
    public static func costs(_ r: BenchReport) -> String {
        var names = HistoryStepNames(engine: r.builder.cacheModel)
        let versions = r.builds.map { b in b.model.map { names.version(of: $0) } }
        if let last = versions.last(where: { $0 != nil }), let last { names.nameBy(last) }
        var samples: [String: [Double]] = [:]
        /// Per key: the step as the last build that had it (hit or miss) names it.
        var named: [String: BenchStep] = [:]
        var order: [String] = []
        for (b, version) in zip(r.builds, versions) {
            let mapped = b.steps.filter { $0.line != nil }
            var keys = names.keys(of: mapped.compactMap { $0.predicted?.identity }, version: version).makeIterator()
            for s in mapped {
                let key = s.predicted?.identity == nil ? "\u{2}\(s.stage)\u{0}\(s.line!)" : keys.next()!
                named[key] = s
                guard s.status == .miss else { continue }
                if samples[key] == nil { order.append(key) }
                samples[key, default: []].append(s.seconds)
            }
        }
        let steps: [CostsFile.Step] = order.compactMap { k in
            guard let step = named[k], let st = BenchStatistic(samples[k] ?? []) else { return nil }
            let removed = !HistoryStepNames.isReferenceIdentity(k)
            return CostsFile.Step(line: removed ? nil : step.line, text: step.instruction, seconds: st.median,
                                  identity: removed || step.predicted?.identity == nil ? nil : k,
                                  instruction: step.keyword, stage: step.stageIndex)
        }
        let source = "dockerlint bench, \(r.builderSummary), median of \(r.runs) run(s)"
        let builder = r.builder == .buildkit || r.builder == .classic ? r.builder.rawValue : nil
        return encode(CostsFile(dockerfile: r.dockerfile, source: source, builder: builder, steps: steps), nils: .omitted)
    }

    /// reports/schemas/costs.schema.json.
    struct CostsFile: Encodable {
        struct Step: Encodable {
            var line: Int?
            var text: String
            var seconds: Double
            var status = "miss"
            var identity: String?
            var instruction: String?
            var stage: Int?
            init(line: Int?, text: String, seconds: Double, identity: String?, instruction: String?, stage: Int?) {
                self.line = line; self.text = text; self.seconds = seconds
                self.identity = identity; self.instruction = instruction; self.stage = stage
            }
        }
        var version = 1
        var dockerfile: String
        var source: String
        var builder: String?
        var steps: [Step]
    }
}

/// reports/schemas/bench-output.schema.json as Encodable types, member for member. They are
/// written with `JSONValueEncoder(nils: .null)`: the schema requires almost every member, an
/// absent value as `null`; the two it does not require say so in their coding keys.
enum BenchJSON {
    struct Document: Encodable {
        var version = 1
        var dockerfile: String
        var context: String
        var builder: BuilderKind
        var builderSummary: String
        var predictor: String
        var runs: Int
        var builds: [Build]
        var engine: Engine?
        var ciCache: CICacheMode
        var registry: String?
        var summary: Summary

        init(_ r: BenchReport) {
            dockerfile = r.dockerfile; context = r.context; builder = r.builder; builderSummary = r.builderSummary
            predictor = r.predictor; runs = r.runs; builds = r.builds.map(Build.init); engine = r.engine.map(Engine.init)
            ciCache = r.ciCache; registry = r.registry
            summary = Summary(sequence: SequenceEntry.all(r), comparedSteps: r.comparedSteps, agreeingSteps: r.agreeingSteps,
                              agreementRate: r.agreementRate, disagreements: r.disagreements)
        }
    }

    struct Summary: Encodable {
        var sequence: [SequenceEntry]
        var comparedSteps: Int
        var agreeingSteps: Int
        var agreementRate: Double
        var disagreements: [BenchDisagreement]
    }

    /// Each position of the build sequence: medians over the runs.
    struct SequenceEntry: Encodable {
        var index: Int
        var scenario: String
        var wallSeconds: BenchStatistic?
        var newLayerBytes: BenchStatistic?
        var imageBytes: BenchStatistic?

        static func all(_ r: BenchReport) -> [SequenceEntry] {
            (1...max(1, r.sequenceLength)).compactMap { i in
                let bs = r.builds(at: i)
                guard let first = bs.first else { return nil }
                return SequenceEntry(index: i, scenario: first.scenario, wallSeconds: BenchStatistic(bs.map(\.wallSeconds)),
                                     newLayerBytes: BenchStatistic(bs.compactMap { $0.newLayerBytes.map(Double.init) }),
                                     imageBytes: BenchStatistic(bs.compactMap { $0.imageBytes.map(Double.init) }))
            }
        }
    }

    struct Build: Encodable {
        var run: Int
        var index: Int
        var scenario: String
        var builder: BuilderKind
        var wallSeconds: Double
        var imageId: String?
        var imageBytes: Int?
        var newLayerBytes: Int?
        var newLayers: Int?
        var error: String?
        var steps: [Step]
        var unmatchedPredictions: [Prediction]
        var push: BenchPush?

        init(_ b: BenchBuild) {
            run = b.run; index = b.index; scenario = b.scenario; builder = b.builder; wallSeconds = b.wallSeconds
            imageId = b.imageID; imageBytes = b.imageBytes; newLayerBytes = b.newLayerBytes; newLayers = b.newLayers
            error = b.error; steps = b.steps.map(Step.init); unmatchedPredictions = b.unmatchedPredictions.map(Prediction.init); push = b.push
        }
    }

    struct Step: Encodable {
        var line: Int?
        var instruction: String
        var stage: String
        var status: StepStatus
        var seconds: Double
        var builderInstruction: String
        var error: String?
        var prediction: Prediction?
        var agrees: Bool?

        init(_ s: BenchStep) {
            line = s.line; instruction = s.instruction; stage = s.stage; status = s.status; seconds = s.seconds
            builderInstruction = s.builderInstruction; error = s.error; prediction = s.predicted.map(Prediction.init); agrees = s.agrees
        }
    }

    /// A prediction as the bench output shows it (`PredictedStep`'s own coding keeps every field).
    struct Prediction: Encodable {
        var line: Int
        var instruction: String
        var stage: String
        var status: StepStatus
        var reason: String?
        var seconds: Double?
        var cause: String?

        enum CodingKeys: String, JSONOptionalMember {
            case line, instruction, stage, status, reason, seconds, cause
            var omittedWhenNil: Bool { self == .seconds || self == .cause }
        }

        init(_ p: PredictedStep) {
            line = p.line; instruction = p.instruction; stage = p.stage; status = p.status; reason = p.reason
            seconds = p.seconds; cause = p.cause
        }
    }

    struct Engine: Encodable {
        var version: String
        var apiVersion: String
        var release: EngineRelease
        var exact: Bool
        var summary: String

        init(_ e: BenchEngine) {
            version = e.version; apiVersion = e.apiVersion; release = e.release; exact = e.exact; summary = e.summary
        }
    }
}
