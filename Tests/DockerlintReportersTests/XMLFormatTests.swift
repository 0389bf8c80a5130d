import DockerlintCore
import Foundation
import Testing

@testable import DockerlintReporters

/// Checkstyle and JUnit, parsed back with python3's xml.etree (FoundationXML is not
/// always present on Linux).
@Suite struct XMLFormatTests {
    func children(_ e: [String: Any]) -> [[String: Any]] { e["children"] as! [[String: Any]] }
    func attrib(_ e: [String: Any]) -> [String: String] { e["attrib"] as! [String: String] }

    @Test func checkstyleParsesAndRoundTrips() throws {
        let root = try Python.parseXML(CheckstyleReporter().report(Fixture.input()))
        #expect(root["tag"] as? String == "checkstyle")
        let files = children(root)
        #expect(files.map { attrib($0)["name"]! } == ["Dockerfile", "clean/Dockerfile", "sub dir/Dockerfile.prod"])
        #expect(children(files[1]).isEmpty)
        let errors = children(files[0])
        #expect(errors.count == 4)
        let first = attrib(errors[0])
        #expect(first["message"] == "Pin versions: 100% of packages\nunpinned: <curl> & \"wget\" 'x' [DL3008 PinAptVersions]")
        #expect(first["line"] == "2" && first["column"] == "5" && first["severity"] == "error" && first["source"] == "DL3008")
        #expect(attrib(errors[2])["message"] == "Unicode ✓ naïve 日本語 — `$HOME` | pipe, a:b")
        #expect(attrib(errors[2])["severity"] == "info")
        #expect(attrib(children(files[2])[1])["severity"] == "info")  // style → info
    }

    @Test func checkstyleSurvivesHostileText() throws {
        let nasty = "]]><!-- \u{1}\u{1B}[31m &amp; \r\n\t</error>"
        let d = Diagnostic(file: "a\"b<c>.df", code: "X&1", name: "", severity: .error, message: nasty,
                           range: Fixture.range(1, 1, 1, 2))
        let input = ReportInput(diagnostics: [d], toolVersion: "0")
        let root = try Python.parseXML(CheckstyleReporter().report(input))
        let file = children(root)[0]
        #expect(attrib(file)["name"] == "a\"b<c>.df")
        #expect(attrib(children(file)[0])["message"] == "]]><!-- \u{FFFD}\u{FFFD}[31m &amp; \r\n\t</error>")
        let junit = try Python.parseXML(JUnitReporter().report(input))
        let failure = children(children(children(junit)[0])[0])[0]
        #expect(attrib(failure)["message"] == "]]><!-- \u{FFFD}\u{FFFD}[31m &amp; \r\n\t</error>")
        #expect((failure["text"] as! String).contains("]]><!-- \u{FFFD}\u{FFFD}[31m &amp; \r\n\t</error>"))
    }

    @Test func junitStructure() throws {
        let root = try Python.parseXML(JUnitReporter().report(Fixture.input()))
        #expect(root["tag"] as? String == "testsuites")
        #expect(attrib(root)["tests"] == "7" && attrib(root)["failures"] == "6" && attrib(root)["errors"] == "0")
        let suites = children(root)
        #expect(suites.map { attrib($0)["name"]! } == ["Dockerfile", "clean/Dockerfile", "sub dir/Dockerfile.prod"])
        #expect(suites.map { attrib($0)["tests"]! } == ["4", "1", "2"])
        #expect(suites.map { attrib($0)["failures"]! } == ["4", "0", "2"])
        // A clean file is one passing test case.
        let clean = children(suites[1])
        #expect(clean.count == 1 && children(clean[0]).isEmpty && clean[0]["tag"] as? String == "testcase")
        // A finding is a failing test case.
        let cases = children(suites[0])
        #expect(cases.allSatisfy { children($0).count == 1 && children($0)[0]["tag"] as? String == "failure" })
        #expect(attrib(cases[0])["name"] == "DL3008 PinAptVersions at 2:5")
        #expect(attrib(cases[0])["classname"] == "Dockerfile")
        let failure = children(cases[0])[0]
        #expect(attrib(failure)["type"] == "error")
        #expect(attrib(failure)["message"] == "Pin versions: 100% of packages\nunpinned: <curl> & \"wget\" 'x'")
        #expect(failure["text"] as? String
            == "Dockerfile:2:5: error: Pin versions: 100% of packages\nunpinned: <curl> & \"wget\" 'x' [DL3008 PinAptVersions]")
        #expect((children(cases[3])[0]["text"] as! String).hasSuffix("\nSee https://docs.dockerlint.dev/rules/DL3025"))
    }

    @Test func noTimestampsOrDurations() {
        let output = JUnitReporter().report(Fixture.input())
        #expect(!output.contains("timestamp") && !output.contains("time=") && !output.contains("hostname"))
    }
}
