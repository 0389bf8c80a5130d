import DockerlintCore
import Foundation
import Testing

@testable import DockerlintReporters

@Suite struct LineFormatTests {
    @Test func gnuGolden() {
        #expect(GNUReporter().report(Fixture.input()) == """
            Dockerfile:2.5-2.19: error: Pin versions: 100% of packages unpinned: <curl> & "wget" 'x' [DL3008]
            Dockerfile:3.2-3.49: warning: Set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before RUN with a | in it [DL4006]
            Dockerfile:3.18-3.20: info: Unicode ✓ naïve 日本語 — `$HOME` | pipe, a:b [DL1000]
            Dockerfile:4.1-4.19: warning: Use arguments JSON notation for CMD and ENTRYPOINT arguments [DL3025]
            sub dir/Dockerfile.prod:1.6-1.12: warning: Always tag the version of an image explicitly [DL3006]
            sub dir/Dockerfile.prod:2.1-4.1: style: Multiple consecutive RUN instructions [DL3059]

            """)
        #expect(GNUReporter().report(Fixture.input(diagnostics: [])) == "")
    }

    @Test func githubGolden() {
        #expect(GitHubReporter().report(Fixture.input()) == """
            ::error file=Dockerfile,line=2,col=5,endLine=2,endColumn=19,title=DL3008 PinAptVersions::Pin versions: 100%25 of packages%0Aunpinned: <curl> & "wget" 'x'
            ::warning file=Dockerfile,line=3,col=2,endLine=3,endColumn=49,title=DL4006 SetPipefail::Set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before RUN with a | in it
            ::notice file=Dockerfile,line=3,col=18,endLine=3,endColumn=20,title=DL1000::Unicode ✓ naïve 日本語 — `$HOME` | pipe, a:b
            ::warning file=Dockerfile,line=4,col=1,endLine=4,endColumn=19,title=DL3025 JSONArgsRecommended::Use arguments JSON notation for CMD and ENTRYPOINT arguments
            ::warning file=sub dir/Dockerfile.prod,line=1,col=6,endLine=1,endColumn=12,title=DL3006 TagImageVersion::Always tag the version of an image explicitly
            ::notice file=sub dir/Dockerfile.prod,line=2,endLine=4,title=DL3059::Multiple consecutive RUN instructions

            """)
    }

    @Test func githubEscapesPropertiesAndData() {
        let d = Diagnostic(file: "a,b:c%d\ne.df", code: "X:1", name: "Odd,Name", severity: .style,
                           message: "50% of a\r\nb: c, d %0A ::x::", range: Fixture.range(1, 2, 1, 3))
        #expect(GitHubReporter().report(ReportInput(diagnostics: [d], toolVersion: "0"))
            == "::notice file=a%2Cb%3Ac%25d%0Ae.df,line=1,col=2,endLine=1,endColumn=3,title=X%3A1 Odd%2CName"
            + "::50%25 of a%0D%0Ab: c, d %250A ::x::\n")
    }

    @Test func markdownGolden() {
        #expect(MarkdownReporter().report(Fixture.input()) == """
            ### dockerlint: 6 problems (1 error, 3 warnings, 1 info, 1 style) in 2 files; 1 below the failure threshold (info)

            | File | Line | Severity | Rule | Message |
            | --- | ---: | --- | --- | --- |
            | Dockerfile | 2:5 | error | DL3008 PinAptVersions | Pin versions: 100% of packages<br>unpinned: \\<curl\\> \\& "wget" 'x' |
            | Dockerfile | 3:2 | warning | [DL4006](<https://docs.dockerlint.dev/rules/DL4006>) SetPipefail | Set \\`SHELL \\["/bin/bash", "-o", "pipefail", "-c"\\]\\` before RUN with a \\| in it |
            | Dockerfile | 3:18 | info | DL1000 | Unicode ✓ naïve 日本語 — \\`\\$HOME\\` \\| pipe, a:b |
            | Dockerfile | 4:1 | warning | [DL3025](<https://docs.dockerlint.dev/rules/DL3025>) JSONArgsRecommended | Use arguments JSON notation for CMD and ENTRYPOINT arguments |
            | sub dir/Dockerfile.prod | 1:6 | warning | [DL3006](<https://docs.dockerlint.dev/rules/DL3006?x=%281%29>) TagImageVersion | Always tag the version of an image explicitly |
            | sub dir/Dockerfile.prod | 2:1 | style | DL3059 | Multiple consecutive RUN instructions |

            """)
        #expect(MarkdownReporter().report(Fixture.input(diagnostics: [])) == "### dockerlint: No problems found in 3 files\n")
    }

    /// Every table row has exactly five cells once escaped pipes are discounted.
    @Test func markdownRowsKeepTheirShape() {
        for line in MarkdownReporter().report(Fixture.input()).split(separator: "\n") where line.hasPrefix("|") {
            let unescaped = line.replacing("\\\\", with: "").replacing("\\|", with: "")
            #expect(unescaped.filter { $0 == "|" }.count == 6, "\(line)")
        }
    }
}
