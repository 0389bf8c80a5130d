import DockerlintCache
import DockerlintSupport
import DockerlintSyntax
import Foundation

/// `dockerlint compare A B`: the same edits (or history) through two Dockerfile variants.
public struct CompareRunner: Sendable {
    public var a: String
    public var b: String
    /// Shared options; `dockerfile` is replaced by each variant.
    public var options: SimulateOptions
    /// Add a third column: the best order of A's steps over the same history (`optimize`).
    public var withOptimum = false

    public init(a: String, b: String, options: SimulateOptions) {
        self.a = a
        self.b = b
        self.options = options
    }

    public struct Comparison: Sendable {
        public var a: SimulationReport
        public var b: SimulationReport
        /// "a", "b" or "same".
        public var better: String
        public var verdict: String
        /// Display names of A and B.
        public var nameA: String
        public var nameB: String
        /// With `withOptimum`: the best order of A, simulated like A and B.
        public var optimum: SimulationReport? = nil
        public var optimization: OptimizeResult? = nil
    }

    public func compare() throws(CommandError) -> Comparison {
        if options.plan != nil { throw CommandError("compare takes --git or --changed/--build-arg edits, not --plan") }
        func report(_ path: String) throws(CommandError) -> SimulationReport {
            var o = options
            o.dockerfile = path
            if o.git != nil { o.fixedDockerfile = try FileIO.read(path) }
            return try SimulateRunner(options: o).simulate()
        }
        let ra = try report(a)
        let rb = try report(b)
        let (na, nb) = CompareRunner.names(a, b)
        var (better, verdict) = CompareRunner.verdict(ra.summary, rb.summary, a: na, b: nb)
        _ = better
        var c = Comparison(a: ra, b: rb, better: better, verdict: verdict, nameA: na, nameB: nb)
        if withOptimum {
            guard let range = options.git else { throw CommandError("--with-optimum needs --git RANGE (the optimum is searched over the history)") }
            var o = OptimizeOptions()
            o.dockerfile = a
            o.context = options.context
            o.git = range
            o.builder = options.builder
            o.target = options.target
            o.buildArgs = options.baseBuildArgs
            o.costsFile = options.costsFile
            o.costOverrides = options.costOverrides
            let result = try OptimizeRunner(options: o).optimize()
            var so = options
            so.dockerfile = a
            so.fixedDockerfile = result.proposed
            let ro = try SimulateRunner(options: so).simulate()
            c.optimum = ro
            c.optimization = result
            if result.changed {
                let (_, v) = CompareRunner.verdict(ra.summary, ro.summary, a: na, b: "the best order of \(na)")
                verdict += " " + v
            } else {
                verdict += " The order of \(na) is already the best the move constraints allow (\(result.noChangeReason ?? "no better order")). "
            }
            c.verdict = verdict.trimmingCharacters(in: .whitespaces)
            better = c.better
        }
        return c
    }

    public func run() throws(CommandError) -> ExitStatus {
        let c = try compare()
        switch options.format {
        case .json: Console.out(CompareRunner.json(c) + "\n")
        case .markdown: Console.out(CompareRunner.markdown(c))
        case .tty: Console.out(CompareRunner.tty(c))
        }
        return .clean
    }

    /// Base names, or the paths as given when the base names are the same.
    static func names(_ a: String, _ b: String) -> (String, String) {
        let (na, nb) = ((a as NSString).lastPathComponent, (b as NSString).lastPathComponent)
        return na == nb ? (a, b) : (na, nb)
    }

    /// One sentence: which variant rebuilds cheaper, by how much.
    public static func verdict(_ sa: SimulationSummary, _ sb: SimulationSummary, a: String, b: String) -> (String, String) {
        let n = max(sa.builds, sb.builds)
        let what = n == 1 ? "1 build" : "\(n) builds"
        let da = sa.averageSeconds, db = sb.averageSeconds
        if abs(da - db) < 0.05 && abs(sa.averageMisses - sb.averageMisses) < 0.01 {
            return ("same", "\(a) and \(b) rebuild the same over \(what): \(NumberFormat.fixed(sa.averageMisses, 1)) steps re-run and \(SimulateOutput.seconds(da)) estimated per build.")
        }
        let (win, lose, ws, ls, we, le, key) = db < da || (abs(da - db) < 0.05 && sb.averageMisses < sa.averageMisses)
            ? (b, a, sb, sa, sb.efficiency, sa.efficiency, "b") : (a, b, sa, sb, sa.efficiency, sb.efficiency, "a")
        return (key, "\(win) rebuilds faster than \(lose) over \(what): an estimated \(SimulateOutput.seconds(ws.averageSeconds)) per build instead of "
            + "\(SimulateOutput.seconds(ls.averageSeconds)) (\(NumberFormat.fixed(ws.averageMisses, 1)) vs \(NumberFormat.fixed(ls.averageMisses, 1)) steps re-run; "
            + "cache efficiency \(SimulateOutput.percent(we)) vs \(SimulateOutput.percent(le))).")
    }

    static func rows(_ c: Comparison) -> [(String, String, String)] {
        rows3(c).map { ($0.0, $0.1, $0.2) }
    }

