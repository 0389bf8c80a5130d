import DockerlintCache
import DockerlintCore
import DockerlintModel
import DockerlintRules
import DockerlintSupport
import Foundation
import Testing

/// History evidence on real git repositories made by the test.
@Suite struct CacheRulesHistory {
    static func sh(_ dir: String, _ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", "-c", "commit.gpgsign=false"] + args
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run(); p.waitUntilExit()
        if p.terminationStatus != 0 { throw HarnessError(message: "git \(args) failed") }
    }

    static func write(_ dir: String, _ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: dir).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// A repository with a Dockerfile, then `edits` commits of app.py and one of requirements.txt.
    static func repository(dockerfile: String, edits: Int) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-hist-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try sh(dir, ["init", "-q", "-b", "main"])
        try write(dir, "Dockerfile", dockerfile)
        try write(dir, "requirements.txt", "flask\n")
        try write(dir, "app.py", "print(0)\n")
        try write(dir, ".dockerignore", ".git\nDockerfile\n")
        try sh(dir, ["add", "-A"]); try sh(dir, ["commit", "-qm", "initial"])
        for k in 1...edits {
            try write(dir, "app.py", "print(\(k))\n")
            try sh(dir, ["commit", "-qam", "edit \(k)"])
        }
        try write(dir, "requirements.txt", "flask\nrequests\n")
        try sh(dir, ["commit", "-qam", "deps"])
        return dir
    }

    static func lint(_ dir: String, history: Int, builder: BuilderKind = .buildkit) throws -> [Diagnostic] {
        let path = dir + "/Dockerfile"
        let bytes = Array(try String(contentsOfFile: path, encoding: .utf8).utf8)
        var config = Configuration()
        config.builder = builder
        let rules = BuiltinRules.ruleSet
        let out = Linter(rules: rules).lint(Linter.Input(path: path, bytes: bytes, configuration: config, contextDirectory: dir))
        return CacheEvidence.annotate(out.diagnostics, path: path, bytes: bytes, configuration: config, contextDirectory: dir,
                                      history: history, rules: rules)
    }

    @Test(.enabled(if: GitReplay.gitAvailable, "git on PATH"))
    func sourceBeforeInstallQuotesHistory() throws {
        let dir = try Self.repository(dockerfile: "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n", edits: 5)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let found = try Self.lint(dir, history: 100).filter { $0.code == "DC1001" }
        #expect(found.count == 1)
        // 6 commits after the initial one: 5 edits of app.py and 1 of requirements.txt; with
        // the manifests copied first only the requirements change re-runs the install.
        #expect(found.first?.message.hasSuffix("; in the last 6 commits, `RUN pip install -r requirements.txt` (line 4) would have re-run 6 times; with the fix, once") == true,
                "\(found.map(\.message))")
        // A window of 3 commits.
        let three = try Self.lint(dir, history: 3).filter { $0.code == "DC1001" }
        #expect(three.first?.message.contains("in the last 3 commits, `RUN pip install -r requirements.txt` (line 4) would have re-run 3 times; with the fix, once") == true,
                "\(three.map(\.message))")
    }

    @Test(.enabled(if: GitReplay.gitAvailable, "git on PATH"))
    func noHistoryMeansTheEditSentence() throws {
        let dir = try Self.repository(dockerfile: "FROM python:3.10.5\nCOPY app.py /app.py\nRUN pip install flask\n", edits: 3)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let none = try Self.lint(dir, history: 0).filter { $0.code == "DC1001" }
        #expect(none.first?.message.hasSuffix("every edit to `app.py` re-runs it; move the COPY below the install") == true)
        let some = try Self.lint(dir, history: 10).filter { $0.code == "DC1001" }
        #expect(some.first?.message.hasSuffix("in the last 4 commits, `RUN pip install flask` (line 3) would have re-run 3 times; with the fix, 0 times") == true,
                "\(some.map(\.message))")
    }

    @Test func volatileArgQuotesHistoryAndOutsideGitNothing() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-nogit-\(UUID().uuidString)").path
        try Self.write(dir, "Dockerfile", "FROM debian:12\nARG BUILD_DATE\nRUN apt-get update && apt-get install -y curl\nLABEL d=$BUILD_DATE\n")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let found = try Self.lint(dir, history: 100).filter { $0.code == "DC1003" }
        #expect(found.count == 1)
        #expect(found.first?.message.contains("in the last") == false)
    }

    @Test func ciDefault() {
        #expect(CacheEvidence.defaultHistory(environment: ["CI": "true"]) == 100)
        #expect(CacheEvidence.defaultHistory(environment: ["CI": "false"]) == 0)
        #expect(CacheEvidence.defaultHistory(environment: [:]) == 0)
    }

    @Test func classicMetadataFix() throws {
        var config = Configuration()
        config.builder = .classic
        let before = "FROM debian:12\nARG VERSION\nLABEL version=$VERSION\nRUN apt-get update\n"
        let r = Fixer.fix(Array(before.utf8), path: "Dockerfile", configuration: config, contextDirectory: nil,
                          unsafe: false, only: ["DC1008"])
        #expect(String(decoding: r.bytes, as: UTF8.self) == "FROM debian:12\nARG VERSION\nRUN apt-get update\nLABEL version=$VERSION\n")
    }
}
