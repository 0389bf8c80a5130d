import DockerlintCore
import DockerlintDevTools
import DockerlintRules
import Foundation
import Testing

/// Every example of every rule in rules/*.yaml, in its derived variants.
@Suite struct RuleExamples {
    @Test(arguments: RuleExampleCase.all.filter { $0.code != "SC0000" })
    func example(_ c: RuleExampleCase) throws {
        try check(c)
    }

    /// ShellCheck's examples run the real shellcheck program.
    @Test(.enabled(if: RuleHarness.shellcheckInstalled, "shellcheck on PATH (apt-get install shellcheck; scripts/test installs it)"),
          arguments: RuleExampleCase.all.filter { $0.code == "SC0000" })
    func shellCheckExample(_ c: RuleExampleCase) throws {
        try check(c)
    }

    func check(_ c: RuleExampleCase) throws {
        let marked = RuleHarness.transform(MarkedDockerfile(c.example.dockerfile), c.variant, code: c.code)
        let found = try RuleHarness.lint(marked.text, code: c.code, config: c.example.config, context: c.example.context)
        let positions = found.map { "\($0.range.start.line):\($0.range.start.column)" }
        if c.example.valid || c.variant == .ignorePragma {
            #expect(found.isEmpty, "\(c): expected no finding, got \(positions) \(found.map(\.message))\n\(marked.text)")
            return
        }
        let expected = marked.markers.map { "\($0.line):\($0.column)" }
        #expect(positions == expected, "\(c): findings at \(positions), markers at \(expected)\n\(found.map(\.message))\n\(marked.text)")
        if !c.example.messages.isEmpty && c.variant == .plain {
            #expect(found.map(\.message) == c.example.messages, "\(c)")
        }
        // A rule that declares no fix offers none.
        let declared = builtinRuleCatalog.first { $0.code == c.code }?.fix ?? .none
        if declared == .none {
            #expect(found.allSatisfy { $0.fix == nil }, "\(c): offers a fix but rules/\(c.code).yaml says `fix: none`")
        }
    }

    @Test(arguments: builtinRuleCatalog.flatMap { r in r.fixes.map { (r.code, $0) } })
    func fix(_ item: (String, RuleFixExample)) throws {
        let (code, f) = item
        let found = try RuleHarness.lint(f.before, code: code, config: f.config, context: f.context)
        let offered = found.compactMap(\.fix)
        // An example of a safe fix gets only safe fixes; one marked unsafe gets an unsafe one
        // (else it should not be marked so).
        if f.unsafe {
            #expect(offered.contains { $0.applicability == .unsafe }, "\(code): marked unsafe, but no unsafe fix offered for\n\(f.before)")
        } else {
            #expect(!offered.isEmpty && offered.allSatisfy { $0.applicability == .safe },
                    "\(code): expected safe fixes, got \(offered.map(\.applicability)) for\n\(f.before)")
        }
        var bytes = Array(f.before.utf8)
        // Apply repeatedly until nothing changes (fixes must converge).
        var converged = false
        for _ in 0..<5 {
            let again = try RuleHarness.lint(String(decoding: bytes, as: UTF8.self), code: code, config: f.config, context: f.context)
            let edits = again.compactMap(\.fix).filter { f.unsafe || $0.applicability == .safe }.flatMap(\.edits)
            if edits.isEmpty { converged = true; break }
            bytes = FixApplier.apply(edits, to: bytes)
        }
        #expect(converged, "\(code): fixes did not converge within 5 rounds")
        let after = String(decoding: bytes, as: UTF8.self)
        #expect(after == f.after, "\(code): fix gave\n\(after)\nexpected\n\(f.after)")
        #expect(try RuleHarness.lint(after, code: code, config: f.config, context: f.context).isEmpty, "\(code): rule still fires after the fix")
    }
}

/// The catalog itself.
@Suite struct RuleCatalog {
    static let rulesDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rules")

    static let root = rulesDir.deletingLastPathComponent()

