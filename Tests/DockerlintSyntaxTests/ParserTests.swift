import Testing
@testable import DockerlintSyntax

private func parse(_ s: String) -> Dockerfile { DockerfileParser.parse(s) }
private func dump(_ s: String) -> String { parse(s).buildkitDump() }
private func only(_ s: String) -> Instruction {
    let f = parse(s)
    #expect(f.errors.isEmpty, "unexpected errors: \(f.errors)")
    return f.instructions.last!
}

@Suite struct Directives {
    @Test func syntaxEscapeAndCheckAtTheTop() {
        let f = parse("# syntax=docker/dockerfile:1\n#escape=`\n# check=skip=JSONArgsRecommended;error=true\nFROM a\n")
        #expect(f.directives.map(\.name) == ["syntax", "escape", "check"])
        #expect(f.directive("syntax")?.value == "docker/dockerfile:1")
        #expect(f.directive("check")?.value == "skip=JSONArgsRecommended;error=true")
        #expect(f.escapeToken == UInt8(ascii: "`"))
        #expect(f.errors.isEmpty)
    }

    @Test func namesAreCaseInsensitiveAndSpacesAllowed() {
        let f = parse("#  ESCAPE =  `  \nFROM a\n")
        #expect(f.directive("escape")?.value == "`")
        #expect(f.escapeToken == UInt8(ascii: "`"))
    }

    @Test func onlyAtTheTop() {
        // A blank line, an ordinary comment or an instruction ends the directive section.
        #expect(parse("\n# escape=`\nFROM a\n").directives.isEmpty)
        #expect(parse("# hello\n# escape=`\nFROM a\n").directives.isEmpty)
        #expect(parse("FROM a\n# escape=`\n").directives.isEmpty)
        // An unknown `key=value` ends directive parsing and is a plain comment.
        let f = parse("# foo=bar\n# escape=`\nFROM a\n")
        #expect(f.directives.isEmpty)
        #expect(f.escapeToken == UInt8(ascii: "\\"))
    }

    @Test func repeatedDirectiveIsAnError() {
        let f = parse("# syntax=a\n# syntax=b\nFROM a\n")
        #expect(f.errors.map(\.message) == ["only one syntax parser directive can be used"])
        #expect(f.errors[0].range.start.line == 2)
    }

    @Test func invalidEscapeToken() {
        let f = parse("# escape=x\nFROM a\n")
        #expect(f.errors.first?.message == "invalid escape token 'x' does not match ` or \\")
        #expect(f.errors.first?.range.start.line == 1)
    }

    @Test func backtickEscapeContinues() {
        let i = only("# escape=`\nFROM a\nRUN echo \\ `\n  two\n")
        #expect(i.arguments[0].value == "echo \\   two")
        #expect(i.range.end.line == 4)
    }

    @Test func bomBeforeDirective() {
        let f = DockerfileParser.parse([0xEF, 0xBB, 0xBF] + Array("# escape=`\nFROM a\n".utf8))
        #expect(f.directive("escape") != nil)
        #expect(f.instructions[0].range.start == SourcePosition(line: 2, column: 1, offset: 14))
    }

    @Test func bomColumnsStartAtOne() {
        let f = DockerfileParser.parse([0xEF, 0xBB, 0xBF] + Array("FROM a\n".utf8))
        #expect(f.instructions[0].keywordRange.start.column == 1)
        #expect(f.instructions[0].arguments[0].range.start.column == 6)
    }
}

@Suite struct LinesAndContinuations {
    @Test func crlfLineEndings() {
        let f = parse("FROM a\r\nRUN echo \\\r\n  hi\r\nCMD x\r\n")
        #expect(f.instructions.count == 3)
        #expect(f.instructions[1].arguments[0].value == "echo   hi")
        #expect(f.instructions[1].range.end == SourcePosition(line: 3, column: 5, offset: 24))
        #expect(f.instructions[2].arguments[0].value == "x")
    }

    @Test func leadingWhitespaceOfContinuedLinesIsKept() {
        #expect(only("FROM a\nRUN a \\\n    b\n").arguments[0].value == "a     b")
    }

    @Test func commentsInsideAContinuationAreDropped() {
        let f = parse("FROM a\nRUN a \\\n# note\n  # indented note\n  b\n")
        #expect(f.instructions[1].arguments[0].value == "a   b")
        #expect(f.comments.filter(\.insideContinuation).map(\.text) == ["note", "indented note"])
    }

