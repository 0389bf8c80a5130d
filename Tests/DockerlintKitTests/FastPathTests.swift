import DockerlintCore
import DockerlintKit
import Foundation
import Testing

/// The lint fast path (no ArgumentParser) must behave exactly like the full parser.
@Suite struct LintFastPath {
    static let argumentLists: [[String]] = [
        [],
        ["lint"],
        ["--no-fail"],
        ["-t", "error"], ["-terror"], ["--failure-threshold=warning"],
        ["--ignore", "DL3006", "--ignore=DL4000"],
        ["--warning", "DL4000", "-t", "error"],
        ["-f", "gnu"], ["-f", "json", "-f", "gnu"], ["--format=checkstyle"],
        ["--strict-labels", "--require-label", "version:semver"],
        ["--disable-ignore-pragma"],
        ["--builder", "classic"],
        ["--", "-"],
    ]

    @Test(arguments: argumentLists)
    func sameOutputAndStatus(_ extra: [String]) throws {
        let dir = try CLI.tempDirectory()
        let f = dir.appendingPathComponent("Dockerfile")
        try CLI.write("FROM alpine\n# dockerlint ignore=DL3006\nFROM ubuntu\nMAINTAINER x\nLABEL version=abc\n", to: f)
        let args = extra.contains("--") ? extra.filter { $0 != "-" } + [f.path] : extra + [f.path]
        let fast = try CLI.run(args)
        let full = try CLI.run(args, environment: ["DOCKERLINT_ARGUMENT_PARSER": "1"])
        #expect(fast.status == full.status, "\(args)")
        #expect(fast.stdout == full.stdout, "\(args)")
        #expect(fast.stderr == full.stderr, "\(args)")
    }

    @Test func unknownThingsFallBackToTheFullParser() {
        #expect(LintArguments.fastPath(["--help"]) == nil)
        #expect(LintArguments.fastPath(["--version"]) == nil)
        #expect(LintArguments.fastPath(["parse", "x"]) == nil)
        #expect(LintArguments.fastPath(["-t", "loud", "x"]) == nil)
        #expect(LintArguments.fastPath(["--bogus", "x"]) == nil)
        #expect(LintArguments.fastPath(["-f"]) == nil)
        #expect(LintArguments.fastPath(["Dockerfile", "-f", "json"])?.formats == ["json"])
    }

    /// The full parser gives the reader's errors, one line each, exit 2.
    @Test(arguments: [
        (["--bogus", "x"], "dockerlint: error: unknown option '--bogus'\n"),
        (["-t", "loud", "x"], "dockerlint: error: --failure-threshold: 'loud' is not one of error, warning, info, style, ignore, none\n"),
        (["x", "--history"], "dockerlint: error: missing value for '--history'\n"),
        (["--builder", "kaniko", "x"], nil),
        (["--no-fail=yes", "x"], "dockerlint: error: '--no-fail' takes no value\n"),
    ])
    func mistakesAreOneLineErrors(_ args: [String], _ expected: String?) throws {
        for env in [[:], ["DOCKERLINT_ARGUMENT_PARSER": "1"]] {
            let r = try CLI.run(args, environment: env)
            #expect(r.status == 2, "\(args)")
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            if let expected { #expect(r.stderr == expected) } else { #expect(r.stderr.hasPrefix("dockerlint: error: --builder: ")) }
        }
    }

    /// Every setting of the table is read the same from the configuration file, the
    /// environment and the command line.
    @Test func everySettingReachesTheConfigurationFromEachSource() throws {
        for setting in LintSettings.all where setting.shape != .structured {
            let sample: (yaml: String, env: String, cli: String?)
            switch setting.shape {
            case .flag: sample = ("true", "1", nil)
            case .list: sample = ("[DL3006]", "DL3006", "DL3006")
            default:
                switch setting.key ?? setting.option ?? "" {
                case "failure-threshold": sample = ("error", "error", "error")
                case "builder": sample = ("classic", "classic", "classic")
                case "engine": sample = ("docker-26", "docker-26", nil)
                case "ci-cache": sample = ("registry-max", "registry-max", nil)
                case "history": sample = ("7", "7", "7")
                case "min-saving": sample = ("30", "30", "30")
                case "evidence": sample = ("false", "false", "false")
                case "context": sample = ("ctx", "ctx", nil)
                default: sample = ("json", "json", "json")
                }
            }
            var fromFile = Configuration(), issues: [ConfigIssue] = []
            if let key = setting.key {
                ConfigurationLoader.parse("\(key): \(sample.yaml)\n", file: "c.yaml", into: &fromFile, issues: &issues)
                #expect(issues.isEmpty, "\(key): \(issues)")
                #expect(fromFile != Configuration() || key == "verbose", "\(key) changed nothing")
            }
            if let env = setting.environment.first {
                var fromEnv = Configuration()
                ConfigurationLoader.applyEnvironment([env: sample.env], into: &fromEnv, issues: &issues)
                #expect(issues.isEmpty, "\(env): \(issues)")
                if setting.key != nil { #expect(fromEnv == fromFile, "\(env)") } else { #expect(fromEnv != Configuration(), "\(env)") }
            }
            if let option = setting.option {
                let args = [option] + (sample.cli.map { [$0] } ?? []) + ["Dockerfile"]
                let o = try #require(try LintArguments.read(args), "\(args)")
                var fromCLI = Configuration()
                for s in o.settings { try LintSettings.named(option: s.option)!.apply(s.input, to: &fromCLI) }
                if setting.key != nil { #expect(fromCLI == fromFile, "\(option)") } else { #expect(fromCLI != Configuration(), "\(option)") }
            }
        }
    }

    /// `lint --help` lists every option of both tables.
    @Test func helpListsEveryOption() throws {
        let r = try CLI.run(["lint", "--help"])
        #expect(r.status == 0)
        for option in LintSettings.all.compactMap(\.option) + LintArguments.commandOptions.map(\.option) {
            #expect(r.stdout.contains(option), "\(option)")
        }
    }

    @Test func outputsPairWithTheFormatBeforeThem() {
        let o = LintArguments.fastPath(["-f", "tty", "-f", "sarif", "-o", "a.sarif", "-f", "json", "-o", "a.json", "x"])
        #expect(o?.formats == ["tty", "sarif", "json"])
        #expect(o?.outputs == ["", "a.sarif", "a.json"])
        let first = LintArguments.fastPath(["-o", "out.txt", "-f", "gnu", "x"])
        #expect(first?.formats == ["gnu"] && first?.outputs == ["out.txt"])
    }
}
