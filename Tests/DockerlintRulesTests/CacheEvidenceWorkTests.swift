import DockerlintCache
import DockerlintCore
import DockerlintRules
import DockerlintSupport
import Foundation
import Testing

/// What weighing the cache findings without history costs: nothing for a file without a cache
/// finding, one walk of a context for all the files built from it, and a bounded walk.
@Suite struct CacheEvidenceWork {
    static func context(files: Int = 3) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-work-\(UUID().uuidString)").path
        try CacheRulesHistory.write(dir, "requirements.txt", "flask\n")
        try CacheRulesHistory.write(dir, "app.py", "print(0)\n")
        for k in 0..<files { try CacheRulesHistory.write(dir, "lib/m\(k).py", "x = \(k)\n") }
        return dir
    }

    /// The source copied before the install: a DC1001 candidate whose report the edits decide.
    static let sourceFirst = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n"
    /// Nothing for the cache rules to find.
    static let plain = "FROM python:3.12-slim\nWORKDIR /app\nCOPY app.py .\nCMD [\"python\", \"app.py\"]\n"

    static func evaluate(_ dir: String, _ name: String, _ text: String, shared: CacheEvidence.SharedWork)
        -> (diagnostics: [Diagnostic], candidates: Int, work: CacheEvidence.Work) {
        let path = dir + "/" + name
        let bytes = Array(text.utf8)
        let rules = BuiltinRules.ruleSet
        let config = Configuration()
        let out = Linter(rules: rules).lint(Linter.Input(path: path, bytes: bytes, configuration: config, contextDirectory: dir))
        let r = CacheEvidence.evaluate(out.diagnostics, model: out.model, path: path, bytes: bytes, configuration: config, contextDirectory: dir,
                                       history: 0, rules: rules, shared: shared)
        return (r.diagnostics, out.diagnostics.filter { $0.code.hasPrefix("DC") }.count, r.work)
    }

    @Test func noCacheFindingNoSimulation() throws {
        let dir = try Self.context()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CacheRulesHistory.write(dir, "Dockerfile", Self.plain)
        let shared = CacheEvidence.SharedWork()
        let none = Self.evaluate(dir, "Dockerfile", Self.plain, shared: shared)
        #expect(none.candidates == 0)
        #expect(none.work == CacheEvidence.Work())
        // The same context with a candidate: the edits are simulated.
        let some = Self.evaluate(dir, "Dockerfile", Self.sourceFirst, shared: shared)
        #expect(some.candidates > 0)
        #expect(some.work.simulatedBuilds > 0)
        #expect(some.work.contextScans == 1)
        #expect(!some.work.capped)
    }

    /// Two Dockerfiles of one folder: the second reuses the first one's walk and finds the same.
    @Test func oneWalkPerContext() throws {
        let dir = try Self.context()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CacheRulesHistory.write(dir, "Dockerfile", Self.sourceFirst)
        try CacheRulesHistory.write(dir, "api.Dockerfile", Self.sourceFirst)
        let shared = CacheEvidence.SharedWork()
        let first = Self.evaluate(dir, "Dockerfile", Self.sourceFirst, shared: shared)
        let second = Self.evaluate(dir, "api.Dockerfile", Self.sourceFirst, shared: shared)
        #expect(first.work.contextScans == 1)
        #expect(second.work.contextScans == 0)
        #expect(second.work.simulatedBuilds > 0)
        let alone = Self.evaluate(dir, "api.Dockerfile", Self.sourceFirst, shared: CacheEvidence.SharedWork())
        #expect(alone.work.contextScans == 1)
        #expect(alone.diagnostics == second.diagnostics)
    }

    /// A context larger than the walk's limit: the finding is kept as the rule found it, and
    /// says it was not weighed and why; nothing is simulated.
    @Test func largeContextIsCapped() throws {
        let dir = try Self.context(files: 12)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CacheRulesHistory.write(dir, "Dockerfile", Self.sourceFirst)
        let capped = Self.evaluate(dir, "Dockerfile", Self.sourceFirst, shared: CacheEvidence.SharedWork(maxContextEntries: 8))
        #expect(capped.work.capped)
        #expect(capped.work.simulatedBuilds == 0)
        let dc = capped.diagnostics.filter { $0.code == "DC1001" }
        #expect(dc.count == 1)
        #expect(dc.first?.message.contains("not weighed against edits of the context: it has more than 8 files and folders") == true,
                "\(dc.map(\.message))")
        let weighed = Self.evaluate(dir, "Dockerfile", Self.sourceFirst, shared: CacheEvidence.SharedWork())
        #expect(!weighed.work.capped)
        #expect(weighed.diagnostics.allSatisfy { !$0.message.contains("not weighed") })
    }
}

