import Foundation
import Testing

/// The `dockerlint` hook of .pre-commit-hooks.yaml through the real pre-commit (PyPI;
/// scripts/test installs it), in a scratch git repository pointed at a clone of this package.
///
/// Slow on purpose: pre-commit's `swift` language builds the hook's repository with
/// `swift build -c release`, a full release build (minutes on two cores). `pre-commit
/// try-repo` always works in a fresh temporary store (it ignores PRE_COMMIT_HOME), so it runs
/// once, on every file at the same time; the per-file cases then run `pre-commit run` from a
/// config naming the same clone and commit, sharing one PRE_COMMIT_HOME keyed by the commit:
/// built once, and not again when the suite is re-run at the same commit.
///
/// `git clone --local` takes the committed HEAD only: this tests what is committed, not the
/// working tree.
enum PreCommitFixture {
    static let root = CLI.packageRoot

    struct Setup: Sendable {
        var home: String
        var repo: String
        var scratch: String
        var preCommit: String
        var head: String
    }

    static let setup: Result<Setup, any Error> = Result {
        guard let preCommit = ReportFixture.which("pre-commit") else { throw ReportFixture.FixtureError(message: "pre-commit is not installed (pip install pre-commit)") }
        let head = try CLI.run("/usr/bin/env", ["git", "-C", root.path, "rev-parse", "HEAD"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-pre-commit")
        let repo = base.appendingPathComponent("repo-\(head)").path
        if !FileManager.default.fileExists(atPath: repo + "/.pre-commit-hooks.yaml") {
            try? FileManager.default.removeItem(atPath: repo)
            let c = try CLI.run("/usr/bin/env", ["git", "clone", "-q", "--local", root.path, repo])
            guard c.status == 0 else { throw ReportFixture.FixtureError(message: "git clone: \(c.stderr)") }
        }
        let scratch = try CLI.tempDirectory().appendingPathComponent("scratch")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        _ = try CLI.run("/usr/bin/env", ["git", "init", "-q", scratch.path])
        // A clean Dockerfile, and the examples.
        try CLI.write("FROM alpine:3.20\nCOPY app.py /app.py\nCMD [\"python3\", \"/app.py\"]\n", to: scratch.appendingPathComponent("clean/Dockerfile"))
        try CLI.write("print('hello')\n", to: scratch.appendingPathComponent("clean/app.py"))
        for example in ["lab", "lab-bad-order"] {
            for f in ["Dockerfile", "app.py"] {
                try FileManager.default.createDirectory(at: scratch.appendingPathComponent(example), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: root.appendingPathComponent("examples/\(example)/\(f)"),
                                                 to: scratch.appendingPathComponent("\(example)/\(f)"))
            }
        }
        _ = try CLI.run("/usr/bin/env", ["git", "-C", scratch.path, "add", "-A"])
        try CLI.write("repos:\n  - repo: \(repo)\n    rev: \(head)\n    hooks:\n      - id: dockerlint\n", to: scratch.appendingPathComponent(".pre-commit-config.yaml"))
        _ = try CLI.run("/usr/bin/env", ["git", "-C", scratch.path, "add", "-A"])
        return Setup(home: base.appendingPathComponent("home-\(head)").path, repo: repo, scratch: scratch.path, preCommit: preCommit, head: head)
    }

    /// `pre-commit try-repo REPO dockerlint --files FILE…` in the scratch repository.
    static func tryRepo(_ files: [String]) throws -> CLI.Result {
        let s = try setup.get()
        return try CLI.run(s.preCommit, ["try-repo", s.repo, "dockerlint", "--verbose", "--files"] + files,
                           environment: ["PRE_COMMIT_COLOR": "never"], cwd: s.scratch)
    }

    /// `pre-commit run dockerlint --files FILE…` with the scratch config (the same clone and
    /// commit) and the shared PRE_COMMIT_HOME.
    static func run(_ files: [String]) throws -> CLI.Result {
        let s = try setup.get()
        return try CLI.run(s.preCommit, ["run", "dockerlint", "--verbose", "--files"] + files,
                           environment: ["PRE_COMMIT_HOME": s.home, "PRE_COMMIT_COLOR": "never"], cwd: s.scratch)
    }
}

@Suite(.serialized, .enabled(if: ReportFixture.which("pre-commit") != nil || ReportFixture.inCI, "pre-commit (pip install pre-commit; scripts/test installs it)"))
struct PreCommitHook {
    @Test func hookFileDeclaresTheSwiftHook() throws {
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent(".pre-commit-hooks.yaml"), encoding: .utf8)
        #expect(text.contains("- id: dockerlint"))
        #expect(text.contains("language: swift"))
        #expect(text.contains("types: [dockerfile]"))
    }

    /// One try-repo run on a clean Dockerfile, lab-bad-order and a Python file: the hook fails
    /// (lab-bad-order), reports nothing in the clean file, and never sees app.py.
    @Test func tryRepoRunsTheHookOnTheDockerfilesOnly() throws {
        let r = try PreCommitFixture.tryRepo(["clean/Dockerfile", "lab-bad-order/Dockerfile", "clean/app.py"])
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("Failed"))
        #expect(r.stdout.contains("lab-bad-order/Dockerfile:3:17: warning: Pin versions in pip"), "\(r.stdout)")
        #expect(!r.stdout.contains("clean/Dockerfile:"), "\(r.stdout)")
        #expect(!r.stdout.contains("app.py:"))
    }

    @Test func passesACleanDockerfileAndFailsLabBadOrder() throws {
        let clean = try PreCommitFixture.run(["clean/Dockerfile"])
        #expect(clean.status == 0, "\(clean.stdout)\n\(clean.stderr)")
        #expect(clean.stdout.contains("Passed"))
        let bad = try PreCommitFixture.run(["lab-bad-order/Dockerfile"])
        #expect(bad.status == 1, "\(bad.stdout)\n\(bad.stderr)")
        #expect(bad.stdout.contains("Failed"))
        // lab-bad-order also fails for the unpinned `pip install flask` (which the good-order
        // lab has too); its layer-order finding is checked by hookFailsLabBadOrderForItsLayerOrder.
        #expect(bad.stdout.contains("lab-bad-order/Dockerfile:3:17: warning: Pin versions in pip"))
        // The hook only sees Dockerfiles.
        let py = try PreCommitFixture.run(["clean/app.py"])
        #expect(py.status == 0)
        #expect(py.stdout.contains("(no files to check)Skipped"), "\(py.stdout)")
    }

    /// The hook fails lab-bad-order for its layer order, and the good-order lab has no such finding.
    @Test func hookFailsLabBadOrderForItsLayerOrder() throws {
        let bad = try PreCommitFixture.run(["lab-bad-order/Dockerfile"])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("[DC1"), "\(bad.stdout)")
        let good = try PreCommitFixture.run(["lab/Dockerfile"])
        #expect(!good.stdout.contains("[DC1"), "\(good.stdout)")
    }
}
