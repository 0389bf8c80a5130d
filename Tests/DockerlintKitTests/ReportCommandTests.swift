import Foundation
import Testing

/// `dockerlint report` end to end with the real binary, on the lab history that
/// scripts/make-lab-history builds (20 commits: 16 edit app.py, 4 the dependency line).
enum ReportFixture {
    static let root = CLI.packageRoot

    /// One history for every test of the process (the script fixes authors and dates, so
    /// commit ids are the same on every run).
    static let history: Result<URL, any Error> = Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-report-history-\(UUID().uuidString)")
        let r = try CLI.run(root.appendingPathComponent("scripts/make-lab-history").path, [dir.path])
        guard r.status == 0 else { throw FixtureError(message: "make-lab-history failed: \(r.stderr)") }
        return dir
    }

    struct FixtureError: Error, CustomStringConvertible { var message: String; var description: String { message } }

    static func dir() throws -> URL { try history.get() }

    /// `dockerlint report lab/Dockerfile --context lab --git HEAD~20..HEAD …` in the history.
    static func report(_ extra: [String], environment: [String: String] = [:]) throws -> CLI.Result {
        try CLI.run(["report", "lab/Dockerfile", "--context", "lab", "--git", "HEAD~20..HEAD"] + extra,
                    environment: environment, cwd: try dir().path)
    }

    /// A `dockerlint bench --format json` document for lab/Dockerfile (schema
    /// reports/schemas/bench-output.schema.json): a cold build and one edit.
    static let benchJSON = """
    {"version":1,"dockerfile":"lab/Dockerfile","context":"lab","builder":"buildkit","builderSummary":"buildkit via unix:///var/run/docker.sock",
     "predictor":"simulator","runs":1,
     "builds":[
      {"run":1,"index":1,"scenario":"cold","builder":"buildkit","wallSeconds":4.3,"imageId":"sha256:1","imageBytes":100,"newLayerBytes":100,"newLayers":2,"error":null,
       "steps":[{"line":1,"instruction":"FROM python:3.10.5","stage":"stage-0","status":"hit","seconds":0,"builderInstruction":"FROM","error":null,"prediction":{"line":1,"instruction":"FROM python:3.10.5","stage":"stage-0","status":"hit","reason":null},"agrees":true},
                {"line":2,"instruction":"RUN pip install","stage":"stage-0","status":"miss","seconds":3.7,"builderInstruction":"RUN","error":null,"prediction":{"line":2,"instruction":"RUN pip install","stage":"stage-0","status":"miss","reason":null,"seconds":25},"agrees":true},
                {"line":4,"instruction":"COPY app.py /app.py","stage":"stage-0","status":"miss","seconds":0.05,"builderInstruction":"COPY","error":null,"prediction":{"line":4,"instruction":"COPY app.py /app.py","stage":"stage-0","status":"miss","reason":null},"agrees":true}],
       "unmatchedPredictions":[]},
      {"run":1,"index":2,"scenario":"edit app.py","builder":"buildkit","wallSeconds":0.7,"imageId":"sha256:2","imageBytes":101,"newLayerBytes":1,"newLayers":1,"error":null,
       "steps":[{"line":1,"instruction":"FROM python:3.10.5","stage":"stage-0","status":"hit","seconds":0,"builderInstruction":"FROM","error":null,"prediction":{"line":1,"instruction":"FROM python:3.10.5","stage":"stage-0","status":"hit","reason":null},"agrees":true},
                {"line":2,"instruction":"RUN pip install","stage":"stage-0","status":"hit","seconds":0,"builderInstruction":"RUN","error":null,"prediction":{"line":2,"instruction":"RUN pip install","stage":"stage-0","status":"miss","reason":null},"agrees":false},
                {"line":4,"instruction":"COPY app.py /app.py","stage":"stage-0","status":"miss","seconds":0.04,"builderInstruction":"COPY","error":null,"prediction":{"line":4,"instruction":"COPY app.py /app.py","stage":"stage-0","status":"miss","reason":null},"agrees":true}],
       "unmatchedPredictions":[]}],
     "summary":{"sequence":[],"comparedSteps":6,"agreeingSteps":5,"agreementRate":0.8333,"disagreements":[]}}
    """

    static func benchFile() throws -> String {
        let f = try CLI.tempDirectory().appendingPathComponent("bench.json")
        try CLI.write(benchJSON, to: f)
        return f.path
    }

    /// Runs python3 with a script and arguments; returns (status, stdout+stderr).
    static func python(_ script: String, _ args: [String]) throws -> (Int32, String) {
        let r = try CLI.run("/usr/bin/env", ["python3", "-c", script] + args)
        return (r.status, (r.stdout + r.stderr).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func which(_ name: String) -> String? {
        for d in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let p = "\(d)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }

    /// In CI (scripts/test installs them) a missing tool is a failure, elsewhere a skip.
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] != nil }
    static var hasMarkdownIt: Bool { (try? python("import markdown_it", []).0) == 0 }
}

