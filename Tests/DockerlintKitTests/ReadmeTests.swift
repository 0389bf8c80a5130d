import Foundation
import Testing

/// The README quotes the reports' numbers instead of restating them: between
/// `<!-- quote reports/X.md -->` and `<!-- end quote -->` every line must be a line of that
/// report, so regenerating a report without the README (or the other way round) fails here.
@Suite struct ReadmeQuotes {
    struct Quote: CustomStringConvertible {
        var report: String
        var lines: [String]
        var description: String { report }
    }

    static func quotes() throws -> [Quote] {
        let text = try String(contentsOf: CLI.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var out: [Quote] = []
        var current: Quote?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("<!-- quote "), line.hasSuffix(" -->") {
                current = Quote(report: String(line.dropFirst("<!-- quote ".count).dropLast(" -->".count)), lines: [])
            } else if line == "<!-- end quote -->" {
                if let q = current { out.append(q) }
                current = nil
            } else if current != nil, !line.isEmpty {
                current!.lines.append(line)
            }
        }
        return out
    }

    @Test func everyQuotedLineIsInItsReport() throws {
        let quotes = try Self.quotes()
        #expect(Set(quotes.map(\.report)).isSuperset(of: ["reports/bench-lint.md", "reports/hadolint-agreement.md"]),
                "the README quotes the lint benchmark and the hadolint agreement")
        for q in quotes {
            let report = try String(contentsOf: CLI.packageRoot.appendingPathComponent(q.report), encoding: .utf8)
            let lines = Set(report.split(separator: "\n").map(String.init))
            #expect(!q.lines.isEmpty, "empty quote of \(q.report)")
            for l in q.lines {
                let quoted = lines.contains(l)
                #expect(quoted, "README quotes a line that \(q.report) does not have (regenerated?): \(l)")
            }
        }
    }
}
