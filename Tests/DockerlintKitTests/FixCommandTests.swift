import DockerlintCache
import DockerlintCore
import DockerlintKit
import DockerlintModel
import DockerlintRules
import DockerlintSyntax
import Foundation
import Testing

/// `dockerlint fix`, `lint --fix`, `--diff`, `--unsafe-fixes` with the real binary.
@Suite struct FixCommand {
    static func project(_ dockerfile: String, files: [String: String] = [:]) throws -> URL {
        let d = try CLI.tempDirectory()
        try dockerfile.write(to: d.appendingPathComponent("Dockerfile"), atomically: true, encoding: .utf8)
        for (p, t) in files {
            let u = d.appendingPathComponent(p)
            try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
            try t.write(to: u, atomically: true, encoding: .utf8)
        }
        return d
    }

    static func read(_ d: URL) throws -> String { try String(contentsOf: d.appendingPathComponent("Dockerfile"), encoding: .utf8) }

    /// Misses of the second build after editing `paths`, with the simulator.
    static func misses(_ dockerfile: String, context: URL, edit paths: [String]) throws -> Int {
        let tmp = context.appendingPathComponent(".sim-Dockerfile")
        try dockerfile.write(to: tmp, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: tmp) }
        var sim = CacheSimulator(engine: .buildkit)
        var a = try BuildState.load(dockerfile: tmp.path, contextDirectory: context.path, label: "a")
        var b = a
        _ = b.edit(paths: paths, ignore: .empty)
        _ = sim.simulate(&a)
        return sim.simulate(&b).missCount
    }

    static func lintCodes(_ text: String, context: URL?) -> [String] {
        Linter(rules: BuiltinRules.ruleSet).lint(Linter.Input(path: "Dockerfile", bytes: Array(text.utf8), configuration: Configuration(),
                                                            contextDirectory: context?.path)).diagnostics.map(\.code)
    }

    static let labDir = CLI.packageRoot.appendingPathComponent("examples")

    @Test func labBadOrderFixedParsesLintsCleanAndSimulatesBetter() throws {
        let src = try String(contentsOf: Self.labDir.appendingPathComponent("lab-bad-order/Dockerfile"), encoding: .utf8)
        let d = try Self.project(src, files: ["app.py": try String(contentsOf: Self.labDir.appendingPathComponent("lab-bad-order/app.py"), encoding: .utf8)])
        defer { try? FileManager.default.removeItem(at: d) }
        let r = try CLI.run(["fix", d.appendingPathComponent("Dockerfile").path])
        #expect(r.status == 0, "\(r.stderr)")
        let after = try Self.read(d)
        #expect(after == "FROM python:3.10.5\nRUN pip install flask\nCOPY app.py /app.py\nCMD [\"python\",\"app.py\"]\n")
        #expect(DockerfileModel.parse(after).errors.isEmpty)
        #expect(!Self.lintCodes(after, context: d).contains("DC1001"))
        let before = try Self.misses(src, context: d, edit: ["app.py"])
        let fixed = try Self.misses(after, context: d, edit: ["app.py"])
        #expect(fixed < before, "misses before \(before), after \(fixed)")
        // The lab itself is clean.
        let lab = try String(contentsOf: Self.labDir.appendingPathComponent("lab/Dockerfile"), encoding: .utf8)
        #expect(!Self.lintCodes(lab, context: Self.labDir.appendingPathComponent("lab")).contains { $0.hasPrefix("DC") })
    }

    @Test func crlfAndCommentsKept() throws {
        let src = "# syntax=docker/dockerfile:1\r\nFROM python:3.12-slim\r\nWORKDIR /app\r\n# the code\r\nCOPY . .\r\nRUN pip install -r requirements.txt  # deps\r\nCMD [\"python\", \"app.py\"]"
        let d = try Self.project(src, files: ["requirements.txt": "flask\n", "app.py": "print(1)\n", ".dockerignore": ".git\nDockerfile\n"])
        defer { try? FileManager.default.removeItem(at: d) }
        let r = try CLI.run(["fix", d.appendingPathComponent("Dockerfile").path])
        #expect(r.status == 0, "\(r.stderr)")
        let after = try Self.read(d)
        #expect(after == "# syntax=docker/dockerfile:1\r\nFROM python:3.12-slim\r\nWORKDIR /app\r\nCOPY requirements.txt .\r\nRUN pip install -r requirements.txt  # deps\r\n# the code\r\nCOPY . .\r\nCMD [\"python\", \"app.py\"]",
                "\(after.debugDescription)")
        #expect(DockerfileModel.parse(after).errors.isEmpty)
        #expect(!Self.lintCodes(after, context: d).contains("DC1001"))
        #expect(try Self.misses(after, context: d, edit: ["app.py"]) < Self.misses(src, context: d, edit: ["app.py"]))
    }

    @Test func diffDoesNotWrite() throws {
        let src = "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n"
        let d = try Self.project(src)
        defer { try? FileManager.default.removeItem(at: d) }
        let r = try CLI.run(["fix", "--diff", d.appendingPathComponent("Dockerfile").path])
        #expect(r.status == 0)
        #expect(try Self.read(d) == src)
        #expect(r.stdout.contains("-RUN apt-get update\n"))
        #expect(r.stdout.contains("+RUN apt-get update && apt-get install"))
    }

    @Test func unsafeFixesOnlyWhenAsked() throws {
        let src = "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"
        let d = try Self.project(src)
        defer { try? FileManager.default.removeItem(at: d) }
        _ = try CLI.run(["fix", d.appendingPathComponent("Dockerfile").path])
        #expect(try Self.read(d) == src, "DL3015's --no-install-recommends is unsafe")
        let r = try CLI.run(["fix", "--unsafe-fixes", d.appendingPathComponent("Dockerfile").path])
        #expect(r.status == 0)
        #expect(try Self.read(d) == "FROM debian:12\nRUN apt-get update && apt-get install --no-install-recommends -y curl\n")
    }

    @Test func reorderTheAnalysisProvesSafeIsAppliedByPlainFix() throws {
        let src = "FROM debian:12\nCOPY src/ /opt/app/src/\nRUN useradd --system app\nCMD [\"/opt/app/src/run\"]\n"
        let d = try Self.project(src, files: ["src/run": "#!/bin/sh\n"])
        defer { try? FileManager.default.removeItem(at: d) }
        let r = try CLI.run(["fix", d.appendingPathComponent("Dockerfile").path])
        #expect(r.status == 0)
        let after = try Self.read(d)
        #expect(after == "FROM debian:12\nRUN useradd --system app\nCOPY src/ /opt/app/src/\nCMD [\"/opt/app/src/run\"]\n")
        #expect(try Self.misses(after, context: d, edit: ["src/run"]) < Self.misses(src, context: d, edit: ["src/run"]))
    }

    @Test func lintFixAppliesAllRulesAndReportsTheRest() throws {
        let src = "from debian:12\nARG VCS_REF\nRUN apt-get update\nRUN apt-get install -y curl\nLABEL rev=$VCS_REF\n"
        let d = try Self.project(src)
        defer { try? FileManager.default.removeItem(at: d) }
        let r = try CLI.run(["lint", "--fix", "-f", "gnu", d.appendingPathComponent("Dockerfile").path])
        let after = try Self.read(d)
        #expect(!after.contains("\nRUN apt-get update\n"), "\(after)")
        #expect(after.contains("RUN apt-get update && apt-get install"), "\(after)")
        #expect(after.hasSuffix("ARG VCS_REF\nLABEL rev=$VCS_REF\n"), "\(after)")
        #expect(!r.stdout.contains("DC1003") && !r.stdout.contains("DC1006"), "\(r.stdout)")
        #expect(DockerfileModel.parse(after).errors.isEmpty)
    }
}
