import DockerlintCore
import Foundation
import Testing

@testable import DockerlintReporters

@Suite struct SupportTests {
    @Test func newlinesNormalise() {
        #expect(normaliseNewlines("a\r\nb\rc\n\r\n\r\r\nd") == "a\nb\nc\n\n\n\nd")
        #expect(normaliseNewlines("naïve\r") == "naïve\n")
        #expect(normaliseNewlines("plain\n") == "plain\n")
    }

    /// Lines as the parser numbers them: `\n` ends a line, a `\r` before it is dropped, a
    /// bare `\r` is text; a UTF-8 byte order mark is not part of line 1 (columns start after it).
    @Test func sourceLinesAreTheParsersLines() {
        let input = ReportInput(diagnostics: [], toolVersion: "0", source: { name in
            ["a": "a\nb\r\nc\rd\n", "b": "a\n\nb\n", "empty": "", "bom": "\u{FEFF}FROM a\nRUN b"][name]
        })
        let lines = SourceLines(input)
        #expect((1...4).map { lines.line($0, of: "a") } == ["a", "b", "c\rd", nil])
        #expect((1...4).map { lines.line($0, of: "b") } == ["a", "", "b", nil])
        #expect(lines.line(1, of: "empty") == nil)
        #expect(lines.line(1, of: "bom") == "FROM a")
        #expect(lines.line(2, of: "bom") == "RUN b")
        #expect(lines.line(1, of: "missing") == nil)
    }

    @Test func fingerprintsIgnoreLineNumbersAndIndentation() {
        let d = Diagnostic(file: "Dockerfile", code: "DL3025", name: "JSONArgsRecommended", severity: .warning,
                           message: "m", range: Fixture.range(2, 1, 2, 10))
        var moved = d
        moved.range = Fixture.range(4, 3, 4, 12)
        let before = fingerprints(["Dockerfile": "FROM a\nCMD x y\n"], [d])
        let after = fingerprints(["Dockerfile": "FROM a\n# new\n\n  CMD   x y\n"], [moved])
        #expect(before == after)
        #expect(before[0].count == 32 && before[0].allSatisfy(\.isHexDigit))
        let changed = fingerprints(["Dockerfile": "FROM a\nCMD x z\n"], [d])
        #expect(changed != before)
    }

    @Test func duplicateFindingsGetDistinctFingerprints() {
        let source = "FROM a\nRUN apt-get update\nRUN apt-get update\n"
        let ds = [2, 3].map {
            Diagnostic(file: "Dockerfile", code: "DL3009", name: "", severity: .info, message: "m",
                       range: Fixture.range($0, 1, $0, 19))
        }
        let prints = fingerprints(["Dockerfile": source], ds)
        #expect(prints.count == 2 && prints[0] != prints[1])
        // The first keeps its identity when the second goes away.
        #expect(fingerprints(["Dockerfile": source], [ds[0]]) == [prints[0]])
        // And fingerprints are unique across the fixture.
        let all = Fingerprints.compute(Fixture.input())
        #expect(Set(all).count == all.count)
    }

    /// Many findings over several files, interleaved, with repeats: the parallel paths
    /// (per-file fingerprints, chunked JSON) give exactly what the one-thread paths give.
    @Test func parallelReportsMatchTheSequentialOnes() {
        var sources: [String: String] = [:]
        var ds: [Diagnostic] = []
        for f in 0..<7 {
            let name = "dir \(f)/Dockerfile"
            sources[name] = (0..<40).map { "RUN  echo   \($0 % 5) \"x\"\t\\" }.joined(separator: "\n")
            for line in 1...40 {
                ds.append(Diagnostic(file: name, code: "DL\(3000 + line % 3)", name: "", severity: .warning,
                                     message: "m \(line % 4) \u{2028}", range: Fixture.range(line, 1, line, 5),
                                     fix: line % 9 == 0 ? Fix(title: "t", edits: [TextEdit(range: Fixture.range(line, 1, line, 2), replacement: "\"")],
                                                                applicability: .safe) : nil))
            }
        }
        ds.shuffle()
        let frozen = sources
        let input = ReportInput(diagnostics: ds, files: frozen.keys.sorted(), toolVersion: "1", source: { frozen[$0] })
        let parallel = Fingerprints.compute(input)
        let sequential = Fingerprints.compute(input.diagnostics, lines: SourceLines(input))
        #expect(parallel == sequential)
        #expect(Set(parallel).count == parallel.count)
        #expect(JSONReporter().report(input) == JSONReporter().document(input).serialized() + "\n")
        let empty = ReportInput(diagnostics: [], files: ["a"], toolVersion: "1")
        #expect(JSONReporter().report(empty) == JSONReporter().document(empty).serialized() + "\n")
    }

    private func fingerprints(_ sources: [String: String], _ ds: [Diagnostic]) -> [String] {
        Fingerprints.compute(ReportInput(diagnostics: ds, toolVersion: "0", source: { sources[$0] }))
    }
}