    @Test func emptyContinuationLinesAreNoted() {
        let i = only("FROM a\nRUN a \\\n\n   \n  b\n")
        #expect(i.arguments[0].value == "a   b")
        #expect(i.emptyContinuationLines == [3, 4])
        #expect(i.range.end.line == 5)
    }

    @Test func escapedEscapeIsNotAContinuation() {
        let f = parse("FROM a\nRUN echo \\\\\nRUN b\n")
        #expect(f.instructions.count == 3)
        #expect(f.instructions[1].arguments[0].value == "echo \\\\")
    }

    @Test func continuationAtEndOfFile() {
        let i = only("FROM a\nRUN echo \\")
        #expect(i.arguments[0].value == "echo")
        #expect(i.range.end.line == 2)
    }

    @Test func trailingWhitespaceAfterEscapeStillContinues() {
        #expect(only("FROM a\nRUN a \\  \t\nb\n").arguments[0].value == "a b")
    }

    @Test func loneEscapeLineStartsAnInstruction() {
        let f = parse("FROM a\n\\\nRUN x\n")
        #expect(f.instructions.count == 2)
        #expect(f.instructions[1].kind == .run)
        #expect(f.instructions[1].range.start.line == 2)
    }

    @Test func instructionNamesInAnyCase() {
        let f = parse("from a\nRuN x\ncopy a b\n")
        #expect(f.instructions.map(\.kind) == [.from, .run, .copy])
        #expect(f.instructions.map(\.keyword) == ["from", "RuN", "copy"])
    }

    @Test func unknownInstructionsParseHere() {
        // BuildKit's AST accepts them; the instruction layer reports "unknown instruction".
        let f = parse("FROM a\nRUNN x\n")
        #expect(f.errors.isEmpty)
        #expect(f.instructions[1].kind == .unknown)
        #expect(f.instructions[1].keywordRange.start == SourcePosition(line: 2, column: 1, offset: 7))
    }

    @Test func previousCommentsAttachToTheNextInstruction() {
        let f = parse("# stage doc\n# more\nFROM a AS b\n#\n# arg doc\nARG X\n")
        #expect(f.instructions[0].comments == ["stage doc", "more"])
        #expect(f.instructions[1].comments == ["arg doc"])
    }

    @Test func emptyFileAndOnlyComments() {
        #expect(parse("").errors.map(\.message) == ["file with no instructions"])
        #expect(parse("# a\n\n# b\n").errors.map(\.message) == ["file with no instructions"])
    }

    @Test func overlongLineIsRejectedLikeBuildKit() {
        let long = "FROM a\nRUN " + String(repeating: "x", count: 70000) + "\n"
        let f = parse(long)
        #expect(f.errors.first?.message == "dockerfile line greater than max allowed size of 65535")
        #expect(f.errors.first?.range.start.line == 2)
        // Exactly at the limit is fine.
        let ok = "FROM a\nRUN " + String(repeating: "x", count: 65531) + "\n"
        #expect(parse(ok).errors.isEmpty)
    }
}

@Suite struct Flags {
    @Test func flagsWithRanges() {
        let i = only("FROM a\nCOPY --from=build --chown=1:1 src dst\n")
        #expect(i.flags.map(\.text) == ["--from=build", "--chown=1:1"])
        #expect(i.flags.map(\.name) == ["from", "chown"])
        #expect(i.flags[1].value == "1:1")
        #expect(i.flags[0].range == SourceRange(start: SourcePosition(line: 2, column: 6, offset: 12),
                                                end: SourcePosition(line: 2, column: 18, offset: 24)))
        #expect(i.arguments.map(\.value) == ["src", "dst"])
        #expect(i.arguments[1].range.start.column == 35)
    }

    @Test func quotesAndEscapesInFlags() {
        let i = only("FROM a\nRUN --mount=type=secret,id=\"my id\" --network=no\\ne x\n")
        #expect(i.flags.map(\.text) == ["--mount=type=secret,id=my id", "--network=none"])
        #expect(i.arguments[0].value == "x")
    }

    @Test func doubleDashEndsFlags() {
        let i = only("FROM a\nRUN --network=none -- --not-a-flag\n")
        #expect(i.flags.map(\.text) == ["--network=none"])
        #expect(i.arguments[0].value == "--not-a-flag")
    }

    @Test func flagsOnlyLeadTheArguments() {
        let i = only("FROM a\nRUN echo --foo\n")
        #expect(i.flags.isEmpty)
        #expect(i.arguments[0].value == "echo --foo")
    }

    @Test func flagsAcrossContinuationLines() {
        let i = only("FROM a\nRUN --mount=type=cache,target=/root \\\n    --network=none \\\n    make\n")
        #expect(i.flags.count == 2)
        #expect(i.flags[1].range.start.line == 3 && i.flags[1].range.start.column == 5)
        #expect(i.arguments[0].range.start.line == 4)
    }
}

