import DockerlintCache
import DockerlintReporters
import DockerlintSupport
import DockerlintSyntax

/// `dockerlint report --format json` (reports/schemas/report-output.schema.json): the lint
/// document of `dockerlint lint -f json`, the simulation of `dockerlint simulate -f json`, the
/// comparison of `dockerlint compare -f json`, the bench summaries and the gate results.
public enum ReportJSON {
    public static let formatVersion = 1

    public static func render(_ doc: ReportDocument) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("version", formatVersion)
        w.field("tool", "dockerlint")
        w.field("toolVersion", doc.toolVersion)
        w.field("title", doc.title)
        w.field("dockerfile", doc.dockerfile)
        w.field("context", doc.context)
        w.field("builder", doc.builder.rawValue)
        w.field("history", doc.historyKind.rawValue)
        w.field("ciCache", doc.ciCache.rawValue)
        w.field("engine", doc.release.rawValue)
        w.key("cacheModes"); w.beginArray()
        for m in doc.cacheModes {
            w.beginObject()
            w.field("mode", m.mode.rawValue)
            w.field("assumed", m.assumed)
            w.field("builds", m.summary.builds)
            w.field("averageSeconds", (m.summary.averageSeconds * 1000).rounded() / 1000)
            w.field("averageMisses", (m.summary.averageMisses * 1000).rounded() / 1000)
            w.field("efficiency", (m.summary.efficiency * 10000).rounded() / 10000)
            w.endObject()
        }
        w.endArray()
        w.field("range", doc.range)
        w.field("passed", doc.passed)
        w.key("gates"); w.beginArray()
        for g in doc.gates {
            w.beginObject()
            w.field("gate", g.gate.spelling)
            w.field("passed", g.passed)
            w.field("reason", g.reason)
            w.endObject()
        }
        w.endArray()
        w.key("commits"); w.beginObject()
        for k in doc.commitSubjects.keys.sorted() { w.field(k, doc.commitSubjects[k]!) }
        w.endObject()
        w.key("benches"); w.beginArray()
        for b in doc.benches {
            w.beginObject()
            w.field("dockerfile", b.dockerfile)
            w.field("builder", b.builder)
            w.field("predictor", b.predictor)
            w.field("runs", b.runs)
            w.field("comparedSteps", b.comparedSteps)
            w.field("agreeingSteps", b.agreeingSteps)
            w.field("agreementRate", b.agreementRate)
            w.field("engine", b.engineSummary)
            w.field("ciCache", b.ciCache)
            w.key("builds"); w.beginArray()
            for x in b.firstRun {
                w.beginObject()
                w.field("index", x.index)
                w.field("scenario", x.scenario)
                w.field("wallSeconds", x.wallSeconds)
                w.field("measuredSeconds", (x.measuredStepSeconds * 1000).rounded() / 1000)
                w.key("predictedSeconds")
                if let p = doc.predictedSeconds(x, of: b) { w.double((p * 1000).rounded() / 1000) } else { w.null() }
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        // The three embedded documents are written by their own commands' writers.
        var out = String(w.output.dropLast())
        out += ",\"lint\":" + JSONReporter().document(doc.lint.input).serialized(pretty: false)
        out += ",\"simulation\":" + SimulateOutput.json(doc.history)
        out += ",\"comparison\":" + (doc.comparison.map(CompareRunner.json) ?? "null")
        out += "}"
        return out
    }
}
