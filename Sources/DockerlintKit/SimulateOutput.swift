import DockerlintCache
import DockerlintSupport
import DockerlintSyntax
import Foundation

/// Renders simulation reports: `tty`, `json` (reports/schemas/simulate-output.schema.json),
/// `markdown`; and compare reports.
public enum SimulateOutput {
    static func r(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }

    static func seconds(_ v: Double) -> String { NumberFormat.seconds(v) }
    static func percent(_ v: Double) -> String { NumberFormat.percent(v) }

    // MARK: JSON

    static func writeStep(_ w: inout JSONWriter, _ s: StepPrediction) {
        w.beginObject()
        w.field("line", s.line)
        w.field("instruction", s.instruction)
        w.field("stage", s.stage)
        w.field("stageName", s.stageName)
        w.field("status", s.status.rawValue)
        w.field("reason", s.reason)
        w.field("cause", s.cause.rawValue)
        w.field("key", s.key)
        w.field("identity", s.identity)
        w.field("text", s.text)
        w.field("costSeconds", r(s.costSeconds))
        w.field("estimatedSeconds", r(s.estimatedSeconds))
        w.field("measured", s.measured)
        w.endObject()
    }

    static func writeBuild(_ w: inout JSONWriter, _ b: BuildPrediction) {
        w.beginObject()
        w.field("label", b.label)
        w.field("commit", b.commit)
        w.field("baseline", b.baseline)
        w.field("dockerfile", b.dockerfilePath)
        w.field("target", b.target)
        w.key("targetStage"); if let t = b.targetStage { w.int(t) } else { w.null() }
        w.field("hits", b.hitCount)
        w.field("misses", b.missCount)
        w.field("estimatedSeconds", r(b.estimatedSeconds))
        w.field("totalSeconds", r(b.totalSeconds))
        w.field("reusedSeconds", r(b.reusedSeconds))
        w.field("efficiency", r(b.efficiency))
        w.key("staleFiles"); w.beginArray(); for f in b.staleFiles { w.string(f) }; w.endArray()
        w.key("errors"); w.beginArray(); for e in b.errors { w.string(e) }; w.endArray()
        w.key("steps"); w.beginArray(); for s in b.steps { writeStep(&w, s) }; w.endArray()
        w.endObject()
    }

    static func writeSummary(_ w: inout JSONWriter, _ s: SimulationSummary) {
        w.beginObject()
        w.field("builds", s.builds)
        w.field("failedBuilds", s.failedBuilds)
        w.field("estimatedSeconds", r(s.estimatedSeconds))
        w.field("totalSeconds", r(s.totalSeconds))
        w.field("reusedSeconds", r(s.reusedSeconds))
        w.field("efficiency", r(s.efficiency))
        w.field("averageSeconds", r(s.averageSeconds))
        w.field("averageMisses", r(s.averageMisses))
        w.key("steps"); w.beginArray()
        for st in s.steps {
            w.beginObject()
            w.field("identity", st.identity)
            w.field("instruction", st.instruction)
            w.field("stage", st.stage)
            w.field("stageName", st.stageName)
            w.field("line", st.line)
            w.field("text", st.text)
            w.field("built", st.built)
            w.field("misses", st.misses)
            w.field("rebuildRate", r(st.rebuildRate))
            w.field("estimatedSeconds", r(st.estimatedSeconds))
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }

    public static func json(_ rep: SimulationReport) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("version", 1)
        w.field("builder", rep.engine.rawValue)
        w.field("engine", rep.release.rawValue)
        w.field("ciCache", rep.ciCache.rawValue)
        w.field("mode", rep.mode.rawValue)
        w.field("dockerfile", rep.dockerfile)
        w.field("context", rep.context)
        w.field("range", rep.range)
        w.key("builds"); w.beginArray(); for b in rep.builds { writeBuild(&w, b) }; w.endArray()
        w.key("summary"); writeSummary(&w, rep.summary)
        w.endObject()
        return w.output
    }

    // MARK: Text

    static func paint(_ status: StepStatus) -> String {
        switch status {
        case .hit: return "32"
        case .miss: return "33"
        case .notBuilt: return "2"
        }
    }

    static func buildLine(_ b: BuildPrediction) -> String {
        let built = b.builtSteps.count
        return "\(b.missCount) of \(built) steps re-run; estimated \(seconds(b.estimatedSeconds)) of \(seconds(b.totalSeconds)) "
            + "(cache efficiency \(percent(b.efficiency)))"
    }

    static func stepTable(_ b: BuildPrediction, color: Bool) -> String {
        var t = Table([.right("LINE", 4), .left("STAGE", 7, gap: "  "), .left("INSTRUCTION", 13), .left("STATUS", 11),
                       .right("EST", 8), .left("REASON", gap: "  ")])
        for s in b.steps {
            t.add([String(s.line), String(s.stage), s.instruction, s.status.rawValue, s.status == .miss ? seconds(s.costSeconds) : "-", s.reason],
                  styles: [3: paint(s.status)])
        }
        return t.text(color: color)
    }

