import DockerlintCore
import DockerlintModel
@testable import DockerlintRules
import Foundation
import Testing

/// BuildKit's check directive and semantics of the BuildKit checks beyond the YAML examples.
@Suite struct BuildKitChecks {
    static func lint(_ text: String, config: String = "") -> [Diagnostic] {
        var configuration = Configuration()
        var issues: [ConfigIssue] = []
        if !config.isEmpty { ConfigurationLoader.parse(config, file: "t.yaml", into: &configuration, issues: &issues) }
        let out = Linter(rules: BuiltinRules.ruleSet).lint(Linter.Input(path: "Dockerfile", bytes: Array(text.utf8), configuration: configuration))
        return out.diagnostics
    }

    static func names(_ d: [Diagnostic]) -> [String] { d.map(\.name) }

    static let mixed = """
        FROM alpine:3.20 AS Build
        CMD echo hi

        """

    @Test func allChecksRunByDefault() {
        let n = Self.names(Self.lint(Self.mixed))
        #expect(n.contains("StageNameCasing"))
        #expect(n.contains("JSONArgsRecommended"))
    }

    @Test func skipByNameAndCode() {
        let n = Self.names(Self.lint("# check=skip=StageNameCasing,DL3025\n" + Self.mixed))
        #expect(!n.contains("StageNameCasing"))
        #expect(!n.contains("JSONArgsRecommended"))
        let aliases = Self.names(Self.lint("# check=skip=stage-name-casing\n" + Self.mixed))
        #expect(!aliases.contains("StageNameCasing") && aliases.contains("JSONArgsRecommended"))
    }

    @Test func skipAll() {
        let d = Self.lint("# check=skip=all\n" + Self.mixed)
        let bk = d.filter { BuiltinRules.ruleSet.rule(named: $0.code)?.category == "buildkit" }
        #expect(bk.count == 0)
    }

    @Test func errorTrueRaisesBuildKitFindingsToErrors() {
        let plain = Self.lint(Self.mixed).filter { $0.name == "StageNameCasing" }
        #expect(plain.map(\.severity) == [.warning])
        let d = Self.lint("# check=error=true\n" + Self.mixed)
        let bk = d.filter { BuiltinRules.ruleSet.rule(named: $0.code)?.category == "buildkit" }
        #expect(!bk.isEmpty)
        #expect(bk.allSatisfy { $0.severity == .error })
        let combined = Self.lint("# check=skip=DL3025;error=true\n" + Self.mixed)
        #expect(!Self.names(combined).contains("JSONArgsRecommended"))
        #expect(combined.filter { $0.name == "StageNameCasing" }.map(\.severity) == [.error])
    }

    static let described = """
        # compile it
        FROM golang:1.22 AS build

        """

    @Test func experimentalRuleRunsOnlyWhenEnabled() {
        #expect(!Self.names(Self.lint(Self.described)).contains("InvalidDefinitionDescription"))
        let on = Self.lint("# check=experimental=InvalidDefinitionDescription\n\n" + Self.described)
        #expect(Self.names(on).contains("InvalidDefinitionDescription"))
        let all = Self.lint("# check=experimental=all\n\n" + Self.described)
        #expect(Self.names(all).contains("InvalidDefinitionDescription"))
        let configured = Self.lint(Self.described, config: "override:\n  warning: [BK1012]\n")
        #expect(Self.names(configured).contains("InvalidDefinitionDescription"))
    }

    @Test func perInstructionCheckSkip() {
        let text = """
            FROM alpine:3.20
            # check=skip=JSONArgsRecommended
            CMD echo one
            ENTRYPOINT echo two

            """
        let d = Self.lint(text).filter { $0.name == "JSONArgsRecommended" }
        #expect(d.map(\.range.start.line) == [4])
    }

    @Test func unknownRuleInCheckDirectiveIsReported() {
        let d = Self.lint("# check=skip=NoSuchRule\nFROM alpine:3.20\n")
        #expect(d.contains { $0.code == "DF002" })
    }

    // MARK: - Semantics

    @Test func casingTieGoesToUpperCase() {
        let d = Self.lint("FROM alpine:3.20\nrun true\n").filter { $0.name == "ConsistentInstructionCasing" }
        #expect(d.map(\.message) == ["Command 'run' should match the case of the command majority (uppercase)"])
    }

    @Test func stageNameFixLeavesImageLikeFromAlone() throws {
        // `FROM Build` is an image reference for BuildKit, not the stage: lower-casing it
        // would change what is built.
        let text = "FROM alpine:3.20 AS Build\nFROM Build:1 AS next\nCOPY --from=Build /a /a\n"
        let d = Self.lint(text).filter { $0.name == "StageNameCasing" }
        let fix = try #require(d.first?.fix)
        let after = String(decoding: FixApplier.apply(fix.edits, to: Array(text.utf8)), as: UTF8.self)
        #expect(after == "FROM alpine:3.20 AS build\nFROM Build:1 AS next\nCOPY --from=build /a /a\n")
    }

