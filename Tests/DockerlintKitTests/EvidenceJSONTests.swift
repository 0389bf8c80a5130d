import Foundation
import Testing

/// `lint -f json`'s `evidence` of a finding that quotes history, on a real git repository:
/// the assumptions it states are the ones `simulate --git` needs to give the same re-runs.
@Suite struct EvidenceJSON {
    static func git(_ dir: String, _ args: String...) throws {
        let r = try CLI.run("/usr/bin/env", ["git", "-C", dir, "-c", "user.name=t", "-c", "user.email=t@e", "-c", "commit.gpgsign=false"] + args)
        if r.status != 0 { throw CLIError(message: "git \(args): \(r.stderr)") }
    }

    struct CLIError: Error { var message: String }

    /// Source before the install, a build argument new per build by its name (GIT_COMMIT) and
    /// one the project's workflow passes a commit id (BUILD_TAG), a `.git` the ignore file lets
    /// in; history: 3 source edits, 2 edits of an ignored file, 1 of the requirements.
    static func repository() throws -> String {
        let dir = try CLI.tempDirectory().path
        try git(dir, "init", "-q", "-b", "main")
        let root = URL(fileURLWithPath: dir)
        try CLI.write("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nARG GIT_COMMIT\nARG BUILD_TAG\n"
                      + "LABEL revision=$GIT_COMMIT tag=$BUILD_TAG\n", to: root.appendingPathComponent("Dockerfile"))
        try CLI.write("*.md\n", to: root.appendingPathComponent(".dockerignore"))
        try CLI.write("flask\n", to: root.appendingPathComponent("requirements.txt"))
        try CLI.write("print(0)\n", to: root.appendingPathComponent("app.py"))
        try CLI.write("notes\n", to: root.appendingPathComponent("NOTES.md"))
        try CLI.write("""
            on: push
            jobs:
              build:
                runs-on: ubuntu-latest
                steps:
                  - uses: docker/build-push-action@v6
                    with:
                      build-args: |
                        BUILD_TAG=${{ github.sha }}

            """, to: root.appendingPathComponent(".github/workflows/docker.yml"))
        try git(dir, "add", "-A"); try git(dir, "commit", "-qm", "initial")
        for k in 1...3 {
            try CLI.write("print(\(k))\n", to: root.appendingPathComponent("app.py"))
            try git(dir, "commit", "-qam", "source \(k)")
        }
        for k in 1...2 {
            try CLI.write("notes \(k)\n", to: root.appendingPathComponent("NOTES.md"))
            try git(dir, "commit", "-qam", "notes \(k)")
        }
        try CLI.write("flask\nrequests\n", to: root.appendingPathComponent("requirements.txt"))
        try git(dir, "commit", "-qam", "deps")
        return dir
    }

