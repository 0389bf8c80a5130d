import Foundation
import Testing

/// Inputs a hostile or merely unlucky repository holds: special files, degenerate sizes,
/// bytes that are not text, links. Every run is bounded by `timeout` (a hang fails the test
/// instead of stalling the suite) and must end with 0, 1 or 2 and one-line messages.
@Suite struct HostileInput {
    /// `dockerlint args…` under a time limit (exit 124 when it had to be killed) and a memory
    /// limit (`ulimit -v`, in KiB of address space).
    static func run(_ args: [String], cwd: String? = nil, stdin: String? = nil, seconds: Int = 60, memoryKiB: Int = 4_000_000) throws -> CLI.Result {
        try CLI.run("/bin/sh", ["-c", "ulimit -v \(memoryKiB) && exec /usr/bin/timeout -k 5 \(seconds) \"$@\"", "sh", CLI.binary] + args,
                    stdin: stdin, cwd: cwd)
    }

    /// Every line of standard error is one `…: error:`/`…: warning:` message without control characters.
    static func expectOneLineMessages(_ r: CLI.Result, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status != 124, "timed out", sourceLocation: sourceLocation)
        #expect([0, 1, 2].contains(r.status), "exit \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        for line in r.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            #expect(line.contains("error: ") || line.contains("warning: ") || line.contains("fixed "), "\(line)", sourceLocation: sourceLocation)
            #expect(!line.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "control character in \(line.debugDescription)", sourceLocation: sourceLocation)
        }
        #expect(!r.stderr.contains("Fatal error"), sourceLocation: sourceLocation)
    }

    static func dir(_ files: [String: String]) throws -> URL {
        let d = try CLI.tempDirectory()
        for (name, text) in files { try CLI.write(text, to: d.appendingPathComponent(name)) }
        return d
    }

    static func mkfifo(_ url: URL) throws {
        let r = try CLI.run("/usr/bin/mkfifo", [url.path])
        #expect(r.status == 0, "\(r.stderr)")
    }

    // MARK: Special files

    @Test func aNamedPipeAsConfigurationIsRefusedNotWaitedOn() throws {
        let d = try Self.dir(["Dockerfile": "FROM alpine:3.20\n"])
        try Self.mkfifo(d.appendingPathComponent(".dockerlint.yaml"))
        let r = try Self.run(["Dockerfile"], cwd: d.path, seconds: 30)
        #expect(r.status == 2, "\(r.status) \(r.stderr)")
        #expect(r.stderr == ".dockerlint.yaml: error: not a regular file (a named pipe); only regular files are read\n")
        Self.expectOneLineMessages(r)
    }

    @Test func aNamedPipeAsDockerfileIsRefused() throws {
        let d = try Self.dir([:])
        try Self.mkfifo(d.appendingPathComponent("Dockerfile"))
        for args in [["Dockerfile"], ["parse", "Dockerfile"], ["fix", "Dockerfile"]] {
            let r = try Self.run(args, cwd: d.path, seconds: 30)
            #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
            #expect(r.stderr == "Dockerfile: error: not a regular file (a named pipe); only regular files are read\n", "\(args)")
        }
        // Standard input stays readable whatever it is.
        let stdin = try Self.run(["-", "--no-fail"], cwd: d.path, stdin: "FROM alpine:3.20\n", seconds: 30)
        #expect(stdin.status == 0, "\(stdin.stderr)")
        // A directory walk does not pick the pipe up.
        let walk = try Self.run(["."], cwd: d.path, seconds: 30)
        #expect(walk.status == 0 && walk.stderr.isEmpty, "\(walk.status) \(walk.stderr)")
    }

    @Test func aNamedPipeAsIgnoreFileIsRefusedAndOneInTheContextIsNeverOpened() throws {
        let d = try Self.dir(["Dockerfile": "FROM alpine:3.20\nCOPY . /app\nRUN true\n", "a.txt": "a\n"])
        try Self.mkfifo(d.appendingPathComponent(".dockerignore"))
        let r = try Self.run(["simulate", "Dockerfile", "--context", ".", "--changed", "a.txt"], cwd: d.path, seconds: 30)
        #expect(r.status == 2, "\(r.status) \(r.stderr)")
        #expect(r.stderr == ".dockerignore: error: not a regular file (a named pipe); an ignore file must be one\n")
        // A pipe elsewhere in the context is sent as what it is, never read (as the builders do).
        try FileManager.default.removeItem(at: d.appendingPathComponent(".dockerignore"))
        try Self.mkfifo(d.appendingPathComponent("queue"))
        let ok = try Self.run(["simulate", "Dockerfile", "--context", ".", "--changed", "a.txt"], cwd: d.path, seconds: 30)
        #expect(ok.status == 0, "\(ok.status) \(ok.stderr)")
        let lint = try Self.run(["Dockerfile", "--no-fail"], cwd: d.path, seconds: 30)
        #expect(lint.status == 0, "\(lint.status) \(lint.stderr)")
    }

    // MARK: Sizes

    /// `n` ENV lines, each a new variable.
    static func envFile(_ n: Int) -> String {
        "FROM alpine:3.20\n" + (0..<n).map { "ENV VAR_\($0)=value_\($0)\n" }.joined() + "RUN echo $VAR_0\n"
    }

    @Test func parseJSONWritesEachEnvironmentOnce() throws {
        let d = try Self.dir(["small": Self.envFile(200), "large": Self.envFile(2000)])
        let small = try Self.run(["parse", "small"], cwd: d.path)
        let large = try Self.run(["parse", "large"], cwd: d.path)
        #expect(small.status == 0 && large.status == 0)
        // Ten times the lines, about ten times the output (writing every instruction's whole
        // environment made it a hundred times: 374 MB for 2,000 lines).
        let ratio = Double(large.stdout.utf8.count) / Double(small.stdout.utf8.count)
        #expect(ratio < 12, "output grew \(ratio)× for 10× the lines")
        // The scopes still say what each instruction sees: rebuild the RUN's.
        let json = try JSONSerialization.jsonObject(with: Data(large.stdout.utf8)) as! [String: Any]
        let scopes = json["scopes"] as! [[String: Any]]
        func variables(_ ref: Any?) -> [String: String] {
            guard let r = ref as? [String: Any] else { return [:] }
            let s = scopes[r["scope"] as! Int]
            var out = variables(s["base"])
            for v in (s["definitions"] as! [[String: Any]]).prefix(r["length"] as! Int) {
                out[v["name"] as! String] = v["value"] as? String
            }
            return out
        }
        let instructions = (json["stages"] as! [[String: Any]])[0]["instructions"] as! [[String: Any]]
        let run = variables(instructions.last!["scope"])
        #expect(run.count == 2001)  // PATH and 2,000 ENV
        #expect(run["VAR_1999"] == "value_1999")
        let first = variables(instructions.first!["scope"])
        #expect(first.keys.sorted() == ["PATH"])
        #expect(variables(instructions[1]["scope"])["VAR_0"] == "value_0" && variables(instructions[1]["scope"])["VAR_1"] == nil)
    }

    @Test func lintOfThousandsOfEnvLinesIsLinear() throws {
        let d = try Self.dir(["Dockerfile": Self.envFile(5000)])
        // The quadratic model took 2.9 s and 1.4 GB for this in a release build; 2 GB of
        // address space and a minute in a debug build leave room only for linear work.
        let r = try Self.run(["Dockerfile", "--no-fail"], cwd: d.path, seconds: 60, memoryKiB: 2_000_000)
        #expect(r.status == 0, "\(r.status) \(r.stderr)")
    }

    @Test func aHugeConfigurationIsRefusedWithItsSize() throws {
        let codes = (0..<200_000).map { "  - XX\($0)\n" }.joined()
        let d = try Self.dir(["Dockerfile": "FROM alpine:3.20\n", ".dockerlint.yaml": "ignored:\n" + codes])
        let r = try Self.run(["Dockerfile"], cwd: d.path)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix(".dockerlint.yaml: error: the configuration is 2.4 MiB, more than the limit of 1.0 MiB"), "\(r.stderr)")
        Self.expectOneLineMessages(r)
    }

    @Test func unknownRuleCodesInTheConfigurationArePositionedWithTheNearestCode() throws {
        let d = try Self.dir(["Dockerfile": "FROM alpine:3.20\n",
                              ".dockerlint.yaml": "ignored: [DL3008, DL3999]\noverride:\n  error:\n    - JSONArgsRecomended\n"])
        let r = try Self.run(["Dockerfile"], cwd: d.path)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains(".dockerlint.yaml:1:19: warning: unknown rule 'DL3999' is ignored (did you mean 'DL3059'?)")
                || lines.contains { $0.hasPrefix(".dockerlint.yaml:1:19: warning: unknown rule 'DL3999' is ignored (did you mean 'DL3") }, "\(lines)")
        #expect(lines.contains(".dockerlint.yaml:4:7: warning: unknown rule 'JSONArgsRecomended' is ignored (did you mean 'JSONArgsRecommended'?)"), "\(lines)")
        #expect(!lines.contains { $0.contains("'DL3008'") })
        // Thousands of them: twenty lines and a count, not thousands of lines.
        let many = (0..<5000).map { "  - ZZ\($0)\n" }.joined()
        try CLI.write("ignored:\n" + many, to: d.appendingPathComponent(".dockerlint.yaml"))
        let m = try Self.run(["Dockerfile"], cwd: d.path)
        let mlines = m.stderr.split(separator: "\n")
        #expect(mlines.count == 21, "\(mlines.count)")
        #expect(mlines.last == ".dockerlint.yaml: warning: 4980 more unknown rules not listed")
        Self.expectOneLineMessages(m)
    }

    @Test func controlCharactersInTheConfigurationGiveOnePrintableLineAtTheirPosition() throws {
        let d = try Self.dir(["Dockerfile": "FROM alpine:3.20\n"])
        let bytes: [UInt8] = Array("no-fail: true\nignored: [\u{0}DL3008, \u{FF}]\n".utf8).map { $0 == 0xC3 ? 0xFF : $0 }
        try Data(bytes).write(to: d.appendingPathComponent(".dockerlint.yaml"))
        let r = try Self.run(["Dockerfile"], cwd: d.path)
        #expect(r.status == 2)
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr.debugDescription)")
        #expect(r.stderr.hasPrefix(".dockerlint.yaml:2:11: error: invalid YAML: control characters are not allowed"), "\(r.stderr.debugDescription)")
        Self.expectOneLineMessages(r)
    }

    @Test func anExpansionErrorQuotesAtMostALine() throws {
        let long = (0..<2000).map { "part\($0) \\\n" }.joined()
        let d = try Self.dir(["Dockerfile": "FROM alpine:3.20\nENV A=\"${B \\\n\(long)end\"\n"])
        let r = try Self.run(["Dockerfile", "-f", "gnu"], cwd: d.path)
        #expect(r.status == 1, "\(r.status) \(r.stderr)")
        let line = r.stdout.split(separator: "\n").first { $0.contains("failed to process") }
        #expect(line != nil, "\(r.stdout.prefix(500))")
        if let line {
            #expect(line.unicodeScalars.count < 400, "\(line.unicodeScalars.count) characters")
            #expect(line.contains("…") && line.contains("in substitution") && line.hasSuffix("[DF001]"), "\(line)")
        }
        let p = try Self.run(["parse", "Dockerfile"], cwd: d.path)
        #expect(p.stderr.split(separator: "\n").allSatisfy { $0.unicodeScalars.count < 400 })
    }

    // MARK: .dockerignore

    /// A context of `files` files in `dirs` folders, with `ignore` as its `.dockerignore`.
    static func context(files: Int, dirs: Int, ignore: String) throws -> URL {
        let d = try Self.dir(["Dockerfile": "FROM alpine:3.20\nCOPY . /app\nRUN true\n", ".dockerignore": ignore])
        for k in 0..<dirs { try FileManager.default.createDirectory(at: d.appendingPathComponent("d\(k)"), withIntermediateDirectories: true) }
        for i in 0..<files { FileManager.default.createFile(atPath: d.appendingPathComponent("d\(i % dirs)/f\(i).txt").path, contents: Data("\(i)\n".utf8)) }
        return d
    }

    @Test func aPatternOfThousandsOfStarsMatchesInLinearTime() throws {
        let d = try Self.context(files: 2000, dirs: 20, ignore: String(repeating: "*", count: 5000) + "b\n")
        // The backtracking matcher needed 25 s for 20,000 files in a release build.
        let r = try Self.run(["simulate", "Dockerfile", "--context", ".", "--changed", "d0/f0.txt"], cwd: d.path, seconds: 60)
        #expect(r.status == 0, "\(r.status) \(r.stderr)")
        // d0/f0.txt does not end in b: not ignored, so the COPY re-runs.
        #expect(r.stdout.contains("d0/f0.txt changed"), "\(r.stdout)")
    }

    @Test func thousandsOfPatternsOverThousandsOfFiles() throws {
        let patterns = (0..<2000).map { $0 % 2 == 0 ? "d\($0 % 20)/f\($0 * 7)*.txt\n" : "other\($0)/**\n" }.joined() + "!d1/f1.txt\n"
        let d = try Self.context(files: 4000, dirs: 20, ignore: patterns)
        let r = try Self.run(["simulate", "Dockerfile", "--context", ".", "--changed", "d1/f1.txt", "--format", "json"], cwd: d.path, seconds: 60)
        #expect(r.status == 0, "\(r.status) \(r.stderr)")
    }

    @Test func aMalformedPatternIsNamedWithItsPosition() throws {
        let d = try Self.dir(["Dockerfile": "FROM alpine:3.20\nCOPY . /app\n", ".dockerignore": "src/[a\n", "a": ""])
        let r = try Self.run(["simulate", "Dockerfile", "--context", ".", "--changed", "a"], cwd: d.path)
        #expect(r.status == 2)
        #expect(r.stderr == ".dockerignore:1:1: error: bad pattern \"src/[a\": unterminated character class\n", "\(r.stderr)")
        try CLI.write("# comment\n\nsrc/**\nsrc\\\n", to: d.appendingPathComponent(".dockerignore"))
        let t = try Self.run(["simulate", "Dockerfile", "--context", ".", "--changed", "a"], cwd: d.path)
        #expect(t.stderr == ".dockerignore:4:1: error: bad pattern \"src\\\": trailing backslash\n", "\(t.stderr)")
    }

    // MARK: fix and links

    static let fixable = "FROM alpine:3.20\nRUN apk add curl\n"

    static func fixedText() throws -> String {
        let d = try Self.dir(["Dockerfile": fixable])
        _ = try Self.run(["fix", "Dockerfile"], cwd: d.path)
        return try String(contentsOf: d.appendingPathComponent("Dockerfile"), encoding: .utf8)
    }

    @Test func fixThroughASymlinkFixesTheTargetAndKeepsTheLink() throws {
        let expected = try Self.fixedText()
        #expect(expected != Self.fixable)
        let d = try Self.dir(["real/Dockerfile": Self.fixable])
        try FileManager.default.createSymbolicLink(atPath: d.appendingPathComponent("Dockerfile").path, withDestinationPath: "real/Dockerfile")
        let r = try Self.run(["fix", "Dockerfile"], cwd: d.path)
        #expect(r.status == 0, "\(r.stderr)")
        let attrs = try FileManager.default.attributesOfItem(atPath: d.appendingPathComponent("Dockerfile").path)
        #expect(attrs[.type] as? FileAttributeType == .typeSymbolicLink)
        #expect(try String(contentsOf: d.appendingPathComponent("real/Dockerfile"), encoding: .utf8) == expected)
        #expect(try FileManager.default.contentsOfDirectory(atPath: d.appendingPathComponent("real").path) == ["Dockerfile"])
    }

    @Test func fixOfAFileWithTwoHardLinksKeepsThemOneFile() throws {
        let expected = try Self.fixedText()
        let d = try Self.dir(["Dockerfile": Self.fixable])
        try FileManager.default.linkItem(atPath: d.appendingPathComponent("Dockerfile").path, toPath: d.appendingPathComponent("Other.Dockerfile").path)
        let r = try Self.run(["fix", "Dockerfile"], cwd: d.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOf: d.appendingPathComponent("Other.Dockerfile"), encoding: .utf8) == expected)
        let a = try FileManager.default.attributesOfItem(atPath: d.appendingPathComponent("Dockerfile").path)
        let b = try FileManager.default.attributesOfItem(atPath: d.appendingPathComponent("Other.Dockerfile").path)
        #expect(a[.systemFileNumber] as? Int == b[.systemFileNumber] as? Int)
    }

    @Test func fixWritesANewFileWithTheOldModeAndLeavesNothingBehind() throws {
        let expected = try Self.fixedText()
        let d = try Self.dir(["Dockerfile": Self.fixable])
        let path = d.appendingPathComponent("Dockerfile").path
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        let before = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
        // A link planted where the old fixed temporary name was must not be written through.
        let victim = d.appendingPathComponent("victim")
        try CLI.write("untouched\n", to: victim)
        for pid in 1...64 {
            try? FileManager.default.createSymbolicLink(atPath: path + ".dockerlint-tmp-\(pid)", withDestinationPath: victim.path)
        }
        let r = try Self.run(["fix", "Dockerfile"], cwd: d.path)
        #expect(r.status == 0, "\(r.stderr)")
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == expected)
        #expect((attrs[.posixPermissions] as? Int) == 0o640)
        #expect(attrs[.systemFileNumber] as? Int != before)  // a new file renamed over the old one
        #expect(try String(contentsOf: victim, encoding: .utf8) == "untouched\n")
        let left = try FileManager.default.contentsOfDirectory(atPath: d.path).filter { $0.contains("dockerlint-") && !$0.contains("tmp-") }
        #expect(left.isEmpty, "\(left)")
    }
}

