import Foundation
import Testing
import DockerlintCache
import DockerlintBuilders
import DockerlintSupport
@testable import DockerlintKit

let benchRepoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func benchTempDir(_ tag: String) throws -> URL {
    try BenchScratch.makeDirectory(root: FileManager.default.temporaryDirectory.path, prefix: "bench-test-\(tag)")
}

func write(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
}

/// Every path, kind and content under a directory, to prove it was not written to.
func treeFingerprint(_ dir: URL) throws -> [String: String] {
    var out: [String: String] = [:]
    let e = FileManager.default.enumerator(atPath: dir.path)!
    while let rel = e.nextObject() as? String {
        let full = dir.path + "/" + rel
        let attrs = try FileManager.default.attributesOfItem(atPath: full)
        let perm = (attrs[.posixPermissions] as? Int) ?? 0
        let data = (attrs[.type] as? FileAttributeType) == .typeRegular ? (try Data(contentsOf: URL(fileURLWithPath: full))).base64EncodedString() : ""
        out[rel] = "\(perm) \(data) \((attrs[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
    }
    return out
}

@Suite("bench: scratch contexts, scenarios, mapping, output")
struct BenchUnitTests {
    @Test func scratchCopyAppliesDockerignoreAndKeepsTheDockerfile() throws {
        let ctx = try benchTempDir("ctx")
        defer { BenchScratch.remove(ctx) }
        try write("FROM x\nCOPY . /app\n", to: ctx.appendingPathComponent("Dockerfile"))
        try write("node_modules\n*.log\nDockerfile\n!keep.log\n", to: ctx.appendingPathComponent(".dockerignore"))
        try write("a", to: ctx.appendingPathComponent("src/a.txt"))
        try write("b", to: ctx.appendingPathComponent("node_modules/b.js"))
        try write("c", to: ctx.appendingPathComponent("x.log"))
        try write("k", to: ctx.appendingPathComponent("keep.log"))
        let before = try treeFingerprint(ctx)
        let dst = try benchTempDir("dst")
        defer { BenchScratch.remove(dst) }
        try BenchScratch.copyContext(from: ctx.path, to: dst, dockerfile: "Dockerfile")
        let copied = Set(try FileManager.default.subpathsOfDirectory(atPath: dst.path))
        #expect(copied == ["Dockerfile", ".dockerignore", "src", "src/a.txt", "keep.log"])
        #expect(try treeFingerprint(ctx) == before)
    }

    @Test func editChangesContentAndSizeAndStaysInside() throws {
        let dir = try benchTempDir("edit")
        defer { BenchScratch.remove(dir) }
        try write("print(1)", to: dir.appendingPathComponent("app.py"))
        try BenchScratch.edit("app.py", in: dir, nonce: "r1 #1")
        let text = try String(contentsOf: dir.appendingPathComponent("app.py"), encoding: .utf8)
        #expect(text == "print(1)\n# dockerlint bench edit r1 #1\n")
        #expect(throws: CommandError.self) { try BenchScratch.edit("../etc/passwd", in: dir, nonce: "x") }
        #expect(throws: CommandError.self) { try BenchScratch.edit("/etc/passwd", in: dir, nonce: "x") }
        #expect(throws: CommandError.self) { try BenchScratch.edit("missing.txt", in: dir, nonce: "x") }
    }