/// apt advice whose RUN reads nothing that edits of the context change: without history it is
/// dropped without a simulated build (it could never pay); the same advice on a RUN that binds
/// a context file is simulated and weighed.
@Suite struct CacheEvidenceUnchangedInputs {
    typealias W = CacheEvidenceWork
    static let apt = "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"
    static let fixed = "FROM debian:12\nRUN \(apt)\nWORKDIR /app\nCOPY app.py .\n"
    static let bound = "FROM debian:12\nRUN --mount=type=bind,source=lib,target=/tmp/lib \(apt)\nWORKDIR /app\nCOPY app.py .\n"

    @Test func aptAdviceOnAStepWhoseInputsNeverChange() throws {
        let dir = try W.context()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CacheRulesHistory.write(dir, "Dockerfile", Self.fixed)
        let r = W.evaluate(dir, "Dockerfile", Self.fixed, shared: CacheEvidence.SharedWork())
        #expect(r.candidates == 1)
        #expect(!r.diagnostics.contains { $0.code == "DC1007" }, "\(r.diagnostics.map(\.message))")
        #expect(r.work.simulatedBuilds == 0)
        #expect(r.work.contextScans == 1)
        // A context too large to weigh: the advice is kept, saying why, as for any other finding.
        let capped = W.evaluate(dir, "Dockerfile", Self.fixed, shared: CacheEvidence.SharedWork(maxContextEntries: 2))
        #expect(capped.work.capped)
        #expect(capped.diagnostics.contains { $0.code == "DC1007" && $0.message.contains("not weighed against edits of the context") })
    }

    @Test func aptAdviceOnAStepThatBindsAContextFile() throws {
        let dir = try W.context()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CacheRulesHistory.write(dir, "Dockerfile", Self.bound)
        let r = W.evaluate(dir, "Dockerfile", Self.bound, shared: CacheEvidence.SharedWork())
        #expect(r.candidates == 1)
        #expect(r.work.simulatedBuilds > 0)
        // Edits of lib/ start re-runs of the step itself: the downloads they repeat are weighed.
        let dc = r.diagnostics.filter { $0.code == "DC1007" }
        #expect(dc.count == 1 && dc[0].message.contains("a cache mount saves about"), "\(r.diagnostics.map(\.message))")
    }
}

/// Advice to exclude paths from the context (DC1004) pays only through edits of what it
/// excludes: decided without a simulated build where no edit touches those paths, simulated
/// where one does.
@Suite struct CacheEvidenceExclusionAdvice {
    static let copyAll = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n"

    static func evaluate(context dir: String, dockerfile path: String) -> (diagnostics: [Diagnostic], candidates: [Diagnostic], work: CacheEvidence.Work) {
        let bytes = Array(copyAll.utf8)
        let rules = BuiltinRules.ruleSet
        let out = Linter(rules: rules).lint(Linter.Input(path: path, bytes: bytes, configuration: Configuration(), contextDirectory: dir))
        let r = CacheEvidence.evaluate(out.diagnostics, model: out.model, path: path, bytes: bytes, configuration: Configuration(), contextDirectory: dir,
                                       history: 0, rules: rules, shared: CacheEvidence.SharedWork())
        return (r.diagnostics, out.diagnostics.filter { $0.code.hasPrefix("DC") }, r.work)
    }

    @Test func noEditTouchesWhatItExcludes() throws {
        let dir = try CacheEvidenceWork.context()
        let outside = dir + "-dockerfile"
        defer { try? FileManager.default.removeItem(atPath: dir); try? FileManager.default.removeItem(atPath: outside) }
        try CacheRulesHistory.write(outside, "Dockerfile", Self.copyAll)
        // The Dockerfile is outside the context: the advice excludes only a .dockerignore there is none of.
        let r = Self.evaluate(context: dir, dockerfile: outside + "/Dockerfile")
        #expect(r.candidates.map(\.code) == ["DC1004"], "\(r.candidates.map(\.message))")
        #expect(!r.diagnostics.contains { $0.code == "DC1004" })
        #expect(r.work.simulatedBuilds == 0)
    }

    @Test func anEditTouchesWhatItExcludes() throws {
        let dir = try CacheEvidenceWork.context()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try CacheRulesHistory.write(dir, "Dockerfile", Self.copyAll)
        // The Dockerfile is in the context, one of the files edited, and the advice excludes it.
        let r = Self.evaluate(context: dir, dockerfile: dir + "/Dockerfile")
        #expect(r.candidates.map(\.code) == ["DC1004"], "\(r.candidates.map(\.message))")
        #expect(r.work.simulatedBuilds > 0)
    }
}
