import DockerlintCore
import DockerlintModel
@testable import DockerlintRules
import DockerlintShell
import Testing

/// The shared RUN-script helper: script text and exact positions through continuations,
/// heredocs, ONBUILD and the exec form.
@Suite struct RunScriptTests {
    func scripts(_ text: String) -> [RunScript] {
        let model = DockerfileModel.parse(text)
        let ctx = LintContext(path: "Dockerfile", model: model, configuration: Configuration(), contextDirectory: nil,
                              pragmas: Pragmas.read(model.dockerfile))
        return model.allInstructions.compactMap { RunScript.of($0, ctx) }
    }

    func positions(_ s: RunScript, _ name: String) -> [String] {
        s.effectiveCommands.filter { $0.name == name }.map { "\(s.range(of: $0).start)" }
    }

    @Test func byteSearchHelper() {
        #expect("https://x".containsBytes("://"))
        #expect(!"a/b".containsBytes("://"))
        #expect(!"abc".containsBytes(""))
        #expect("x$(cat f)".containsBytes("$("))
        #expect("日本/語".containsBytes("/"))
        #expect(Substring("ab*c*").containsBytes("*"))
    }

    @Test func continuationLines() {
        let s = scripts("FROM a\nRUN --mount=type=cache,target=/x apt-get update && \\\n  # comment\n\n    cd /tmp \\\n && make\n")
        #expect(s.count == 1)
        #expect(positions(s[0], "cd") == ["5:5"])
        #expect(positions(s[0], "make") == ["6:5"])
        #expect(positions(s[0], "apt-get") == ["2:34"])
    }

    @Test func heredocScript() {
        let s = scripts("FROM a\nRUN <<EOF\nset -e\n  cd /x\nEOF\n")
        #expect(s.count == 1 && s[0].isHeredocScript)
        #expect(positions(s[0], "cd") == ["4:3"])
        #expect(scripts("FROM a\nRUN <<EOF\n#!/usr/bin/env python3\nimport os\nEOF\n").isEmpty)
    }

    @Test func commandWithHeredoc() {
        let s = scripts("FROM a\nRUN bash <<EOF\ncd /x\nEOF\n")
        #expect(positions(s[0], "cd") == ["3:1"])
    }

    @Test func onbuildAndExec() {
        let s = scripts("FROM a\nONBUILD RUN cd /x\nRUN [\"sh\", \"-c\", \"cd /y\"]\n")
        #expect(s.count == 2)
        #expect(s[0].isOnbuild && positions(s[0], "cd") == ["2:13"])
        #expect(s[1].isExecForm && positions(s[1], "cd") == ["3:19"])
    }

    @Test func escapeDirective() {
        let s = scripts("# escape=`\nFROM a\nRUN echo a `\n  && cd b\n")
        #expect(positions(s[0], "cd") == ["4:6"])
    }

    @Test func shellStringAcrossContinuation() {
        let s = scripts("FROM a\nRUN sh -c 'echo a \\\n   && cd /b'\n")
        #expect(positions(s[0], "cd") == ["3:7"])
    }
}