    @Test func gitExportBuildsEachCommitsTreeBelowTheContextPrefix() throws {
        let repo = try benchTempDir("repo")
        defer { BenchScratch.remove(repo) }
        func git(_ args: String...) throws { _ = try Git.run(repository: repo.path, args) }
        try git("init", "-q")
        try git("config", "user.email", "t@example.invalid")
        try git("config", "user.name", "t")
        try write("FROM x\nCOPY app.py /\n", to: repo.appendingPathComponent("svc/Dockerfile"))
        try write("v1\n", to: repo.appendingPathComponent("svc/app.py"))
        try write("top\n", to: repo.appendingPathComponent("README"))
        try git("add", "-A"); try git("commit", "-qm", "one")
        try write("v2\n", to: repo.appendingPathComponent("svc/app.py"))
        try git("commit", "-qam", "two")
        try write("v3\n", to: repo.appendingPathComponent("svc/app.py"))
        try git("commit", "-qam", "three")
        let svc = repo.appendingPathComponent("svc").path
        #expect(try BenchScratch.gitPrefix(of: svc) == "svc")
        let commits = try BenchScratch.gitCommits(repository: svc, range: "HEAD~2..HEAD")
        #expect(commits.count == 2)
        #expect(BenchScratch.gitRangeBase(repository: svc, range: "HEAD~2..HEAD") != nil)
        let out = try benchTempDir("export")
        defer { BenchScratch.remove(out) }
        try BenchScratch.gitExport(repository: svc, commit: commits[0], prefix: "svc", into: out)
        #expect(try String(contentsOf: out.appendingPathComponent("app.py"), encoding: .utf8) == "v2\n")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("README").path))
        #expect(throws: CommandError.self) { try BenchScratch.gitCommits(repository: svc, range: "--output=/tmp/x") }
    }

    @Test func planFileIsReadRelativeToItsDirectory() throws {
        let dir = try benchTempDir("plan")
        defer { BenchScratch.remove(dir) }
        try write("""
            builds:
              - name: first
                context: app
                build-args: {V: 1}
              - context: app
                dockerfile: Dockerfile.prod
                build-args: [V=2]
                target: final
            """, to: dir.appendingPathComponent("plan.yaml"))
        let b = try BenchPlan.load(dir.appendingPathComponent("plan.yaml").path)
        #expect(b.count == 2)
        #expect(b[0].name == "first" && b[0].buildArgs == ["V": "1"] && b[0].context == dir.appendingPathComponent("app").path)
        #expect(b[1].dockerfile == "Dockerfile.prod" && b[1].buildArgs == ["V": "2"] && b[1].target == "final")
    }

    @Test func plannedStepsNumberLikeEachBuilder() {
        let text = """
            FROM python:3.10.5 AS base
            ENV A=1
            WORKDIR /app
            RUN true
            FROM base
            COPY app.py .
            CMD ["x"]
            """
        let m = BenchStepMap.model(text: text, buildArgs: [:], target: nil)
        let bk = BenchStepMap.plannedSteps(m, builder: .buildkit, target: nil)
        #expect(bk.map(\.line) == [1, 3, 4, 5, 6])
        #expect(bk.map(\.index) == [1, 2, 3, 1, 2])
        #expect(bk.map(\.stage) == ["base", "base", "base", "stage-1", "stage-1"])
        let classic = BenchStepMap.plannedSteps(m, builder: .classic, target: nil)
        #expect(classic.map(\.line) == [1, 2, 3, 4, 5, 6, 7])
        #expect(classic.map(\.index) == [1, 2, 3, 4, 5, 6, 7])
        let step = StepResult(index: 2, total: 2, stage: "stage-1", instruction: "COPY app.py .", status: .miss, seconds: 0)
        #expect(BenchStepMap.match(step, in: bk, builder: .buildkit)?.line == 6)
    }

    @Test func baselinePredictsTheLabSequence() throws {
        let fixture = benchRepoRoot.appendingPathComponent("Tests/DockerlintKitTests/Fixtures/lab-requirements")
        for kind in [BuilderKind.buildkit, .classic] {
            let dir = try benchTempDir("pred")
            defer { BenchScratch.remove(dir) }
            try BenchScratch.copyContext(from: fixture.path, to: dir, dockerfile: "Dockerfile")
            let s = BaselineChainPredictor().session(builder: kind)
            func statuses(_ noCache: Bool) throws -> [String] {
                try s.predict(BenchBuildInput(context: dir, dockerfile: "Dockerfile", buildArgs: [:], target: nil,
                                              noCache: noCache, scenario: "")).map { "\($0.line)\($0.status == .hit ? "H" : "M")" }
            }
            let cmd = kind == .classic ? ["5M"] : []
            #expect(try statuses(true) == ["1H", "2M", "3M", "4M"] + cmd)
            try BenchScratch.edit("app.py", in: dir, nonce: "1")
            #expect(try statuses(false) == ["1H", "2H", "3H", "4M"] + cmd)
            try BenchScratch.edit("requirements.txt", in: dir, nonce: "2")
            #expect(try statuses(false) == ["1H", "2M", "3M", "4M"] + cmd)
            #expect(try statuses(false) == ["1H", "2H", "3H", "4H"] + (kind == .classic ? ["5H"] : []))
        }
    }

