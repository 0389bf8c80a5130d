import DockerlintCore
import DockerlintModel
@testable import DockerlintRules
import Foundation
import Testing

/// One small project per failure class of the cache rules seen on real repositories
/// (Fixtures/cache/<class>/: a Dockerfile, its build context, and expect.txt).
///
/// expect.txt lines: `DC1001 4` (a finding on line 4), `DC1001 4 fix` (with a fix),
/// `!DC1001 4` (no finding on line 4), `fix-contains TEXT` (the fixed file contains TEXT),
/// `fix-line TEXT` (a line of the fixed file is exactly TEXT), `DC1001 4 unsafe-fix` (with a fix marked unsafe),
/// `DC1001 4 no-fix` (a finding without a fix), `\n` in a `fix-contains` TEXT (a line break: lines in that order),
/// `unsafe-fix-line TEXT`, `unsafe-fix-contains TEXT` (the same, with unsafe fixes applied too),
/// `message-contains TEXT`, `!message-contains TEXT` (no message contains TEXT), `alone-fix-contains TEXT` (one safe fix
/// applied alone gives a file containing TEXT: for fixes that overlap, alternatives `--fix` takes in turn). The fixture is copied to a fresh folder (`dot-git` becomes `.git`)
/// and linted with that folder as the context, every DC rule enabled.
@Suite struct CacheFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/cache")
    static var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func everyClassHasAFixture() {
        #expect(Self.names.count >= 15)
    }

    @Test(arguments: CacheFixtures.names)
    func fixture(_ name: String) throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-fixture-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent(name), to: tmp)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let dotGit = tmp.appendingPathComponent("dot-git")
        if FileManager.default.fileExists(atPath: dotGit.path) {
            try FileManager.default.moveItem(at: dotGit, to: tmp.appendingPathComponent(".git"))
        }
        let expect = try String(contentsOf: tmp.appendingPathComponent("expect.txt"), encoding: .utf8)
        try FileManager.default.removeItem(at: tmp.appendingPathComponent("expect.txt"))
        let path = tmp.appendingPathComponent("Dockerfile").path
        let bytes = Array(try String(contentsOfFile: path, encoding: .utf8).utf8)
        let rules = RuleSet(catalog: builtinRuleCatalog, types: builtinRuleTypes)
        let out = Linter(rules: rules).lint(Linter.Input(path: path, bytes: bytes, configuration: Configuration(), contextDirectory: tmp.path))
        let dc = out.diagnostics.filter { $0.code.hasPrefix("DC") }
        let summary = dc.map { "\($0.code) \($0.range.start.line): \($0.message)" }.joined(separator: "\n")
        let safeFixes = dc.compactMap(\.fix).filter { $0.applicability == .safe }
        let fixed = String(decoding: FixApplier.apply(safeFixes.flatMap(\.edits), to: bytes), as: UTF8.self)
        let fixedAll = String(decoding: FixApplier.apply(dc.compactMap(\.fix).flatMap(\.edits), to: bytes), as: UTF8.self)
        for raw in expect.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let words = line.split(separator: " ").map(String.init)
            switch words[0] {
            case "fix-contains":
                let text = String(line.dropFirst("fix-contains ".count)).replacingOccurrences(of: "\\n", with: "\n")
                #expect(fixed.contains(text), "\(name): fixed file lacks `\(text)`:\n\(fixed)\n\(summary)")
            case "alone-fix-contains":
                let text = String(line.dropFirst("alone-fix-contains ".count)).replacingOccurrences(of: "\\n", with: "\n")
                #expect(safeFixes.contains { String(decoding: FixApplier.apply($0.edits, to: bytes), as: UTF8.self).contains(text) },
                        "\(name): no safe fix alone gives `\(text)`:\n\(summary)")
            case "fix-line":
                let text = String(line.dropFirst("fix-line ".count))
                #expect(fixed.split(separator: "\n", omittingEmptySubsequences: false).contains { $0 == text }, "\(name): fixed file lacks the line `\(text)`:\n\(fixed)\n\(summary)")
            case "unsafe-fix-contains":
                let text = String(line.dropFirst("unsafe-fix-contains ".count)).replacingOccurrences(of: "\\n", with: "\n")
                #expect(fixedAll.contains(text), "\(name): file with every fix applied lacks `\(text)`:\n\(fixedAll)\n\(summary)")
            case "unsafe-fix-line":
                let text = String(line.dropFirst("unsafe-fix-line ".count))
                #expect(fixedAll.split(separator: "\n", omittingEmptySubsequences: false).contains { $0 == text }, "\(name): file with every fix applied lacks the line `\(text)`:\n\(fixedAll)\n\(summary)")
            case "message-contains":
                let text = String(line.dropFirst("message-contains ".count))
                #expect(dc.contains { $0.message.contains(text) }, "\(name): no message with `\(text)`:\n\(summary)")
            case "!message-contains":
                let text = String(line.dropFirst("!message-contains ".count))
                #expect(!dc.contains { $0.message.contains(text) }, "\(name): a message with `\(text)`:\n\(summary)")
            default:
                let negative = words[0].hasPrefix("!")
                let code = negative ? String(words[0].dropFirst()) : words[0]
                let at = Int(words[1])!
                let hits = dc.filter { $0.code == code && $0.range.start.line == at }
                if negative {
                    #expect(hits.isEmpty, "\(name): unexpected \(code) on line \(at):\n\(summary)")
                } else {
                    #expect(!hits.isEmpty, "\(name): expected \(code) on line \(at):\n\(summary)")
                    if words.count > 2, words[2] == "unsafe-fix" { #expect(hits.contains { $0.fix?.applicability == .unsafe }, "\(name): \(code) on line \(at) has no unsafe fix:\n\(summary)") }
                    if words.count > 2, words[2] == "no-fix" { #expect(hits.allSatisfy { $0.fix == nil }, "\(name): \(code) on line \(at) has a fix:\n\(summary)") }
                    if words.count > 2, words[2] == "fix" { #expect(hits.contains { $0.fix?.applicability == .safe }, "\(name): \(code) on line \(at) has no safe fix:\n\(summary)") }
                }
            }
        }
    }
}
