import DockerlintCache
import DockerlintCore
import DockerlintRules
import Foundation
import Testing

/// DC1007 (cache-mount advice) is decided by the downloads it saves: the re-runs of its own
/// step that its inputs caused (not edits of the Dockerfile or a new base image, which re-run
/// the step whatever is mounted), a third of the step's estimated time each, against
/// `min-saving`. Real git histories made by the test.
@Suite struct CacheMountEvidence {
    typealias H = CacheRulesHistory

    /// The first apt step re-runs only when the Dockerfile above it changes (an ENV, the base
    /// image); the second also re-runs with requirements.txt, which it does not read (moving
    /// it up is the fix there, not a cache mount); the pip step re-runs with requirements.txt.
    static func repository() throws -> String {
        let dir = try H.emptyRepository()
        func dockerfile(base: String, level: Int) -> String {
            "FROM python:\(base)\nENV LEVEL=\(level)\n"
                + "RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n"
                + "WORKDIR /app\nCOPY requirements.txt .\n"
                + "RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\n"
                + "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"
        }
        try H.write(dir, "Dockerfile", dockerfile(base: "3.11", level: 0))
        try H.write(dir, "requirements.txt", "flask\n")
        try H.write(dir, "app.py", "print(0)\n")
        try H.write(dir, ".dockerignore", ".git\n")
        try H.commit(dir, "initial")
        for k in 1...3 { try H.write(dir, "Dockerfile", dockerfile(base: "3.11", level: k)); try H.commit(dir, "level \(k)") }
        try H.write(dir, "Dockerfile", dockerfile(base: "3.12", level: 3)); try H.commit(dir, "base")
        for k in 1...6 {
            try H.write(dir, "requirements.txt", "flask\n" + (1...k).map { "pkg\($0)\n" }.joined()); try H.commit(dir, "deps \(k)")
            try H.write(dir, "app.py", "print(\(k))\n"); try H.commit(dir, "source \(k)")
        }
        return dir
    }

    @Test(.enabled(if: GitReplay.gitAvailable, "git on PATH"))
    func onlyStepsThatReRunForTheirInputs() throws {
        let dir = try Self.repository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try H.evaluate(dir, history: 100)
        let dc = r.diagnostics.filter { $0.code == "DC1007" }
        // The first apt step re-ran 4 times, all for Dockerfile edits; the second 10 times, 6 of
        // them for requirements.txt, which it does not read: no advice for either.
        #expect(!dc.contains { $0.range.start.line == 3 || $0.range.start.line == 6 }, "\(dc.map(\.message))")
        // The pip step re-ran 10 times: 4 for the Dockerfile, 6 for requirements.txt.
        let pip = try #require(dc.first { $0.range.start.line == 7 }, "\(dc.map(\.message))")
        #expect(pip.message.contains("in the last 16 commits `RUN pip install --no-cache-dir -r requirements.txt` re-ran 10 times, "
            + "6 of them not for edits of the Dockerfile or a new base image: a cache mount saves about"), "\(pip.message)")
        #expect(pip.message.contains("requirements.txt changed (6 times)"), "\(pip.message)")
        let e = try #require(r.evidence.first { $0.inputReruns != nil && $0.step.contains("pip") })
        // 6 of 16 commits, a third of the 30 s estimated for a package install each.
        #expect(abs((e.inputReruns ?? 0) - 600.0 / 16) < 0.01)
        #expect(abs((e.savingPer100 ?? 0) - 600.0 / 16 * 10) < 0.01)
        let apt = r.evidence.filter { $0.inputReruns != nil && $0.step.contains("apt-get") }
        #expect(apt.count == 2 && apt.allSatisfy { $0.inputReruns == 0 && $0.reruns > 0 && !$0.reported }, "\(apt)")
        #expect(apt.map { Int(($0.reruns * 16 / 100).rounded()) }.sorted() == [4, 10], "\(apt)")
    }

    @Test(.enabled(if: GitReplay.gitAvailable, "git on PATH"))
    func belowTheThresholdIsNotReported() throws {
        let dir = try Self.repository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = Configuration()
        config.minSaving = 600  // the pip step saves 375 s per 100 commits
        let r = try H.evaluate(dir, history: 100, config: config)
        #expect(!r.diagnostics.contains { $0.code == "DC1007" }, "\(r.diagnostics.map(\.message))")
        config.minSaving = 300
        let r2 = try H.evaluate(dir, history: 100, config: config)
        #expect(r2.diagnostics.contains { $0.code == "DC1007" && $0.range.start.line == 7 })
    }

    /// Without history: plausible edits of the context, where no edit is a Dockerfile edit.
    @Test(.enabled(if: GitReplay.gitAvailable, "git on PATH"))
    func plausibleEditsQuoteTheirShare() throws {
        let dir = try Self.repository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try H.evaluate(dir, history: 0)
        let dc = r.diagnostics.filter { $0.code == "DC1007" }
        // The pip step re-runs with requirements.txt edits; the apt steps never read what changes.
        #expect(dc.map(\.range.start.line) == [7], "\(dc.map(\.message))")
        #expect(dc.first?.message.contains("of 100 edits") == true && dc.first?.message.contains("a cache mount saves about") == true)
    }
}