    @Test func historyEntriesThatMakeLayers() {
        #expect(BenchRunner.makesLayer(createdBy: "/bin/sh -c #(nop)  CMD [\"python\"]", size: 0) == false)
        #expect(BenchRunner.makesLayer(createdBy: "/bin/sh -c #(nop) COPY file:abc in /app.py ", size: 0) == true)
        #expect(BenchRunner.makesLayer(createdBy: "CMD [\"python\" \"app.py\"]", size: 0) == false)
        #expect(BenchRunner.makesLayer(createdBy: "RUN /bin/sh -c pip install flask # buildkit", size: 0) == true)
        #expect(BenchRunner.makesLayer(createdBy: "ENV X=1", size: 12) == true)
    }

    @Test func statisticsAndAgreement() throws {
        let s = try #require(BenchStatistic([3, 1, 2, 10]))
        #expect(s.median == 2.5 && s.min == 1 && s.max == 10 && s.spread == 9)
        let p = PredictedStep(line: 2, instruction: "RUN x", stage: "stage-0", status: .hit, reason: nil)
        let steps = [
            BenchStep(line: 1, instruction: "FROM a", stage: "stage-0", status: .hit, seconds: 0, builderInstruction: "FROM a",
                      predicted: PredictedStep(line: 1, instruction: "FROM a", stage: "stage-0", status: .hit)),
            BenchStep(line: 2, instruction: "RUN x", stage: "stage-0", status: .miss, seconds: 1, builderInstruction: "RUN x", predicted: p),
        ]
        let b = BenchBuild(index: 1, run: 1, runID: "r", scenario: "cold", builder: .buildkit, wallSeconds: 1, steps: steps,
                           imageID: nil, imageBytes: nil, newLayerBytes: nil, newLayers: nil, error: nil,
                           unmatchedPredictions: [PredictedStep(line: 3, instruction: "COPY", stage: "stage-0", status: .miss)])
        let r = BenchReport(builder: .buildkit, builderSummary: "bk", predictor: "t", dockerfile: "D", context: ".", runs: 1, builds: [b])
        #expect(r.comparedSteps == 2 && r.agreeingSteps == 1 && r.agreementRate == 0.5)
        #expect(r.disagreements.count == 2)
        #expect(BenchOutput.tty(r, color: false).contains("DIFFERS"))
        #expect(BenchOutput.markdown(r).contains("| 1 | 1 | 2 | `RUN x` | miss | hit |"))
        let costs = try JSONSerialization.jsonObject(with: Data(BenchOutput.costs(r).utf8)) as! [String: Any]
        let cs = costs["steps"] as! [[String: Any]]
        #expect(cs.count == 1 && cs[0]["line"] as? Int == 2 && cs[0]["seconds"] as? Double == 1)
        try validateBenchJSON(BenchOutput.json(r))
    }