@Suite struct ReportCommand {
    @Test func passingGatesExitZeroAndEveryFormatNamesTheVerdict() throws {
        let gates = ["--max-rebuild-rate", "RUN pip*=25%", "--min-cache-efficiency", "0.5", "--max-findings", "error=0"]
        for format in ["markdown", "html", "json"] {
            let r = try ReportFixture.report(["--compare", "lab-bad-order/Dockerfile", "-f", format] + gates)
            #expect(r.status == 0, "\(format): \(r.stderr)")
            #expect(r.stderr.isEmpty)
            #expect(r.stdout.contains("lab/Dockerfile rebuilds faster than lab-bad-order/Dockerfile over 20 builds"), Comment(rawValue: format))
        }
    }

    @Test func failedGateIsExitOneWithOneLinePerGate() throws {
        let r = try ReportFixture.report(["--max-rebuild-rate", "COPY app.py*=0.5", "--max-rebuild-rate", "RUN pip*=0.5",
                                          "--min-cache-efficiency", "95%"])
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 2, "\(r.stderr)")
        #expect(lines.first == "dockerlint: gate failed: COPY app.py /app.py (line 4) re-ran in 20 of 20 commits (100%), above the limit of 50% [--max-rebuild-rate COPY app.py*=0.5]")
        #expect(lines.last?.hasPrefix("dockerlint: gate failed: cache efficiency of lab/Dockerfile over 20 commits is 79%, below the minimum of 95%") == true)
        // The report is still written, with the failing gate first.
        #expect(r.stdout.contains("❌ 2 of 3 gates failed"))
        // The bad order re-runs the install on every commit.
        let bad = try CLI.run(["report", "lab-bad-order/Dockerfile", "--context", "lab-bad-order", "--last", "20",
                               "--max-rebuild-rate", "0:RUN#1=25%"], cwd: try ReportFixture.dir().path)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("re-ran in 20 of 20 commits (100%), above the limit of 25%"))
    }

    @Test func maxFindingsCountsFindingsAtOrAboveTheSeverity() throws {
        let dir = try CLI.tempDirectory()
        try CLI.write("FROM alpine:3.20\nMAINTAINER someone@example.com\nCOPY . /src\n", to: dir.appendingPathComponent("Dockerfile"))
        try CLI.write("x\n", to: dir.appendingPathComponent("main.c"))
        let f = dir.appendingPathComponent("Dockerfile").path
        let fail = try CLI.run(["report", f, "--max-findings", "error=0", "-f", "json"])
        #expect(fail.status == 1)
        #expect(fail.stderr.contains("has 1 finding of error or worse, more than the limit of 0 [--max-findings error=0]"))
        #expect(try CLI.run(["report", f, "--max-findings", "error=1"]).status == 0)
    }

    @Test func usageAndEnvironmentErrorsAreOneLine() throws {
        let dir = try ReportFixture.dir().path
        let cases: [([String], String)] = [
            (["--max-rebuild-rate", "RUN pip"], "expected STEP_PATTERN=RATE"),
            (["--max-rebuild-rate", "NOTHING*=0.5"], "matches no step of lab/Dockerfile"),
            (["--max-rebuild-rate", "RUN*=1.5"], "is not a rate between 0 and 1"),
            (["--min-cache-efficiency", "lots"], "is not a rate"),
            (["--max-findings", "fatal=1"], "expected SEVERITY=N"),
            (["--format", "pdf"], "--format: expected markdown, html or json"),
            (["--bench", "lab/app.py"], "lab/app.py: error: not a dockerlint bench JSON file"),
            (["--compare", "missing/Dockerfile"], "missing/Dockerfile: error: no such file or directory"),
            (["--last", "3"], "--git and --last cannot be combined"),
        ]
        for (args, message) in cases {
            let r = try ReportFixture.report(args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
        let bad = try CLI.run(["report", "lab/Dockerfile", "--context", "lab", "--git", "nope..HEAD"], cwd: dir)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("unknown revision 'nope'"))
        // No git on PATH: exit 3.
        let noGit = try CLI.run(["report", "lab/Dockerfile", "--context", "lab", "--last", "5"], environment: ["PATH": "/nonexistent"], cwd: dir)
        #expect(noGit.status == 3, "\(noGit.stderr)")
        #expect(noGit.stderr.contains("git is not installed"))
    }

    @Test func withoutHistoryEachRebuildEditsOneFile() throws {
        let r = try CLI.run(["report", "examples/lab-bad-order/Dockerfile", "-f", "json"], cwd: CLI.packageRoot.path)
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(doc["history"] as? String == "edits")
        let sim = try #require(doc["simulation"] as? [String: Any])
        let labels = (sim["builds"] as? [[String: Any]] ?? []).compactMap { $0["label"] as? String }
        #expect(labels == ["cold", "edit Dockerfile", "edit app.py"])
        // Editing app.py re-runs the install in the bad order: 1 of 2 edits.
        let steps = (sim["summary"] as? [String: Any])?["steps"] as? [[String: Any]] ?? []
        let run = try #require(steps.first { ($0["instruction"] as? String) == "RUN" })
        #expect(run["misses"] as? Int == 1 && run["built"] as? Int == 2)
    }

    @Test func lastNEqualsTheRangeAndWritesOutputAtomically() throws {
        let dir = try ReportFixture.dir()
        let out = try CLI.tempDirectory().appendingPathComponent("report.json")
        let r = try CLI.run(["report", "lab/Dockerfile", "--context", "lab", "--last", "20", "-f", "json", "-o", out.path], cwd: dir.path)
        #expect(r.status == 0 && r.stdout.isEmpty, "\(r.stderr)")
        let viaLast = try String(contentsOf: out, encoding: .utf8)
        let viaRange = try ReportFixture.report(["-f", "json"]).stdout
        // The same 20 commits; only the range's spelling differs.
        func builds(_ s: String) throws -> Int {
            let d = try JSONSerialization.jsonObject(with: Data(s.utf8)) as? [String: Any]
            return ((d?["simulation"] as? [String: Any])?["summary"] as? [String: Any])?["builds"] as? Int ?? -1
        }
        #expect(try builds(viaLast) == 20 && builds(viaRange) == 20)
        // --last longer than the history replays all of it.
        let all = try CLI.run(["report", "lab/Dockerfile", "--context", "lab", "--last", "500", "-f", "json"], cwd: dir.path)
        #expect(all.status == 0)
        #expect(all.stdout.contains("\"range\":\"HEAD\""))
    }

    /// The report lints as `dockerlint lint` does: in CI the cache findings carry the same
    /// history evidence.
    @Test func lintFindingsAreTheLintCommands() throws {
        let dir = try ReportFixture.dir()
        let env = ["CI": "1"]
        func messages(_ json: String, _ path: [String]) throws -> [String] {
            var node: Any? = try JSONSerialization.jsonObject(with: Data(json.utf8))
            for key in path { node = (node as? [String: Any])?[key] }
            return ((node as? [[String: Any]]) ?? []).compactMap { $0["message"] as? String }
        }
        let lint = try CLI.run(["-f", "json", "lab-bad-order/Dockerfile", "--context", "lab"], environment: env, cwd: dir.path)
        let report = try CLI.run(["report", "lab-bad-order/Dockerfile", "--context", "lab", "--last", "5", "-f", "json"],
                                 environment: env, cwd: dir.path)
        let fromLint = try messages(lint.stdout, ["diagnostics"])
        #expect(fromLint.contains { $0.contains(": in the last 20 commits `RUN pip install --no-cache-dir flask==2.2.2 click==8.1.3 ...` re-ran 20 times, would re-run 4 times") }, "\(lint.stdout)")
        #expect(try messages(report.stdout, ["lint", "diagnostics"]) == fromLint)
    }

    @Test func jsonMatchesTheSchema() throws {
        let bench = try ReportFixture.benchFile()
        let r = try ReportFixture.report(["--compare", "lab-bad-order/Dockerfile", "--bench", bench, "-f", "json",
                                          "--max-findings", "warning=5"])
        #expect(r.status == 0, "\(r.stderr)")
        let file = try CLI.tempDirectory().appendingPathComponent("report.json")
        try CLI.write(r.stdout, to: file)
        let script = """
        import json, sys, glob, jsonschema
        from referencing import Registry, Resource
        schemas = {p.rsplit('/', 1)[1]: json.load(open(p)) for p in glob.glob(sys.argv[1] + '/*.schema.json')}
        reg = Registry().with_resources([(s['$id'], Resource.from_contents(s)) for s in schemas.values()])
        v = jsonschema.Draft202012Validator(schemas['report-output.schema.json'], registry=reg)
        doc = json.load(open(sys.argv[2]))
        errs = [f"{list(e.path)}: {e.message}" for e in v.iter_errors(doc)]
        print("\\n".join(errs[:5]) if errs else "ok")
        b = doc['benches'][0]['builds']
        # predicted: RUN at the bench's own 25 s + COPY at the simulator's cost; then only the mispredicted RUN.
        assert b[0]['predictedSeconds'] > 25 and b[1]['predictedSeconds'] >= 25, b
        assert doc['comparison']['better'] == 'a' and doc['passed'] is True
        """
        let (status, out) = try ReportFixture.python(script, [CLI.packageRoot.appendingPathComponent("reports/schemas").path, file.path])
        #expect(status == 0 && out == "ok", "\(out)")
    }

    /// The Markdown goes into PR comments and $GITHUB_STEP_SUMMARY: parse it with markdown-it-py
    /// (CommonMark + GFM tables) and check the structure survives, including table cells with
    /// pipes and backticks.
    @Test(.enabled(if: ReportFixture.hasMarkdownIt || ReportFixture.inCI, "markdown-it-py (pip install markdown-it-py; scripts/test installs it)"))
    func markdownParsesIntoTablesAndDetails() throws {
        let dir = try CLI.tempDirectory()
        try CLI.write("FROM alpine:3.20\nCOPY app.py /app.py\nRUN echo `date` | tee /built && echo 'a|b'\n", to: dir.appendingPathComponent("Dockerfile"))
        try CLI.write("print(1)\n", to: dir.appendingPathComponent("app.py"))
        let bench = try ReportFixture.benchFile()
        let tricky = try CLI.run(["report", dir.appendingPathComponent("Dockerfile").path, "--max-rebuild-rate", "RUN*=1"])
        #expect(tricky.status == 0, "\(tricky.stderr)")
        let lab = try ReportFixture.report(["--compare", "lab-bad-order/Dockerfile", "--bench", bench, "--max-findings", "error=0"])
        #expect(lab.status == 0, "\(lab.stderr)")
        let files = try CLI.tempDirectory()
        try CLI.write(tricky.stdout, to: files.appendingPathComponent("tricky.md"))
        try CLI.write(lab.stdout, to: files.appendingPathComponent("lab.md"))
        let script = #"""
        import sys
        from markdown_it import MarkdownIt
        md = MarkdownIt("commonmark").enable("table")
        def check(path, want_tables, want_cells):
            text = open(path).read()
            tokens = md.parse(text)
            tables = [t for t in tokens if t.type == "table_open"]
            assert len(tables) >= want_tables, f"{path}: {len(tables)} tables"
            # every row of every table has as many cells as its header, in the source too
            # (markdown-it pads or cuts rows silently, so count the unescaped pipes)
            lines = text.split("\n")
            for t in tables:
                start, end = t.map
                head = None
                for line in lines[start:end]:
                    n = sum(1 for i, c in enumerate(line) if c == "|" and (i == 0 or line[i-1] != "\\"))
                    head = head or n
                    assert n == head, f"{path}: row with {n} pipes, header {head}: {line}"
            html = md.render(text)
            assert html.count("<details>") == html.count("</details>") and "<summary>" in html, path
            assert "<h2>" in html and "<h3>" in html, path
            inline = " ".join(t.content for t in tokens if t.type == "inline")
            for cell in want_cells:
                assert cell in html or cell in inline, f"{path}: missing {cell!r}"
        check(sys.argv[1], 3, ["<code>RUN echo `date` | tee /built &amp;&amp; echo 'a|b'</code>"])
        check(sys.argv[2], 8, ["<strong>Verdict:</strong>", "<code>lab-bad-order/Dockerfile</code>", "Measured builds"])
        print("ok")
        """#
        let (status, out) = try ReportFixture.python(script, [files.appendingPathComponent("tricky.md").path, files.appendingPathComponent("lab.md").path])
        #expect(status == 0 && out == "ok", "\(out)")
    }
}
