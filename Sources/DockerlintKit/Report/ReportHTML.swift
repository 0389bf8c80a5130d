import DockerlintCache
import DockerlintCore
import DockerlintSupport
import Foundation

/// `dockerlint report --format html`: one self-contained page (no scripts, fonts or images
/// from the network) with inline SVG charts: per-step rebuild-rate bars, a step × commit
/// heatmap of hits and misses, predicted against measured build times. Colours come from CSS
/// custom properties with a `prefers-color-scheme: dark` variant; every chart element carries
/// a `<title>` for hover text.
public enum ReportHTML {
    static func esc(_ s: String) -> String { HTML.escape(s) }

    static func f(_ v: Double) -> String { NumberFormat.fixed(v, 1) }

    /// The opening tag of a chart: its id, class, size (viewBox and pixels alike) and label.
    static func svgOpen(id: String, class cls: String, width w: Double, height h: Double, label: String) -> String {
        "<svg id=\"\(id)\" class=\"chart \(cls)\" role=\"img\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" aria-label=\"\(label)\">\n"
    }

    static let css = """
    :root{color-scheme:light dark;--bg:#ffffff;--fg:#1f2328;--muted:#59636e;--card:#f6f8fa;--border:#d1d9e0;
    --hit:#2da44e;--miss:#e5534b;--none:#e1e4e8;--track:#eaeef2;--accent:#0969da;--measured:#8250df;--predicted:#0969da;
    --good:#2da44e;--warn:#d4a72c;--series-a:#0969da;--series-b:#bf8700;--bad:#e5534b;--error:#cf222e;--warning:#9a6700;--info:#0969da;--style:#59636e}
    @media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--card:#151b23;--border:#3d444d;
    --hit:#3fb950;--miss:#f47067;--none:#262c36;--track:#262c36;--accent:#4493f8;--measured:#ab7df8;--predicted:#4493f8;
    --good:#3fb950;--warn:#d29922;--series-a:#4493f8;--series-b:#d29922;--bad:#f47067;--error:#f85149;--warning:#d29922;--info:#4493f8;--style:#9198a1}}
    *{box-sizing:border-box}
    body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Helvetica,Arial,sans-serif}
    main{max-width:1120px;margin:0 auto;padding:28px 32px 48px}
    h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:36px 0 10px;padding-bottom:6px;border-bottom:1px solid var(--border)}
    h3{font-size:15px;margin:18px 0 8px}
    .meta{color:var(--muted);margin:0 0 18px}
    code,.mono{font-family:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
    .banner{padding:10px 14px;border-radius:8px;margin:0 0 18px;border:1px solid var(--border);font-weight:600}
    .banner.pass{border-color:var(--good);color:var(--good)}.banner.fail{border-color:var(--bad);color:var(--bad)}
    .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin:0 0 8px}
    .card{background:var(--card);border:1px solid var(--border);border-radius:10px;padding:12px 14px}
    .card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
    .card .v{font-size:25px;white-space:nowrap;font-weight:650;margin-top:2px}.card .s{color:var(--muted);font-size:12.5px}
    table{border-collapse:collapse;width:100%;margin:6px 0 10px}
    th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--border);vertical-align:top}
    th{color:var(--muted);font-weight:600;font-size:12.5px}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
    .sev{display:inline-block;padding:0 7px;border-radius:10px;font-size:12px;font-weight:600;border:1px solid currentColor}
    .sev.error{color:var(--error)}.sev.warning{color:var(--warning)}.sev.info{color:var(--info)}.sev.style{color:var(--style)}
    .ok{color:var(--good);font-weight:600}.no{color:var(--bad);font-weight:600}
    .verdict{background:var(--card);border-left:4px solid var(--accent);padding:10px 14px;border-radius:6px;margin:10px 0}
    .grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:18px}
    details{margin:8px 0}summary{cursor:pointer;color:var(--accent)}
    svg{display:block;max-width:100%;height:auto;overflow:visible}
    svg text{fill:var(--fg);font-size:12px;font-family:inherit}svg text.muted{fill:var(--muted)}
    svg text .measured-text{fill:var(--measured)}svg text .predicted-text{fill:var(--predicted)}
    svg text.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:11.5px}
    .track{fill:var(--track)}.bar-good{fill:var(--good)}.bar-warn{fill:var(--warn)}.bar-bad{fill:var(--bad)}
    .hit{fill:var(--hit)}.miss{fill:var(--miss)}.none{fill:var(--none)}
    .measured{fill:var(--measured)}.series-a{fill:var(--series-a)}.series-b{fill:var(--series-b)}.predicted{fill:var(--predicted)}
    .grid line{stroke:var(--border)}
    .legend{display:flex;gap:16px;color:var(--muted);font-size:12.5px;margin:4px 0 8px;flex-wrap:wrap}
    .legend i{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
    footer{color:var(--muted);font-size:12px;margin-top:36px}
    """