    /// `buildkit, docker-26, cache: registry-min`.
    static func model(_ rep: SimulationReport) -> String {
        "\(rep.engine.rawValue), \(rep.release.rawValue), cache: \(rep.ciCache.rawValue)"
    }

    public static func tty(_ rep: SimulationReport, color: Bool = false) -> String {
        var out = ""
        if rep.mode == .edit, let b = rep.builds.last {
            out += "\(OneLine.escaped(b.dockerfilePath)) (\(model(rep))): the rebuild after the change\n"
            for e in b.errors { out += "warning: \(OneLine.escaped(e))\n" }
            out += stepTable(b, color: color)
            out += buildLine(b) + "\n"
            return out
        }
        let what = rep.mode == .git ? "commits" : "builds"
        out += "Replayed \(rep.summary.builds) \(what) with \(model(rep))" + (rep.range.map { " (\(OneLine.escaped($0)))" } ?? "")
            + "; the first build only fills the cache.\n"
        if rep.ciCache != .local { out += "Every build starts on \(rep.ciCache.summary).\n" }
        out += "\n"
        out += historyTable(rep.summary)
        var t = Table([.left(rep.mode == .git ? "COMMIT" : "BUILD", 12), .right("RE-RUN", 7), .right("EST", 10), .left("FIRST MISS", gap: "  ")])
        for b in rep.builds where !b.baseline {
            if !b.errors.isEmpty && b.steps.isEmpty {
                t.add([b.label], trailing: "  error: \(OneLine.escaped(b.errors.joined(separator: "; ")))")
                continue
            }
            let first = b.firstMiss.map { "line \($0.line) \($0.instruction): \($0.reason)" } ?? "all cached"
            t.add([b.label, String(b.missCount), seconds(b.estimatedSeconds), first])
        }
        out += "\n" + t.text()
        out += "\n" + summaryLine(rep.summary) + "\n"
        return out
    }

    static func historyTable(_ s: SimulationSummary) -> String {
        var t = Table([.left("STEP", 44), .right("RE-RAN", 12), .right("RATE", 7), .right("EST", 10)])
        for st in s.steps {
            t.add([Table.clip("\(st.stage) \(st.text)", 42), "\(st.misses)/\(st.built)", percent(st.rebuildRate), seconds(st.estimatedSeconds)])
        }
        return t.text()
    }

    static func summaryLine(_ s: SimulationSummary) -> String {
        "Estimated rebuild time: \(seconds(s.estimatedSeconds)) in total, \(seconds(s.averageSeconds)) per build on average "
            + "(\(NumberFormat.fixed(s.averageMisses, 1)) steps re-run); cache efficiency \(percent(s.efficiency))."
    }

    public static func markdown(_ rep: SimulationReport) -> String {
        var out = ""
        if rep.mode == .edit, let b = rep.builds.last {
            out += "### Cache prediction (\(model(rep))): \(Markdown.codeCell(b.dockerfilePath))\n\n"
            var t = Table([.right("line"), .right("stage"), .left("instruction"), .left("status"), .right("est."), .left("reason")])
            for s in b.steps {
                t.add([String(s.line), String(s.stage), s.instruction, s.status.rawValue, s.status == .miss ? seconds(s.costSeconds) : "–", Markdown.cell(s.reason)])
            }
            out += t.markdown()
            out += "\n" + buildLine(b) + "\n"
            return out
        }
        out += "### Cache replay (\(model(rep)))" + (rep.range.map { ": " + Markdown.codeCell($0) } ?? "") + "\n\n"
        if rep.ciCache != .local { out += "Every build starts on \(rep.ciCache.summary).\n\n" }
        out += "\(rep.summary.builds) \(rep.mode == .git ? "commits" : "builds") replayed.\n\n"
        var steps = Table([.left("step"), .right("re-ran"), .right("rate"), .right("est. total")])
        for st in rep.summary.steps {
            steps.add(["\(Markdown.codeCell(st.text)) (stage \(st.stage))", "\(st.misses)/\(st.built)", percent(st.rebuildRate), seconds(st.estimatedSeconds)])
        }
        out += steps.markdown()
        var builds = Table([.left(rep.mode == .git ? "commit" : "build"), .right("re-run"), .right("est."), .left("first miss")])
        for b in rep.builds where !b.baseline {
            let first = b.firstMiss.map { "line \($0.line) \($0.instruction): \(Markdown.cell($0.reason))" } ?? (b.errors.first.map(Markdown.cell) ?? "all cached")
            builds.add([Markdown.cell(b.label), String(b.missCount), seconds(b.estimatedSeconds), first])
        }
        out += "\n" + builds.markdown()
        out += "\n" + summaryLine(rep.summary) + "\n"
        return out
    }
}