    @Test func everyRuleFileLoads() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.rulesDir.path).filter { $0.hasSuffix(".yaml") }
        #expect(try GeneratedFiles.loadRules(root: Self.root).count == files.count)
    }

    /// The committed catalog and registry are exactly what `dockerlint-dev generate` writes
    /// from rules/*.yaml, byte for byte (`everyRuleFileLoads` fails when the YAML does not load).
    @Test(arguments: GeneratedFiles.render((try? GeneratedFiles.loadRules(root: root)) ?? []))
    func generatedFileIsUpToDate(_ file: GeneratedFiles.File) throws {
        let committed = try String(contentsOf: Self.root.appendingPathComponent(file.path), encoding: .utf8)
        #expect(committed == file.contents, "\(file.path) is out of date: run `swift run dockerlint-dev generate`")
    }

    /// Every rule's type lives in a file named after the rule, under Rules/<folder>/.
    @Test func ruleSourcesAreNamedAfterTheirRules() throws {
        let rulesSources = Self.root.appendingPathComponent("Sources/DockerlintRules/Rules")
        var files = Set<String>()
        for folder in try FileManager.default.contentsOfDirectory(atPath: rulesSources.path) {
            for f in try FileManager.default.contentsOfDirectory(atPath: rulesSources.appendingPathComponent(folder).path) { files.insert(f) }
        }
        let rules = try GeneratedFiles.loadRules(root: Self.root)
        for r in rules {
            #expect(files.contains(RegistryGenerator.fileName(r)), "\(r.code): no Rules/*/\(RegistryGenerator.fileName(r))")
        }
        #expect(files.count == rules.count, "rule sources without a rule: \(files.subtracting(rules.map(RegistryGenerator.fileName)).sorted())")
    }

    /// The lint-time table the binary starts from is the catalog's, in the catalog's
    /// order (RuleSet indexes both with the same positions).
    @Test func generatedInfosMatchTheCatalog() {
        #expect(builtinRuleInfos == builtinRuleCatalog.map(\.info))
        // The generated name table is the one the infos give.
        #expect(builtinRuleNames.map(\.0) == RuleSet.nameTable(builtinRuleInfos).map(\.0))
        #expect(builtinRuleNames.map(\.1) == RuleSet.nameTable(builtinRuleInfos).map(\.1))
        // Each rule type is the rule its position says (the run pairs them by position).
        for (k, type) in BuiltinRules.types.enumerated() { #expect(BuiltinRules.ruleSet.info(named: type.code) == builtinRuleInfos[k]) }
        #expect(builtinRuleCatalog.map(\.code) == builtinRuleCatalog.map(\.code).sorted())
        let set = BuiltinRules.ruleSet
        for r in builtinRuleCatalog {
            for n in r.allNames {
                #expect(set.rule(named: n.uppercased()) == r)
                #expect(set.info(named: n) == r.info)
            }
        }
    }

    @Test func yamlAndSwiftRulesMatchOneToOne() {
        let yaml = Set(builtinRuleCatalog.map(\.code))
        let swift = BuiltinRules.types.map { $0.code }
        #expect(Set(swift).count == swift.count, "a code is registered twice")
        #expect(Set(swift) == yaml, "YAML without Swift: \(yaml.subtracting(swift).sorted()); Swift without YAML: \(Set(swift).subtracting(yaml).sorted())")
    }

    @Test func namesAreUniqueAndDocsComplete() {
        var seen: [String: String] = [:]
        for r in builtinRuleCatalog {
            for n in r.allNames {
                #expect(seen[n.lowercased()] == nil, "\(n) names both \(seen[n.lowercased()] ?? "") and \(r.code)")
                seen[n.lowercased()] = r.code
            }
            #expect(!r.docs.what.isEmpty && !r.docs.why.isEmpty, "\(r.code) lacks docs")
            #expect(r.examples.contains { $0.valid }, "\(r.code) has no non-triggering example")
            #expect(r.examples.contains { !$0.valid }, "\(r.code) has no triggering example")
            // `fix:` is declared exactly when fix examples show it, and says how safe they are.
            #expect((r.fix != .none) == !r.fixes.isEmpty, "\(r.code): `fix: \(r.fix.rawValue)` with \(r.fixes.count) fix examples")
            if r.fix == .safe { #expect(r.fixes.contains { !$0.unsafe }, "\(r.code): `fix: safe` but every fix example is unsafe") }
            if r.fix == .unsafe { #expect(r.fixes.allSatisfy { $0.unsafe }, "\(r.code): `fix: unsafe` but a fix example is safe") }
        }
    }
}

extension GeneratedFiles.File: CustomTestStringConvertible {
    public var testDescription: String { path }
}