    public static func render(_ doc: ReportDocument) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<meta name=\"color-scheme\" content=\"light dark\">\n"
        out += "<title>\(esc(doc.title))</title>\n<style>\n\(css)\n</style>\n</head>\n<body>\n<main>\n"
        out += "<h1>\(esc(doc.title))</h1>\n"
        out += "<p class=\"meta\"><code>\(esc(doc.dockerfile))</code> · context <code>\(esc(doc.context))</code> · \(doc.builder.rawValue) cache model"
        if let r = doc.range { out += " · history <code>\(esc(r))</code>" }
        out += " · cache assumed: \(esc(doc.cacheSentence))"
        out += "</p>\n"
        out += banner(doc) + cards(doc)
        out += history(doc)
        out += cacheModes(doc)
        if let c = doc.comparison { out += comparison(c, doc) }
        for b in doc.benches { out += bench(b, doc) }
        if !doc.gates.isEmpty { out += gates(doc) }
        out += lint(doc)
        out += "<footer>Generated by dockerlint \(esc(doc.toolVersion)) with <code>dockerlint report --format html</code>. Self-contained: no scripts, no network.</footer>\n"
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    static func banner(_ doc: ReportDocument) -> String {
        guard !doc.gates.isEmpty else { return "" }
        let failed = doc.gates.filter { !$0.passed }
        if failed.isEmpty { return "<div class=\"banner pass\" id=\"gates-status\">✓ All \(doc.gates.count) gate\(doc.gates.count == 1 ? "" : "s") passed</div>\n" }
        return "<div class=\"banner fail\" id=\"gates-status\">✗ \(failed.count) of \(doc.gates.count) gate\(doc.gates.count == 1 ? "" : "s") failed: \(esc(failed[0].reason))</div>\n"
    }

    static func card(_ k: String, _ v: String, _ s: String, id: String) -> String {
        "<div class=\"card\" id=\"card-\(id)\"><div class=\"k\">\(esc(k))</div><div class=\"v\">\(esc(v))</div><div class=\"s\">\(s)</div></div>\n"
    }

    static func what(_ doc: ReportDocument, _ n: Int) -> String {
        doc.historyKind == .git ? "\(n) commit\(n == 1 ? "" : "s")" : "\(n) single-file edit\(n == 1 ? "" : "s")"
    }

