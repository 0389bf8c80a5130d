import DockerlintCache
import DockerlintSupport
import Foundation

/// Renders `dockerlint optimize` results: tty, markdown (a PR comment) and json.
public enum OptimizeOutput {
    static func seconds(_ v: Double) -> String { NumberFormat.seconds(v) }
    static func percent(_ v: Double) -> String { NumberFormat.percent(v) }
    static func r(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }

    /// "12 builds (HEAD~12..HEAD)".
    static func history(_ r: OptimizeResult) -> String {
        "\(r.before.builds) build\(r.before.builds == 1 ? "" : "s") replayed from git (\(r.range)), \(r.engine.rawValue)"
    }

    /// Now against proposed: re-runs, estimated time, cache efficiency. The proposed column
    /// is empty when nothing changes, and absent when `proposedColumn` is false.
    static func summaryTable(_ r: OptimizeResult, proposedColumn: Bool) -> Table {
        let a = r.before, b = r.after
        var t = Table([.left("", 40), .right("now", 14)] + (proposedColumn ? [.right(r.changed ? "proposed" : "", 14)] : []))
        for (k, x, y) in [
            ("steps re-run per build", NumberFormat.fixed(a.averageMisses, 1), NumberFormat.fixed(b.averageMisses, 1)),
            ("estimated rebuild time per 100 builds", seconds(OptimizeResult.per100(a)), seconds(OptimizeResult.per100(b))),
            ("cache efficiency", percent(a.efficiency), percent(b.efficiency)),
        ] {
            t.add([k, x] + (proposedColumn ? [r.changed ? y : ""] : []))
        }
        return t
    }

    static func searchSentence(_ r: OptimizeResult) -> String {
        let searched = r.stages.filter { $0.skipped == nil }
        let exact = searched.allSatisfy(\.exact)
        var s = "search: \(searched.map(\.units).reduce(0, +)) steps in \(searched.count) stage\(searched.count == 1 ? "" : "s"), "
        s += "\(searched.map(\.states).reduce(0, +)) sets of steps examined in \(NumberFormat.fixed(r.searchSeconds, 2)) s "
            + "(history replays \(NumberFormat.fixed(r.replaySeconds, 2)) s); "
        if exact {
            s += "exact (the best order the move constraints allow)"
        } else {
            let gap = searched.map { $0.modelAfter - $0.lowerBound }.reduce(0, +)
            s += "heuristic (at most \(seconds(gap)) of estimated time over the history above the optimum)"
        }
        return s
    }

    public static func tty(_ r: OptimizeResult, color: Bool) -> String {
        var out = "\(OneLine.escaped(r.dockerfile)): \(history(r))\n"
        if !r.changed {
            out += "No change: \(r.noChangeReason ?? "the current order is already the best").\n"
        } else {
            out += "\nProposed order (\(r.moves.count) move\(r.moves.count == 1 ? "" : "s")):\n"
            for m in r.moves { out += "  - \(OneLine.escaped(m))\n" }
            out += "\n" + UnifiedDiff.diff(r.original, r.proposed, oldName: r.dockerfile, newName: r.dockerfile + " (proposed)")
        }
        out += "\n" + summaryTable(r, proposedColumn: true).text()
        out += "\nRe-runs per step over \(r.before.builds) builds" + (r.changed ? " (now → proposed):\n" : ":\n")
        var steps = Table([.left("", 62), .left("", gap: " ")])
        for s in r.steps {
            let before = s.missesBefore.map(String.init) ?? "new"
            let line = s.lineBefore.map { "line \($0)" } ?? "new"
            steps.add(["\(line): \(s.display)", r.changed ? "\(before) → \(s.missesAfter)" : "\(before)"])
        }
        out += steps.text(header: false, indent: "  ")
        out += "\n" + searchSentence(r) + "\n"
        if let v = r.verification { out += "\n" + OptimizeVerifier.tty(v) }
        return out
    }

