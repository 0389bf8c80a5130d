#if canImport(FoundationXML)
import FoundationXML
#else
import Foundation
#endif
import DockerlintCore
import Testing

@testable import DockerlintReporters

/// A second, in-process XML parser (libxml2 through FoundationXML, or Foundation on
/// Darwin) for Checkstyle and JUnit, besides python3's xml.etree.
@Suite struct FoundationXMLTests {
    @Test func checkstyleWithXMLDocument() throws {
        let doc = try XMLDocument(xmlString: CheckstyleReporter().report(Fixture.input()))
        let root = try #require(doc.rootElement())
        #expect(root.name == "checkstyle")
        let files = root.elements(forName: "file")
        #expect(files.count == 3)
        let first = try #require(files.first?.elements(forName: "error").first)
        #expect(first.attribute(forName: "message")?.stringValue
            == "Pin versions: 100% of packages\nunpinned: <curl> & \"wget\" 'x' [DL3008 PinAptVersions]")
    }

    @Test func junitWithXMLDocument() throws {
        let doc = try XMLDocument(xmlString: JUnitReporter().report(Fixture.input()))
        let root = try #require(doc.rootElement())
        #expect(root.name == "testsuites")
        let suites = root.elements(forName: "testsuite")
        #expect(suites.map { $0.attribute(forName: "name")?.stringValue ?? "" }
            == ["Dockerfile", "clean/Dockerfile", "sub dir/Dockerfile.prod"])
        let cases = suites.flatMap { $0.elements(forName: "testcase") }
        #expect(cases.count == 7)
        #expect(cases.filter { !$0.elements(forName: "failure").isEmpty }.count == 6)
    }
}