@Suite struct ArgumentForms {
    @Test func execForm() {
        let i = only("FROM a\nCMD [\"python\", \"app.py\"]\n")
        #expect(i.isJSON)
        #expect(i.arguments.map(\.value) == ["python", "app.py"])
        #expect(i.arguments[1].range.start.column == 16)
    }

    @Test func invalidJSONFallsBackToShellForm() {
        let i = only("FROM a\nCMD ['python', 'app.py']\n")
        #expect(!i.isJSON)
        #expect(i.arguments.map(\.value) == ["['python', 'app.py']"])
        #expect(!only("FROM a\nRUN [\"a\", \"b\"\n").isJSON)
        #expect(!only("FROM a\nRUN [\"a\"] trailing\n").isJSON)
    }

    @Test func nonStringElementIsAHardError() {
        let f = parse("FROM a\nCMD [\"a\", 1]\nRUN [\"x\", {\"k\": [true, null]}]\n")
        #expect(f.errors.map(\.message) == Array(repeating: "when using JSON array syntax, arrays must be comprised of strings only", count: 2))
        #expect(f.errors[0].range.start == SourcePosition(line: 2, column: 11, offset: 17))
        #expect(f.errors[1].range.start.line == 3)
    }

    @Test func jsonEscapesAndUnicode() {
        let i = only("FROM a\nENTRYPOINT [\"a\\u00e9\\n\", \"\\ud83d\\ude00\", \"\\/\", \"\\udc00x\"]\n")
        #expect(i.arguments.map(\.value) == ["a\u{e9}\n", "\u{1F600}", "/", "\u{FFFD}x"])
    }

    @Test func emptyArrayAndNumbersThatOverflow() {
        let e = only("FROM a\nCMD []\n")
        #expect(e.isJSON && e.arguments.isEmpty)
        // Go's decoder fails on a number that overflows float64: shell form, not an error.
        let o = only("FROM a\nCMD [\"a\", 1e999]\n")
        #expect(!o.isJSON)
    }

    @Test func copyAndVolumeLists() {
        #expect(only("FROM a\nCOPY  a  b   c/\n").arguments.map(\.value) == ["a", "b", "c/"])
        #expect(only("FROM a\nVOLUME [\"/a\", \"/b\"]\n").arguments.map(\.value) == ["/a", "/b"])
        #expect(only("FROM a\nCOPY [\"a b\", \"/c\"]\n").isJSON)
    }

    @Test func envAndLabelForms() {
        let i = only("FROM a\nENV A=1 B=\"two words\" C=x\\ y\n")
        #expect(i.keyValues.map(\.key.value) == ["A", "B", "C"])
        #expect(i.keyValues.map(\.value.value) == ["1", "\"two words\"", "x\\ y"])
        #expect(i.keyValues.allSatisfy { $0.hasEquals })
        #expect(i.keyValues[1].value.range.start.column == 11)
        let legacy = only("FROM a\nENV PATH /usr/bin  /bin\n")
        #expect(legacy.keyValues.count == 1)
        #expect(legacy.keyValues[0].key.value == "PATH")
        #expect(legacy.keyValues[0].value.value == "/usr/bin  /bin")
        #expect(!legacy.keyValues[0].hasEquals)
        let label = only("FROM a\nLABEL \"com.example.vendor\"=\"ACME\" version=1.0\n")
        #expect(label.keyValues.map(\.key.value) == ["\"com.example.vendor\"", "version"])
    }

