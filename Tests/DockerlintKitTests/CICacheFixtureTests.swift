import DockerlintCache
import DockerlintSupport
import Foundation
import Testing
@testable import DockerlintKit

/// The CI-cache model against real builds. Fixtures/ci-cache/<example>/<mode>.tsv are the per-step
/// results `scripts/record-ci-cache` recorded on Docker 26.1.5 (BuildKit v0.13) for the histories
/// of `scripts/make-multistage-history` and `scripts/make-lab-history`; `<mode>.explained` lists
/// the disagreements the model knowingly leaves (each with its reason). A disagreement on a step
/// the model itself marks `restored-uncertain` is explained by that mark. Any other
/// disagreement, or an explained one that no longer disagrees, fails.
@Suite("CI caches: the model against builds recorded on Docker 26", .enabled(if: GitReplay.gitAvailable, "needs git"))
struct CICacheFixtureTests {
    static let fixtures = CLI.packageRoot.appendingPathComponent("Tests/DockerlintKitTests/Fixtures/ci-cache").path

    struct Example: Sendable, CustomStringConvertible {
        var name: String
        var script: String
        var range: String
        var description: String { name }
    }

    static let examples = [
        Example(name: "multistage", script: "make-multistage-history", range: "HEAD~7..HEAD"),
        Example(name: "lab", script: "make-lab-history", range: "HEAD~20..HEAD"),
        Example(name: "lab-bad-order", script: "make-lab-history", range: "HEAD~20..HEAD"),
    ]

    /// One history repository per script, made once.
    static let histories: [String: String] = {
        var out: [String: String] = [:]
        for script in Set(examples.map(\.script)) {
            guard let dir = try? CLI.tempDirectory().appendingPathComponent("history").path,
                  let r = try? CLI.run("/bin/bash", [CLI.packageRoot.appendingPathComponent("scripts/\(script)").path, dir]),
                  r.status == 0 else { continue }
            out[script] = dir
        }
        return out
    }()

    static func agreement(_ e: Example, _ mode: CICacheMode) throws -> (all: [StepAgreement], explained: [String: String]) {
        let history = try #require(histories[e.script], "scripts/\(e.script) failed")
        let text = try String(contentsOfFile: "\(fixtures)/\(e.name)/\(mode.rawValue).tsv", encoding: .utf8)
        let observed = try CICacheAgreement.parseObserved(text)
        let predictions = try CICacheAgreement.predict(dockerfile: "\(history)/\(e.name)/Dockerfile", context: "\(history)/\(e.name)",
                                                       range: e.range, options: SimulatorOptions(release: .docker26, ciCache: mode))
        #expect(predictions.count == observed.count)
        var explained: [String: String] = [:]
        if let t = try? String(contentsOfFile: "\(fixtures)/\(e.name)/\(mode.rawValue).explained", encoding: .utf8) {
            for line in t.split(separator: "\n") where !line.hasPrefix("#") {
                let f = line.split(separator: "\t", maxSplits: 1).map(String.init)
                if f.count == 2 { explained[f[0]] = f[1] }
            }
        }
        return (CICacheAgreement.compare(predictions: predictions, observed: observed), explained)
    }

    @Test(arguments: examples, CICacheMode.allCases)
    func modelAgreesWithTheRecordedBuilds(_ e: Example, _ mode: CICacheMode) throws {
        let (all, explained) = try Self.agreement(e, mode)
        #expect(!all.isEmpty)
        let disagreements = all.filter { !$0.agrees }
        // Restores the model marks as uncertain (mode=max, a step the previous build matched
        // without loading) may go either way; every other disagreement must be listed.
        for d in disagreements where explained[d.label] == nil && d.cause != .uncertainRestore {
            Issue.record("\(e.name) \(mode.rawValue): \(d.label): observed \(d.observed.rawValue), predicted \(d.predicted?.rawValue ?? "no step") (\(d.reason ?? "-"))")
        }
        for label in explained.keys where !disagreements.contains(where: { $0.label == label }) {
            Issue.record("\(e.name) \(mode.rawValue): \(label) is listed as explained but agrees now")
        }
    }
}
