import DockerlintCache
import DockerlintCore
import Foundation

/// A CI gate of `dockerlint report`: `--max-rebuild-rate STEP_PATTERN=RATE`,
/// `--min-cache-efficiency X`, `--max-findings SEVERITY=N`.
public enum ReportGate: Sendable, Equatable {
    /// Every step whose text or identity matches the glob re-runs in at most `rate` of the builds.
    case maxRebuildRate(pattern: String, rate: Double)
    /// The history's cache efficiency (reused cost / total cost) is at least `value`.
    case minCacheEfficiency(Double)
    /// At most `count` findings at or above `severity` in the report's Dockerfile.
    case maxFindings(severity: Severity, count: Int)

    /// `0.25`, `25%`: a fraction between 0 and 1.
    static func fraction(_ s: String, _ flag: String) throws(CommandError) -> Double {
        let t = s.trimmingCharacters(in: .whitespaces)
        let v: Double?
        if t.hasSuffix("%") { v = Double(t.dropLast()).map { $0 / 100 } } else { v = Double(t) }
        guard let v, v.isFinite, v >= 0, v <= 1 else {
            throw CommandError("\(flag): '\(s)' is not a rate between 0 and 1 (or 0% and 100%)")
        }
        return v
    }

    public static func parseRebuildRate(_ s: String) throws(CommandError) -> ReportGate {
        guard let eq = s.lastIndex(of: "="), eq != s.startIndex else {
            throw CommandError("--max-rebuild-rate: expected STEP_PATTERN=RATE, got '\(s)'")
        }
        return .maxRebuildRate(pattern: String(s[..<eq]), rate: try fraction(String(s[s.index(after: eq)...]), "--max-rebuild-rate"))
    }

    public static func parseEfficiency(_ s: String) throws(CommandError) -> ReportGate {
        .minCacheEfficiency(try fraction(s, "--min-cache-efficiency"))
    }

    public static func parseFindings(_ s: String) throws(CommandError) -> ReportGate {
        let parts = s.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let sev = Severity(rawValue: parts[0].lowercased()), sev != .off else {
            throw CommandError("--max-findings: expected SEVERITY=N with SEVERITY one of error, warning, info, style; got '\(s)'")
        }
        guard let n = Int(parts[1]), n >= 0 else { throw CommandError("--max-findings: '\(parts[1])' is not a count") }
        return .maxFindings(severity: sev, count: n)
    }

    /// The gate as written on the command line.
    public var spelling: String {
        switch self {
        case .maxRebuildRate(let p, let r): return "--max-rebuild-rate \(p)=\(ReportFormat.number(r))"
        case .minCacheEfficiency(let v): return "--min-cache-efficiency \(ReportFormat.number(v))"
        case .maxFindings(let s, let n): return "--max-findings \(s.rawValue)=\(n)"
        }
    }

    /// Shell-style glob: `*` any run of characters, `?` one character; whole-string match.
    public static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) { pi += 1; ti += 1 }
            else if pi < p.count && p[pi] == "*" { star = pi; mark = ti; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    public static func matches(_ pattern: String, _ step: StepHistory) -> Bool {
        glob(pattern, step.text) || glob(pattern, step.identity) || glob(pattern, "line \(step.line)")
    }

    func evaluate(_ doc: ReportDocument) throws(CommandError) -> GateResult {
        let what = doc.historyKind == .git ? "commits" : "edits"
        switch self {
        case .maxRebuildRate(let pattern, let rate):
            let steps = doc.history.summary.steps.filter { ReportGate.matches(pattern, $0) }
            if steps.isEmpty {
                throw CommandError("--max-rebuild-rate: '\(pattern)' matches no step of \(doc.dockerfile) (steps are matched by their text, e.g. 'RUN pip install*', or identity, e.g. '0:RUN#1')")
            }
            let worst = steps.max { $0.rebuildRate < $1.rebuildRate }!
            let ok = worst.rebuildRate <= rate + 1e-9
            let reason = "\(worst.text) (line \(worst.line)) re-ran in \(worst.misses) of \(worst.built) \(what) "
                + "(\(ReportFormat.percent(worst.rebuildRate))), "
                + (ok ? "within" : "above") + " the limit of \(ReportFormat.percent(rate)) [\(spelling)]"
            return GateResult(gate: self, passed: ok, reason: reason)
        case .minCacheEfficiency(let min):
            let eff = doc.history.summary.efficiency
            let ok = eff + 1e-9 >= min
            let reason = "cache efficiency of \(doc.dockerfile) over \(doc.history.summary.builds) \(what) is \(ReportFormat.percent(eff)), "
                + (ok ? "at least" : "below") + " the minimum of \(ReportFormat.percent(min)) [\(spelling)]"
            return GateResult(gate: self, passed: ok, reason: reason)
        case .maxFindings(let sev, let max):
            let n = doc.lint.diagnostics(for: doc.dockerfile).filter { $0.severity.meets(threshold: sev) }.count
            let ok = n <= max
            let level = sev == .style ? "any severity" : "\(sev.rawValue) or worse"
            let reason = "\(doc.dockerfile) has \(n) finding\(n == 1 ? "" : "s") of \(level), "
                + (ok ? "within" : "more than") + " the limit of \(max) [\(spelling)]"
            return GateResult(gate: self, passed: ok, reason: reason)
        }
    }
}

public struct GateResult: Sendable, Equatable {
    public var gate: ReportGate
    public var passed: Bool
    /// One line.
    public var reason: String
}

/// Number formatting shared by the report renderers.
public enum ReportFormat {
    public static func percent(_ v: Double) -> String {
        let p = v * 100
        if p > 0 && p < 1 { return String(format: "%.1f%%", p) }
        return String(format: "%.0f%%", p)
    }
    public static func seconds(_ v: Double) -> String { SimulateOutput.seconds(v) }
    public static func number(_ v: Double) -> String {
        v == v.rounded() ? String(Int(v)) : String(format: "%g", v)
    }
    public static func bytes(_ v: Int) -> String {
        let d = Double(v)
        if d >= 1_073_741_824 { return String(format: "%.1f GiB", d / 1_073_741_824) }
        if d >= 1_048_576 { return String(format: "%.1f MiB", d / 1_048_576) }
        if d >= 1024 { return String(format: "%.1f KiB", d / 1024) }
        return "\(v) B"
    }
}
