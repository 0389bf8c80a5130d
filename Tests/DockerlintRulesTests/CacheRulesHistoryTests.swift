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
        return CacheEvidence.annotate(out.diagnostics, model: out.model, path: path, bytes: bytes, configuration: config, contextDirectory: dir,
                                      history: history, rules: rules)
    }

    static func commit(_ dir: String, _ message: String) throws {
        try sh(dir, ["add", "-A"]); try sh(dir, ["commit", "-qm", message])
    }

    static func emptyRepository() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-hist-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try sh(dir, ["init", "-q", "-b", "main"])
        return dir
    }

    static func evaluate(_ dir: String, history: Int, config: Configuration = Configuration()) throws
        -> (diagnostics: [Diagnostic], evidence: [CacheEvidence.Evidence]) {
        let path = dir + "/Dockerfile"
        let bytes = Array(try String(contentsOfFile: path, encoding: .utf8).utf8)
        let rules = BuiltinRules.ruleSet
        let out = Linter(rules: rules).lint(Linter.Input(path: path, bytes: bytes, configuration: config, contextDirectory: dir))
        let r = CacheEvidence.evaluate(out.diagnostics, model: out.model, path: path, bytes: bytes, configuration: config, contextDirectory: dir,
                                       history: history, rules: rules)
        return (r.diagnostics, r.evidence.keys.sorted().map { r.evidence[$0]! })
    }

    @Test(.enabled(if: GitReplay.gitAvailable, "git on PATH"))
    func sourceBeforeInstallQuotesHistory() throws {
        let dir = try Self.repository(dockerfile: "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n", edits: 5)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let found = try Self.lint(dir, history: 100).filter { $0.code == "DC1001" }
        #expect(found.count == 1)
        // 6 commits after the initial one: 5 edits of app.py and 1 of requirements.txt; with
        // the manifests copied first only the requirements change re-runs the install.
        #expect(found.first?.message.contains("in the last 6 commits `RUN pip install -r requirements.txt` re-ran 6 times, would re-run once") == true,
                "\(found.map(\.message))")
        #expect(found.first?.message.contains("re-runs caused by app.py changed (5 times), requirements.txt changed (once)") == true,
                "\(found.map(\.message))")
        // A window of 3 commits.
        let three = try Self.lint(dir, history: 3).filter { $0.code == "DC1001" }
        #expect(three.first?.message.contains("in the last 3 commits `RUN pip install -r requirements.txt` re-ran 3 times, would re-run once") == true,
                "\(three.map(\.message))")
    }

    /// A split that steps between block (no fix): the finding is weighed as if the COPY held
    /// only what the install reads. When the files it leaves out never re-ran the install,
    /// there is nothing to gain and no finding; when they did, the finding quotes both counts.
    @Test(.enabled(if: GitReplay.gitAvailable, "git on PATH"))
    func blockedSplitWeighedByTheFilesItLeavesOut() throws {
        func history(notesEdits: Int) throws -> String {
            let dir = try Self.emptyRepository()
            try Self.write(dir, "Dockerfile", "FROM node:20\nWORKDIR /app\nCOPY package.json package-lock.json NOTES.txt ./\nUSER node\nRUN npm ci && npm run build\n")
            try Self.write(dir, "package.json", "{\"name\": \"a\", \"version\": \"1.0.0\", \"scripts\": {\"build\": \"node -e 1\"}}\n")
            try Self.write(dir, "package-lock.json", "{\"lockfileVersion\": 3, \"v\": 0}\n")
            try Self.write(dir, "NOTES.txt", "0\n")
            try Self.write(dir, ".dockerignore", ".git\n")
            try Self.commit(dir, "initial")
            for k in 1...3 { try Self.write(dir, "package-lock.json", "{\"lockfileVersion\": 3, \"v\": \(k)}\n"); try Self.commit(dir, "deps \(k)") }
            if notesEdits > 0 {
                for k in 1...notesEdits { try Self.write(dir, "NOTES.txt", "\(k)\n"); try Self.commit(dir, "notes \(k)") }
            }
            return dir
        }
        let quiet = try history(notesEdits: 0)
        defer { try? FileManager.default.removeItem(atPath: quiet) }
        let all = try Self.lint(quiet, history: 100)
        #expect(!all.contains { $0.code == "DC1001" }, "\(all.map(\.message))")
        let busy = try history(notesEdits: 4)
        defer { try? FileManager.default.removeItem(atPath: busy) }
        let found = try Self.lint(busy, history: 100).filter { $0.code == "DC1001" }
        #expect(found.count == 1)
        #expect(found.first?.fix == nil)
        #expect(found.first?.message.contains("no fix is offered") == true, "\(found.map(\.message))")
        #expect(found.first?.message.contains("re-ran 7 times, while an install that read only the files it needs would have re-run 3 times") == true,
                "\(found.map(\.message))")
    }

    /// Issue 20's reproducer: the history edits `ENV BUILD_LEVEL` above `COPY . .` in 3 commits
    /// and the source in 2. Each commit is replayed with its own Dockerfile, and the fix is
    /// applied to each version: 5 re-runs as the files were, 3 with the COPY below the install.
    @Test(.enabled(if: GitReplay.gitAvailable, "git on PATH"))
    func eachCommitWithItsOwnDockerfile() throws {
        let dir = try Self.emptyRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func dockerfile(_ level: Int) -> String {
            "FROM python:3.12-slim\nENV BUILD_LEVEL=\(level)\nWORKDIR /app\nCOPY . .\nRUN pip install flask==3.0.3\nCMD [\"python\", \"app.py\"]\n"
        }
        try Self.write(dir, "Dockerfile", dockerfile(0))
        try Self.write(dir, "app.py", "print(0)\n")
        try Self.write(dir, ".dockerignore", ".git\n")
        try Self.commit(dir, "initial")
        for k in 1...3 { try Self.write(dir, "Dockerfile", dockerfile(k)); try Self.commit(dir, "level \(k)") }
        for k in 1...2 { try Self.write(dir, "app.py", "print(\(k))\n"); try Self.commit(dir, "source \(k)") }
        let r = try Self.evaluate(dir, history: 100)
        let dc = r.diagnostics.filter { $0.code == "DC1001" }
        #expect(dc.count == 1)
        #expect(dc.first?.message.contains("in the last 5 commits `RUN pip install flask==3.0.3` re-ran 5 times, would re-run 3 times") == true,
                "\(dc.map(\.message))")
        #expect(dc.first?.message.contains("Dockerfile changed (3 times), app.py changed (2 times)") == true, "\(dc.map(\.message))")
    }

    /// Issue 20, classes 3 and 4: a commit inserted a RUN above the quoted step, so the step's
    /// ordinal (`0:RUN#1` before, `0:RUN#2` after) differs between versions. The step is found
    /// in each version by aligning the two files: the install re-ran in all 9 builds (4 source
    /// edits, the requirements edit, the insertion, 3 source edits), and with the manifest
    /// copied first in 2 (the requirements edit and the insertion above it).
    @Test(.enabled(if: GitReplay.gitAvailable, "git on PATH"))
    func stepFoundByAlignmentWhenARunIsInsertedAbove() throws {
        let dir = try Self.emptyRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let install = "COPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n"
        try Self.write(dir, "Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\n" + install)
        try Self.write(dir, "requirements.txt", "flask\n")
        try Self.write(dir, "app.py", "print(0)\n")
        try Self.write(dir, ".dockerignore", ".git\n")
        try Self.commit(dir, "initial")
        for k in 1...4 { try Self.write(dir, "app.py", "print(\(k))\n"); try Self.commit(dir, "source \(k)") }
        try Self.write(dir, "requirements.txt", "flask\nrequests\n"); try Self.commit(dir, "deps")
        try Self.write(dir, "Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nRUN apt-get update && apt-get install -y gcc\n" + install)
        try Self.commit(dir, "compiler")
        for k in 5...7 { try Self.write(dir, "app.py", "print(\(k))\n"); try Self.commit(dir, "source \(k)") }
        let r = try Self.evaluate(dir, history: 100)
        let dc = r.diagnostics.filter { $0.code == "DC1001" }
        #expect(dc.count == 1)
        #expect(dc.first?.message.contains("in the last 9 commits `RUN pip install -r requirements.txt` re-ran 9 times, would re-run 2 times") == true,
                "\(dc.map(\.message))")
        #expect(dc.first?.evidence?.stepBuilds == nil, "the step is in every version")
    }

    /// A quoted step added during the window: the builds before it are no re-runs of it, and
    /// the evidence says how many builds had it.
    @Test(.enabled(if: GitReplay.gitAvailable, "git on PATH"))
    func stepAddedDuringTheWindowCountsOnlyWhereItExists() throws {
        let dir = try Self.emptyRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.write(dir, "Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n")
        try Self.write(dir, "requirements.txt", "flask\n")
        try Self.write(dir, "app.py", "print(0)\n")
        try Self.write(dir, ".dockerignore", ".git\n")
        try Self.commit(dir, "initial")
        for k in 1...3 { try Self.write(dir, "app.py", "print(\(k))\n"); try Self.commit(dir, "source \(k)") }
        try Self.write(dir, "Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n")
        try Self.commit(dir, "install")
        for k in 4...7 { try Self.write(dir, "app.py", "print(\(k))\n"); try Self.commit(dir, "source \(k)") }
        let r = try Self.evaluate(dir, history: 100)
        let dc = r.diagnostics.filter { $0.code == "DC1001" }
        #expect(dc.count == 1)
        // 8 builds; the install exists in the last 5 and re-ran in each of them.
        #expect(dc.first?.message.contains("`RUN pip install -r requirements.txt` re-ran 5 times, would re-run once") == true, "\(dc.map(\.message))")
        #expect(dc.first?.message.contains("the step is in the Dockerfile of 5 of those 8 commits") == true, "\(dc.map(\.message))")
        #expect(dc.first?.evidence?.stepBuilds == 5)
    }

    @Test(.enabled(if: GitReplay.gitAvailable, "git on PATH"))
    func noHistoryMeansPlausibleEdits() throws {
        let dir = try Self.repository(dockerfile: "FROM python:3.10.5\nCOPY app.py /app.py\nRUN pip install flask\n", edits: 3)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let none = try Self.lint(dir, history: 0).filter { $0.code == "DC1001" }
        // Context: app.py (weight 1), requirements.txt (0.2), .dockerignore (0.1); Dockerfile
        // is excluded. Only an edit of app.py re-runs the install: 1 / 1.3 of the edits.
        #expect(none.first?.message.contains("`RUN pip install flask` re-runs after 77 of 100 edits, would re-run after 0 (estimated from edits to each of the 3 files of the context alone") == true,
                "\(none.map(\.message))")
        let some = try Self.lint(dir, history: 10).filter { $0.code == "DC1001" }
        #expect(some.first?.message.contains("in the last 4 commits `RUN pip install flask` re-ran 3 times, would re-run 0 times") == true,
                "\(some.map(\.message))")
    }

    /// A fix that saves nothing is not reported: the COPY is below the install already for
    /// everything that changes (only a never-edited file is copied early).
    @Test(.enabled(if: GitReplay.gitAvailable, "git on PATH"))
    func findingWithoutSavingIsDropped() throws {
        let dir = try Self.emptyRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.write(dir, "Dockerfile", "FROM python:3.12-slim\nCOPY LICENSE /LICENSE\nRUN pip install flask==3.0.3\nCOPY app.py /app.py\n")
        try Self.write(dir, "LICENSE", "MIT\n")
        try Self.write(dir, "app.py", "print(0)\n")
        try Self.write(dir, ".dockerignore", ".git\n")
        try Self.commit(dir, "initial")
        for k in 1...4 { try Self.write(dir, "app.py", "print(\(k))\n"); try Self.commit(dir, "source \(k)") }
        let before = try Self.evaluate(dir, history: 0)
        let linted = Linter(rules: BuiltinRules.ruleSet).lint(Linter.Input(path: dir + "/Dockerfile",
            bytes: Array(try String(contentsOfFile: dir + "/Dockerfile", encoding: .utf8).utf8), configuration: Configuration(), contextDirectory: dir))
        let dcRules = Set(linted.diagnostics.filter { $0.code.hasPrefix("DC") && $0.fix != nil }.map(\.code))
        let h = try Self.evaluate(dir, history: 100)
        // Whatever the rules say about the LICENSE copy, no history and no edit shows a saving.
        for e in h.evidence where e.savingPer100 != nil { #expect(e.reported == (e.savingPer100! >= 60), "\(e)") }
        #expect(!h.diagnostics.contains { dcRules.contains($0.code) && $0.message.contains("LICENSE") && !$0.message.contains("saves about") })
        #expect(h.diagnostics.allSatisfy { !$0.code.hasPrefix("DC") || $0.code == "DC1005" || $0.message.contains("re-ran") || $0.message.contains("saves") },
                "\(h.diagnostics.map(\.message))")
        _ = before
    }

    /// Two findings, each quoting the saving of its own fix alone: the DC1001 move of
    /// `COPY . .` below the install, and the DC1003 move of a per-build ARG.
    @Test(.enabled(if: GitReplay.gitAvailable, "git on PATH"))
    func eachFindingQuotesItsOwnFix() throws {
        let dir = try Self.emptyRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.write(dir, "Dockerfile", "FROM python:3.12-slim\nARG GIT_SHA\nWORKDIR /app\nCOPY . .\nRUN pip install flask==3.0.3\nLABEL revision=$GIT_SHA\n")
        try Self.write(dir, "app.py", "print(0)\n")
        try Self.write(dir, ".dockerignore", ".git\nDockerfile\n")
        try Self.commit(dir, "initial")
        for k in 1...4 { try Self.write(dir, "app.py", "print(\(k))\n"); try Self.commit(dir, "source \(k)") }
        let r = try Self.evaluate(dir, history: 100)
        let dc1001 = r.diagnostics.first { $0.code == "DC1001" }
        let dc1003 = r.diagnostics.first { $0.code == "DC1003" }
        // DC1001 alone: the ARG still changes in every build, so the install re-runs 4 of 4
        // times either way: no saving. DC1003 alone: the ARG moved below the install, source
        // edits still re-run it: no saving either. Together they pay: one finding names both
        // moves and carries both fixes, when both offer one.
        // Here only DC1001 offers a fix, so no pair of fixes is tried: nothing is reported.
        #expect(dc1001 == nil, "\(r.diagnostics.map(\.message))")
        #expect(dc1003 == nil || dc1003?.message.contains("re-ran") == true, "\(r.diagnostics.map(\.message))")
    }

    /// Issue 20: `go build` below `COPY . .` downloads every module on every source edit. The
    /// pre-fetch fix (`go mod download` above the COPY) leaves the build re-running as often,
    /// without the downloads: the saving quoted is the download share of the source edits,
    /// less the new steps' re-runs when go.sum changes, as the replay of that fix alone has it.
    @Test(.enabled(if: GitReplay.gitAvailable, "git on PATH"))
    func prefetchSavesTheDownloadsOfSourceEdits() throws {
        let dir = try Self.emptyRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.write(dir, "Dockerfile", "FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\n\n"
            + "FROM gcr.io/distroless/static:nonroot\nCOPY --from=build /out/app /app\n")
        func sum(_ n: Int) -> String { (0..<n).map { "example.com/m\($0) v1.0.0 h1:x=\nexample.com/m\($0) v1.0.0/go.mod h1:y=\n" }.joined() }
        try Self.write(dir, "go.mod", "module example.com/app\n\ngo 1.23\n")
        try Self.write(dir, "go.sum", sum(40))
        try Self.write(dir, "main.go", "package main\n\nfunc main() {}\n")
        try Self.write(dir, ".dockerignore", ".git\nDockerfile\n")
        try Self.commit(dir, "initial")
        for k in 1...4 { try Self.write(dir, "main.go", "package main\n\nfunc main() { println(\(k)) }\n"); try Self.commit(dir, "source \(k)") }
        try Self.write(dir, "go.sum", sum(50)); try Self.commit(dir, "deps")
        let r = try Self.evaluate(dir, history: 100)
        let dc = r.diagnostics.filter { $0.code == "DC1001" }
        #expect(dc.count == 1, "\(r.diagnostics.map(\.message))")
        #expect(dc.first?.message.contains("in the last 5 commits `RUN go build -o /out/app .` re-ran 5 times, downloading the dependencies each time; "
            + "`RUN go mod download` would download them once") == true, "\(dc.map(\.message))")
        // The model's own numbers: the project has 50 modules now (the counts come from the
        // files as they are); 4 source edits no longer download them, the go.sum edit runs the
        // new `COPY go.mod go.sum ./` and `RUN go mod download`; over 5 commits, per 100.
        let download = 50 * CostModel.secondsPerDependency
        let expected = (4 * download - CostModel.defaultSeconds["COPY"]!) * 100 / 5
        let e = try #require(r.evidence.first { $0.downloadStep != nil })
        #expect(abs((e.savingPer100 ?? 0) - expected) < 0.001, "\(e)")
        // Without history: plausible edits, same fix, same wording. An edit that the new step
        // does not read saves the download; one it reads (go.mod, go.sum) costs the new COPY.
        let plain = try Self.evaluate(dir, history: 0)
        #expect(plain.diagnostics.contains { $0.code == "DC1001" && $0.message.contains("downloading the dependencies each time") },
                "\(plain.diagnostics.map(\.message))")
        let p = try #require(plain.evidence.first { $0.downloadStep != nil })
        let fetches = try #require(p.rerunsFixed)
        #expect(p.reruns == 100 && fetches > 0 && fetches < 100, "\(p)")
        #expect(abs((p.savingPer100 ?? 0) - ((p.reruns - fetches) * download - fetches * CostModel.defaultSeconds["COPY"]!)) < 0.001, "\(p)")
    }

    /// Issue 20: `cargo build` below `COPY . .` gets no pre-fetch fix (`cargo fetch` needs the
    /// targets); the evidence replays a hypothetical step after the workspace manifests, placed
    /// above the ARG/ENV lines (one takes the commit id in every build), and counts the commits
    /// that changed them: the message quotes that count, never a fix.
    @Test(.enabled(if: GitReplay.gitAvailable, "git on PATH"))
    func oneCommandCargoBuildCountsManifestChanges() throws {
        let dir = try Self.emptyRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.write(dir, "Dockerfile", "FROM rust:1.80 AS build\nWORKDIR /src\nARG COMMIT_SHA\nENV GIT_SHA=${COMMIT_SHA}\nCOPY . .\n"
            + "RUN cargo build --release -p app\n\nFROM debian:bookworm-slim\nCOPY --from=build /src/target/release/app /app\n")
        func lock(_ n: Int) -> String {
            "version = 3\n" + (0..<n).map { "\n[[package]]\nname = \"c\($0)\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n" }.joined()
        }
        try Self.write(dir, "Cargo.toml", "[workspace]\nmembers = [\"app\"]\n")
        try Self.write(dir, "app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\n")
        try Self.write(dir, "Cargo.lock", lock(100))
        try Self.write(dir, "app/src/main.rs", "fn main() {}\n")
        try Self.write(dir, ".dockerignore", ".git\nDockerfile\ntarget\n")
        try Self.commit(dir, "initial")
        for k in 1...4 { try Self.write(dir, "app/src/main.rs", "fn main() { println!(\"\(k)\"); }\n"); try Self.commit(dir, "source \(k)") }
        try Self.write(dir, "Cargo.lock", lock(110)); try Self.commit(dir, "deps")
        let r = try Self.evaluate(dir, history: 100)
        let dc = r.diagnostics.filter { $0.code == "DC1001" }
        #expect(dc.count == 1 && dc.first?.fix == nil, "\(r.diagnostics.map(\.message))")
        #expect(dc.first?.message.contains("no pre-fetch step is offered: `cargo fetch` needs every package's targets") == true, "\(dc.map(\.message))")
        #expect(dc.first?.message.contains("such a step goes above line 3") == true, "\(dc.map(\.message))")
        #expect(dc.first?.message.contains("in the last 5 commits `RUN cargo build --release -p app` re-ran 5 times, downloading the dependencies "
            + "each time, while a step that read only the dependency inputs (the manifests and the build tool's settings) would have re-run once") == true, "\(dc.map(\.message))")
        let e = try #require(r.evidence.first { $0.hypothetical })
        #expect(e.rerunsFixed == 20 && e.reruns == 100, "\(e)")
        // DC1007 on the build: the registry of the rust image as a cache mount, each re-run its
        // inputs caused priced at the download share of the 110 crates Cargo.lock lists now.
        let mount = r.diagnostics.filter { $0.code == "DC1007" }
        #expect(mount.count == 1 && mount.first?.message.contains("--mount=type=cache,target=/usr/local/cargo/registry") == true,
                "\(r.diagnostics.map(\.message))")
        let m = try #require(r.evidence.first { $0.mountDependencies != nil })
        #expect(m.mountDependencies == 110 && m.inputReruns == 100, "\(m)")
        #expect(abs((m.savingPer100 ?? 0) - 100 * 110 * CostModel.secondsPerDependency) < 0.001, "\(m)")
        #expect(mount.first?.message.contains("110 dependencies at 0.3 s each, a chosen constant") == true, "\(mount.map(\.message))")
    }

    /// The evidence replays what a finding suggests, read from its structured subject: the
    /// ARG of DC1003, the paths DC1004 would exclude (never `.git` when a step reads it).
    @Test func findingsCarryTheirSubject() throws {
        let dir = try Self.emptyRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.write(dir, "main.go", "package main\n")
        try Self.write(dir, "Dockerfile", "FROM golang:1.23\nARG BUILD_DATE=unknown\nWORKDIR /src\nCOPY . .\nRUN git describe --tags > version.txt\nRUN apt-get update\n")
        func findings() throws -> [Diagnostic] {
            let path = dir + "/Dockerfile"
            let bytes = Array(try String(contentsOfFile: path, encoding: .utf8).utf8)
            return Linter(rules: BuiltinRules.ruleSet).lint(Linter.Input(path: path, bytes: bytes, configuration: Configuration(), contextDirectory: dir)).diagnostics
        }
        let reading = try findings()
        #expect(reading.first { $0.code == "DC1004" }?.subject == ["Dockerfile"], "\(reading.map { "\($0.code) \($0.subject) \($0.message)" })")
        #expect(reading.first { $0.code == "DC1003" }?.subject == ["BUILD_DATE"], "\(reading.map { "\($0.code) \($0.subject)" })")
        try Self.write(dir, "Dockerfile", "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN apt-get update && apt-get install -y curl\n")
        let notReading = try findings()
        #expect(notReading.first { $0.code == "DC1004" }?.subject == [".git", "Dockerfile"], "\(notReading.map { "\($0.code) \($0.subject)" })")
    }

    /// DC1004's advice replayed over the history (issue 20, hedgedoc's `COPY . .`): each commit
    /// rewrites `.git`, which the .dockerignore lets in, so the COPY and the build re-run in every
    /// commit; with `.git` added to each commit's own .dockerignore (and nothing else) only the
    /// commits that change what the COPY takes re-run it: the 3 source edits and the edit of the
    /// .dockerignore itself, not the 2 commits that change only ignored files.
    @Test(.enabled(if: GitReplay.gitAvailable, "git on PATH"))
    func exclusionAdviceReplayedOnEachCommitsIgnoreFile() throws {
        let dir = try Self.emptyRepository()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.write(dir, "Dockerfile", "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"index.js\"]\n")
        try Self.write(dir, ".dockerignore", "node_modules\n.github\nDockerfile\n")
        try Self.write(dir, "package.json", "{\"name\": \"app\"}\n")
        try Self.write(dir, "index.js", "console.log(0)\n")
        try Self.write(dir, ".github/workflows/ci.yml", "on: push\n")
        try Self.commit(dir, "initial")
        for k in 1...3 { try Self.write(dir, "index.js", "console.log(\(k))\n"); try Self.commit(dir, "source \(k)") }
        for k in 1...2 { try Self.write(dir, ".github/workflows/ci.yml", "on: push # \(k)\n"); try Self.commit(dir, "ci \(k)") }
        try Self.write(dir, ".dockerignore", "node_modules\n.github\nDockerfile\n*.log\n")
        try Self.commit(dir, "ignore logs")
        var config = Configuration()
        config.minSaving = 1
        let r = try Self.evaluate(dir, history: 100, config: config)
        let dc = r.diagnostics.filter { $0.code == "DC1004" }
        #expect(dc.count == 1, "\(r.diagnostics.map(\.message))")
        #expect(dc.first?.message.contains("in the last 6 commits `COPY . .` re-ran 6 times, would re-run 4 times") == true,
                "\(dc.map(\.message))")
        // What the replay appended, stated for a reader (JSON `evidence.ignoreAppended`).
        #expect(dc.first?.evidence?.ignoreAppended == [".git"], "\(String(describing: dc.first?.evidence))")
        #expect(dc.first?.evidence?.churn == [".git/HEAD"] && dc.first?.evidence?.reruns == 6 && dc.first?.evidence?.rerunsWithFix == 4)
        // The advice is blocked where the build reads .git: nothing is left to exclude.
        try Self.write(dir, "Dockerfile", "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN git describe --tags > version.txt && npm ci\n")
        try Self.commit(dir, "version")
        let reading = try Self.evaluate(dir, history: 100, config: config)
        #expect(!reading.diagnostics.contains { $0.code == "DC1004" }, "\(reading.diagnostics.map(\.message))")
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
