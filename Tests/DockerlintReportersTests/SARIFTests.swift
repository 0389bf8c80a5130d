import DockerlintCore
import Foundation
import Testing

@testable import DockerlintReporters

@Suite struct SARIFTests {
    func validate(_ output: String) throws -> (ok: Bool, errors: String) {
        guard let schema = Paths.sarifSchema else {
            Issue.record("SARIF schema not found: set DOCKERLINT_SARIF_SCHEMA or provide shared/schemas/")
            return (false, "")
        }
        return try Python.validate(output, schemaPath: schema)
    }

    @Test(.enabled(if: Paths.sarifSchema != nil, "the official SARIF 2.1.0 schema: ../shared/schemas (third-party data, not in the repository) or DOCKERLINT_SARIF_SCHEMA"))
    func validatesAgainstOfficialSchema() throws {
        let inputs = [
            Fixture.input(), Fixture.input(diagnostics: []),
            Fixture.input(diagnostics: [], files: []),
            // Absolute path, malformed (reversed) range, non-semver version, no rules.
            ReportInput(diagnostics: [Diagnostic(file: "/abs/Docker file", code: "X1", name: "", severity: .error,
                                                 message: "m", range: Fixture.range(3, 5, 2, 1))],
                        toolVersion: "dev"),
        ]
        for input in inputs {
            let result = try validate(SARIFReporter().report(input))
            #expect(result.ok, "SARIF schema: \(result.errors)")
        }
    }

    @Test(.enabled(if: Paths.sarifSchema != nil, "the official SARIF 2.1.0 schema: ../shared/schemas (third-party data, not in the repository) or DOCKERLINT_SARIF_SCHEMA"))
    func officialSchemaRejectsInvalidSARIF() throws {
        var output = SARIFReporter().report(Fixture.input())
        output = output.replacingOccurrences(of: "\"level\": \"note\"", with: "\"level\": \"info\"")
        let result = try validate(output)
        #expect(!result.ok)
    }

