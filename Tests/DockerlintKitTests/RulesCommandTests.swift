import Foundation
import Testing

@Suite struct RulesCommand {
    @Test func listsEveryRuleOfTheCatalog() throws {
        let r = try CLI.run(["rules", "-f", "json"])
        #expect(r.status == 0)
        let rules = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        let yaml = try FileManager.default.contentsOfDirectory(atPath: CLI.packageRoot.appendingPathComponent("rules").path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
        #expect(Set(rules.map { $0["code"] as! String }) == Set(yaml))
        let tty = try CLI.run(["rules"])
        #expect(tty.stdout.contains("DL3025  JSONArgsRecommended"))
        #expect(tty.stdout.hasSuffix("\(yaml.count) rules\n"))
    }

    @Test func explainByCodeNameOrAlias() throws {
        for name in ["DL3025", "JSONArgsRecommended", "json-args-recommended"] {
            let r = try CLI.run(["explain", name])
            #expect(r.status == 0)
            #expect(r.stdout.hasPrefix("DL3025 JSONArgsRecommended:"))
            #expect(r.stdout.contains("### What it does") && r.stdout.contains("### Why it matters"))
        }
        let bad = try CLI.run(["explain", "JSONArgsRecomended"])
        #expect(bad.status == 2)
        #expect(bad.stderr == "dockerlint: error: unknown rule 'JSONArgsRecomended' (did you mean JSONArgsRecommended?)\n")
    }
}
