// How the evidence of a cache finding is worded in its message: the saving, the re-runs with
// and without the fix, their causes, counts and durations.

import DockerlintCache
import DockerlintCore
import DockerlintModel
import DockerlintSupport
import DockerlintSyntax
import Foundation

extension CacheEvidence {
    /// "saves about 6 min of rebuild time per 100 commits: in the last 100 commits `RUN npm ci`
    /// re-ran 92 times, would re-run 3 times; re-runs caused by …"
    public static func sentence(_ e: Evidence) -> String {
        var parts: [String] = []
        let step = "`\(e.step)`"
        if let inputs = e.inputReruns {
            // Cache-mount advice: the re-runs its inputs caused, and the downloads they repeat.
            let saving = "a cache mount saves about \(duration(e.savingPer100 ?? 0)) of downloads per 100 \(e.source.isHistory ? "commits" : "edits")"
                + (e.mountDependencies.map { " (the build's download share on each of those re-runs: \($0) dependencies at "
                    + "\(CostModel.secondsPerDependency) s each, a chosen constant; compiles not counted)" }
                    ?? " (a third of the step's estimated time on each of those re-runs)")
            switch e.source {
            case .history(let n):
                let f = Double(n) / 100
                let others = inputs < e.reruns - 0.001
                    ? ", \(Int((inputs * f).rounded())) of them not for edits of the Dockerfile or a new base image" : ""
                parts.append("in the last \(n) commit\(n == 1 ? "" : "s") \(step) re-ran \(count(e.reruns * f))\(others): \(saving)")
                if let had = stepBuilds(e) { parts.append(had) }
                if !e.causes.isEmpty {
                    parts.append("re-runs caused by " + e.causes.prefix(3).map { "\($0.0) (\(count($0.1 * f)))" }.joined(separator: ", "))
                }
            case .edits(let n):
                parts.append("\(step) re-runs after \(Int(e.reruns.rounded())) of 100 edits (estimated from edits to each of the \(n) file\(n == 1 ? "" : "s") "
                    + "of the context alone, weighted by how often files of their kind change): \(saving)")
                if !e.causes.isEmpty {
                    parts.append("re-runs caused by " + e.causes.prefix(3).map { "\($0.0) (\(Int($0.1.rounded())))" }.joined(separator: ", "))
                }
            }
            return parts.joined(separator: "; ")
        }
        switch e.source {
        case .history(let n):
            // Counts as they happened in the window; time per 100 commits.
            let f = Double(n) / 100
            let window = "in the last \(n) commit\(n == 1 ? "" : "s")"
            if let saving = e.savingPer100, e.hypothetical, e.downloadStep != nil, let after = e.rerunsFixed {
                // A pre-fetch that is not offered: how often the dependency inputs changed.
                parts.append("\(window) \(step) re-ran \(count(e.reruns * f)), downloading the dependencies each time, while a step "
                    + "that read only the dependency inputs (the manifests and the build tool's settings) would have re-run "
                    + "\(count(after * f)) (about \(duration(max(saving, 0))) of downloads per 100 commits saved at the cost model's \(CostModel.secondsPerDependency) s per dependency, a chosen constant; compiles not counted)")
            } else if let saving = e.savingPer100, e.hypothetical, let after = e.rerunsFixed {
                // A split that is not offered: how often the install's own inputs changed.
                parts.append("\(window) \(step) re-ran \(count(e.reruns * f)), while an install that read only the files it needs "
                    + "would have re-run \(count(after * f)) (about \(duration(max(saving, 0))) of rebuild time per 100 commits)")
            } else if let saving = e.savingPer100 {
                var s = "saves about \(duration(saving)) of rebuild time per 100 commits"
                if let after = e.rerunsFixed, after < e.reruns, let fetch = e.downloadStep {
                    s += ": \(window) \(step) re-ran \(count(e.reruns * f)), downloading the dependencies each time; "
                        + "`\(fetch)` would download them \(count(after * f))"
                } else if let after = e.rerunsFixed, after < e.reruns {
                    s += ": \(window) \(step) re-ran \(count(e.reruns * f)), would re-run \(count(after * f))"
                } else {
                    s += " (\(window))"
                }
                parts.append(s)
            } else {
                parts.append("\(window) \(step) re-ran \(count(e.reruns * f))")
            }
            if let had = stepBuilds(e) { parts.append(had) }
            if !e.causes.isEmpty {
                parts.append("re-runs caused by " + e.causes.prefix(3).map { "\($0.0) (\(count($0.1 * f)))" }.joined(separator: ", "))
            }
        case .edits(let n):
            let how = "estimated from edits to each of the \(n) file\(n == 1 ? "" : "s") of the context alone, weighted by how often files of their kind change"
            if let saving = e.savingPer100, e.hypothetical, e.downloadStep != nil, let after = e.rerunsFixed {
                parts.append("\(step) re-runs after \(Int(e.reruns.rounded())) of 100 edits, downloading the dependencies each time, while a step "
                    + "that read only the dependency inputs (the manifests and the build tool's settings) would re-run after \(Int(after.rounded())) "
                    + "(about \(duration(max(saving, 0))) of downloads per 100 edits saved at the cost model's \(CostModel.secondsPerDependency) s per dependency, a chosen constant; compiles not counted; \(how))")
            } else if let saving = e.savingPer100, e.hypothetical, let after = e.rerunsFixed {
                parts.append("\(step) re-runs after \(Int(e.reruns.rounded())) of 100 edits, while an install that read only the files it needs "
                    + "would re-run after \(Int(after.rounded())) (about \(duration(max(saving, 0))) of rebuild time per 100 edits; \(how))")
            } else if let saving = e.savingPer100 {
                var s = "saves about \(duration(saving)) of rebuild time per 100 edits"
                if let after = e.rerunsFixed, after < e.reruns, let fetch = e.downloadStep {
                    s += ": \(step) re-runs after \(Int(e.reruns.rounded())) of 100 edits, downloading the dependencies each time; "
                        + "`\(fetch)` would download them after \(Int(after.rounded()))"
                } else if let after = e.rerunsFixed, after < e.reruns {
                    s += ": \(step) re-runs after \(Int(e.reruns.rounded())) of 100 edits, would re-run after \(Int(after.rounded()))"
                }
                parts.append(s + " (\(how))")
            } else {
                parts.append("\(step) re-runs after \(Int(e.reruns.rounded())) of 100 edits (\(how))")
            }
            if !e.causes.isEmpty {
                parts.append("re-runs caused by " + e.causes.prefix(3).map { "\($0.0) (\(Int($0.1.rounded())))" }.joined(separator: ", "))
            }
        }
        return parts.joined(separator: "; ")
    }

    /// History: how many of the commits' Dockerfiles had the quoted step, when not all did
    /// (an older commit's build is no re-run of a step its file lacks).
    static func stepBuilds(_ e: Evidence) -> String? {
        guard case .history(let n) = e.source else { return nil }
        let had = Int((e.present * Double(n) / 100).rounded())
        return had < n ? "the step is in the Dockerfile of \(had) of those \(n) commits" : nil
    }

    static func count(_ x: Double) -> String {
        let n = Int(x.rounded())
        return n == 1 ? "once" : "\(n) times"
    }

    /// "45 s", "6 min", "2.5 h".
    public static func duration(_ seconds: Double) -> String {
        if seconds < 90 { return "\(Int(seconds.rounded())) s" }
        let minutes = seconds / 60
        if minutes < 90 { return "\(Int(minutes.rounded())) min" }
        let h = (minutes / 6).rounded() / 10
        return h == h.rounded() ? "\(Int(h)) h" : "\(h) h"
    }
}