    @Test func envErrors() {
        #expect(parse("FROM a\nENV A\n").errors.map(\.message) == ["ENV must have two arguments"])
        #expect(parse("FROM a\nLABEL a=1 b\n").errors.map(\.message)
                == ["Syntax error - can't find = in \"b\". Must be of the form: name=value"])
        #expect(parse("FROM a\nLABEL a=1 b\n").errors[0].range.start.column == 11)
    }

    @Test func argLists() {
        let i = only("FROM a\nARG A=1 B C=\"x y\"\n")
        #expect(i.arguments.map(\.value) == ["A=1", "B", "C=\"x y\""])
    }

    @Test func fromAndExpose() {
        #expect(only("FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n").arguments.map(\.value) == ["golang:1.22", "AS", "build"])
        #expect(only("FROM a\nEXPOSE 80/tcp 8000-8010 53/UDP\n").arguments.map(\.value) == ["80/tcp", "8000-8010", "53/UDP"])
    }

    @Test func healthcheck() {
        let n = only("FROM a\nHEALTHCHECK NONE\n")
        #expect(n.arguments.map(\.value) == ["NONE"])
        let c = only("FROM a\nHEALTHCHECK --interval=5s --retries=3 CMD curl -f http://x/ || exit 1\n")
        #expect(c.flags.map(\.text) == ["--interval=5s", "--retries=3"])
        #expect(c.arguments.map(\.value) == ["CMD", "curl -f http://x/ || exit 1"])
        let j = only("FROM a\nHEALTHCHECK CMD [\"curl\", \"x\"]\n")
        #expect(j.isJSON && j.arguments.map(\.value) == ["CMD", "curl", "x"])
    }

    @Test func onbuildNests() {
        let i = only("FROM a\nONBUILD RUN echo hi\n")
        #expect(i.kind == .onbuild)
        #expect(i.child?.value.kind == .run)
        #expect(i.child?.value.arguments.map(\.value) == ["echo hi"])
        #expect(i.child?.value.keywordRange.start.column == 9)
        let nested = only("FROM a\nONBUILD ONBUILD RUN x\n")
        #expect(nested.child?.value.child?.value.kind == .run)
    }

    @Test func singleStringInstructions() {
        #expect(only("FROM a\nWORKDIR  /app dir \n").arguments.map(\.value) == ["/app dir"])
        #expect(only("FROM a\nUSER app:app\n").arguments.map(\.value) == ["app:app"])
        #expect(only("FROM a\nUSER\n").arguments.isEmpty)
    }
}

@Suite struct Dump {
    /// BuildKit's `parseIgnore` keeps an unknown instruction with one empty node: `Node.Dump()`
    /// prints `(invalid "")`, whatever its arguments, flags kept.
    @Test func unknownInstructionDumpsAnEmptyNode() {
        #expect(dump("FROM scratch\nINVALID woops\n") == "(from \"scratch\")\n(invalid \"\")\n")
        #expect(dump("FROM scratch\nBOGUS\nONBUILD NOPE a b\n") == "(from \"scratch\")\n(bogus \"\")\n(onbuild (nope \"\"))\n")
    }