    /// A step the last build's Dockerfile no longer has (`RUN x`, removed above `RUN y`) is
    /// saved by its text alone: by its old identity or line it would be read for `RUN y`, which
    /// is `0:RUN#1` on line 2 now. `RUN y`'s two runs are one step, named as the last file has it.
    @Test func savedCostsLeaveARemovedStepToItsText() throws {
        func step(_ line: Int, _ text: String, _ identity: String, _ seconds: Double) -> BenchStep {
            BenchStep(line: line, instruction: text, stage: "stage-0", status: .miss, seconds: seconds, stageIndex: 0, keyword: "RUN",
                      builderInstruction: text,
                      predicted: PredictedStep(line: line, instruction: text, stage: "stage-0", status: .miss, identity: identity,
                                               stageIndex: 0, keyword: "RUN"))
        }
        func build(_ i: Int, _ text: String, _ steps: [BenchStep]) -> BenchBuild {
            BenchBuild(index: i, run: 1, runID: "r", scenario: "commit \(i)", builder: .buildkit, wallSeconds: 1, steps: steps,
                       imageID: nil, imageBytes: nil, newLayerBytes: nil, newLayers: nil, error: nil, unmatchedPredictions: [],
                       model: BenchStepMap.model(text: text, buildArgs: [:], target: nil))
        }
        let r = BenchReport(builder: .buildkit, builderSummary: "bk", predictor: "t", dockerfile: "D", context: ".", runs: 1, builds: [
            build(1, "FROM a\nRUN x\nRUN y\n", [step(2, "RUN x", "0:RUN#1", 3), step(3, "RUN y", "0:RUN#2", 1)]),
            build(2, "FROM a\nRUN y\n", [step(2, "RUN y", "0:RUN#1", 2)]),
        ])
        let json = BenchOutput.costs(r)
        let cs = try #require((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["steps"] as? [[String: Any]])
        let got = cs.map { "\($0["identity"] as? String ?? "-") \($0["line"] as? Int ?? 0) \($0["text"] as? String ?? "") \($0["seconds"] as? Double ?? -1)" }
        #expect(got == ["- 0 RUN x 3.0", "0:RUN#1 2 RUN y 1.5"], "\(json)")
        let costs = try CostModel.load(json: Array(json.utf8))
        #expect(costs.seconds(identity: "0:RUN#1", line: 2, instruction: "RUN", stage: 0, text: "RUN y", command: nil, classicMetadata: false) == (1.5, true))
    }

    /// A report where no build ran a step claims no agreement (it used to say "0/0 steps (100.0%)").
    @Test func noAgreementClaimedOverZeroSteps() {
        let b = BenchBuild(index: 1, run: 1, runID: "r", scenario: "cold", builder: .buildkit, wallSeconds: 1, steps: [],
                           imageID: nil, imageBytes: nil, newLayerBytes: nil, newLayers: nil, error: "failed to solve",
                           unmatchedPredictions: [])
        let r = BenchReport(builder: .buildkit, builderSummary: "bk", predictor: "t", dockerfile: "D", context: ".", runs: 1, builds: [b])
        let tty = BenchOutput.tty(r, color: false)
        #expect(tty.contains("agreement: no step to compare"), "\(tty)")
        #expect(!tty.contains("100.0%") && !tty.contains("0/0"))
        let md = BenchOutput.markdown(r)
        #expect(md.contains("Agreement: no step to compare") && !md.contains("0/0"), "\(md)")
    }

    @Test func unreachableEngineIsExitThreeWithOneLine() throws {
        let env = ["DOCKER_HOST": "unix:///nonexistent/dockerlint-dead.sock", "PATH": "/nonexistent"]
        for name in ["buildkit", "classic"] {
            do {
                _ = try BenchRunner.connect(builder: name, environment: env)
                Issue.record("connected to a dead socket")
            } catch let e as CommandError {
                #expect(e.status == .environment)
                #expect(!e.message.contains("\n"))
                #expect(e.message.contains("no builder reachable") && e.message.contains("dockerlint-dead.sock"))
            }
        }
        #expect(throws: CommandError.self) { try BenchRunner.connect(builder: "nope", environment: env) }
    }
}

/// Validates against reports/schemas/bench-output.schema.json with Python's jsonschema.
func validateBenchJSON(_ json: String) throws {
    let dir = try benchTempDir("schema")
    defer { BenchScratch.remove(dir) }
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
    let schema = benchRepoRoot.appendingPathComponent("reports/schemas/bench-output.schema.json").path
    guard let python = ExecutableSearch.find("python3") else { Issue.record("python3 is not installed"); return }
    let r = try Subprocess.run(python, ["-c", script, schema, out.path])
    #expect(r.succeeded, "bench JSON does not match the schema: \(r.stderrText)")
}
