import DockerlintCore
import Foundation
import Testing

@testable import DockerlintReporters

@Suite struct JSONFormatTests {
    @Test func validatesAgainstOurSchema() throws {
        for input in [Fixture.input(), Fixture.input(diagnostics: []), Fixture.input(threshold: .error)] {
            let output = JSONReporter().report(input)
            let result = try Python.validate(output, schemaPath: Paths.lintOutputSchema)
            #expect(result.ok, "lint-output schema: \(result.errors)")
        }
    }

    @Test func schemaRejectsWrongOutput() throws {
        // Guards against a validator that accepts anything.
        let bad = #"{"tool":"dockerlint","version":"1","formatVersion":1,"files":[],"diagnostics":[{"file":"x"}],"summary":{}}"#
        let result = try Python.validate(bad, schemaPath: Paths.lintOutputSchema)
        #expect(!result.ok)
    }

    @Test func contentRoundTrips() throws {
        let output = JSONReporter().report(Fixture.input())
        let doc = try parseJSON(output) as! [String: Any]
        #expect(doc["version"] as? String == "1.2.0")
        #expect(doc["files"] as? [String] == ["Dockerfile", "clean/Dockerfile", "sub dir/Dockerfile.prod"])
        let diagnostics = doc["diagnostics"] as! [[String: Any]]
        #expect(diagnostics.map { $0["code"] as! String } == ["DL3008", "DL4006", "DL1000", "DL3025", "DL3006", "DL3059"])
        #expect(diagnostics[0]["message"] as? String == "Pin versions: 100% of packages\nunpinned: <curl> & \"wget\" 'x'")
        #expect(diagnostics[2]["message"] as? String == "Unicode ✓ naïve 日本語 — `$HOME` | pipe, a:b")
        #expect(diagnostics[2]["name"] as? String == "")
        let fix = diagnostics[3]["fix"] as! [String: Any]
        #expect(fix["applicability"] as? String == "safe")
        let edit = (fix["edits"] as! [[String: Any]])[0]
        #expect(edit["replacement"] as? String == "[\"node\", \"server.js\"]")
        #expect(edit["line"] as? Int == 4 && edit["column"] as? Int == 5 && edit["endColumn"] as? Int == 19)
        #expect(diagnostics[4]["helpUri"] as? String == "https://docs.dockerlint.dev/rules/DL3006?x=(1)")
        #expect(diagnostics[0]["helpUri"] == nil)
        let related = diagnostics[0]["related"] as! [[String: Any]]
        #expect(related.map { $0["message"] as! String } == ["`curl` has no version", "`wget` has no version"])
        #expect(related[1]["line"] as? Int == 3 && related[1]["column"] as? Int == 40 && related[1]["endColumn"] as? Int == 44)
        #expect(diagnostics[1]["related"] == nil, "omitted when empty")
        let summary = doc["summary"] as! [String: Any]
        #expect(summary["problems"] as? Int == 6 && summary["failing"] as? Int == 5)
        #expect(summary["failed"] as? Bool == true)
    }

    @Test func keysAreSortedAtEveryLevel() {
        let output = JSONReporter().report(Fixture.input())
        #expect(output.hasPrefix("{\n  \"diagnostics\": [\n    {\n      \"code\": \"DL3008\",\n      \"column\": 5,"))
        #expect(output.hasSuffix("  \"tool\": \"dockerlint\",\n  \"version\": \"1.2.0\"\n}\n"))
    }

    @Test func cleanRunGolden() {
        let output = JSONReporter().report(Fixture.input(diagnostics: [], files: ["Dockerfile"]))
        #expect(output == """
            {
              "diagnostics": [],
              "files": [
                "Dockerfile"
              ],
              "formatVersion": 1,
              "summary": {
                "errors": 0,
                "failed": false,
                "failing": 0,
                "failureThreshold": "info",
                "files": 1,
                "filesWithProblems": 0,
                "info": 0,
                "problems": 0,
                "style": 0,
                "warnings": 0
              },
              "tool": "dockerlint",
              "version": "1.2.0"
            }

            """)
    }
}