    @Test func buildkitDumpFormat() {
        let text = """
        FROM alpine AS b
        RUN --mount=type=cache,target=/x echo hi
        ENV A=1 B="two words"
        ENV C d e
        CMD ["a", "b"]
        ONBUILD RUN x
        HEALTHCHECK --interval=5s CMD curl x
        EXPOSE 80 443
        LABEL a=b
        ARG X=1 Y
        COPY --from=b ["a b", "c"]
        RUN echo "\\"tab\\there\\""
        """
        #expect(dump(text) == """
        (from "alpine" "AS" "b")
        (run ["--mount=type=cache,target=/x"] "echo hi")
        (env "A" "1" "=" "B" "\\"two words\\"" "=")
        (env "C" "d e" "")
        (cmd "a" "b")
        (onbuild (run "x"))
        (healthcheck ["--interval=5s"] "CMD" "curl x")
        (expose "80" "443")
        (label "a" "b" "=")
        (arg "X=1" "Y")
        (copy ["--from=b"] "a b" "c")
        (run "echo \\"\\\\\\"tab\\\\there\\\\\\"\\"")

        """)
    }

    @Test func goQuoteMatchesStrconv() {
        #expect(goQuote("a\u{7}\u{1}\u{7F}é\u{A0}\u{1F600}") == "\"a\\a\\x01\\x7fé\\u00a0\u{1F600}\"")
    }
}

@Suite struct Robustness {
    @Test func binaryAndInvalidUTF8NeverCrash() {
        var bytes: [UInt8] = Array("FROM a\nRUN ".utf8)
        bytes += [0x00, 0xFF, 0xC3, 0x28, 0xE2, 0x82, 0x0A, 0xF0, 0x9F]
        bytes += Array("\nENV \u{FEFF}=\u{0}\n".utf8)
        let f = DockerfileParser.parse(bytes)
        #expect(f.instructions.count == 4)
        #expect(f.instructions[2].kind == .unknown)
    }

    @Test func manyContinuationLines() {
        var s = "FROM a\nRUN echo \\\n"
        for _ in 0..<100_000 { s += "  x \\\n" }
        s += "  end\n"
        let f = parse(s)
        #expect(f.errors.isEmpty)
        #expect(f.instructions[1].range.end.line == 100_003)
    }
}

@Suite struct Heredocs {
    @Test func severalPerLineWithChompAndQuoting() {
        let f = parse("FROM a\nRUN <<EOF cat <<-\"X\" >out\necho hi\nEOF\n\tbody $A\n\tX\nCMD x\n")
        #expect(f.errors.isEmpty)
        let h = f.instructions[1].heredocs
        #expect(h.map(\.name) == ["EOF", "X"])
        #expect(h.map(\.expand) == [true, false])
        #expect(h.map(\.chomp) == [false, true])
        #expect(h[0].content == "echo hi\n")
        #expect(h[1].content == "\tbody $A\n")
        #expect(h[1].effectiveContent == "body $A\n")
        #expect(h[0].bodyRange.start.line == 3 && h[0].terminatorRange.start.line == 4)
        #expect(h[1].bodyRange.start.line == 5 && h[1].terminatorRange.start.line == 6)
        #expect(f.instructions[1].range.end.line == 6)
        #expect(f.instructions[2].kind == .cmd)
    }

    @Test func partlyQuotedDelimiterDoesNotExpand() {
        #expect(only("FROM a\nRUN <<E\"O\"F\nx\nEOF\n").heredocs.first?.expand == false)
        #expect(only("FROM a\nRUN <<'EOF'\nx\nEOF\n").heredocs.first?.name == "EOF")
    }

    @Test func fileDescriptorAndCopySources() {
        let f = parse("FROM a\nRUN 3<<EOF cat /dev/fd/3\nx\nEOF\nCOPY <<one <<two /dst/\n1\none\n2\ntwo\n")
        #expect(f.instructions[1].heredocs.first?.fileDescriptor == 3)
        #expect(f.instructions[2].heredocs.map(\.content) == ["1\n", "2\n"])
        #expect(f.instructions[2].arguments.map(\.value) == ["<<one", "<<two", "/dst/"])
    }

    @Test func spaceAfterTheOperator() {
        // dockerfile/1.16: `<< EOF` is a heredoc too.
        let i = only("FROM a\nRUN cat << EOF\nspace\nEOF\n")
        #expect(i.heredocs.map(\.content) == ["space\n"])
    }

    @Test func onbuildHeredocAndWhereHeredocsAreNot() {
        #expect(only("FROM a\nONBUILD RUN <<E\nob\nE\n").heredocs.map(\.content) == ["ob\n"])
        // JSON form and other instructions do not read heredocs.
        let f = parse("FROM a\nRUN [\"cat\", \"<<EOF\"]\nCMD cat <<EOF\nEOF\n")
        #expect(f.instructions.count == 4)
        #expect(f.instructions.allSatisfy { $0.heredocs.isEmpty })
    }

    @Test func crlfBodiesKeepTheirLineEndings() {
        let i = only("FROM a\r\nRUN <<EOF\r\nx\r\nEOF\r\n")
        #expect(i.heredocs.first?.content == "x\r\n")
    }

    @Test func unterminatedHeredoc() {
        let f = parse("FROM a\nRUN <<EOF\nnever ends\n")
        #expect(f.errors.map(\.message) == ["unterminated heredoc"])
        #expect(f.errors[0].range.start.line == 2)
    }

    @Test func markerParsing() {
        #expect(HeredocMarker.parse("<<EOF")?.name == "EOF")
        #expect(HeredocMarker.parse("<<-EOF")?.chomp == true)
        #expect(HeredocMarker.parse("12<<X")?.fd == 12)
        #expect(HeredocMarker.parse("<<") == nil)
        #expect(HeredocMarker.parse("a<<EOF") == nil)
        #expect(HeredocMarker.parse("<<EOF<") == nil)
    }
}