    public static func markdown(_ r: OptimizeResult) -> String {
        var out = "### Layer order: \(Markdown.codeCell(r.dockerfile))\n\n"
        out += "\(history(r)).\n\n"
        if !r.changed {
            out += "**No change:** \(r.noChangeReason ?? "the current order is already the best").\n\n"
        } else {
            let saved = OptimizeResult.per100(r.before) - OptimizeResult.per100(r.after)
            out += "**Proposed:** \(r.moves.count) move\(r.moves.count == 1 ? "" : "s"), saving an estimated \(seconds(saved)) per 100 builds.\n\n"
            for m in r.moves { out += "- \(m)\n" }
            out += "\n```diff\n" + UnifiedDiff.diff(r.original, r.proposed, oldName: r.dockerfile, newName: r.dockerfile) + "```\n\n"
        }
        out += summaryTable(r, proposedColumn: r.changed).markdown()
        var steps = Table([.left("step"), .right("line"), .right("re-ran now")] + (r.changed ? [.right("re-runs proposed")] : []))
        for s in r.steps {
            steps.add([Markdown.codeCell(s.display), s.lineBefore.map(String.init) ?? "new", s.missesBefore.map(String.init) ?? "–"]
                      + (r.changed ? [String(s.missesAfter)] : []))
        }
        out += "\n<details><summary>Re-runs per step</summary>\n\n" + steps.markdown()
        out += "\n</details>\n\n_\(searchSentence(r))._\n"
        if let v = r.verification { out += "\n" + OptimizeVerifier.markdown(v) }
        return out
    }

    public static func json(_ r: OptimizeResult) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("version", 1)
        w.field("dockerfile", r.dockerfile)
        w.field("context", r.context)
        w.field("range", r.range)
        w.field("builder", r.engine.rawValue)
        w.field("changed", r.changed)
        w.field("noChangeReason", r.noChangeReason)
        w.key("moves"); w.beginArray(); for m in r.moves { w.string(m) }; w.endArray()
        w.field("diff", r.changed ? UnifiedDiff.diff(r.original, r.proposed, oldName: r.dockerfile, newName: r.dockerfile) : "")
        w.field("proposed", String(decoding: r.proposed, as: UTF8.self))
        for (k, s) in [("before", r.before), ("after", r.after)] {
            w.key(k)
            w.beginObject()
            w.field("builds", s.builds)
            w.field("stepsRerunPerBuild", r3(s.averageMisses))
            w.field("estimatedSeconds", r3(s.estimatedSeconds))
            w.field("estimatedSecondsPer100Builds", r3(OptimizeResult.per100(s)))
            w.field("efficiency", r3(s.efficiency))
            w.endObject()
        }
        w.key("steps"); w.beginArray()
        for s in r.steps {
            w.beginObject()
            w.field("stage", s.stage)
            w.field("instruction", s.keyword)
            w.field("text", s.display)
            w.key("lineBefore"); if let l = s.lineBefore { w.int(l) } else { w.null() }
            w.field("lineAfter", s.lineAfter)
            w.key("rerunsBefore"); if let m = s.missesBefore { w.int(m) } else { w.null() }
            w.field("rerunsAfter", s.missesAfter)
            w.field("built", s.built)
            w.field("costSeconds", r3(s.costSeconds))
            w.endObject()
        }
        w.endArray()
        w.key("search"); w.beginObject()
        w.field("seconds", r3(r.searchSeconds))
        w.field("replaySeconds", r3(r.replaySeconds))
        w.key("stages"); w.beginArray()
        for s in r.stages {
            w.beginObject()
            w.field("stage", s.stage)
            w.field("name", s.name)
            w.field("steps", s.units)
            w.field("exact", s.exact)
            w.field("states", s.states)
            w.field("modelSecondsBefore", r3(s.modelBefore))
            w.field("modelSecondsAfter", r3(s.modelAfter))
            w.field("lowerBoundSeconds", r3(s.lowerBound))
            w.field("skipped", s.skipped)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        if let v = r.verification { w.key("verification"); OptimizeVerifier.writeJSON(&w, v) }
        w.endObject()
        return w.output
    }

    static func r3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
}