/// Generated worst cases for every other input the tool reads: contexts (deep, long names,
/// unreadable folders, link loops, links out of the context), git histories (huge and binary
/// files), plan and cost files, and Dockerfiles of random bytes.
@Suite struct HostileInputGenerated {
    typealias H = HostileInput

    @Test func contextsWithDeepTreesLongNamesLinkLoopsAndUnreadableFolders() throws {
        let d = try H.dir(["Dockerfile": "FROM alpine:3.20\nCOPY . /app\nRUN true\n", "a.txt": "a\n"])
        // 200 levels deep.
        var deep = d
        for i in 0..<200 { deep = deep.appendingPathComponent("d\(i % 10)") }
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        try CLI.write("x\n", to: deep.appendingPathComponent("leaf.txt"))
        // Names of 255 bytes, including non-ASCII and newline characters.
        try CLI.write("y\n", to: d.appendingPathComponent(String(repeating: "n", count: 255)))
        try CLI.write("z\n", to: d.appendingPathComponent("é\u{1}\nname"))
        // A symlink loop and links that point outside the context.
        try FileManager.default.createSymbolicLink(atPath: d.appendingPathComponent("loop1").path, withDestinationPath: "loop2")
        try FileManager.default.createSymbolicLink(atPath: d.appendingPathComponent("loop2").path, withDestinationPath: "loop1")
        try FileManager.default.createSymbolicLink(atPath: d.appendingPathComponent("etc").path, withDestinationPath: "/etc")
        try FileManager.default.createSymbolicLink(atPath: d.appendingPathComponent("up").path, withDestinationPath: "../../..")
        try FileManager.default.createSymbolicLink(atPath: d.appendingPathComponent("self").path, withDestinationPath: ".")
        // A folder nobody may read (root reads it anyway; then it is simply read).
        let locked = d.appendingPathComponent("locked")
        try CLI.write("secret\n", to: locked.appendingPathComponent("s.txt"))
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: locked.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked.path) }
        for args in [["simulate", "Dockerfile", "--context", ".", "--changed", "a.txt"],
                     ["simulate", "Dockerfile", "--context", ".", "--changed", "loop1", "--format", "json"],
                     ["Dockerfile", "--no-fail"]] {
            let r = try H.run(args, cwd: d.path, seconds: 120)
            H.expectOneLineMessages(r)
            #expect(r.status == 0 || (r.status == 2 && r.stderr.split(separator: "\n").count == 1), "\(args): \(r.status) \(r.stderr)")
        }
    }

    @Test func gitHistoriesWithHugeAndBinaryFiles() throws {
        let d = try H.dir(["Dockerfile": "FROM alpine:3.20\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . /app\n",
                           "requirements.txt": "flask\n"])
        func git(_ args: [String]) throws {
            let r = try CLI.run("/usr/bin/env", ["git", "-c", "user.email=t@t.invalid", "-c", "user.name=t"] + args, cwd: d.path)
            #expect(r.status == 0, "git \(args): \(r.stderr)")
        }
        try git(["init", "-q"])
        try git(["add", "-A"])
        try git(["commit", "-qm", "one"])
        // 20 MB of zeros and random-looking binary bytes, then a commit that changes both.
        FileManager.default.createFile(atPath: d.appendingPathComponent("big.bin").path, contents: Data(count: 20 << 20))
        var bytes = [UInt8](repeating: 0, count: 1 << 20)
        var x: UInt32 = 7
        for i in bytes.indices { x = x &* 1103515245 &+ 12345; bytes[i] = UInt8(truncatingIfNeeded: x >> 16) }
        FileManager.default.createFile(atPath: d.appendingPathComponent("noise.bin").path, contents: Data(bytes))
        try git(["add", "-A"])
        try git(["commit", "-qm", "binary"])
        try CLI.write("flask\nrequests\n", to: d.appendingPathComponent("requirements.txt"))
        try git(["commit", "-qam", "deps"])
        let r = try H.run(["simulate", "Dockerfile", "--context", ".", "--git", "HEAD~2..HEAD"], cwd: d.path, seconds: 120)
        H.expectOneLineMessages(r)
        #expect(r.status == 0, "\(r.stderr)")
        let lint = try HostileInput.run(["Dockerfile", "--no-fail", "--history", "5"], cwd: d.path, seconds: 120)
        H.expectOneLineMessages(lint)
        #expect(lint.status == 0, "\(lint.stderr)")
    }

    @Test func aShallowCloneSaysHistoryIsUnavailableAndHowToGetIt() throws {
        let src = try H.dir(["Dockerfile": "FROM python:3.10.5\nCOPY app.py /app.py\nRUN pip install flask\nCMD [\"python\",\"app.py\"]\n",
                             "app.py": "print(1)\n"])
        func git(_ args: [String], in dir: URL) throws {
            let r = try CLI.run("/usr/bin/env", ["git", "-c", "user.email=t@t.invalid", "-c", "user.name=t"] + args, cwd: dir.path)
            #expect(r.status == 0, "git \(args): \(r.stderr)")
        }
        try git(["init", "-q"], in: src)
        try git(["add", "-A"], in: src)
        try git(["commit", "-qm", "one"], in: src)
        for i in 2...4 {
            try CLI.write("print(\(i))\n", to: src.appendingPathComponent("app.py"))
            try git(["commit", "-qam", "edit \(i)"], in: src)
        }
        let clone = try CLI.tempDirectory().appendingPathComponent("clone")
        try git(["clone", "-q", "--depth", "1", "file://" + src.path, clone.path], in: src)
        let r = try CLI.run("/usr/bin/env", ["CI=1", CLI.binary, "Dockerfile", "--no-fail", "-f", "json"], cwd: clone.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr == "dockerlint: warning: history unavailable: the repository is a shallow clone (1 commit of history), so cache "
                + "findings are estimated from edits; fetch the history they replay (`fetch-depth: 0` on actions/checkout, `GIT_DEPTH: 0` on GitLab, "
                + "or `git fetch --unshallow`)\n", "\(r.stderr)")
        // The full clone replays its history and has no such line.
        let full = try CLI.run("/usr/bin/env", ["CI=1", CLI.binary, "Dockerfile", "--no-fail"], cwd: src.path)
        #expect(!full.stderr.contains("history unavailable"), "\(full.stderr)")
    }

    @Test func planAndCostFilesOfGarbage() throws {
        let d = try H.dir(["Dockerfile": "FROM alpine:3.20\nRUN true\n", "ctx/a": "a\n"])
        let garbage: [String] = ["builds: [", "builds:\n  - context: \u{0}\n", "\u{FEFF}builds: 7", "- - - -\n" + String(repeating: "[", count: 5000),
                                 "builds:\n" + String(repeating: "  - context: ctx\n", count: 3000).prefix(40_000) + "  - {context: nowhere}\n",
                                 "a: &a [*a]\n"]
        for (i, text) in garbage.enumerated() {
            try CLI.write(text, to: d.appendingPathComponent("plan\(i).yaml"))
            let r = try H.run(["simulate", "Dockerfile", "--plan", "plan\(i).yaml"], cwd: d.path, seconds: 120)
            H.expectOneLineMessages(r)
            #expect(r.status == 2, "plan \(i): \(r.status) \(r.stderr)")
        }
        let costs: [String] = ["{", "[]", "{\"steps\": " + String(repeating: "[", count: 100_000), "\u{0}\u{1}", "{\"steps\": {\"x\": \"NaN\"}}"]
        for (i, text) in costs.enumerated() {
            try CLI.write(text, to: d.appendingPathComponent("costs\(i).json"))
            let r = try H.run(["simulate", "Dockerfile", "--context", "ctx", "--changed", "a", "--costs", "costs\(i).json"], cwd: d.path, seconds: 60)
            H.expectOneLineMessages(r)
            #expect(r.status == 2, "costs \(i): \(r.status) \(r.stderr)")
        }
    }

    @Test func dockerfilesOfRandomBytesAndDegenerateShapes() throws {
        var x: UInt64 = 19
        func next() -> UInt8 { x = x &* 6364136223846793005 &+ 1442695040888963407; return UInt8(truncatingIfNeeded: x >> 56) }
        var cases: [[UInt8]] = []
        for n in [1, 10, 1000, 100_000] { cases.append((0..<n).map { _ in next() }) }
        cases.append(Array(("FROM a\nRUN " + String(repeating: "\\\n", count: 20_000) + "x\n").utf8))
        cases.append(Array(("FROM a\nRUN <<EOF\n" + String(repeating: "line\n", count: 50_000)).utf8))
        cases.append(Array(("FROM a\nENV A=" + String(repeating: "$A", count: 20_000) + "\n").utf8))
        cases.append(Array(("FROM a\n" + String(repeating: "ARG X=${X:-${X:-${X}}}\n", count: 2000)).utf8))
        cases.append(Array(("FROM a\nRUN " + String(repeating: "(", count: 5000) + String(repeating: ")", count: 5000) + "\n").utf8))
        cases.append(Array(("FROM a\nRUN " + String(repeating: "$(", count: 3000) + "\n").utf8))
        cases.append(Array(String(repeating: "FROM a AS s\nCOPY --from=s / /\n", count: 1000).utf8))
        let d = try H.dir([:])
        for (i, bytes) in cases.enumerated() {
            let path = d.appendingPathComponent("Dockerfile\(i)")
            FileManager.default.createFile(atPath: path.path, contents: Data(bytes))
            for args in [["Dockerfile\(i)", "--no-fail"], ["parse", "Dockerfile\(i)"]] {
                let r = try H.run(args, cwd: d.path, seconds: 120)
                H.expectOneLineMessages(r)
            }
        }
    }
}