    static func lint(_ dir: String, history: Int) throws -> (json: String, finding: [String: Any]) {
        let r = try CLI.run(["lint", "-f", "json", "--no-fail", "--history", "\(history)", "--context", ".", "Dockerfile"],
                            environment: ["CI": ""], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let found = (doc["diagnostics"] as! [[String: Any]]).filter { $0["code"] as? String == "DC1001" }
        #expect(found.count == 1, "\(r.stdout)")
        return (r.stdout, try #require(found.first))
    }

    /// Misses of the step whose text is `step` over the non-baseline builds of `simulate --git`.
    static func replayedReruns(_ dir: String, _ e: [String: Any], step: String, withAssumptions: Bool = true) throws -> Int {
        var args = ["simulate", "Dockerfile", "--context", ".", "--git", e["range"] as! String, "-f", "json",
                    "--builder", e["builder"] as! String, "--engine", e["engine"] as! String, "--ci-cache", e["ciCache"] as! String]
        if withAssumptions {
            for a in e["perBuildArgs"] as! [[String: Any]] { args += ["--per-build-arg", a["name"] as! String] }
            for p in e["churn"] as! [String] { args += ["--churn", p] }
        }
        let r = try CLI.run(args, environment: ["CI": ""], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        var misses = 0
        for b in doc["builds"] as! [[String: Any]] where b["baseline"] as? Bool != true {
            let steps = b["steps"] as! [[String: Any]]
            if steps.contains(where: { $0["text"] as? String == step && $0["status"] as? String == "miss" }) { misses += 1 }
        }
        return misses
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/git"), "git"))
    func historyEvidenceStatesWhatItReplayed() throws {
        let dir = try Self.repository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (json, d) = try Self.lint(dir, history: 100)
        let e = try #require(d["evidence"] as? [String: Any], "\(d)")
        #expect(e["source"] as? String == "history")
        #expect(e["commits"] as? Int == 6)
        #expect(e["range"] as? String == "HEAD", "a history shorter than the window is replayed whole")
        let args = (e["perBuildArgs"] as? [[String: Any]]) ?? []
        #expect(args.map { $0["name"] as? String } == ["GIT_COMMIT", "BUILD_TAG"])
        #expect(args.map { $0["origin"] as? String } == ["name", "ci"])
        #expect(args.last?["reason"] as? String == ".github/workflows/docker.yml:9 passes a per-build value")
        #expect(e["churn"] as? [String] == [".git/HEAD"])
        #expect((e["ignoreFile"] as? String)?.hasSuffix(".dockerignore") == true)
        #expect(e["builder"] as? String == "buildkit" && e["engine"] as? String == "docker-20.10" && e["ciCache"] as? String == "local")
        #expect(e["step"] as? String == "RUN pip install -r requirements.txt")
        // Every commit re-runs the install (the source, or `.git` for the notes); with the
        // manifests first only the requirements change does.
        #expect(e["reruns"] as? Int == 6 && e["rerunsWithFix"] as? Int == 1, "\(e)")
        let message = d["message"] as? String ?? ""
        #expect(message.contains("in the last 6 commits `RUN pip install -r requirements.txt` re-ran 6 times, would re-run once"), "\(message)")
        #expect(message.contains("replayed with ARG GIT_COMMIT and BUILD_TAG new in every build (GIT_COMMIT: by its name; BUILD_TAG: .github/workflows/docker.yml:9)"),
                "\(message)")
        // The stated assumptions reproduce the quote; without them the replay gives another count.
        #expect(try Self.replayedReruns(dir, e, step: "RUN pip install -r requirements.txt") == 6)
        #expect(try Self.replayedReruns(dir, e, step: "RUN pip install -r requirements.txt", withAssumptions: false) == 4)
        #expect(try validateLintJSON(json))

        // A window shorter than the history: its range as `simulate --git` takes it.
        let (_, three) = try Self.lint(dir, history: 3)
        let e3 = try #require(three["evidence"] as? [String: Any])
        #expect(e3["range"] as? String == "HEAD~3..HEAD" && e3["commits"] as? Int == 3, "\(e3)")
        #expect(try Self.replayedReruns(dir, e3, step: "RUN pip install -r requirements.txt") == e3["reruns"] as? Int)
    }

    /// `lint -f sarif` carries the same evidence in the result's property bag.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/git"), "git"))
    func sarifCarriesTheSameEvidence() throws {
        let dir = try Self.repository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (_, d) = try Self.lint(dir, history: 100)
        let expected = try #require(d["evidence"] as? NSDictionary)
        let r = try CLI.run(["lint", "-f", "sarif", "--no-fail", "--history", "100", "--context", ".", "Dockerfile"],
                            environment: ["CI": ""], cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let results = (doc["runs"] as! [[String: Any]])[0]["results"] as! [[String: Any]]
        let result = try #require(results.first { $0["ruleId"] as? String == "DC1001" })
        let evidence = try #require((result["properties"] as? [String: Any])?["evidence"] as? NSDictionary, "\(result)")
        #expect(evidence.isEqual(expected), "SARIF \(evidence) against JSON \(expected)")
        #expect(evidence["reruns"] as? Int == 6)
    }

    @Test func evidenceIsAbsentWithoutEvidence() throws {
        let dir = try CLI.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try CLI.write("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n", to: dir.appendingPathComponent("Dockerfile"))
        try CLI.write("flask\n", to: dir.appendingPathComponent("requirements.txt"))
        let r = try CLI.run(["lint", "-f", "json", "--no-fail", "--evidence", "false", "--context", ".", "Dockerfile"], environment: ["CI": ""], cwd: dir.path)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let found = (doc["diagnostics"] as! [[String: Any]]).filter { $0["code"] as? String == "DC1001" }
        #expect(found.count == 1 && found.allSatisfy { $0["evidence"] == nil }, "\(r.stdout)")
    }
}

/// Validates lint's JSON against reports/schemas/lint-output.schema.json with Python's jsonschema.
func validateLintJSON(_ json: String) throws -> Bool {
    let dir = try CLI.tempDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("out.json")
    try json.write(to: out, atomically: true, encoding: .utf8)
    let script = """
    import json, sys, jsonschema
    schema = json.load(open(sys.argv[1])); doc = json.load(open(sys.argv[2]))
    jsonschema.Draft202012Validator.check_schema(schema)
    errs = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
    for e in errs[:5]: print(list(e.path), e.message, file=sys.stderr)
    sys.exit(1 if errs else 0)
    """
    let schema = CLI.packageRoot.appendingPathComponent("reports/schemas/lint-output.schema.json").path
    let r = try CLI.run("/usr/bin/env", ["python3", "-c", script, schema, out.path])
    if r.status != 0 { Issue.record("lint JSON does not match the schema: \(r.stderr)") }
    return r.status == 0
}
