import DockerlintCore
import DockerlintRules
import Foundation
import Testing

/// Linter behaviour some rules rely on: a rule that owns a BuildKit error (DL3061), and
/// ShellCheck's external codes (run against the installed shellcheck program, no mocks).
@Suite struct ExternalCodes {
    func lint(_ text: String, _ config: String = "") -> [Diagnostic] {
        var c = Configuration()
        var issues: [ConfigIssue] = []
        if !config.isEmpty { ConfigurationLoader.parse(config, file: "t.yaml", into: &c, issues: &issues) }
        return Linter(rules: BuiltinRules.ruleSet).lint(Linter.Input(path: "Dockerfile", bytes: Array(text.utf8), configuration: c)).diagnostics
    }

    @Test func instructionBeforeFromIsDL3061WhileEnabledElseSyntaxError() {
        let text = "LABEL a=b\nFROM alpine:3.20\nCMD a\nCMD b\n"
        let on = lint(text)
        #expect(on.contains { $0.code == "DL3061" && $0.range.start.line == 1 })
        #expect(on.contains { $0.code == "DL4003" }, "the rest of the file is still linted")
        #expect(!on.contains { $0.code == "DF001" })
        let off = lint(text, "ignored: [DL3061]")
        #expect(off.map(\.code) == ["DF001"])
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/shellcheck"), "shellcheck (apt-get install shellcheck; scripts/test installs it)"))
    func shellcheckFindingsMapThroughContinuationsAndPragmas() throws {
        let text = """
        FROM debian:12
        ARG KNOWN=1
        RUN true && \\
        # a comment line inside the continuation
            echo $KNOWN $unset_a
        # dockerlint ignore=SC2154
        RUN echo "$unset_b"
        RUN echo "$unset_c"

        """
        let d = lint(text, "shellcheck: true")
        let sc = d.filter { $0.code.hasPrefix("SC") }.map { "\($0.code)@\($0.range.start.line):\($0.range.start.column)" }
        #expect(sc.contains("SC2154@5:17"), "\(sc)")
        #expect(sc.contains("SC2086@5:17"), "\(sc)")
        #expect(!sc.contains { $0.hasPrefix("SC2154@7") }, "ignore pragma: \(sc)")
        #expect(sc.contains("SC2154@8:11"), "\(sc)")
        #expect(!sc.contains { $0.contains("@5:10") && $0.hasPrefix("SC2154") }, "ARG is exported: \(sc)")
        let sev = d.first { $0.code == "SC2154" }?.severity
        #expect(sev == .warning)
        let overridden = lint(text, "{shellcheck: true, ignored: [SC2086], override: {error: [SC2154]}}")
        #expect(!overridden.contains { $0.code == "SC2086" })
        #expect(overridden.filter { $0.code == "SC2154" }.allSatisfy { $0.severity == .error })
        #expect(!lint(text, "{shellcheck: true, ignored: [ShellCheck]}").contains { $0.code.hasPrefix("SC") })
        #expect(!lint(text).contains { $0.code.hasPrefix("SC") }, "off by default")
    }
}
