import Foundation
import Testing

@Suite struct ParseCommand {
    @Test func buildkitDumpOfTheLabExample() throws {
        let r = try CLI.run(["parse", "--format", "buildkit", CLI.packageRoot.appendingPathComponent("examples/lab/Dockerfile").path])
        #expect(r.status == 0)
        #expect(r.stdout == """
        (from "python:3.10.5")
        (run "pip install flask")
        (cmd "python" "app.py")
        (copy "app.py" "/app.py")

        """)
    }

    @Test func buildkitDumpOfAnUnknownInstruction() throws {
        let r = try CLI.run(["parse", "--format", "buildkit", "-"], stdin: "FROM scratch\nINVALID woops\n")
        #expect(r.stdout == "(from \"scratch\")\n(invalid \"\")\n", "\(r.stdout)\n\(r.stderr)")
    }

    @Test func jsonIsValidAgainstItsSchema() throws {
        let dir = try CLI.tempDirectory()
        let df = dir.appendingPathComponent("Dockerfile")
        try CLI.write("ARG BASE=alpine:3.20\nFROM $BASE AS build\nWORKDIR /src\nCOPY --chown=1:1 . ./\nRUN --mount=type=cache,target=/root/.cache make\nFROM scratch\nCOPY --from=build /src/out /out\n", to: df)
        let r = try CLI.run(["parse", df.path])
        #expect(r.status == 0)
        let out = dir.appendingPathComponent("out.json")
        try r.stdout.write(to: out, atomically: true, encoding: .utf8)
        let schema = CLI.packageRoot.appendingPathComponent("reports/schemas/parse-output.schema.json").path
        let v = try CLI.run("/usr/bin/env", ["python3", "-c", """
        import json, sys, jsonschema
        jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))
        d = json.load(open(sys.argv[1]))
        print(len(d["stages"]), d["stages"][0]["name"], d["target"]["buildkitStages"])
        """, out.path, schema])
        #expect(v.status == 0, "\(v.stderr)")
        #expect(v.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "2 build [0, 1]")
    }

    @Test func malformedFilesGiveOneLinePerErrorAndExit2() throws {
        let r = try CLI.run(["parse", "-", "--path", "Dockerfile.bad"], stdin: "FROM a\nCMD [\"a\", 1]\nCOPY --chmod=x --bogus=1 a b\nRUN <<EOF\nno end\n")
        #expect(r.status == 2)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("Dockerfile.bad:2:11: error: when using JSON array syntax, arrays must be comprised of strings only"))
        #expect(lines.contains("Dockerfile.bad:4:1: error: unterminated heredoc"))
        #expect(lines.allSatisfy { $0.hasPrefix("Dockerfile.bad:") && $0.contains(": error: ") })
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack"))
    }

    @Test func missingFileAndDirectoryAndBadOption() throws {
        let missing = try CLI.run(["parse", "/nonexistent/Dockerfile"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "/nonexistent/Dockerfile: error: no such file or directory\n")
        let dir = try CLI.run(["parse", "/tmp"])
        #expect(dir.status == 2)
        #expect(dir.stderr.contains("is a directory"))
        let bad = try CLI.run(["parse", "--format", "yaml", "x"])
        #expect(bad.status == 2)
    }

    @Test func binaryGarbageNeverCrashes() throws {
        var bytes = [UInt8](repeating: 0, count: 4096)
        for i in bytes.indices { bytes[i] = UInt8((i * 7919 + 13) & 0xFF) }
        let dir = try CLI.tempDirectory()
        let f = dir.appendingPathComponent("bin")
        try Data(bytes).write(to: f)
        let r = try CLI.run(["parse", f.path])
        #expect(r.status == 0 || r.status == 2)
        #expect(r.stderr.split(separator: "\n").allSatisfy { $0.contains(": error: ") })
    }

    @Test func tenMegabyteLineIsAnErrorNotAHang() throws {
        let dir = try CLI.tempDirectory()
        let f = dir.appendingPathComponent("Dockerfile")
        try CLI.write("FROM a\nRUN echo " + String(repeating: "x", count: 10_000_000) + "\n", to: f)
        let r = try CLI.run(["parse", f.path])
        #expect(r.status == 2)
        #expect(r.stderr.hasSuffix(":2:1: error: dockerfile line greater than max allowed size of 65535\n"))
    }
}

/// The differential test against BuildKit's own parser (PyPI `dockerfile`) over the
/// corpus in ../shared/corpus. It runs when both are present.
@Suite struct ParserConformance {
    static let corpus = CLI.packageRoot.appendingPathComponent("../shared/corpus").standardized.path
    static var available: Bool {
        FileManager.default.fileExists(atPath: corpus)
            && ((try? CLI.run("/usr/bin/env", ["python3", "-c", "import dockerfile"]).status) == 0)
    }

    @Test(.enabled(if: ParserConformance.available, "needs ../shared/corpus and the PyPI dockerfile package"))
    func corpusAgreesWithBuildKit() throws {
        let r = try CLI.run("/usr/bin/env", ["python3", CLI.packageRoot.appendingPathComponent("scripts/parser-conformance").path,
                                             "--corpus", Self.corpus, "--binary", CLI.binary])
        #expect(r.status == 0, "unexplained differences:\n\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("0 unexplained") || r.stdout.contains("| 0 |"), "\(r.stdout)")
    }
}
