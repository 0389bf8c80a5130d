import Foundation
import Testing

/// `dockerlint lint` end to end with the real binary: discovery, configuration, pragmas,
/// formats and exit codes.
@Suite struct LintCommand {
    static let maintainer = "FROM alpine:3.20\nMAINTAINER someone@example.com\n"

    @Test func defaultSubcommandAndExitCodes() throws {
        let dir = try CLI.tempDirectory()
        try CLI.write(Self.maintainer, to: dir.appendingPathComponent("Dockerfile"))
        let r = try CLI.run([dir.appendingPathComponent("Dockerfile").path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("Dockerfile:2:1: error: Maintainer instruction is deprecated in favor of using label [DL4000 MaintainerDeprecated]"))
        // Threshold above the finding's severity: clean.
        try CLI.write("FROM alpine:3.20\nRUN true\n", to: dir.appendingPathComponent("Dockerfile"))
        #expect(try CLI.run(["lint", dir.appendingPathComponent("Dockerfile").path]).status == 0)
    }

    @Test func noFailAndThresholdAndIgnore() throws {
        let dir = try CLI.tempDirectory()
        let f = dir.appendingPathComponent("Dockerfile")
        try CLI.write(Self.maintainer, to: f)
        #expect(try CLI.run(["--no-fail", f.path]).status == 0)
        #expect(try CLI.run(["--ignore", "DL4000", f.path]).status == 0)
        #expect(try CLI.run(["--ignore", "MaintainerDeprecated", f.path]).status == 0)
        #expect(try CLI.run(["--warning", "DL4000", "-t", "error", f.path]).status == 0)
        #expect(try CLI.run(["--warning", "DL4000", "-t", "warning", f.path]).status == 1)
        let bad = try CLI.run(["-t", "fatal", f.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--failure-threshold"))
    }

    @Test func stdinWithPath() throws {
        let r = try CLI.run(["-", "--path", "services/api/Dockerfile"], stdin: Self.maintainer)
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("services/api/Dockerfile:2:1: error:"))
    }

    /// An expansion BuildKit rejects is its error for that instruction; the rest of the file
    /// is linted as usual and the run fails as for any error finding (exit 1, not 2).
    @Test func expansionErrorDoesNotSilenceTheFile() throws {
        let text = """
            FROM mcr.microsoft.com/devcontainers/base:bookworm
            ARG INSTALL_ZSH="${templateOption:installZsh}"
            RUN apt-get update && apt-get install -y curl
            USER root

            """
        let r = try CLI.run(["-f", "gnu", "-", "--path", "Dockerfile"], stdin: text)
        #expect(r.status == 1)
        let codes = r.stdout.split(separator: "\n").compactMap { $0.split(separator: "[").last.map { String($0.dropLast()) } }
        #expect(codes.contains("DF001") && codes.contains("DL3008") && codes.contains("DL3002"), "\(r.stdout)")
        #expect(r.stdout.contains("Dockerfile:2.5-2.47: error: failed to process"), "\(r.stdout)")
    }

    /// `VOLUME ${DATA_DIR}` after `FROM nginx`: the variable may come from the image, so no
    /// error at all; after an `ARG DATA_DIR` without default, a warning (DR1001).
    @Test func valueTheLinterCannotKnowIsNoSyntaxError() throws {
        let unknown = try CLI.run(["-f", "gnu", "-", "--path", "Dockerfile"], stdin: "FROM nginx:1.27.0\nVOLUME ${DATA_DIR}\n")
        #expect(unknown.status == 0, "\(unknown.stdout)")
        #expect(unknown.stdout.isEmpty)
        let arg = try CLI.run(["-f", "gnu", "-", "--path", "Dockerfile"], stdin: "FROM nginx:1.27.0\nARG DATA_DIR\nVOLUME ${DATA_DIR}\nUSER 0\nCMD a\nCMD b\n")
        #expect(arg.status == 1)
        #expect(arg.stdout.contains("Dockerfile:3.8-3.19: warning: Empty unless the build sets the ARG `DATA_DIR`"), "\(arg.stdout)")
        #expect(arg.stdout.contains("[DL4003]"), "the rest of the file is linted: \(arg.stdout)")
        #expect(!arg.stdout.contains("DF001"))
    }

    /// A bare carriage return does not end a line for BuildKit (it splits on `\n` only), so
    /// the excerpt and the fingerprint of a finding below `LABEL a="x\ry"` are those of
    /// the finding's own line, the same as without the carriage return.
    @Test func bareCarriageReturnDoesNotShiftTheSourceLine() throws {
        let withCR = "FROM alpine:3.20\nLABEL a=\"x\ry\"\nMAINTAINER someone@example.com\n"
        let plain = "FROM alpine:3.20\nLABEL a=\"xy\"\nMAINTAINER someone@example.com\n"
        let tty = try CLI.run(["-", "--path", "Dockerfile", "--no-color"], stdin: withCR)
        #expect(tty.stdout.contains("Dockerfile:3:1: error:"))
        #expect(tty.stdout.contains("  3 | MAINTAINER someone@example.com\n"))
        func fingerprint(_ text: String) throws -> String? {
            let r = try CLI.run(["-", "--path", "Dockerfile", "-f", "codeclimate"], stdin: text)
            let issues = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]]
            return issues?.first { ($0["check_name"] as? String)?.hasPrefix("DL4000") == true }?["fingerprint"] as? String
        }
        let a = try fingerprint(withCR), b = try fingerprint(plain)
        #expect(a != nil)
        #expect(a == b)
    }

