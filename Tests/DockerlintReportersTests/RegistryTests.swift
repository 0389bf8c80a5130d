import DockerlintCore
import Foundation
import Testing

@testable import DockerlintReporters

@Suite struct RegistryTests {
    @Test func identifiersAreUniqueLowercaseAndDescribed() {
        let names = Reporters.all.flatMap { [$0.identifier] + $0.aliases }
        #expect(Set(names).count == names.count)
        #expect(Reporters.identifiers == ["tty", "json", "sarif", "checkstyle", "junit", "codeclimate", "gitlab",
                                          "gnu", "github", "markdown"])
        for r in Reporters.all {
            #expect(r.identifier == r.identifier.lowercased())
            #expect(!r.description.isEmpty && !r.description.contains("\n"))
        }
    }

    @Test(arguments: [("tty", "tty"), ("TEXT", "tty"), ("Sarif", "sarif"), ("gitlab_codeclimate", "gitlab"),
                      ("md", "markdown"), ("code-climate", "codeclimate")])
    func lookupByNameOrAlias(name: String, identifier: String) {
        #expect(Reporters.named(name)?.identifier == identifier)
    }

    @Test func unknownNameIsNil() {
        #expect(Reporters.named("xml") == nil)
    }

    @Test func streamWriteEqualsReport() {
        for r in Reporters.all {
            var out = ""
            r.write(Fixture.input(), to: &out)
            #expect(out == r.report(Fixture.input()), "\(r.identifier)")
        }
    }

    /// Output must not depend on the order the linter produced findings in, nor on the
    /// order of the files list.
    @Test func outputIsIndependentOfInputOrder() {
        let a = Fixture.input()
        let b = Fixture.input(diagnostics: Fixture.diagnostics.reversed(), files: Fixture.files.reversed())
        let c = Fixture.input(diagnostics: Fixture.diagnostics.shuffled(), files: Fixture.files.shuffled())
        for r in Reporters.all {
            #expect(r.report(a) == r.report(b), "\(r.identifier)")
            #expect(r.report(a) == r.report(c), "\(r.identifier)")
        }
    }

    @Test func diagnosticsAreSortedAndOffIsDropped() {
        var diagnostics = Fixture.diagnostics
        diagnostics.append(Diagnostic(file: "Dockerfile", code: "DL9999", name: "", severity: .off,
                                      message: "disabled", range: Fixture.range(1, 1, 1, 2)))
        let input = Fixture.input(diagnostics: diagnostics)
        #expect(input.diagnostics.map(\.code) == ["DL3008", "DL4006", "DL1000", "DL3025", "DL3006", "DL3059"])
        #expect(input.allFiles == ["Dockerfile", "clean/Dockerfile", "sub dir/Dockerfile.prod"])
    }

    @Test func summaryCountsAndThreshold() {
        let s = Fixture.input(threshold: .warning).summary
        #expect(s.problems == 6 && s.errors == 1 && s.warnings == 3 && s.info == 1 && s.style == 1)
        #expect(s.failing == 4 && s.failed)
        #expect(s.files == 3 && s.filesWithProblems == 2)
        #expect(s.sentence == "6 problems (1 error, 3 warnings, 1 info, 1 style) in 2 files; "
            + "2 below the failure threshold (warning)")
        let all = Fixture.input(threshold: .style).summary
        #expect(all.sentence == "6 problems (1 error, 3 warnings, 1 info, 1 style) in 2 files")
        let one = Fixture.input(diagnostics: [Fixture.diagnostics[1]], threshold: .style).summary
        #expect(one.sentence == "1 problem (1 warning) in 1 file")
        let clean = Fixture.input(diagnostics: []).summary
        #expect(clean.sentence == "No problems found in 3 files")
        #expect(!clean.failed)
        #expect(Fixture.input(diagnostics: [], files: ["Dockerfile"]).summary.sentence == "No problems found in 1 file")
    }
}