    /// The rows with the optimum's column (empty without `withOptimum`).
    static func rows3(_ c: Comparison) -> [(String, String, String, String)] {
        let sa = c.a.summary, sb = c.b.summary
        let so = c.optimum?.summary
        let stepsA = c.a.builds.last?.builtSteps.count ?? 0, stepsB = c.b.builds.last?.builtSteps.count ?? 0
        let stepsO = c.optimum?.builds.last?.builtSteps.count ?? 0
        func o(_ f: (SimulationSummary) -> String) -> String { so.map(f) ?? "" }
        return [
            ("steps", String(stepsA), String(stepsB), c.optimum == nil ? "" : String(stepsO)),
            ("builds compared", String(sa.builds), String(sb.builds), o { String($0.builds) }),
            ("steps re-run per build", NumberFormat.fixed(sa.averageMisses, 1), NumberFormat.fixed(sb.averageMisses, 1), o { NumberFormat.fixed($0.averageMisses, 1) }),
            ("estimated per build", SimulateOutput.seconds(sa.averageSeconds), SimulateOutput.seconds(sb.averageSeconds), o { SimulateOutput.seconds($0.averageSeconds) }),
            ("estimated total", SimulateOutput.seconds(sa.estimatedSeconds), SimulateOutput.seconds(sb.estimatedSeconds), o { SimulateOutput.seconds($0.estimatedSeconds) }),
            ("cache efficiency", SimulateOutput.percent(sa.efficiency), SimulateOutput.percent(sb.efficiency), o { SimulateOutput.percent($0.efficiency) }),
        ]
    }

    static func optimumName(_ c: Comparison) -> String { "best order of A" }

    static func stepRates(_ s: SimulationSummary) -> [String] {
        s.steps.map { "\(OneLine.escaped($0.text)): re-ran \($0.misses)/\($0.built) (\(SimulateOutput.percent($0.rebuildRate)))" }
    }

    public static func tty(_ c: Comparison) -> String {
        let third = c.optimum != nil
        var t = Table([.left("", 26), .right("A: " + c.nameA, 24), .right("B: " + c.nameB, 24)] + (third ? [.right(optimumName(c), 24)] : []))
        for (k, va, vb, vo) in rows3(c) { t.add([k, va, vb] + (third ? [vo] : [])) }
        var out = t.text()
        for (tag, r, rname) in [("A", c.a, c.nameA), ("B", c.b, c.nameB)] {
            out += "\n\(tag) steps (\(OneLine.escaped(rname))):\n"
            for line in stepRates(r.summary) { out += "  " + line + "\n" }
        }
        if let o = c.optimum, let opt = c.optimization {
            out += "\nBest order of A (\(opt.changed ? "\(opt.moves.count) move\(opt.moves.count == 1 ? "" : "s")" : "A's own order")):\n"
            for m in opt.moves { out += "  - " + OneLine.escaped(m) + "\n" }
            for line in stepRates(o.summary) { out += "  " + line + "\n" }
        }
        out += "\n" + OneLine.escaped(c.verdict) + "\n"
        return out
    }

    public static func markdown(_ c: Comparison) -> String {
        var out = "### Cache comparison (\(c.a.engine.rawValue))\n\n"
        let third = c.optimum != nil
        var t = Table([.left(""), .right("A: " + Markdown.codeCell(c.nameA)), .right("B: " + Markdown.codeCell(c.nameB))] + (third ? [.right(optimumName(c))] : []))
        for (k, va, vb, vo) in rows3(c) { t.add([k, va, vb] + (third ? [vo] : [])) }
        out += t.markdown()
        if let opt = c.optimization, opt.changed {
            out += "\nBest order of A:\n\n" + opt.moves.map { "- \($0)\n" }.joined()
        }
        for (tag, r, rname) in [("A", c.a, c.nameA), ("B", c.b, c.nameB)] {
            var steps = Table([.left("step"), .right("re-ran"), .right("rate")])
            for st in r.summary.steps { steps.add([Markdown.codeCell(st.text), "\(st.misses)/\(st.built)", SimulateOutput.percent(st.rebuildRate)]) }
            out += "\n<details><summary>\(tag): steps of <code>\(HTML.escape(rname))</code></summary>\n\n" + steps.markdown()
            out += "\n</details>\n"
        }
        out += "\n**Verdict:** \(Markdown.cell(c.verdict))\n"
        return out
    }

    public static func json(_ c: Comparison) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("version", 1)
        w.field("builder", c.a.engine.rawValue)
        w.field("mode", c.a.mode.rawValue)
        for (k, r) in [("a", c.a), ("b", c.b)] {
            w.key(k)
            w.beginObject()
            w.field("dockerfile", r.dockerfile)
            w.key("summary"); SimulateOutput.writeSummary(&w, r.summary)
            w.key("builds"); w.beginArray(); for bp in r.builds { SimulateOutput.writeBuild(&w, bp) }; w.endArray()
            w.endObject()
        }
        if let o = c.optimum, let opt = c.optimization {
            w.key("optimum")
            w.beginObject()
            w.field("changed", opt.changed)
            w.key("moves"); w.beginArray(); for m in opt.moves { w.string(m) }; w.endArray()
            w.field("dockerfile", String(decoding: opt.proposed, as: UTF8.self))
            w.key("summary"); SimulateOutput.writeSummary(&w, o.summary)
            w.endObject()
        }
        w.field("better", c.better)
        w.field("verdict", c.verdict)
        w.endObject()
        return w.output
    }
}