    /// One choice of ignore file for every rule: a Dockerfile read from standard input and
    /// named relative to its context (`--path Dockerfile --context ctx`) uses
    /// `ctx/Dockerfile.dockerignore` for BK1011 and DC1004 alike (DC1004 looked next to the
    /// name in the working directory only, and reported that there was no .dockerignore).
    @Test func stdinDockerfileUsesItsIgnoreFileInTheContext() throws {
        let dir = try CLI.tempDirectory()
        let ctx = dir.appendingPathComponent("ctx")
        try CLI.write("secret.txt\n", to: ctx.appendingPathComponent("Dockerfile.dockerignore"))
        try CLI.write("s\n", to: ctx.appendingPathComponent("secret.txt"))
        let cwd = dir.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: cwd, withIntermediateDirectories: true)
        let dockerfile = "FROM alpine:3.20\nCOPY . /app\nCOPY secret.txt /s\n"
        let r = try CLI.run(["-", "--path", "Dockerfile", "--context", ctx.path, "-f", "gnu"], stdin: dockerfile, cwd: cwd.path)
        #expect(r.stdout.contains("Dockerfile:3.6-3.16: warning: Attempting to Copy file \"secret.txt\" that is excluded by .dockerignore"))
        #expect(!r.stdout.contains("DC1004"), "\(r.stdout)")
    }

    /// `--evidence false` reports the cache findings the rules find, unweighed (what the
    /// realworld benchmark's replay reads): here the advice to add a .dockerignore, which the
    /// evidence drops because no edit of the context touches what it would exclude.
    @Test func evidenceFalseReportsCacheFindingsUnweighed() throws {
        let dir = try CLI.tempDirectory()
        let ctx = dir.appendingPathComponent("ctx")
        try CLI.write("print(1)\n", to: ctx.appendingPathComponent("app.py"))
        let dockerfile = "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n"
        try CLI.write(dockerfile, to: dir.appendingPathComponent("Dockerfile"))
        let path = dir.appendingPathComponent("Dockerfile").path
        let weighed = try CLI.run(["-f", "gnu", "--context", ctx.path, path], cwd: dir.path)
        #expect(!weighed.stdout.contains("DC1004"), "\(weighed.stdout)")
        let raw = try CLI.run(["-f", "gnu", "--evidence", "false", "--context", ctx.path, path], cwd: dir.path)
        #expect(raw.stdout.contains("there is no .dockerignore") && raw.stdout.contains("DC1004"), "\(raw.stdout)")
        let bad = try CLI.run(["--evidence", "maybe", "--context", ctx.path, path], cwd: dir.path)
        #expect(bad.status == 2)
    }

    /// DC1004 names the Dockerfile among what the .dockerignore lets in whatever the context
    /// is called: `--context .` from the project's folder (as CI runs it) is that folder too.
    @Test func dockerfileInAContextNamedDot() throws {
        let dir = try CLI.tempDirectory()
        try CLI.write(".git\n", to: dir.appendingPathComponent(".dockerignore"))
        try CLI.write("print(1)\n", to: dir.appendingPathComponent("app.py"))
        try CLI.write("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n", to: dir.appendingPathComponent("docker/Dockerfile"))
        for context in [".", dir.path] {
            let r = try CLI.run(["-f", "gnu", "--evidence", "false", "--context", context, "docker/Dockerfile"], cwd: dir.path)
            #expect(r.stdout.contains("docker/Dockerfile is copied too"), "\(context): \(r.stdout)")
        }
    }

    @Test func syntaxErrorsExit2WithTheirPosition() throws {
        let r = try CLI.run(["-", "--path", "Dockerfile"], stdin: "FROM a\nCOPY --frm=x a b\n")
        #expect(r.status == 2)
        #expect(r.stdout.contains("Dockerfile:2:6: error: unknown flag: --frm (did you mean from?) [DF001 SyntaxError]"))
    }

    @Test func directoryDiscovery() throws {
        let dir = try CLI.tempDirectory()
        for p in ["Dockerfile", "svc/Dockerfile.dev", "svc/web.Dockerfile", "svc/api.dockerfile", "svc/Dockerfile.dockerignore",
                  "node_modules/x/Dockerfile", ".git/Dockerfile", "README.md"] {
            try CLI.write(Self.maintainer, to: dir.appendingPathComponent(p))
        }
        let r = try CLI.run(["-f", "gnu", dir.path])
        let files = Set(r.stdout.split(separator: "\n").map { String($0.split(separator: ":")[0]) })
        #expect(files == Set(["Dockerfile", "svc/Dockerfile.dev", "svc/web.Dockerfile", "svc/api.dockerfile"].map { dir.appendingPathComponent($0).path }))
    }

    /// Files are linted in parallel and each runs its own shellcheck: every file gets its
    /// own findings, at its own lines (a child holding another file's pipe would hang or
    /// mix them up).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/shellcheck"), "shellcheck (apt-get install shellcheck; scripts/test installs it)"))
    func shellcheckOnManyFilesInParallel() throws {
        let dir = try CLI.tempDirectory()
        var paths: [String] = []
        for k in 0..<12 {
            let p = dir.appendingPathComponent("f\(k).Dockerfile")
            try CLI.write("FROM debian:12\n" + String(repeating: "RUN true\n", count: k) + "RUN echo $unset_\(k)\n", to: p)
            paths.append(p.path)
        }
        let r = try CLI.run(["--shellcheck", "--no-fail", "-f", "gnu"] + paths)
        #expect(r.status == 0)
        for (k, p) in paths.enumerated() {
            let mine = r.stdout.split(separator: "\n").filter { $0.hasPrefix(p + ":") && $0.contains("[SC2154]") }
            #expect(mine.count == 1 && mine[0].hasPrefix("\(p):\(k + 2).10"), "\(p): \(mine)")
        }
    }

    @Test func configFileKeysErrorsAndHadolintFallback() throws {
        let dir = try CLI.tempDirectory()
        try CLI.write(Self.maintainer, to: dir.appendingPathComponent("Dockerfile"))
        // hadolint's file is read when there is no .dockerlint.yaml.
        try CLI.write("ignored:\n  - DL4000\n", to: dir.appendingPathComponent(".hadolint.yaml"))
        #expect(try CLI.run(["Dockerfile"], cwd: dir.path).status == 0)
        // .dockerlint.yaml wins; an unknown key is a warning with its line.
        try CLI.write("failure-threshold: warning\nignord: [DL4000]\n", to: dir.appendingPathComponent(".dockerlint.yaml"))
        let w = try CLI.run(["Dockerfile"], cwd: dir.path)
        #expect(w.status == 1)
        #expect(w.stderr.contains(".dockerlint.yaml:2:1: warning: unknown key 'ignord' is ignored (did you mean 'ignored'?)"))
        // A bad value is an error with its line, exit 2.
        try CLI.write("failure-threshold: loud\n", to: dir.appendingPathComponent(".dockerlint.yaml"))
        let e = try CLI.run(["Dockerfile"], cwd: dir.path)
        #expect(e.status == 2)
        #expect(e.stderr == ".dockerlint.yaml:1:20: error: failure-threshold: 'loud' is not one of error, warning, info, style, ignore, none\n")
        try CLI.write("override:\n  warning: [DL4000]\nfailure-threshold: error\n", to: dir.appendingPathComponent(".dockerlint.yaml"))
        #expect(try CLI.run(["Dockerfile"], cwd: dir.path).status == 0)
        // Invalid YAML.
        try CLI.write("ignored: [DL4000\n", to: dir.appendingPathComponent(".dockerlint.yaml"))
        let y = try CLI.run(["Dockerfile"], cwd: dir.path)
        #expect(y.status == 2)
        #expect(y.stderr.hasPrefix(".dockerlint.yaml:2:"))
        // --config names the file; a missing one is an error.
        #expect(try CLI.run(["--config", "nope.yaml", "Dockerfile"], cwd: dir.path).status == 2)
    }

    @Test func configIsFoundNextToTheFileUpToTheRepositoryRoot() throws {
        let repo = try CLI.tempDirectory()
        try FileManager.default.createDirectory(at: repo.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try CLI.write("ignored: [DL4000]\n", to: repo.appendingPathComponent(".dockerlint.yaml"))
        try CLI.write(Self.maintainer, to: repo.appendingPathComponent("a/b/Dockerfile"))
        let elsewhere = try CLI.tempDirectory()
        #expect(try CLI.run([repo.appendingPathComponent("a/b/Dockerfile").path], cwd: elsewhere.path).status == 0)
    }

    @Test func environmentVariables() throws {
        let dir = try CLI.tempDirectory()
        let f = dir.appendingPathComponent("Dockerfile")
        try CLI.write(Self.maintainer, to: f)
        #expect(try CLI.run([f.path], environment: ["DOCKERLINT_IGNORE": "DL4000"]).status == 0)
        #expect(try CLI.run([f.path], environment: ["DOCKERLINT_NO_FAIL": "true"]).status == 0)
        #expect(try CLI.run([f.path], environment: ["DOCKERLINT_FAILURE_THRESHOLD": "bogus"]).status == 2)
        // Command-line flags win over the environment.
        #expect(try CLI.run(["-t", "error", f.path], environment: ["DOCKERLINT_FAILURE_THRESHOLD": "style", "DOCKERLINT_OVERRIDE_WARNING": "DL4000"]).status == 0)
    }

    @Test func pragmas() throws {
        let ignoreNext = "FROM alpine:3.20\n# dockerlint ignore=DL4000 # legacy image\nMAINTAINER a@b.c\nMAINTAINER d@e.f\n"
        let r = try CLI.run(["-f", "gnu", "-", "--path", "Dockerfile"], stdin: ignoreNext)
        #expect(r.stdout.split(separator: "\n").count == 1)
        #expect(r.stdout.hasPrefix("Dockerfile:4.1-4.17: error:"))
        let hadolintStyle = "# hadolint global ignore=DL4000\nFROM alpine:3.20\nMAINTAINER a@b.c\n"
        #expect(try CLI.run(["-", "--path", "Dockerfile"], stdin: hadolintStyle).status == 0)
        let stage = "FROM alpine:3.20 AS a\nMAINTAINER x\n# dockerlint stage ignore=MaintainerDeprecated\nFROM alpine:3.20 AS b\nMAINTAINER y\n"
        let s = try CLI.run(["-f", "gnu", "-", "--path", "Dockerfile"], stdin: stage)
        #expect(s.stdout.split(separator: "\n").filter { $0.contains("DL4000") }.map { String($0.prefix(13)) } == ["Dockerfile:2."])
        let check = "# check=skip=MaintainerDeprecated\nFROM alpine:3.20\nMAINTAINER x\n"
        #expect(try CLI.run(["-", "--path", "Dockerfile"], stdin: check).status == 0)
        // Pragmas can be turned off.
        #expect(try CLI.run(["--disable-ignore-pragma", "-", "--path", "Dockerfile"], stdin: hadolintStyle).status == 1)
        // An unknown rule in a pragma is reported.
        let unknown = try CLI.run(["-f", "gnu", "-", "--path", "Dockerfile"], stdin: "FROM a\n# dockerlint ignore=DL40000\nRUN x\n")
        #expect(unknown.stdout.contains("unknown rule 'DL40000' in ignore pragma (did you mean DL4000?) [DF002]"))
    }

    /// A custom frontend's own instruction is not a syntax error: the file builds with that
    /// frontend. One info finding says it is not checked (exit 1 under the default failure
    /// threshold, as any info; 0 with `--failure-threshold warning`); under Docker's own
    /// frontend the same instruction is still DF001 (exit 2).
    @Test func customFrontendInstructionsAreNotSyntaxErrors() throws {
        let body = "FROM alpine:3.20\nINCLUDE ./base.dockerfile\nRUN echo hi\n"
        let custom = try CLI.run(["-f", "gnu", "-", "--path", "Dockerfile"], stdin: "# syntax = devthefuture/dockerfile-x\n" + body)
        #expect(custom.status == 1)
        #expect(try CLI.run(["--failure-threshold", "warning", "-", "--path", "Dockerfile"], stdin: "# syntax = devthefuture/dockerfile-x\n" + body).status == 0)
        #expect(custom.stdout.contains("Dockerfile:3.1-3.8: info: `# syntax=devthefuture/dockerfile-x` is a frontend of its own and `INCLUDE` (line 3) is one of its instructions"), "\(custom.stdout)")
        #expect(custom.stdout.contains("[DF003]") && !custom.stdout.contains("DF001"))
        for official in ["docker/dockerfile:1.7", "docker.io/docker/dockerfile:1@sha256:abc", "docker/dockerfile-upstream:master"] {
            let r = try CLI.run(["-f", "gnu", "-", "--path", "Dockerfile"], stdin: "# syntax=\(official)\n" + body)
            #expect(r.status == 2, "\(official)")
            #expect(r.stdout.contains("unknown instruction: INCLUDE") && r.stdout.contains("[DF001]"), "\(official): \(r.stdout)")
        }
    }

    @Test func severalFormatsEachWithItsOwnOutput() throws {
        let dir = try CLI.tempDirectory()
        let f = dir.appendingPathComponent("Dockerfile")
        try CLI.write(Self.maintainer, to: f)
        let sarif = dir.appendingPathComponent("out.sarif"), json = dir.appendingPathComponent("out.json")
        let r = try CLI.run(["-f", "tty", "-f", "sarif", "-o", sarif.path, "-f", "json", "-o", json.path, f.path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("[DL4000 MaintainerDeprecated]"))
        #expect(try String(contentsOf: sarif, encoding: .utf8).contains("\"version\": \"2.1.0\""))
        #expect(try String(contentsOf: json, encoding: .utf8).contains("\"code\": \"DL4000\""))
        #expect(try CLI.run(["-f", "yaml", f.path]).status == 2)
    }
}
