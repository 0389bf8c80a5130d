// Renderings of a bench report: JSON (reports/schemas/bench-output.schema.json), a terminal
// table, Markdown; and measured step costs in the simulator's costs format.
import DockerlintBuilders
import DockerlintSupport
import Foundation

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

    static func predictionObject(_ p: PredictedStep) -> [String: Any] {
        var o: [String: Any] = ["line": p.line, "instruction": p.instruction, "stage": p.stage, "status": p.status.rawValue]
        o["reason"] = p.reason ?? NSNull()
        if let s = p.seconds { o["seconds"] = s }
        if let c = p.cause { o["cause"] = c }
        return o
    }

    static func statObject(_ s: BenchStatistic?) -> Any {
        guard let s else { return NSNull() }
        return ["median": s.median, "min": s.min, "max": s.max, "count": s.count]
    }

    public static func jsonObject(_ r: BenchReport) -> [String: Any] {
        let builds: [[String: Any]] = r.builds.map { b in
            [
                "run": b.run, "index": b.index, "scenario": b.scenario, "builder": b.builder.rawValue,
                "wallSeconds": b.wallSeconds, "imageId": b.imageID ?? NSNull(),
                "imageBytes": b.imageBytes ?? NSNull(), "newLayerBytes": b.newLayerBytes ?? NSNull(),
                "newLayers": b.newLayers ?? NSNull(), "error": b.error ?? NSNull(),
                "steps": b.steps.map { s -> [String: Any] in
                    [
                        "line": s.line ?? NSNull(), "instruction": s.instruction, "stage": s.stage,
                        "status": s.status.rawValue, "seconds": s.seconds, "builderInstruction": s.builderInstruction,
                        "error": s.error ?? NSNull(),
                        "prediction": s.predicted.map(predictionObject) ?? NSNull(),
                        "agrees": s.agrees ?? NSNull(),
                    ]
                },
                "unmatchedPredictions": b.unmatchedPredictions.map(predictionObject),
                "push": b.push.map { p -> [String: Any] in
                    ["reference": p.reference, "uploaded": p.uploaded, "existing": p.existing, "mounted": p.mounted,
                     "bytesSent": p.bytesSent, "predictedNewLayers": p.predictedNewLayers, "predictedNewBytes": p.predictedNewBytes]
                } ?? NSNull(),
            ]
        }
        let sequence: [[String: Any]] = (1...max(1, r.sequenceLength)).compactMap { i in
            let bs = r.builds(at: i)
            guard let first = bs.first else { return nil }
            return ["index": i, "scenario": first.scenario,
                    "wallSeconds": statObject(BenchStatistic(bs.map(\.wallSeconds))),
                    "newLayerBytes": statObject(BenchStatistic(bs.compactMap { $0.newLayerBytes.map(Double.init) })),
                    "imageBytes": statObject(BenchStatistic(bs.compactMap { $0.imageBytes.map(Double.init) }))]
        }
        let dis: [[String: Any]] = r.disagreements.map { d in
            ["run": d.run, "build": d.build, "scenario": d.scenario, "line": d.line ?? NSNull(),
             "instruction": d.instruction, "measured": d.measured?.rawValue ?? NSNull(),
             "predicted": d.predicted?.rawValue ?? NSNull(), "reason": d.reason ?? NSNull()]
        }
        return [
            "version": 1, "dockerfile": r.dockerfile, "context": r.context, "builder": r.builder.rawValue,
            "builderSummary": r.builderSummary, "predictor": r.predictor, "runs": r.runs, "builds": builds,
            "engine": r.engine.map { e -> [String: Any] in
                ["version": e.version, "apiVersion": e.apiVersion, "release": e.release.rawValue, "exact": e.exact, "summary": e.summary]
            } ?? NSNull(),
            "ciCache": r.ciCache.rawValue, "registry": r.registry ?? NSNull(),
            "summary": ["sequence": sequence, "comparedSteps": r.comparedSteps, "agreeingSteps": r.agreeingSteps,
                        "agreementRate": r.agreementRate, "disagreements": dis],
        ]
    }

    public static func json(_ r: BenchReport) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: jsonObject(r), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    // MARK: text

    /// A byte count (`NumberFormat.bytes`, binary units), `-` when unknown.
    public static func bytes(_ n: Int?) -> String { n.map(NumberFormat.bytes) ?? "-" }

    static func secs(_ s: Double) -> String { NumberFormat.fixed(s, 2) + "s" }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

    static func clip(_ s: String, _ n: Int) -> String { s.count <= n ? s : String(s.prefix(n - 1)) + "…" }

    public static func tty(_ r: BenchReport, color: Bool) -> String {
        func paint(_ s: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        var out: [String] = []
        out.append("dockerlint bench: \(r.dockerfile) on \(r.builderSummary), \(r.runs) run\(r.runs == 1 ? "" : "s"); predictions: \(r.predictor)")
        out.append(contextLine(r))
        for b in r.builds {
            out.append("")
            var head = "run \(b.run) build \(b.index): \(b.scenario)  wall \(secs(b.wallSeconds))  new layers \(bytes(b.newLayerBytes))  image \(bytes(b.imageBytes))"
            if let e = b.error { head += "  " + paint("FAILED: \(clip(e, 100))", "31") }
            out.append(paint(head, "1"))
            if let p = b.push { out.append("  " + pushLine(p)) }
            out.append("  " + pad("line", 5) + pad("step", 44) + pad("actual", 8) + pad("time", 9) + "predicted")
            for s in b.steps {
                let mark: String
                switch s.agrees {
                case .some(true): mark = paint("ok", "32")
                case .some(false): mark = paint("DIFFERS", "31") + (s.predicted?.reason.map { " (\($0))" } ?? "")
                case .none: mark = "-"
                }
                let statusText = s.status == .hit ? "hit" : (s.status == .miss ? "miss" : "not run")
                out.append("  " + pad(s.line.map(String.init) ?? "?", 5) + pad(clip(s.instruction, 42), 44) + pad(statusText, 8)
                           + pad(secs(s.seconds), 9) + (s.predicted.map { "\($0.status.rawValue) " } ?? "") + mark)
            }
            for p in b.unmatchedPredictions {
                out.append("  " + pad(String(p.line), 5) + pad(clip(p.instruction, 42), 44) + pad("absent", 8) + pad("", 9)
                           + "\(p.status.rawValue) " + paint("DIFFERS", "31"))
            }
        }
        out.append("")
        if r.runs > 1 {
            out.append("medians over \(r.runs) runs:")
            for i in 1...max(1, r.sequenceLength) {
                let bs = r.builds(at: i)
                guard let f = bs.first, let w = BenchStatistic(bs.map(\.wallSeconds)) else { continue }
                out.append("  build \(i) \(pad(f.scenario, 28)) wall \(secs(w.median)) (spread \(secs(w.spread)))"
                           + "  new layers \(bytes(BenchStatistic(bs.compactMap { $0.newLayerBytes.map(Double.init) }).map { Int($0.median) }))")
            }
        }
        if r.comparedSteps == 0 {
            out.append("agreement: no step to compare (no build ran a step)")
        } else {
            out.append("agreement: \(r.agreeingSteps)/\(r.comparedSteps) steps (\(NumberFormat.fixed(r.agreementRate * 100, 1))%)")
        }
        for d in r.disagreements {
            out.append("  run \(d.run) build \(d.build) (\(d.scenario)) line \(d.line.map(String.init) ?? "?") \(clip(d.instruction, 50)): "
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
        out.append("| run | build | scenario | wall | new layer bytes | image | steps (actual) | agreement |")
        out.append("|---|---|---|---|---|---|---|---|")
        for b in r.builds {
            let st = b.steps.map { $0.status == .hit ? "H" : ($0.status == .miss ? "M" : "-") }.joined()
            let cmp = b.steps.filter { $0.agrees != nil }
            let ok = cmp.filter { $0.agrees == true }.count
            let compared = cmp.count + b.unmatchedPredictions.count
            out.append("| \(b.run) | \(b.index) | \(Markdown.cell(b.scenario))\(b.error != nil ? " (failed)" : "") | \(secs(b.wallSeconds)) | \(bytes(b.newLayerBytes)) | \(bytes(b.imageBytes)) | `\(st)` | \(compared == 0 ? "–" : "\(ok)/\(compared)") |")
        }
        if r.builds.contains(where: { $0.push != nil }) {
            out.append("")
            out.append("| run | build | pushed to | uploaded | already there | mounted | bytes sent | predicted new layers | predicted bytes |")
            out.append("|---|---|---|---|---|---|---|---|---|")
            for b in r.builds {
                guard let p = b.push else { continue }
                out.append("| \(b.run) | \(b.index) | `\(p.reference)` | \(p.uploaded) | \(p.existing) | \(p.mounted) | \(bytes(p.bytesSent)) | \(p.predictedNewLayers) | \(bytes(p.predictedNewBytes)) |")
            }
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
            out.append("| run | build | line | instruction | actual | predicted | reason |")
            out.append("|---|---|---|---|---|---|---|")
            for d in dis {
                out.append("| \(d.run) | \(d.build) | \(d.line.map(String.init) ?? "?") | \(Markdown.codeCell(d.instruction)) | \(d.measured?.rawValue ?? "absent") | \(d.predicted?.rawValue ?? "-") | \(Markdown.cell(d.reason ?? "")) |")
            }
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
    /// about its run time).
    public static func costs(_ r: BenchReport) -> String {
        var samples: [String: (step: BenchStep, seconds: [Double])] = [:]
        var order: [String] = []
        for b in r.builds {
            for s in b.steps where s.status == .miss {
                guard s.line != nil else { continue }
                let key = s.predicted?.identity ?? "\(s.stage)\u{0}\(s.line!)"
                if samples[key] == nil { order.append(key); samples[key] = (s, []) }
                samples[key]!.seconds.append(s.seconds)
            }
        }
        let steps: [[String: Any]] = order.compactMap { k in
            guard let v = samples[k], let st = BenchStatistic(v.seconds) else { return nil }
            var o: [String: Any] = ["line": v.step.line!, "text": v.step.instruction, "seconds": st.median, "status": "miss"]
            if let id = v.step.predicted?.identity { o["identity"] = id }
            if let kw = v.step.keyword { o["instruction"] = kw }
            if let si = v.step.stageIndex { o["stage"] = si }
            return o
        }
        let source = "dockerlint bench, \(r.builderSummary), median of \(r.runs) run(s)"
        var obj: [String: Any] = ["version": 1, "dockerfile": r.dockerfile, "source": source, "steps": steps]
        if r.builder == .buildkit || r.builder == .classic { obj["builder"] = r.builder.rawValue }
        let data = (try? JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