    @Test func legacyValueWithQuotesAndSpacesGetsNoFix() {
        let d = Self.lint("FROM alpine:3.20\nENV A \"b c\" d\n").filter { $0.name == "LegacyKeyValueFormat" }
        #expect(d.count == 1 && d[0].fix == nil)
    }

    @Test func undefinedVarSuggestionAndImageVariables() {
        let text = """
            FROM node:22
            ARG BUILD_MODE=prod
            ENV MODE=$BUILD_MOD NODE=$NODE_VERSION lower=$lower_case

            """
        let d = Self.lint(text).filter { $0.name == "UndefinedVar" }.map(\.message)
        #expect(d == ["Usage of undefined variable '$BUILD_MOD' (did you mean $BUILD_MODE?)", "Usage of undefined variable '$lower_case'"])
    }

    @Test func multipleInstructionsNamesTheLaterKeyword() {
        let d = Self.lint("FROM alpine:3.20\nCMD [\"a\"]\ncmd [\"b\"]\n").filter { $0.name == "MultipleInstructionsDisallowed" }
        #expect(d.map(\.message) == ["Multiple cmd instructions should not be used in the same stage because only the last one will be used"])
        #expect(d.map(\.range.start.line) == [2])
    }

    @Test(arguments: [
        ("alpine", true), ("alpine:3.20", true), ("docker.io/library/alpine:3.20", true), ("localhost:5000/a/b:c", true),
        ("alpine@sha256:" + String(repeating: "a", count: 64), true), ("registry.example.com/Team/app", false),
        ("", false), ("busybox:", false), ("Alpine", false), ("a b", false), (":tag", false),
        (String(repeating: "a", count: 64), false), ("ghcr.io/org/app:v1.2.3-rc.1", true), ("my_app__x", true),
    ])
    func imageReferences(_ c: (String, Bool)) {
        #expect(BuildKitSupport.isValidImageReference(c.0) == c.1, "\(c.0)")
    }

    @Test(arguments: [
        ("GITHUB_TOKEN", true), ("api_key", true), ("DATABASE_PASSWORD", true), ("AUTH", true), ("secret_MESSAGE", true),
        ("AWS_ACCESS_KEY_ID", true), ("PUBLIC_KEY", false), ("PASSWORD_FILE", false), ("TOKENIZER", false),
        ("KEYCLOAK_URL", false), ("NODE_VERSION", false), ("GPG_KEY_VERSION", false), ("passwd", true),
    ])
    func secretNames(_ c: (String, Bool)) {
        #expect(SecretsUsedInArgOrEnvRule.looksSecret(c.0) == c.1, "\(c.0)")
    }

    @Test func platforms() {
        #expect(BuildKitSupport.parsePlatform("linux/amd64")?.arch == "amd64")
        #expect(BuildKitSupport.parsePlatform("linux/x86_64")?.arch == "amd64")
        #expect(BuildKitSupport.parsePlatform("linux/arm64/v8")?.os == "linux")
        #expect(BuildKitSupport.parsePlatform("arm64")?.os == "linux")
        #expect(BuildKitSupport.parsePlatform("linux/") == nil)
        #expect(BuildKitSupport.parsePlatform("nonsense") == nil)
    }

    @Test func suggestMirrorsBuildKit() {
        #expect(Suggest.search("VERSOIN", ["VERSION", "OTHER"], caseSensitive: true) == "VERSION")
        #expect(Suggest.search("VERSION", ["VERSION"], caseSensitive: true) == nil)
        #expect(Suggest.search("abc", ["xyz"], caseSensitive: true) == nil)
        #expect(Suggest.search("version", ["VERSION"], caseSensitive: true) == nil)
    }

    @Test func everyBuildKitCheckIsCatalogued() {
        let names = ["StageNameCasing", "FromAsCasing", "NoEmptyContinuation", "ConsistentInstructionCasing", "DuplicateStageName",
                     "ReservedStageName", "JSONArgsRecommended", "MaintainerDeprecated", "UndefinedArgInFrom", "WorkdirRelativePath",
                     "UndefinedVar", "MultipleInstructionsDisallowed", "LegacyKeyValueFormat", "InvalidBaseImagePlatform",
                     "RedundantTargetPlatform", "SecretsUsedInArgOrEnv", "InvalidDefaultArgInFrom", "FromPlatformFlagConstDisallowed",
                     "CopyIgnoredFile", "InvalidDefinitionDescription", "ExposeProtoCasing", "ExposeInvalidFormat"]
        for n in names {
            let r = BuiltinRules.ruleSet.rule(named: n)
            #expect(r?.category == "buildkit", "\(n)")
            #expect(BuiltinRules.types.contains { $0.code == r?.code }, "\(n) has no Swift rule")
        }
        #expect(builtinRuleCatalog.filter { $0.category == "buildkit" }.count == names.count)
    }
}
