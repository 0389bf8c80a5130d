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

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    static func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }

    static func paint(_ s: String, _ status: StepStatus, _ color: Bool) -> String {
        guard color else { return s }
        switch status {
        case .hit: return "\u{1B}[32m\(s)\u{1B}[0m"
        case .miss: return "\u{1B}[33m\(s)\u{1B}[0m"
        case .notBuilt: return "\u{1B}[2m\(s)\u{1B}[0m"
        }
    }

    static func buildLine(_ b: BuildPrediction) -> String {
        let built = b.builtSteps.count
        return "\(b.missCount) of \(built) steps re-run; estimated \(seconds(b.estimatedSeconds)) of \(seconds(b.totalSeconds)) "
            + "(cache efficiency \(percent(b.efficiency)))"
    }

    static func stepTable(_ b: BuildPrediction, color: Bool) -> String {
        var out = pad("LINE", 6) + pad("STAGE", 7) + pad("INSTRUCTION", 13) + pad("STATUS", 11) + lpad("EST", 8) + "  REASON\n"
        for s in b.steps {
            let est = s.status == .miss ? seconds(s.costSeconds) : "-"
            out += lpad(String(s.line), 4) + "  " + pad(String(s.stage), 7) + pad(s.instruction, 13)
                + paint(pad(s.status.rawValue, 11), s.status, color) + lpad(est, 8) + "  " + s.reason + "\n"
        }
        return out
    }

    /// `buildkit, docker-26, cache: registry-min`.
    static func model(_ rep: SimulationReport) -> String {
        "\(rep.engine.rawValue), \(rep.release.rawValue), cache: \(rep.ciCache.rawValue)"
    }

    public static func tty(_ rep: SimulationReport, color: Bool = false) -> String {
        var out = ""
        if rep.mode == .edit, let b = rep.builds.last {
            out += "\(b.dockerfilePath) (\(model(rep))): the rebuild after the change\n"
            for e in b.errors { out += "warning: \(e)\n" }
            out += stepTable(b, color: color)
            out += buildLine(b) + "\n"
            return out
        }
        let what = rep.mode == .git ? "commits" : "builds"
        out += "Replayed \(rep.summary.builds) \(what) with \(model(rep))" + (rep.range.map { " (\($0))" } ?? "")
            + "; the first build only fills the cache.\n"
        if rep.ciCache != .local { out += "Every build starts on \(rep.ciCache.summary).\n" }
        out += "\n"
        out += historyTable(rep.summary)
        out += "\n" + pad(rep.mode == .git ? "COMMIT" : "BUILD", 12) + lpad("RE-RUN", 7) + lpad("EST", 10) + "  FIRST MISS\n"
        for b in rep.builds where !b.baseline {
            if !b.errors.isEmpty && b.steps.isEmpty {
                out += pad(b.label, 12) + "  error: \(b.errors.joined(separator: "; "))\n"
                continue
            }
            let first = b.firstMiss.map { "line \($0.line) \($0.instruction): \($0.reason)" } ?? "all cached"
            out += pad(b.label, 12) + lpad(String(b.missCount), 7) + lpad(seconds(b.estimatedSeconds), 10) + "  " + first + "\n"
        }
        out += "\n" + summaryLine(rep.summary) + "\n"
        return out
    }

    static func historyTable(_ s: SimulationSummary) -> String {
        var out = pad("STEP", 44) + lpad("RE-RAN", 12) + lpad("RATE", 7) + lpad("EST", 10) + "\n"
        for st in s.steps {
            let label = "\(st.stage) \(st.text)"
            out += pad(label.count > 42 ? String(label.prefix(41)) + "…" : label, 44) + lpad("\(st.misses)/\(st.built)", 12)
                + lpad(percent(st.rebuildRate), 7) + lpad(seconds(st.estimatedSeconds), 10) + "\n"
        }
        return out
    }

    static func summaryLine(_ s: SimulationSummary) -> String {
        "Estimated rebuild time: \(seconds(s.estimatedSeconds)) in total, \(seconds(s.averageSeconds)) per build on average "
            + "(\(NumberFormat.fixed(s.averageMisses, 1)) steps re-run); cache efficiency \(percent(s.efficiency))."
    }

    static func md(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "`", with: "'") }

    public static func markdown(_ rep: SimulationReport) -> String {
        var out = ""
        if rep.mode == .edit, let b = rep.builds.last {
            out += "### Cache prediction (\(model(rep))): `\(md(b.dockerfilePath))`\n\n"
            out += "| line | stage | instruction | status | est. | reason |\n|---:|---:|---|---|---:|---|\n"
            for s in b.steps {
                out += "| \(s.line) | \(s.stage) | \(s.instruction) | \(s.status.rawValue) | \(s.status == .miss ? seconds(s.costSeconds) : "–") | \(md(s.reason)) |\n"
            }
            out += "\n" + buildLine(b) + "\n"
            return out
        }
        out += "### Cache replay (\(model(rep)))" + (rep.range.map { ": `\(md($0))`" } ?? "") + "\n\n"
        if rep.ciCache != .local { out += "Every build starts on \(rep.ciCache.summary).\n\n" }
        out += "\(rep.summary.builds) \(rep.mode == .git ? "commits" : "builds") replayed.\n\n"
        out += "| step | re-ran | rate | est. total |\n|---|---:|---:|---:|\n"
        for st in rep.summary.steps {
            out += "| `\(md(st.text))` (stage \(st.stage)) | \(st.misses)/\(st.built) | \(percent(st.rebuildRate)) | \(seconds(st.estimatedSeconds)) |\n"
        }
        out += "\n| \(rep.mode == .git ? "commit" : "build") | re-run | est. | first miss |\n|---|---:|---:|---|\n"
        for b in rep.builds where !b.baseline {
            let first = b.firstMiss.map { "line \($0.line) \($0.instruction): \(md($0.reason))" } ?? (b.errors.first.map(md) ?? "all cached")
            out += "| \(md(b.label)) | \(b.missCount) | \(seconds(b.estimatedSeconds)) | \(first) |\n"
        }
        out += "\n" + summaryLine(rep.summary) + "\n"
        return out
    }
}
