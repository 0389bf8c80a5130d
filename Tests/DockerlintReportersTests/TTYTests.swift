import DockerlintCore
import Foundation
import Testing

@testable import DockerlintReporters

@Suite struct TTYTests {
    @Test func goldenWithoutColour() {
        let output = TTYReporter().report(Fixture.input())
        #expect(output == """
            Dockerfile:2:5: error: Pin versions: 100% of packages
              unpinned: <curl> & "wget" 'x' [DL3008 PinAptVersions]
              2 | RUN apt-get update
                |     ^~~~~~~~~~~~~~
            Dockerfile:3:2: warning: Set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before RUN with a | in it [DL4006 SetPipefail]
              3 | \tRUN echo "héllo 日本" && curl -fsSL http://x | sh
                | \t^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            Dockerfile:3:18: info: Unicode ✓ naïve 日本語 — `$HOME` | pipe, a:b [DL1000]
              3 | \tRUN echo "héllo 日本" && curl -fsSL http://x | sh
                | \t                ^~~~
            Dockerfile:4:1: warning: Use arguments JSON notation for CMD and ENTRYPOINT arguments [DL3025 JSONArgsRecommended]
              4 | CMD node server.js
                | ^~~~~~~~~~~~~~~~~~
            sub dir/Dockerfile.prod:1:6: warning: Always tag the version of an image explicitly [DL3006 TagImageVersion]
              1 | FROM alpine
                |      ^~~~~~
            sub dir/Dockerfile.prod:2:1: style: Multiple consecutive RUN instructions [DL3059]
              2 | RUN a \\
                | ^~~~~~~

            6 problems (1 error, 3 warnings, 1 info, 1 style) in 2 files; 1 below the failure threshold (info)

            """)
    }

    /// A line of 300,000 characters is shown as a window of 160 around the range, cut with
    /// `…`, and the caret still sits under the range's first character.
    @Test func longLinesAreCutAroundTheRange() {
        let line = "RUN " + String(repeating: "a", count: 150_000) + "XYZ" + String(repeating: "b", count: 150_000)
        let source = "FROM a\n" + line + "\n"
        let ds = [Diagnostic(file: "f", code: "X", name: "", severity: .error, message: "m", range: Fixture.range(2, 150_005, 2, 150_008)),
                  Diagnostic(file: "f", code: "Y", name: "", severity: .error, message: "m", range: Fixture.range(2, 1, 3, 1))]
        let lines = TTYReporter().report(ReportInput(diagnostics: ds, toolVersion: "0", source: { _ in source }))
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.allSatisfy { $0.count <= 200 })
        let whole = lines.firstIndex { $0.hasPrefix("f:2:1:") }!
        #expect(lines[whole + 1] == "  2 | RUN " + String(repeating: "a", count: 156) + "…")
        #expect(lines[whole + 2] == "    | ^" + String(repeating: "~", count: 159))
        let mid = lines.firstIndex { $0.hasPrefix("f:2:150005:") }!
        let text = lines[mid + 1], marks = lines[mid + 2]
        #expect(text.hasPrefix("  2 | …") && text.hasSuffix("…"))
        let caret = marks.firstIndex(of: "^")!
        let offset = marks.distance(from: marks.startIndex, to: caret)
        #expect(text.dropFirst(offset).hasPrefix("XYZ"))
        #expect(marks.hasSuffix("^~~"))
    }

    /// Columns count from after a byte order mark, so the excerpt leaves the mark out and the
    /// caret sits under the column; a bare `\r` does not start a line.
    @Test func excerptsUseTheParsersLines() {
        let source = "\u{FEFF}FROM a\nLABEL a=\"x\ry\"\nCMD x y\n"
        let ds = [Diagnostic(file: "f", code: "X", name: "", severity: .error, message: "m", range: Fixture.range(1, 1, 1, 5)),
                  Diagnostic(file: "f", code: "Y", name: "", severity: .error, message: "m", range: Fixture.range(3, 5, 3, 8))]
        let lines = TTYReporter().report(ReportInput(diagnostics: ds, toolVersion: "0", source: { _ in source }))
            .split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[1] == "  1 | FROM a")
        #expect(lines[2] == "    | ^~~~")
        #expect(lines[4] == "  3 | CMD x y")
        #expect(lines[5] == "    |     ^~~")
    }

    @Test func cleanRun() {
        #expect(TTYReporter().report(Fixture.input(diagnostics: [])) == "No problems found in 3 files\n")
    }

    /// Every caret line lines up with its source line: same prefix cells (tabs copied,
    /// wide characters two cells), and the marks cover exactly the range.
    @Test func caretsLineUpWithTabsAndWideCharacters() {
        let line = "\tA日本\u{301}x\t\"y\""
        // Columns: 1 tab, 2 A, 3 日, 4 本, 5 combining acute, 6 x, 7 tab, 8 ", 9 y, 10 "
        let cases: [(Int, Int, String)] = [
            (3, 5, "\t ^~~~"),        // 日本: four cells
            (6, 7, "\t     ^"),       // x after a zero-width mark
            (8, 11, "\t      \t^~~"),    // after the second tab
            (1, 1, "^"),                 // empty range on a tab: one caret
            (1, 3, "^\t~"),               // range starting on a tab
            (11, 11, "\t      \t   ^"),  // at the end of the line
            (20, 25, "\t      \t   ^"),  // past the end: clamped
        ]
        for (start, end, expected) in cases {
            let d = Diagnostic(file: "f", code: "X", name: "", severity: .error, message: "m",
                               range: Fixture.range(1, start, 1, end))
            let output = TTYReporter().report(ReportInput(diagnostics: [d], toolVersion: "0",
                                                          source: { _ in line }))
            let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines[1] == "  1 | " + line)
            #expect(lines[2] == "    | " + expected, "range \(start)-\(end)")
        }
    }

    @Test func multiLineRangeUnderlinesToEndOfFirstLine() {
        let d = Diagnostic(file: "f", code: "X", name: "", severity: .warning, message: "m",
                           range: Fixture.range(9, 3, 11, 2))
        let source = String(repeating: "\n", count: 8) + "RUN a \\\n  b \\\n  c\n"
        let output = TTYReporter().report(ReportInput(diagnostics: [d], toolVersion: "0", source: { _ in source }))
        #expect(output == "f:9:3: warning: m [X]\n  9 | RUN a \\\n    |   ^~~~~\n\n1 problem (1 warning) in 1 file\n")
    }

    @Test func noExcerptWithoutSource() {
        let d = Diagnostic(file: "-", code: "DL3000", name: "", severity: .error, message: "m",
                           range: Fixture.range(120, 1, 120, 2))
        let input = ReportInput(diagnostics: [d], rules: Fixture.rules, toolVersion: "0",
                                source: { _ in "FROM a\n" })
        #expect(TTYReporter().report(input) == "-:120:1: error: m [DL3000 AbsoluteWorkdir]\n\n1 problem (1 error) in 1 file\n")
    }

    @Test func controlCharactersCannotReachTheTerminal() {
        let d = Diagnostic(file: "evil\u{1B}]0;x\u{7}", code: "X", name: "", severity: .error,
                           message: "bad \u{1B}[2J\u{9B}31m", range: Fixture.range(1, 1, 1, 2))
        let output = TTYReporter().report(ReportInput(diagnostics: [d], toolVersion: "0",
                                                      source: { _ in "A\u{1B}[31mB\n" }))
        #expect(!output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" || $0 == "\u{9B}" })
        #expect(output.hasPrefix("evil\u{FFFD}]0;x\u{FFFD}:1:1: error: bad \u{FFFD}[2J\u{FFFD}31m [X]\n  1 | A\u{FFFD}[31mB\n    | ^\n"))
    }

    @Test func colourIsOptInAndOnlyDecorates() {
        let plain = TTYReporter().report(Fixture.input())
        let coloured = TTYReporter().report(Fixture.input(color: true))
        #expect(!plain.contains("\u{1B}"))
        #expect(coloured.contains("\u{1B}[1;31merror:\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[1;33mwarning:\u{1B}[0m"))
        #expect(stripANSI(coloured) == plain)
    }

    func stripANSI(_ s: String) -> String {
        var out = ""
        var scalars = s.unicodeScalars.makeIterator()
        while let c = scalars.next() {
            if c == "\u{1B}" {
                while let n = scalars.next(), n != "m" {}
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