    static func cards(_ doc: ReportDocument) -> String {
        let s = doc.history.summary
        let ds = doc.lint.diagnostics(for: doc.dockerfile)
        var out = "<div class=\"cards\">\n"
        out += card("Cache efficiency", NumberFormat.percent(s.efficiency), "of the build time reused over " + what(doc, s.builds), id: "efficiency")
        out += card("Rebuild per change", NumberFormat.seconds(s.averageSeconds), "estimated; \(f(s.averageMisses)) steps re-run on average", id: "rebuild")
        if let worst = s.steps.max(by: { $0.rebuildRate < $1.rebuildRate }) {
            out += card("Most rebuilt step", NumberFormat.percent(worst.rebuildRate), "<code>\(esc(Table.clip(worst.text, 34)))</code>", id: "worst")
        }
        let counts = [Severity.error, .warning, .info, .style].map { sev in (sev, ds.filter { $0.severity == sev }.count) }.filter { $0.1 > 0 }
        out += card("Lint findings", String(ds.count), counts.isEmpty ? "clean" : counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", "), id: "findings")
        if let c = doc.comparison {
            let (sa, sb) = (c.a.summary.averageSeconds, c.b.summary.averageSeconds)
            let (win, lose) = c.better == "b" ? (sb, sa) : (sa, sb)
            let value = c.better == "same" ? "same" : win > 0 ? NumberFormat.fixed(lose / win, 1) + "×" : "faster"
            let who = c.better == "a" ? "A <code>\(esc(Table.clip(c.nameA, 24)))</code>" : c.better == "b" ? "B <code>\(esc(Table.clip(c.nameB, 24)))</code>" : "A and B"
            out += card(c.better == "same" ? "Compare" : "Faster rebuilds", value, "\(who) · \(NumberFormat.seconds(sa)) vs \(NumberFormat.seconds(sb)) per build", id: "compare")
        }
        if !doc.benches.isEmpty {
            let agree = doc.benches.reduce(0) { $0 + $1.agreeingSteps }, compared = doc.benches.reduce(0) { $0 + $1.comparedSteps }
            let n = doc.benches.count
            out += card("Prediction agreement", NumberFormat.percent(compared > 0 ? Double(agree) / Double(compared) : 0),
                        "\(agree) of \(compared) measured steps" + (n > 1 ? " in \(n) benches" : ""), id: "bench")
        }
        return out + "</div>\n"
    }

    static func gates(_ doc: ReportDocument) -> String {
        var out = "<h2 id=\"gates\">Gates</h2>\n<table><thead><tr><th>gate</th><th>result</th><th>why</th></tr></thead><tbody>\n"
        for g in doc.gates {
            out += "<tr><td><code>\(esc(g.gate.spelling))</code></td><td>\(g.passed ? "<span class=\"ok\">pass</span>" : "<span class=\"no\">fail</span>")</td><td>\(esc(g.reason))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    // MARK: Charts

    static func rateClass(_ r: Double) -> String { r >= 0.5 ? "bar-bad" : r >= 0.2 ? "bar-warn" : "bar-good" }

    /// Gridlines at 0, ¼, ½, ¾ and all of a bar chart's width, with their labels above.
    static func axisGrid(labelW: Double, barW: Double, top: Double, height h: Double,
                         label: (Double) -> String = { "\(Int($0 * 100))%" }) -> String {
        var out = "<g class=\"grid\">"
        for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let x = labelW + barW * t
            out += "<line x1=\"\(f(x))\" y1=\"\(f(top - 4))\" x2=\"\(f(x))\" y2=\"\(f(h - 6))\"/>"
            out += "<text class=\"muted\" x=\"\(f(x))\" y=\"12\" text-anchor=\"middle\">\(label(t))</text>"
        }
        return out + "</g>\n"
    }

    /// Horizontal bars: one per step, its rebuild rate.
    static func rateChart(_ s: SimulationSummary, id: String, unit: String) -> String {
        let steps = s.steps
        guard !steps.isEmpty else { return "<p class=\"meta\">No step was built.</p>\n" }
        let labelW = 300.0, barW = 420.0, rowH = 30.0, top = 22.0
        let w = labelW + barW + 110, h = top + rowH * Double(steps.count) + 8
        var out = svgOpen(id: id, class: "rate-chart", width: w, height: h, label: "rebuild rate per step")
        out += axisGrid(labelW: labelW, barW: barW, top: top, height: h)
        for (i, st) in steps.enumerated() {
            let y = top + rowH * Double(i)
            let bw = max(st.rebuildRate > 0 ? 2 : 0, barW * st.rebuildRate)
            out += "<g class=\"row\"><title>\(esc(st.text)) (line \(st.line)): re-ran in \(st.misses) of \(st.built) \(unit) (\(NumberFormat.percent(st.rebuildRate)))</title>"
            out += "<text class=\"mono\" x=\"\(f(labelW - 10))\" y=\"\(f(y + rowH / 2 + 4))\" text-anchor=\"end\">\(esc(Table.clip(st.text, 40)))</text>"
            out += "<rect class=\"track\" x=\"\(f(labelW))\" y=\"\(f(y + 5))\" width=\"\(f(barW))\" height=\"\(f(rowH - 10))\" rx=\"3\"/>"
            out += "<rect class=\"\(rateClass(st.rebuildRate))\" x=\"\(f(labelW))\" y=\"\(f(y + 5))\" width=\"\(f(bw))\" height=\"\(f(rowH - 10))\" rx=\"3\"/>"
            out += "<text x=\"\(f(labelW + barW + 10))\" y=\"\(f(y + rowH / 2 + 4))\">\(NumberFormat.percent(st.rebuildRate)) <tspan class=\"muted\">(\(st.misses)/\(st.built))</tspan></text></g>\n"
        }
        return out + "</svg>\n"
    }

    /// Rows: steps; columns: builds (commits or edits); cells: hit, miss, not built.
    static func heatmap(_ r: SimulationReport, _ doc: ReportDocument, id: String) -> String {
        let steps = r.summary.steps
        let rows = ReportDocument.rows(r)
        guard !steps.isEmpty, !rows.isEmpty else { return "<p class=\"meta\">No build to show.</p>\n" }
        let labelW = 300.0
        let cell = max(8.0, min(24.0, 720.0 / Double(rows.count)))
        let gap = cell >= 14 ? 3.0 : 1.0
        let top = 78.0
        let w = labelW + Double(rows.count) * cell + 20, h = top + Double(steps.count) * (24 + 4) + 4
        var out = svgOpen(id: id, class: "heatmap", width: w, height: h, label: "which steps re-ran in each build")
        for (j, b) in rows.enumerated() {
            let x = labelW + Double(j) * cell + cell / 2
            let label = doc.historyKind == .git ? b.label : Table.clip(b.label.replacingOccurrences(of: "edit ", with: ""), 14)
            out += "<text class=\"mono muted\" transform=\"translate(\(f(x + 3)),\(f(top - 8))) rotate(-60)\">\(esc(label))</text>\n"
        }
        for (i, st) in steps.enumerated() {
            let y = top + Double(i) * 28
            out += "<text class=\"mono\" x=\"\(f(labelW - 10))\" y=\"\(f(y + 16))\" text-anchor=\"end\">\(esc(Table.clip(st.text, 40)))</text>\n"
            for (j, b) in rows.enumerated() {
                let step = r.summary.prediction(of: st, inBuild: j)
                let status = step?.status ?? .notBuilt
                let cls = status == .hit ? "hit" : status == .miss ? "miss" : "none"
                let x = labelW + Double(j) * cell
                let tip = "\(doc.label(b)): \(st.text): \(status.rawValue)" + (step.map { " (\($0.reason))" } ?? "")
                out += "<rect class=\"cell \(cls)\" x=\"\(f(x + gap / 2))\" y=\"\(f(y))\" width=\"\(f(cell - gap))\" height=\"24\" rx=\"2\"><title>\(esc(tip))</title></rect>"
            }
            out += "\n"
        }
        return out + "</svg>\n"
    }

    static let heatLegend = "<div class=\"legend\"><span><i class=\"hl\" style=\"background:var(--miss)\"></i>re-ran (cache miss)</span><span><i style=\"background:var(--hit)\"></i>cached</span><span><i style=\"background:var(--none)\"></i>not built</span></div>\n"

    /// Grouped bars per measured build: measured step time and predicted step time.
    static func timesChart(_ b: BenchResults, _ doc: ReportDocument, id: String) -> String {
        let builds = b.firstRun
        guard !builds.isEmpty else { return "" }
        let pairs = builds.map { ($0, $0.measuredStepSeconds, doc.predictedSeconds($0, of: b)) }
        let maxV = niceMax(pairs.map { max($0.1, $0.2 ?? 0) }.max() ?? 1)
        let labelW = 240.0, barW = 460.0, rowH = 26.0, top = 22.0
        let w = labelW + barW + 110, h = top + rowH * Double(builds.count) + 8
        var out = svgOpen(id: id, class: "times-chart", width: w, height: h, label: "predicted and measured build times")
        out += axisGrid(labelW: labelW, barW: barW, top: top, height: h) { "\(NumberFormat.general(maxV * $0)) s" }
        for (i, (x, measured, predicted)) in pairs.enumerated() {
            let y = top + rowH * Double(i)
            out += "<g class=\"row\"><title>\(esc(x.scenario)): measured \(NumberFormat.seconds(measured)), predicted \(predicted.map(NumberFormat.seconds) ?? "–")</title>"
            out += "<text x=\"\(f(labelW - 10))\" y=\"\(f(y + rowH / 2 + 4))\" text-anchor=\"end\">\(esc(Table.clip("\(x.index). \(x.scenario)", 34)))</text>"
            let mw = max(measured > 0 ? 2 : 0, barW * measured / maxV)
            out += "<rect class=\"measured\" x=\"\(f(labelW))\" y=\"\(f(y + 3))\" width=\"\(f(mw))\" height=\"9\" rx=\"2\"/>"
            var label = "<tspan class=\"measured-text\">\(NumberFormat.seconds(measured))</tspan>"
            if let p = predicted {
                let pw = max(p > 0 ? 2 : 0, barW * p / maxV)
                out += "<rect class=\"predicted\" x=\"\(f(labelW))\" y=\"\(f(y + 13))\" width=\"\(f(pw))\" height=\"9\" rx=\"2\"/>"
                label += " <tspan class=\"muted\">/</tspan> <tspan class=\"predicted-text\">\(NumberFormat.seconds(p))</tspan>"
            }
            out += "<text x=\"\(f(labelW + barW + 10))\" y=\"\(f(y + rowH / 2 + 4))\">\(label)</text>"
            out += "</g>\n"
        }
        return out + "</svg>\n"
    }

    /// The smallest of 1, 2, 4, 8 × 10^k at or above `v`: round axis ticks at quarters.
    static func niceMax(_ v: Double) -> Double {
        guard v > 0, v.isFinite else { return 1 }
        var base = pow(10, floor(log10(v)))
        while true {
            for m in [1.0, 2.0, 4.0, 8.0] where m * base >= v - 1e-12 { return m * base }
            base *= 10
        }
    }

    // MARK: Sections

    /// The same history under a local cache and every CI cache, side by side.
    static func cacheModes(_ doc: ReportDocument) -> String {
        guard doc.cacheModes.count > 1 else { return "" }
        var out = "<h2 id=\"cache-modes\">Local cache vs CI caches</h2>\n<p>The history above assumes \(esc(doc.ciCache.summary)). "
            + "On fresh CI runners a build can only reuse what the previous build exported; with no cache every step runs.</p>\n"
        out += "<table id=\"cache-modes-table\"><thead><tr><th>cache</th><th class=\"n\">rebuild per build</th><th class=\"n\">steps re-run per build</th>"
            + "<th class=\"n\">cache efficiency</th></tr></thead><tbody>\n"
        for m in doc.cacheModes {
            out += "<tr\(m.assumed ? " class=\"assumed\"" : "")><td><code>\(esc(m.mode.rawValue))</code>\(m.assumed ? " <b>(assumed)</b>" : "") \(esc(m.mode.summary))</td>"
                + "<td class=\"n\">\(NumberFormat.seconds(m.summary.averageSeconds))</td><td class=\"n\">\(f(m.summary.averageMisses))</td>"
                + "<td class=\"n\">\(NumberFormat.percent(m.summary.efficiency))</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    static func history(_ doc: ReportDocument) -> String {
        let r = doc.history, s = r.summary
        let unit = doc.historyKind == .git ? "commits" : "edits"
        var out = "<h2 id=\"history\">Cache history</h2>\n<p>"
        out += doc.historyKind == .git
            ? "Replayed \(what(doc, s.builds))\(doc.range.map { " (<code>\(esc($0))</code>)" } ?? "") through the \(r.engine.rawValue) cache model; the commit before them only fills the cache."
            : "No history was given (<code>--git RANGE</code> or <code>--last N</code>): each rebuild edits one file of the context, from the same warm cache."
        out += " Estimated \(NumberFormat.seconds(s.estimatedSeconds)) of rebuilding in total, \(NumberFormat.seconds(s.averageSeconds)) per build.</p>\n"
        if s.failedBuilds > 0 { out += "<p class=\"no\">\(s.failedBuilds) build(s) could not be simulated.</p>\n" }
        out += "<h3>Rebuild rate per step</h3>\n" + rateChart(s, id: "rebuild-rate", unit: unit)
        out += "<h3>\(doc.historyKind == .git ? "Commit" : "Edit") × step</h3>\n" + heatLegend + heatmap(r, doc, id: "heatmap")
        out += "<details><summary>Every build</summary>\n<table><thead><tr><th>\(doc.historyKind == .git ? "commit" : "edit")</th><th class=\"n\">re-run</th><th class=\"n\">est.</th><th>first miss</th></tr></thead><tbody>\n"
        for b in r.builds where !b.baseline {
            let first = b.firstMiss.map { "line \($0.line) \($0.instruction): \($0.reason)" } ?? (b.errors.first ?? "all cached")
            out += "<tr><td class=\"mono\">\(esc(Table.clip(doc.label(b), 70)))</td><td class=\"n\">\(b.missCount)</td><td class=\"n\">\(NumberFormat.seconds(b.estimatedSeconds))</td><td>\(esc(first))</td></tr>\n"
        }
        return out + "</tbody></table>\n</details>\n"
    }

    static func comparison(_ c: CompareRunner.Comparison, _ doc: ReportDocument) -> String {
        var out = "<h2 id=\"comparison\">Comparison</h2>\n"
        out += "<div class=\"verdict\" id=\"verdict\"><strong>Verdict:</strong> \(esc(c.verdict))</div>\n"
        let unit = doc.historyKind == .git ? "commits" : "edits"
        out += "<h3>Rebuild rate per step: A against B</h3>\n"
        out += "<div class=\"legend\"><span><i style=\"background:var(--series-a)\"></i>A: <code>\(esc(c.nameA))</code></span><span><i style=\"background:var(--series-b)\"></i>B: <code>\(esc(c.nameB))</code></span></div>\n"
        out += compareChart(c, unit: unit)
        out += "<table><thead><tr><th></th><th class=\"n\">A: <code>\(esc(c.nameA))</code></th><th class=\"n\">B: <code>\(esc(c.nameB))</code></th></tr></thead><tbody>\n"
        for (k, va, vb) in CompareRunner.rows(c) { out += "<tr><td>\(esc(k))</td><td class=\"n\">\(esc(va))</td><td class=\"n\">\(esc(vb))</td></tr>\n" }
        out += "</tbody></table>\n"
        if let m = doc.compareMode { out += "<p class=\"meta\">Histories: \(esc(m)).</p>\n" }
        out += "<h3>B: <code>\(esc(c.nameB))</code> — \(doc.historyKind == .git ? "commit" : "edit") × step</h3>\n" + heatLegend + heatmap(c.b, doc, id: "heatmap-b")
        out += "<p class=\"meta\">A's heatmap is the one under Cache history above.</p>\n"
        return out
    }

    /// Rows: the steps of A and B by their text (A's order, then B's others); two bars each.
    static func compareChart(_ c: CompareRunner.Comparison, unit: String) -> String {
        var texts: [String] = []
        for st in c.a.summary.steps + c.b.summary.steps where !texts.contains(st.text) { texts.append(st.text) }
        guard !texts.isEmpty else { return "" }
        let byA = Dictionary(c.a.summary.steps.map { ($0.text, $0) }, uniquingKeysWith: { a, _ in a })
        let byB = Dictionary(c.b.summary.steps.map { ($0.text, $0) }, uniquingKeysWith: { a, _ in a })
        let labelW = 300.0, barW = 420.0, rowH = 42.0, top = 22.0
        let w = labelW + barW + 110, h = top + rowH * Double(texts.count) + 8
        var out = svgOpen(id: "rebuild-rate-compare", class: "compare-chart", width: w, height: h, label: "rebuild rate per step, A against B")
        out += axisGrid(labelW: labelW, barW: barW, top: top, height: h)
        for (i, text) in texts.enumerated() {
            let y = top + rowH * Double(i)
            out += "<g class=\"row\"><text class=\"mono\" x=\"\(f(labelW - 10))\" y=\"\(f(y + rowH / 2 + 4))\" text-anchor=\"end\">\(esc(Table.clip(text, 40)))</text>"
            for (k, (st, cls)) in [(byA[text], "series-a"), (byB[text], "series-b")].enumerated() {
                let by = y + 5 + Double(k) * 16
                out += "<rect class=\"track\" x=\"\(f(labelW))\" y=\"\(f(by))\" width=\"\(f(barW))\" height=\"14\" rx=\"2\"/>"
                guard let st else {
                    out += "<text class=\"muted\" x=\"\(f(labelW + barW + 10))\" y=\"\(f(by + 11))\">\(k == 0 ? "A" : "B"): no such step</text>"
                    continue
                }
                let bw = max(st.rebuildRate > 0 ? 2 : 0, barW * st.rebuildRate)
                out += "<rect class=\"\(cls)\" x=\"\(f(labelW))\" y=\"\(f(by))\" width=\"\(f(bw))\" height=\"14\" rx=\"2\"><title>\(k == 0 ? "A" : "B"): \(esc(st.text)) re-ran in \(st.misses) of \(st.built) \(unit)</title></rect>"
                out += "<text x=\"\(f(labelW + barW + 10))\" y=\"\(f(by + 11))\">\(k == 0 ? "A" : "B") \(NumberFormat.percent(st.rebuildRate)) <tspan class=\"muted\">(\(st.misses)/\(st.built))</tspan></text>"
            }
            out += "</g>\n"
        }
        return out + "</svg>\n"
    }

    static func bench(_ b: BenchResults, _ doc: ReportDocument) -> String {
        let i = doc.benches.firstIndex { $0.dockerfile == b.dockerfile && $0.builds.count == b.builds.count } ?? 0
        var out = "<h2 id=\"bench-\(i)\">Measured builds: <code>\(esc(b.dockerfile))</code></h2>\n"
        out += "<p>\(esc(b.builderSummary.isEmpty ? b.builder : b.builderSummary)), \(b.runs) run\(b.runs == 1 ? "" : "s"); predictions by \(esc(b.predictor)). "
        out += "Predicted and measured cache status agree on \(b.agreeingSteps) of \(b.comparedSteps) steps (\(NumberFormat.percent(b.agreementRate))).</p>\n"
        out += "<h3>Predicted vs measured step time</h3>\n<div class=\"legend\"><span><i style=\"background:var(--measured)\"></i>measured</span><span><i style=\"background:var(--predicted)\"></i>predicted: the steps predicted to re-run, at the cost model's times\(doc.costsCalibrated ? " (measured costs)" : " (defaults; calibrate with <code>--costs</code> from <code>dockerlint bench --save-costs</code>)")</span></div>\n"
        out += timesChart(b, doc, id: "times-\(i)")
        out += "<details><summary>Every measured build</summary>\n<table><thead><tr><th class=\"n\">#</th><th>scenario</th><th class=\"n\">wall</th><th class=\"n\">measured</th><th class=\"n\">predicted</th><th>hits / misses</th><th class=\"n\">new layers</th></tr></thead><tbody>\n"
        for x in b.firstRun {
            let hits = x.steps.filter { $0.status == "hit" }.count, misses = x.steps.filter { $0.status == "miss" }.count
            out += "<tr><td class=\"n\">\(x.index)</td><td>\(esc(x.scenario))\(x.error.map { " <span class=\"no\">\(esc($0))</span>" } ?? "")</td>"
                + "<td class=\"n\">\(NumberFormat.seconds(x.wallSeconds))</td><td class=\"n\">\(NumberFormat.seconds(x.measuredStepSeconds))</td>"
                + "<td class=\"n\">\(doc.predictedSeconds(x, of: b).map(NumberFormat.seconds) ?? "–")</td><td>\(hits) / \(misses)</td>"
                + "<td class=\"n\">\(x.newLayerBytes.map(NumberFormat.bytes) ?? "–")</td></tr>\n"
        }
        return out + "</tbody></table>\n</details>\n"
    }

    static func lint(_ doc: ReportDocument) -> String {
        var out = "<h2 id=\"lint\">Lint findings</h2>\n"
        for file in doc.lint.input.files {
            let ds = doc.lint.diagnostics(for: file)
            out += "<h3><code>\(esc(file))</code>: \(ds.isEmpty ? "no findings" : "\(ds.count) finding\(ds.count == 1 ? "" : "s")")</h3>\n"
            if ds.isEmpty { continue }
            out += "<table class=\"findings\"><thead><tr><th class=\"n\">line</th><th>severity</th><th>rule</th><th>message</th></tr></thead><tbody>\n"
            for d in ds {
                let rule = d.helpURI.map { "<a href=\"\(esc($0))\">\(esc(d.code))</a>" } ?? esc(d.code)
                out += "<tr><td class=\"n\">\(d.range.start.line)</td><td><span class=\"sev \(d.severity.rawValue)\">\(d.severity.rawValue)</span></td>"
                    + "<td>\(rule) <span class=\"meta\">\(esc(d.name))</span></td><td>\(esc(d.message))</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        return out
    }
}
