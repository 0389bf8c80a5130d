import Foundation
import Testing
@testable import DockerlintKit
import DockerlintCache
import DockerlintSupport

final class KitTempDir {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/dockerlint-sim-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func write(_ rel: String, _ text: String) throws {
        let u = URL(fileURLWithPath: path + "/" + rel)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: u)
    }
}

@Suite("simulate and compare runners")
struct SimulateRunnerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let lab = root.appendingPathComponent("examples/lab").path
    static let badOrder = root.appendingPathComponent("examples/lab-bad-order").path

    /// Validates with Python's jsonschema (Draft 2020-12), both schemas registered.
    func validate(_ json: String, schema: String) throws -> String {
        let tmp = try KitTempDir()
        try tmp.write("doc.json", json)
        let script = """
        import json, sys, jsonschema
        from referencing import Registry, Resource
        d = sys.argv[1]
        schemas = {n: json.load(open(d + '/' + n)) for n in ['simulate-output.schema.json', 'compare-output.schema.json']}
        reg = Registry().with_resources([(s['$id'], Resource.from_contents(s)) for s in schemas.values()])
        v = jsonschema.Draft202012Validator(schemas[sys.argv[2]], registry=reg)
        errs = [f"{list(e.path)}: {e.message}" for e in v.iter_errors(json.load(open(sys.argv[3])))]
        print("\\n".join(errs[:5]) if errs else "ok")
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, Self.root.appendingPathComponent("reports/schemas").path, schema, tmp.path + "/doc.json"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func options(_ dockerfile: String?, _ context: String?) -> SimulateOptions {
        var o = SimulateOptions()
        o.dockerfile = dockerfile
        o.context = context
        return o
    }

    @Test func changedModeJSONMatchesTheSchema() throws {
        var o = options(Self.badOrder + "/Dockerfile", Self.badOrder)
        o.changed = ["app.py"]
        let rep = try SimulateRunner(options: o).simulate()
        let last = try #require(rep.builds.last)
        #expect(last.steps.map(\.status) == [.hit, .miss, .miss])
        let json = SimulateOutput.json(rep)
        #expect(try validate(json, schema: "simulate-output.schema.json") == "ok")
        #expect(json.contains("\"reason\":\"app.py changed (COPY app.py /app.py)\""))
        #expect(SimulateOutput.tty(rep).contains("2 of 3 steps re-run"))
        #expect(SimulateOutput.markdown(rep).contains("| 3 | 0 | RUN | miss | 30 s | parent step re-ran (line 2 COPY) |"))
    }

    @Test func buildArgChangeAndClassic() throws {
        let t = try KitTempDir()
        try t.write("Dockerfile", "FROM alpine\nARG VERSION=1\nRUN echo build\n")
        var o = options(t.path + "/Dockerfile", t.path)
        o.buildArgs = ["VERSION": "2"]
        o.builder = .classic
        let rep = try SimulateRunner(options: o).simulate()
        let last = try #require(rep.builds.last)
        #expect(last.steps.map(\.instruction) == ["ARG", "RUN"])
        #expect(last.steps[1].reason == "ARG VERSION changed")
    }

    @Test func toDockerfileComparesTwoStates() throws {
        var o = options(Self.lab + "/Dockerfile", Self.lab)
        o.toDockerfile = Self.badOrder + "/Dockerfile"
        let rep = try SimulateRunner(options: o).simulate()
        let last = try #require(rep.builds.last)
        #expect(last.step(instruction: "COPY")?.status == .miss)
    }

    @Test func inputErrorsAreUsageErrors() throws {
        for o in [options(Self.lab + "/Dockerfile", "/nonexistent"), options("/nonexistent/Dockerfile", Self.lab),
                  options(Self.lab + "/Dockerfile", nil)] {
            #expect {
                _ = try SimulateRunner(options: o).simulate()
            } throws: { ($0 as? CommandError)?.status == .usage }
        }
        var bad = options(Self.lab + "/Dockerfile", Self.lab)
        bad.target = "nope"
        #expect { _ = try SimulateRunner(options: bad).simulate() } throws: {
            ($0 as? CommandError)?.message.contains("target stage \"nope\" could not be found") == true
        }
        var both = options(Self.lab + "/Dockerfile", Self.lab)
        both.git = "HEAD"
        both.changed = ["app.py"]
        #expect { _ = try SimulateRunner(options: both).simulate() } throws: { ($0 as? CommandError)?.status == .usage }
    }

    @Test func planCarriesTheCacheAcrossBuilds() throws {
        let t = try KitTempDir()
        let df = "FROM python:3.12\nARG MODE\nCOPY requirements.txt /\nRUN pip install -r /requirements.txt\nCOPY app.py /\n"
        for v in ["v1", "v2", "v3"] { try t.write("\(v)/Dockerfile", df) }
        try t.write("v1/requirements.txt", "flask\n"); try t.write("v1/app.py", "1\n")
        try t.write("v2/requirements.txt", "flask\n"); try t.write("v2/app.py", "2\n")
        try t.write("v3/requirements.txt", "flask\nrequests\n"); try t.write("v3/app.py", "2\n")
        try t.write("plan.yaml", """
            builds:
              - context: v1
              - context: v2
              - context: v3
              - context: v1
                build-args: {MODE: fast}

            """)
        var o = SimulateOptions()
        o.plan = t.path + "/plan.yaml"
        let rep = try SimulateRunner(options: o).simulate()
        #expect(rep.builds.count == 4)
        #expect(rep.builds[1].steps.filter { $0.status == .miss }.map(\.text) == ["COPY app.py /"])
        #expect(rep.builds[2].steps.filter { $0.status == .miss }.count == 3)
        // Back to v1 with MODE set: the copies hit (earlier build), the RUN sees the new ARG.
        #expect(rep.builds[3].step(instruction: "RUN")?.reason == "ARG MODE now has a value")
        #expect(rep.summary.builds == 3)
        #expect(try validate(SimulateOutput.json(rep), schema: "simulate-output.schema.json") == "ok")
    }

    @Test func planErrorsNameFileAndLine() throws {
        let t = try KitTempDir()
        try t.write("v1/Dockerfile", "FROM alpine\n")
        try t.write("plan.yaml", "builds:\n  - context: v1\n    buidl-args: {A: 1}\n")
        var o = SimulateOptions()
        o.plan = t.path + "/plan.yaml"
        #expect { _ = try SimulateRunner(options: o).simulate() } throws: { e in
            guard let e = e as? CommandError else { return false }
            return e.status == .usage && e.message.hasPrefix(t.path + "/plan.yaml:3:5: error: unknown key 'buidl-args'")
        }
        try t.write("plan.yaml", "builds:\n  - context: missing\n")
        #expect { _ = try SimulateRunner(options: o).simulate() } throws: { e in
            (e as? CommandError)?.message.contains("plan.yaml:2: error: context directory not found") == true
        }
        try t.write("plan.yaml", "steps: []\n")
        #expect { _ = try SimulateRunner(options: o).simulate() } throws: { e in
            (e as? CommandError)?.message.contains("plan.yaml:1:1: error: unknown key 'steps'") == true
        }
        try t.write("plan.yaml", "builds: [\n")
        #expect { _ = try SimulateRunner(options: o).simulate() } throws: { e in
            // Positioned, one line: where the YAML stops making sense.
            (e as? CommandError)?.message.hasSuffix("plan.yaml:2:1: error: invalid YAML: while parsing a flow node did not find expected node content") == true
        }
    }

    @Test func measuredCostsReplaceDefaults() throws {
        let t = try KitTempDir()
        try t.write("costs.json", """
            {"version": 1, "builder": "buildkit", "defaults": {"COPY": 2},
             "steps": [{"identity": "0:RUN#1", "seconds": 41.5}, {"line": 2, "instruction": "COPY", "seconds": 9, "cached": true}]}
            """)
        var o = options(Self.badOrder + "/Dockerfile", Self.badOrder)
        o.changed = ["app.py"]
        o.costsFile = t.path + "/costs.json"
        let last = try #require(try SimulateRunner(options: o).simulate().builds.last)
        #expect(last.step(instruction: "RUN")?.costSeconds == 41.5)
        #expect(last.step(instruction: "RUN")?.measured == true)
        #expect(last.step(instruction: "COPY")?.costSeconds == 2)
        #expect(last.estimatedSeconds == 43.5)
        try t.write("costs.json", "{\"steps\": [{\"seconds\": -1}]}")
        #expect { _ = try SimulateRunner(options: o).simulate() } throws: { ($0 as? CommandError)?.status == .usage }
    }

    /// Markdown shows the Dockerfile's text and the reasons literally: a backtick in an
    /// instruction stays a backtick (it used to become `'`), and markup in a file name is
    /// escaped instead of rendered.
    @Test func markdownShowsInstructionsAndReasonsLiterally() throws {
        let tmp = try KitTempDir()
        try tmp.write("Dockerfile", "FROM alpine\nCOPY . /app\nRUN echo `date` > /stamp\n")
        let name = "docs/_a_ <b>x</b> *y*.md"
        try tmp.write(name, "text\n")
        var o = options(tmp.path + "/Dockerfile", tmp.path)
        o.changed = [name]
        let rep = try SimulateRunner(options: o).simulate()
        let copy = try #require(rep.builds.last?.steps.first { $0.instruction == "COPY" })
        #expect(copy.reason.contains("<b>x</b>"))
        let md = SimulateOutput.markdown(rep)
        #expect(md.contains("| \(Markdown.cell(copy.reason)) |"), "\(md)")
        #expect(!md.contains("<b>"), "\(md)")
        // The verdict names the files; a name with markup is shown as it is.
        try tmp.write("v_*2*/Dockerfile", "FROM alpine\nCOPY . /app\nRUN echo `date` > /stamp\n")
        let c = try CompareRunner(a: tmp.path + "/Dockerfile", b: tmp.path + "/v_*2*/Dockerfile", options: o).compare()
        let cmd = CompareRunner.markdown(c)
        #expect(cmd.contains("**Verdict:** " + Markdown.cell(c.verdict) + "\n"), "\(cmd)")
        #expect(cmd.contains("| ``RUN echo `date` > /stamp`` |"), "\(cmd)")
        #expect(!cmd.contains("'date'"), "\(cmd)")
    }

    /// A file name with control characters (an escape sequence, a line break) cannot write
    /// to the terminal through the tty table: it is shown escaped, on its row.
    @Test func ttyShowsControlCharactersInNamesEscaped() throws {
        let tmp = try KitTempDir()
        try tmp.write("Dockerfile", "FROM alpine\nCOPY . /app\nRUN true\n")
        let name = "x\u{1B}[2Jy\nz.txt"
        try tmp.write(name, "text\n")
        var o = options(tmp.path + "/Dockerfile", tmp.path)
        o.changed = [name]
        let rep = try SimulateRunner(options: o).simulate()
        let copy = try #require(rep.builds.last?.steps.first { $0.instruction == "COPY" })
        #expect(copy.reason.contains(name))
        let tty = SimulateOutput.tty(rep)
        #expect(!tty.contains("\u{1B}") && tty.contains(OneLine.escaped(copy.reason)), "\(tty)")
        #expect(tty.split(separator: "\n").count == rep.builds.last!.steps.count + 3, "\(tty)")
    }

    @Test func compareGivesAVerdict() throws {
        var o = SimulateOptions()
        o.context = Self.lab
        o.changed = ["app.py"]
        let c = try CompareRunner(a: Self.lab + "/Dockerfile", b: Self.badOrder + "/Dockerfile", options: o).compare()
        #expect(c.better == "a")
        #expect(c.verdict.hasPrefix("\(Self.lab)/Dockerfile rebuilds faster than \(Self.badOrder)/Dockerfile over 1 build: an estimated 0.5 s per build instead of 30 s"))
        #expect(try validate(CompareRunner.json(c), schema: "compare-output.schema.json") == "ok")
        #expect(CompareRunner.markdown(c).contains("**Verdict:**"))
    }

    @Test func compareOverGitHistoryUsesTheVariantsOnDisk() throws {
        let t = try KitTempDir()
        func git(_ args: String...) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git", "-C", t.path, "-c", "user.name=t", "-c", "user.email=t@e", "-c", "commit.gpgsign=false"] + args
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run(); p.waitUntilExit()
        }
        try git("init", "-q")
        try t.write("app.py", "0\n"); try t.write("requirements.txt", "flask\n")
        try git("add", "-A"); try git("commit", "-qm", "init")
        for i in 1...4 {
            try t.write("app.py", "\(i)\n")
            try git("commit", "-qam", "edit \(i)")
        }
        let variants = try KitTempDir()
        try variants.write("good.Dockerfile", "FROM python:3.12\nCOPY requirements.txt /\nRUN pip install -r /requirements.txt\nCOPY app.py /\n")
        try variants.write("bad.Dockerfile", "FROM python:3.12\nCOPY . /\nRUN pip install -r /requirements.txt\n")
        var o = SimulateOptions()
        o.context = t.path
        o.git = "HEAD"
        let c = try CompareRunner(a: variants.path + "/bad.Dockerfile", b: variants.path + "/good.Dockerfile", options: o).compare()
        #expect(c.a.summary.builds == 4)
        #expect(c.better == "b")
        #expect(c.a.summary.steps.first { $0.instruction == "RUN" }?.misses == 4)
        #expect(c.b.summary.steps.first { $0.instruction == "RUN" }?.misses == 0)
    }

    /// 6 commits after the first: 3 source edits, a RUN inserted above the install, 2 source
    /// edits; `RUN python setup.py build` re-runs after every edit.
    static func insertionRepository() throws -> KitTempDir {
        let t = try KitTempDir()
        func git(_ args: String...) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git", "-C", t.path, "-c", "user.name=t", "-c", "user.email=t@e", "-c", "commit.gpgsign=false"] + args
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run(); p.waitUntilExit()
        }
        let tail = "COPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nRUN python setup.py build\n"
        try git("init", "-q")
        try t.write("Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\n" + tail)
        try t.write("requirements.txt", "flask\n"); try t.write("app.py", "0\n")
        try git("add", "-A"); try git("commit", "-qm", "init")
        for i in 1...3 { try t.write("app.py", "\(i)\n"); try git("commit", "-qam", "edit \(i)") }
        try t.write("Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nRUN apt-get update && apt-get install -y gcc\n" + tail)
        try git("commit", "-qam", "compiler")
        for i in 4...5 { try t.write("app.py", "\(i)\n"); try git("commit", "-qam", "edit \(i)") }
        return t
    }

    /// A commit inserts a RUN above the other steps: the steps' ordinals (`0:RUN#1`) shift, so
    /// the summary finds each step in every build's Dockerfile by aligning it with the last
    /// build's, as lint's history evidence does. By ordinal, the pip install took the build
    /// step's three re-runs and the build step lost them.
    @Test func gitSummaryAlignsStepsWhenARunIsInsertedAbove() throws {
        let t = try Self.insertionRepository()
        var o = SimulateOptions()
        o.dockerfile = t.path + "/Dockerfile"
        o.context = t.path
        o.git = "HEAD"
        let rep = try SimulateRunner(options: o).simulate()
        #expect(rep.summary.builds == 6)
        func rate(_ prefix: String) -> String? {
            rep.summary.steps.first { $0.text.hasPrefix(prefix) }.map { "\($0.identity) \($0.misses)/\($0.built)" }
        }
        // The install re-ran once (the insertion above it), the build after every edit.
        #expect(rate("RUN pip install") == "0:RUN#2 1/6")
        #expect(rate("RUN python setup.py") == "0:RUN#3 6/6")
        #expect(rate("RUN apt-get") == "0:RUN#1 1/3", "the inserted RUN exists in the last 3 builds")
        #expect(rep.summary.steps.filter { $0.instruction == "RUN" }.count == 3)
        #expect(rep.summary.sentence(for: "0:RUN#2") == "RUN pip install -r requirements.txt re-ran 1 of 6 builds")
        #expect(try validate(SimulateOutput.json(rep), schema: "simulate-output.schema.json") == "ok")
    }

    /// The report's commit × step table finds each step in every build as the rates do: the
    /// build step re-ran in all 6 builds, and the RUN inserted above exists only in the last 3.
    @Test func reportHeatmapFindsStepsAsTheSummaryDoes() throws {
        let t = try Self.insertionRepository()
        let r = try CLI.run(["report", "Dockerfile", "--context", ".", "--git", "HEAD", "-f", "markdown"],
                            environment: ["CI": ""], cwd: t.path)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.components(separatedBy: "\n")
        // The numbered list of the table's steps follows its rows (one per build).
        func column(_ prefix: String) throws -> [String] {
            let item = try #require(lines.first { $0.hasSuffix("`") && $0.contains(". `" + prefix) && $0.first?.isNumber == true }, "\(r.stdout)")
            let n = Int(item.prefix { $0.isNumber })!
            let end = try #require(lines.firstIndex(of: item))
            let start = try #require(lines[..<end].lastIndex { $0.hasPrefix("| commit") })
            let rows = lines[(start + 2)...].prefix { $0.hasPrefix("|") }
            return rows.map { $0.split(separator: "|", omittingEmptySubsequences: false)[n + 1].trimmingCharacters(in: .whitespaces) }
        }
        #expect(try column("RUN python setup.py build") == Array(repeating: "■", count: 6))
        #expect(try column("RUN pip install") == ["·", "·", "·", "■", "·", "·"])
        #expect(try column("RUN apt-get") == ["–", "–", "–", "■", "·", "·"])
    }
}

extension BuildPrediction {
    func step(instruction: String) -> StepPrediction? { steps.first { $0.instruction == instruction } }
}
