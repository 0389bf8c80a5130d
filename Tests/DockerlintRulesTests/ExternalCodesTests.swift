import DockerlintCore
import DockerlintModel
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

    @Test func forbiddenOnbuildTriggersAreDL3043WhileEnabledElseSyntaxErrors() {
        let text = "FROM alpine:3.20\nONBUILD ONBUILD RUN x\nONBUILD FROM debian:12\nonbuild maintainer me\nCMD a\nCMD b\n"
        let on = lint(text)
        #expect(on.filter { $0.code == "DL3043" }.map(\.range.start.line) == [2, 3, 4])
        #expect(on.contains { $0.code == "DL4003" }, "the rest of the file is still linted")
        #expect(!on.contains { $0.code == "DF001" })
        let off = lint(text, "override: {off: [OnbuildForbiddenTrigger]}")
        #expect(off.filter { $0.code == "DF001" }.map(\.message) == [
            "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
            "FROM isn't allowed as an ONBUILD trigger",
            "MAINTAINER isn't allowed as an ONBUILD trigger",
        ])
        #expect(!off.contains { $0.code == "DL3043" })
    }

    /// A rule that claims BuildKit's "no build stage" error under a code Core has never heard of.
    final class ClaimsNoStageRule: LintRule {
        static let code = "XT0001"
        required init() {}
    }

    /// Which rule reports a BuildKit error is what the rule declares (`build_errors:` in its
    /// YAML), not a table in the linter: any rule of the set can claim one.
    @Test func aRuleOwnsTheBuildErrorsItDeclares() {
        func set(claims: [String]) -> RuleSet {
            let info = RuleInfo(code: "XT0001", name: "ClaimsNoStage", aliases: [], severity: .warning, category: "test",
                                status: .stable, url: nil, buildErrors: claims)
            return RuleSet(infos: [info], types: [ClaimsNoStageRule.self], catalog: { [] })
        }
        func codes(_ rules: RuleSet) -> [String] {
            Linter(rules: rules).lint(Linter.Input(path: "Dockerfile", bytes: Array("RUN x\nFROM alpine\n".utf8),
                                                   configuration: Configuration())).diagnostics.map(\.code)
        }
        #expect(codes(set(claims: ["no build stage in current context"])) == [])
        #expect(codes(set(claims: [])) == ["DF001"])
        #expect(BuiltinRules.ruleSet.info(named: "DL3061")?.buildErrors == ["no build stage in current context"])
    }

    /// Every error message a rule declares is one the model really raises on the rule's own
    /// triggering examples (a renamed message would otherwise silently become DF001).
    @Test func declaredBuildErrorsAreRaisedByTheRulesExamples() {
        let owners = BuiltinRules.ruleSet.catalog.filter { !$0.buildErrors.isEmpty }
        #expect(owners.map(\.code) == ["DL3043", "DL3061"])
        for rule in owners {
            var raised = Set<String>()
            for e in rule.examples where !e.valid {
                let text = e.dockerfile.replacingOccurrences(of: String(RuleExample.marker), with: "")
                let model = DockerfileModel.parse(text)
                raised.formUnion(model.errors.map(\.message))
            }
            for m in rule.buildErrors { #expect(raised.contains(m), "\(rule.code): \(m)") }
        }
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