    @Test func structure() throws {
        let doc = try parseJSON(SARIFReporter().report(Fixture.input())) as! [String: Any]
        #expect(doc["version"] as? String == "2.1.0")
        let run = (doc["runs"] as! [[String: Any]])[0]
        #expect(run["columnKind"] as? String == "unicodeCodePoints")
        let driver = (run["tool"] as! [String: Any])["driver"] as! [String: Any]
        #expect(driver["name"] as? String == "dockerlint")
        #expect(driver["version"] as? String == "1.2.0")
        #expect(driver["semanticVersion"] as? String == "1.2.0")
        #expect(driver["informationUri"] as? String == "https://github.com/dockerlint/dockerlint")
        let rules = driver["rules"] as! [[String: Any]]
        // All known rules plus the two codes without a descriptor, sorted.
        #expect(rules.map { $0["id"] as! String } == ["DL1000", "DL3000", "DL3006", "DL3008", "DL3025", "DL3059", "DL4006"])
        let dl3025 = rules[4]
        #expect(dl3025["name"] as? String == "JSONArgsRecommended")
        #expect((dl3025["shortDescription"] as! [String: Any])["text"] as? String == "Use JSON notation for CMD and ENTRYPOINT")
        #expect(dl3025["helpUri"] as? String == "https://docs.dockerlint.dev/rules/DL3025")
        let help = dl3025["help"] as! [String: String]
        #expect(help["markdown"]!.contains("[Documentation for DL3025](<https://docs.dockerlint.dev/rules/DL3025>)"))
        #expect((dl3025["defaultConfiguration"] as! [String: Any])["level"] as? String == "warning")
        #expect(((dl3025["properties"] as! [String: Any])["tags"] as? [String]) == ["maintainability"])
        #expect((rules[1]["defaultConfiguration"] as! [String: Any])["level"] as? String == "error")

        let results = run["results"] as! [[String: Any]]
        #expect(results.map { $0["level"] as! String } == ["error", "warning", "note", "warning", "warning", "note"])
        for result in results {
            let index = result["ruleIndex"] as! Int
            #expect(rules[index]["id"] as? String == result["ruleId"] as? String)
        }
        let location = ((results[4]["locations"] as! [[String: Any]])[0]["physicalLocation"]) as! [String: Any]
        let artifact = location["artifactLocation"] as! [String: Any]
        #expect(artifact["uri"] as? String == "sub%20dir/Dockerfile.prod")
        #expect(artifact["uriBaseId"] as? String == "%SRCROOT%")
        let artifacts = run["artifacts"] as! [[String: Any]]
        #expect((artifacts[artifact["index"] as! Int]["location"] as! [String: Any])["uri"] as? String
            == "sub%20dir/Dockerfile.prod")
        #expect(artifacts.count == 3)  // the clean file is listed too
        let region = location["region"] as! [String: Int]
        #expect(region == ["startLine": 1, "startColumn": 6, "endLine": 1, "endColumn": 12])
        #expect((results[0]["message"] as! [String: String])["text"]
            == "Pin versions: 100% of packages\nunpinned: <curl> & \"wget\" 'x'")

        let fix = (results[3]["fixes"] as! [[String: Any]])[0]
        #expect((fix["description"] as! [String: String])["text"] == "Convert to JSON form")
        let change = (fix["artifactChanges"] as! [[String: Any]])[0]
        let replacement = (change["replacements"] as! [[String: Any]])[0]
        #expect(replacement["deletedRegion"] as? [String: Int]
            == ["startLine": 4, "startColumn": 5, "endLine": 4, "endColumn": 19])
        #expect((replacement["insertedContent"] as! [String: String])["text"] == "[\"node\", \"server.js\"]")
        #expect(results[0]["fixes"] == nil)
        // Related locations: each with an id, the file, its region and what it is.
        let related = results[0]["relatedLocations"] as! [[String: Any]]
        #expect(related.map { $0["id"] as! Int } == [0, 1])
        #expect(related.map { ($0["message"] as! [String: String])["text"]! } == ["`curl` has no version", "`wget` has no version"])
        let second = related[1]["physicalLocation"] as! [String: Any]
        #expect((second["artifactLocation"] as! [String: Any])["uri"] as? String == "Dockerfile")
        #expect((second["region"] as! [String: Any])["startLine"] as? Int == 3)
        #expect(results[1]["relatedLocations"] == nil)
        let fingerprints = results.map { ($0["partialFingerprints"] as! [String: String])["dockerlint/v1"]! }
        #expect(Set(fingerprints).count == results.count)
    }

    /// A cache finding's evidence (what its quoted re-runs replayed and assumed) goes into the
    /// result's property bag as the object lint's JSON gives, next to the style severity; the
    /// document stays valid SARIF and the JSON valid against our schema.
    @Test(.enabled(if: Paths.sarifSchema != nil, "the official SARIF 2.1.0 schema: ../shared/schemas (third-party data, not in the repository) or DOCKERLINT_SARIF_SCHEMA"))
    func evidenceInThePropertyBag() throws {
        var e = EvidenceReplay(source: .history, commits: 100, range: "HEAD~100..HEAD",
                               perBuildArgs: [.init(name: "GIT_SHA", origin: .ci, reason: ".github/workflows/docker.yml:9 passes a per-build value")],
                               churn: [".git/HEAD"], ignoreFile: ".dockerignore", builder: "buildkit", engine: "docker-20.10",
                               ciCache: "local", step: "RUN cargo build --release", reruns: 89, rerunsWithFix: 12)
        e.stepBuilds = 78
        e.ignoreAppended = ["Dockerfile"]
        var diagnostics = Fixture.diagnostics
        diagnostics[0].evidence = e  // DL3059, style
        diagnostics[2].evidence = e  // DL4006, warning
        diagnostics[2].evidence?.rerunsWithFix = nil
        let input = Fixture.input(diagnostics: diagnostics)
        let sarif = SARIFReporter().report(input)
        let valid = try validate(sarif)
        #expect(valid.ok, "SARIF schema: \(valid.errors)")
        let json = JSONReporter().report(input)
        let validJSON = try Python.validate(json, schemaPath: Paths.lintOutputSchema)
        #expect(validJSON.ok, "lint schema: \(validJSON.errors)")

        let results = ((try parseJSON(sarif) as! [String: Any])["runs"] as! [[String: Any]])[0]["results"] as! [[String: Any]]
        let lint = (try parseJSON(json) as! [String: Any])["diagnostics"] as! [[String: Any]]
        for code in ["DL3059", "DL4006"] {
            let properties = try #require(results.first { $0["ruleId"] as? String == code }?["properties"] as? [String: Any])
            let evidence = try #require(properties["evidence"] as? NSDictionary, "\(properties)")
            let expected = try #require(lint.first { $0["code"] as? String == code }?["evidence"] as? NSDictionary)
            #expect(evidence.isEqual(expected), "\(code): \(evidence) against lint's JSON \(expected)")
            #expect(evidence["reruns"] as? Int == 89 && evidence["stepBuilds"] as? Int == 78 && evidence["range"] as? String == "HEAD~100..HEAD")
        }
        let style = try #require(results.first { $0["ruleId"] as? String == "DL3059" }?["properties"] as? [String: Any])
        #expect(style["severity"] as? String == "style")
        let warning = try #require(results.first { $0["ruleId"] as? String == "DL4006" }?["properties"] as? [String: Any])
        #expect(warning["severity"] == nil && (warning["evidence"] as? [String: Any])?["rerunsWithFix"] == nil)
        // Findings without evidence carry no bag (or only the style severity).
        #expect(results.first { $0["ruleId"] as? String == "DL3025" }?["properties"] == nil)
    }

    @Test func absolutePathsAreFileURIs() throws {
        let input = ReportInput(diagnostics: [Diagnostic(file: "/abs/Docker file", code: "X1", name: "",
                                                         severity: .error, message: "m",
                                                         range: Fixture.range(1, 1, 1, 2))],
                                toolVersion: "dev")
        let output = SARIFReporter().report(input)
        #expect(output.contains("\"uri\": \"file:///abs/Docker%20file\""))
        #expect(!output.contains("semanticVersion"))
    }
}
