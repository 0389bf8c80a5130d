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
        #expect(FastLintArguments.parse(["--help"]) == nil)
        #expect(FastLintArguments.parse(["--version"]) == nil)
        #expect(FastLintArguments.parse(["parse", "x"]) == nil)
        #expect(FastLintArguments.parse(["-t", "loud", "x"]) == nil)
        #expect(FastLintArguments.parse(["--bogus", "x"]) == nil)
        #expect(FastLintArguments.parse(["-f"]) == nil)
        #expect(FastLintArguments.parse(["Dockerfile", "-f", "json"])?.formats == ["json"])
    }

    @Test func outputsPairWithTheFormatBeforeThem() {
        let o = FastLintArguments.parse(["-f", "tty", "-f", "sarif", "-o", "a.sarif", "-f", "json", "-o", "a.json", "x"])
        #expect(o?.formats == ["tty", "sarif", "json"])
        #expect(o?.outputs == ["", "a.sarif", "a.json"])
        let first = FastLintArguments.parse(["-o", "out.txt", "-f", "gnu", "x"])
        #expect(first?.formats == ["gnu"] && first?.outputs == ["out.txt"])
    }
}
