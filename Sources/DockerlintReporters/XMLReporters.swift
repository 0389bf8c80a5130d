import DockerlintCore
import DockerlintSupport

/// Checkstyle XML, read by Jenkins (Warnings NG), reviewdog, SonarQube importers and
/// Danger: one `<file>` per checked file (empty when clean), an `<error>` per finding
/// with `severity` error/warning/info (style → info) and `source` = the code.
public struct CheckstyleReporter: Reporter {
    public init() {}
    public var identifier: String { "checkstyle" }
    public var description: String { "Checkstyle XML for Jenkins, reviewdog and other Checkstyle readers" }

    static func severity(_ s: Severity) -> String {
        switch s {
        case .error: "error"
        case .warning: "warning"
        case .info, .style, .off: "info"
        }
    }

    public func report(_ input: ReportInput) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n"
        let byFile = Dictionary(grouping: input.diagnostics, by: \.file)
        for file in input.allFiles {
            let findings = byFile[file] ?? []
            if findings.isEmpty {
                out += "  <file name=\"\(XML.attribute(file))\"/>\n"
                continue
            }
            out += "  <file name=\"\(XML.attribute(file))\">\n"
            for d in findings {
                let name = input.ruleName(for: d)
                let message = name.isEmpty ? d.message : "\(d.message) [\(d.code) \(name)]"
                out += "    <error line=\"\(d.range.start.line)\" column=\"\(d.range.start.column)\""
                    + " severity=\"\(Self.severity(d.severity))\" message=\"\(XML.attribute(message))\""
                    + " source=\"\(XML.attribute(d.code))\"/>\n"
            }
            out += "  </file>\n"
        }
        out += "</checkstyle>\n"
        return out
    }
}

/// JUnit XML for CI test-report views (GitLab `artifacts:reports:junit`, Jenkins, Azure
/// Pipelines, CircleCI): a `<testsuite>` per checked file, a failing `<testcase>` per
/// finding (`<failure type="<severity>">`), and one passing test case for a clean file so
/// the file still shows up. Every finding is a failure whatever the threshold; the
/// threshold decides the exit code, not this report. No timestamps or durations.
public struct JUnitReporter: Reporter {
    public init() {}
    public var identifier: String { "junit" }
    public var description: String { "JUnit XML: a test suite per file, a failing test case per finding" }

    public func report(_ input: ReportInput) -> String {
        let byFile = Dictionary(grouping: input.diagnostics, by: \.file)
        let files = input.allFiles
        let tool = input.options.toolName
        var suites = ""
        var totalTests = 0
        for file in files {
            let findings = byFile[file] ?? []
            let tests = max(1, findings.count)
            totalTests += tests
            suites += "  <testsuite name=\"\(XML.attribute(file))\" tests=\"\(tests)\" failures=\"\(findings.count)\""
                + " errors=\"0\" skipped=\"0\">\n"
            if findings.isEmpty {
                suites += "    <testcase name=\"\(XML.attribute(tool))\" classname=\"\(XML.attribute(file))\""
                    + " file=\"\(XML.attribute(file))\"/>\n"
            }
            for d in findings {
                let name = input.ruleName(for: d)
                let title = name.isEmpty ? d.code : "\(d.code) \(name)"
                let line = d.range.start.line, column = d.range.start.column
                var body = "\(d.file):\(line):\(column): \(d.severity.rawValue): \(d.message) [\(title)]"
                if let uri = input.helpURI(for: d) { body += "\nSee \(uri)" }
                suites += "    <testcase name=\"\(XML.attribute("\(title) at \(line):\(column)"))\""
                    + " classname=\"\(XML.attribute(file))\" file=\"\(XML.attribute(file))\" line=\"\(line)\">\n"
                suites += "      <failure message=\"\(XML.attribute(d.message))\" type=\"\(d.severity.rawValue)\">"
                    + XML.text(body) + "</failure>\n"
                suites += "    </testcase>\n"
            }
            suites += "  </testsuite>\n"
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<testsuites name=\"\(XML.attribute(tool))\" tests=\"\(totalTests)\""
            + " failures=\"\(input.diagnostics.count)\" errors=\"0\">\n"
            + suites + "</testsuites>\n"
    }
}
