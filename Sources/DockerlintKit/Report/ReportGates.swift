import DockerlintCache
import DockerlintCore
import DockerlintSupport
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
        case .maxRebuildRate(let p, let r): return "--max-rebuild-rate \(p)=\(NumberFormat.number(r))"
        case .minCacheEfficiency(let v): return "--min-cache-efficiency \(NumberFormat.number(v))"
        case .maxFindings(let s, let n): return "--max-findings \(s.rawValue)=\(n)"
        }
    }

    public static func matches(_ pattern: String, _ step: StepHistory) -> Bool {
        GlobMatch.wildcard(pattern, step.text) || GlobMatch.wildcard(pattern, step.identity) || GlobMatch.wildcard(pattern, "line \(step.line)")
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
                + "(\(NumberFormat.percent(worst.rebuildRate))), "
                + (ok ? "within" : "above") + " the limit of \(NumberFormat.percent(rate)) [\(spelling)]"
            return GateResult(gate: self, passed: ok, reason: reason)
        case .minCacheEfficiency(let min):
            let eff = doc.history.summary.efficiency
            let ok = eff + 1e-9 >= min
            let reason = "cache efficiency of \(doc.dockerfile) over \(doc.history.summary.builds) \(what) is \(NumberFormat.percent(eff)), "
                + (ok ? "at least" : "below") + " the minimum of \(NumberFormat.percent(min)) [\(spelling)]"
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
