import DockerlintCore
import Foundation
import Testing

@testable import DockerlintReporters

@Suite struct CodeQualityTests {
    static let categories: Set = ["Bug Risk", "Clarity", "Compatibility", "Complexity", "Duplication",
                                  "Performance", "Security", "Style"]
    static let severities: Set = ["info", "minor", "major", "critical", "blocker"]

    @Test func codeClimateIssues() throws {
        let issues = try parseJSON(CodeClimateReporter().report(Fixture.input())) as! [[String: Any]]
        #expect(issues.count == 6)
        for issue in issues {
            #expect(issue["type"] as? String == "issue")
            #expect(!(issue["check_name"] as! String).isEmpty)
            #expect(!(issue["description"] as! String).isEmpty)
            let categories = issue["categories"] as! [String]
            #expect(!categories.isEmpty && categories.allSatisfy(Self.categories.contains))
            #expect(Self.severities.contains(issue["severity"] as! String))
            let location = issue["location"] as! [String: Any]
            #expect(location["path"] is String)
            let positions = location["positions"] as! [String: [String: Int]]
            #expect(positions["begin"]!["line"]! >= 1 && positions["begin"]!["column"]! >= 1)
            #expect((issue["fingerprint"] as! String).count == 32)
        }
        #expect(issues.map { $0["severity"] as! String } == ["critical", "major", "info", "major", "major", "minor"])
        #expect(issues.map { ($0["categories"] as! [String])[0] }
            == ["Bug Risk", "Bug Risk", "Bug Risk", "Clarity", "Security", "Style"])
        #expect(Set(issues.map { $0["fingerprint"] as! String }).count == issues.count)
        let body = (issues[3]["content"] as! [String: String])["body"]!
        #expect(body.hasPrefix("Shell form runs the command"))
    }

    @Test func fingerprintsAreStableAcrossRuns() {
        #expect(CodeClimateReporter().report(Fixture.input()) == CodeClimateReporter().report(Fixture.input()))
        // Inserting a line above moves every finding in that file but keeps its fingerprint.
        let shifted = Fixture.diagnostics.map { d -> Diagnostic in
            guard d.file == "Dockerfile" else { return d }
            var d = d
            d.range.start.line += 1
            d.range.end.line += 1
            return d
        }
        var sources = Fixture.sources
        sources["Dockerfile"] = "# syntax=docker/dockerfile:1\n" + Fixture.dockerfile
        let a = Fingerprints.compute(Fixture.input())
        let b = Fingerprints.compute(Fixture.input(diagnostics: shifted, sources: sources))
        #expect(a == b)
    }

    @Test func gitlabRequiredFields() throws {
        let issues = try parseJSON(GitLabReporter().report(Fixture.input())) as! [[String: Any]]
        #expect(issues.count == 6)
        for issue in issues {
            #expect(!(issue["description"] as! String).isEmpty)
            #expect(!(issue["check_name"] as! String).isEmpty)
            #expect(!(issue["fingerprint"] as! String).isEmpty)
            #expect(Self.severities.contains(issue["severity"] as! String))
            let location = issue["location"] as! [String: Any]
            #expect(!(location["path"] as! String).isEmpty)
            let lines = location["lines"] as! [String: Int]
            #expect(lines["begin"]! >= 1 && lines["end"]! >= lines["begin"]!)
        }
        #expect(issues[0]["description"] as? String == "[DL3008] Pin versions: 100% of packages\nunpinned: <curl> & \"wget\" 'x'")
        #expect((issues[5]["location"] as! [String: Any])["path"] as? String == "sub dir/Dockerfile.prod")
        #expect(Set(issues.map { $0["fingerprint"] as! String }).count == issues.count)
    }

    @Test func cleanRunIsEmptyArray() {
        #expect(GitLabReporter().report(Fixture.input(diagnostics: [])) == "[]\n")
        #expect(CodeClimateReporter().report(Fixture.input(diagnostics: [])) == "[]\n")
    }

    @Test func relativePaths() {
        let d = Diagnostic(file: "./a/Dockerfile", code: "X", name: "", severity: .info, message: "m",
                           range: Fixture.range(1, 1, 1, 1))
        #expect(GitLabReporter().report(ReportInput(diagnostics: [d], toolVersion: "0")).contains("\"path\": \"a/Dockerfile\""))
    }

    @Test(arguments: [("Security", "Security"), ("performance", "Performance"), ("build-cache", "Performance"),
                      ("deprecated", "Compatibility"), ("style", "Style"), ("", "Bug Risk")])
    func categoryMapping(category: String, expected: String) {
        #expect(CodeClimateReporter.categories(ruleCategory: category, severity: .warning) == [expected])
    }
}
