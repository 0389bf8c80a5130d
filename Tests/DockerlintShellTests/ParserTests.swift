import Testing
@testable import DockerlintShell

@Suite struct StructureTests {
    @Test(arguments: [
        ("apt-get update && apt-get install -y curl",
         #"(and (cmd "apt-get" "update") (cmd "apt-get" "install" "-y" "curl"))"#),
        ("a | b |& c; d & e || f",
         #"(seq (pipe& (cmd "a") (cmd "b") (cmd "c")) (bg (cmd "d")) (or (cmd "e") (cmd "f")))"#),
        ("! grep -q x f", #"(not (cmd "grep" "-q" "x" "f"))"#),
        ("time make -j4", #"(time (cmd "make" "-j4"))"#),
        ("if [ -f x ]; then echo a; elif true; then :; else echo b; fi",
         #"(if (cmd "[" "-f" "x" "]") (cmd "echo" "a") (cmd "true") (cmd ":") (else (cmd "echo" "b")))"#),
        ("for i in 1 2 3; do echo $i; done", #"(for i in ["1" "2" "3"] (cmd "echo" [$i]))"#),
        ("for f; do :; done", #"(for f (cmd ":"))"#),
        ("for ((i=0; i<3; i++)); do echo; done", #"(for ((i=0; i<3; i++)) (cmd "echo"))"#),
        ("while read -r l; do echo \"$l\"; done < file",
         #"(redir (while (cmd "read" "-r" "l") (cmd "echo" [(dq $l)])) <"file")"#),
        ("until false; do break; done", #"(until (cmd "false") (cmd "break"))"#),
        ("case \"$ARCH\" in\n  amd64|x86_64) a=1 ;;\n  (arm64) a=2 ;&\n  *) exit 1 ;;\nesac",
         #"(case [(dq $ARCH)] (["amd64"|"x86_64"] (cmd a="1")) (["arm64"] (cmd a="2")) (["*"] (cmd "exit" "1")))"#),
        ("case x in esac", #"(case "x")"#),
        ("f() { echo hi; }; f", #"(seq (function f (group (cmd "echo" "hi"))) (cmd "f"))"#),
        ("function g { true; }", #"(function g (group (cmd "true")))"#),
        ("( cd /tmp && make ) > log", #"(redir (subshell (and (cmd "cd" "/tmp") (cmd "make"))) >"log")"#),
        ("{ echo a; echo b; } | tee x", #"(pipe (group (seq (cmd "echo" "a") (cmd "echo" "b"))) (cmd "tee" "x"))"#),
        ("[[ -n $x && $y == z ]] && ((i++))", #"(and ([[ "-n" [$x] "&&" [$y] "==" "z") (arith "i++"))"#),
        ("x=(a b c); y+=1", #"(seq (cmd x=("a" "b" "c")) (cmd y+="1"))"#),
        ("A=1 B=$(pwd) cmd", #"(cmd A="1" B=[(sub (cmd "pwd"))] "cmd")"#),
        ("VAR= cmd", #"(cmd VAR="" "cmd")"#),
        ("cmd >out 2>&1 &>log &>>all <in 3<>rw >|clob <<<word",
         #"(cmd "cmd" >"out" 2>&"1" &>"log" &>>"all" <"in" 3<>"rw" >|"clob" <<<"word")"#),
        ("diff <(sort a) >(cat)", #"(cmd "diff" [(<proc (cmd "sort" "a"))] [(>proc (cmd "cat"))])"#),
        ("echo a \\\n  b", #"(cmd "echo" "a" "b")"#),
        ("echo a # comment ; not a command", #"(cmd "echo" "a")"#),
        ("echo a#b", #"(cmd "echo" "a#b")"#),
        ("echo {a,b} {} x{y}", #"(cmd "echo" "{a,b}" "{}" "x{y}")"#),
        ("find . -name '*.pyc' -exec rm {} \\;", #"(cmd "find" "." "-name" "*.pyc" "-exec" "rm" "{}" ";")"#),
        ("echo $'a\\tb' $\"loc\"", #"(cmd "echo" "a\tb" "loc")"#),
        ("echo ${#x} ${!p} ${a[1]} ${x:-d} ${x%%.*} ${x/a/b} ${x:1:2} ${x@Q}",
         #"(cmd "echo" [${#x}] [${!p}] [${a[1]}] [${x:-"d"}] [${x%%".*"}] [${x/"a/b"}] [${x:"1:2"}] [${x@"Q"}])"#),
        ("echo $1 $@ $# $? $$ $! $- $0", #"(cmd "echo" [$1] [$@] [$#] [$?] [$$] [$!] [$-] [$0])"#),
        ("echo $ x$", #"(cmd "echo" "$" "x$")"#),
        ("echo $((1 + $(nproc))) $[2*3]", #"(cmd "echo" [(arith "1 + $(nproc)")] [(arith "2*3")])"#),
        ("echo $( (cd x; pwd) )", #"(cmd "echo" [(sub (subshell (seq (cmd "cd" "x") (cmd "pwd"))))])"#),
        ("echo `echo \\`date\\``", #"(cmd "echo" [(bq (cmd "echo" [(bq (cmd "date"))]))])"#),
        ("echo \"a\\\"b\\$c\\d\"", #"(cmd "echo" "a\"b$c\\d")"#),
        ("a && \\\n b", #"(and (cmd "a") (cmd "b"))"#),
        ("a &&\n\n b ||\n c", #"(or (and (cmd "a") (cmd "b")) (cmd "c"))"#),
        ("a |\n b", #"(pipe (cmd "a") (cmd "b"))"#),
        ("ls @(a|b).txt", #"(cmd "ls" "@(a|b).txt")"#),
        ("a;\nb\n\nc &", #"(seq (cmd "a") (cmd "b") (bg (cmd "c")))"#),
        ("sudo -u app env A=1 pip install x", #"(cmd "sudo" "-u" "app" "env" "A=1" "pip" "install" "x")"#),
        ("echo x\r\necho y", #"(seq (cmd "echo" "x") (cmd "echo" "y"))"#),
    ])
    func outline(input: String, expected: String) {
        let s = ShellParser.parse(input)
        #expect(s.errors.isEmpty, "\(s.errors)")
        #expect(s.outline == expected)
    }

    @Test func heredocs() {
        let src = "cat <<EOF > /etc/x && echo ok\nline $A\n  two\nEOF\ncat <<-'END' | sh\n\tno $expansion\n\tEND\necho after"
        let s = ShellParser.parse(src)
        #expect(s.errors.isEmpty, "\(s.errors)")
        #expect(s.outline == #"(seq (and (cmd "cat" <<"EOF"{line $A\n  two\n} >"/etc/x") (cmd "echo" "ok")) (pipe (cmd "cat" <<-"END"{no $expansion\n}) (cmd "sh")) (cmd "echo" "after"))"#)
        let cmds = s.commands
        let doc = cmds[0].command.redirections[0].hereDoc!
        #expect(doc.delimiter == "EOF")
        #expect(!doc.quoted)
        #expect(doc.terminated)
        #expect(doc.bodyRange == ByteRange(offset(of: "line $A", in: src), offset(of: "EOF\ncat", in: src)))
        #expect(doc.parts.contains { if case .parameter(let p) = $0.kind { return p.name == "A" }; return false })
        let pa = doc.parts.first { if case .parameter = $0.kind { return true }; return false }!
        #expect(pa.range == range(of: "$A", in: src))
        let doc2 = cmds[2].command.redirections[0].hereDoc!
        #expect(doc2.quoted && doc2.stripsTabs)
        #expect(doc2.parts.isEmpty)
        #expect(cmds.map(\.name) == ["cat", "echo", "cat", "sh", "echo"])
    }

    @Test func heredocInsideSubstitutionAndMultiple() {
        let src = "x=$(cat <<A\nin sub\nA\n)\ncat <<B <<\"C\"\nb body\nB\nc body\nC\n"
        let s = ShellParser.parse(src)
        #expect(s.errors.isEmpty, "\(s.errors)")
        let cats = s.commands(named: "cat")
        #expect(cats.count == 2)
        #expect(cats[0].contexts == [.commandSubstitution])
        #expect(cats[0].command.redirections[0].hereDoc?.body == "in sub\n")
        #expect(cats[1].command.redirections.map { $0.hereDoc?.body } == ["b body\n", "c body\n"])
        #expect(cats[1].command.redirections[1].hereDoc?.quoted == true)
    }

    @Test func unterminatedHeredoc() {
        let s = ShellParser.parse("cat <<EOF\nabc\n")
        #expect(s.errors.count == 1)
        #expect(s.commands[0].command.redirections[0].hereDoc?.terminated == false)
        #expect(s.commands[0].command.redirections[0].hereDoc?.body == "abc\n")
    }
}

@Suite struct OffsetTests {
    @Test func simpleCommandRanges() {
        let src = "apt-get update && apt-get install -y --no-install-recommends curl=7.88 \\\n    && rm -rf /var/lib/apt/lists/*"
        let s = ShellParser.parse(src)
        #expect(s.errors.isEmpty)
        let c = s.commands
        #expect(c.count == 3)
        #expect(c[0].range == ByteRange(0, 14))
        #expect(c[1].range == ByteRange(18, offset(of: " \\\n", in: src)))
        #expect(c[1].arguments[3].range == range(of: "curl=7.88", in: src))
        #expect(c[2].range.start == offset(of: "rm -rf", in: src))
        #expect(c[2].range.end == src.utf8.count)
        #expect(c[2].arguments[1].range == range(of: "/var/lib/apt/lists/*", in: src))
        #expect(c[2].arguments[1].hasUnquotedGlob)
        #expect(s.body.items[0].andOr.range == ByteRange(0, src.utf8.count))
    }

    @Test func partRanges() {
        let src = #"echo "a $B ${C:-d}" 'e' \f $(g h) `i`"#
        let s = ShellParser.parse(src)
        let w = s.commands[0].arguments
        #expect(w[0].range == range(of: #""a $B ${C:-d}""#, in: src))
        guard case .doubleQuoted(let inner) = w[0].parts[0].kind else { Issue.record("dq"); return }
        #expect(inner.map(\.range) == [range(of: "a ", in: src), range(of: "$B", in: src), range(of: " ", in: src, occurrence: 2),
                                        range(of: "${C:-d}", in: src)])
        if case .parameter(let p) = inner[3].kind {
            #expect(p.operand?.range == range(of: "d", in: src, occurrence: 0).shifted(to: offset(of: "d}", in: src)))
        }
        #expect(w[1].range == range(of: "'e'", in: src))
        #expect(w[2].parts[0].range == range(of: "\\f", in: src))
        #expect(w[2].staticValue == "f")
        #expect(w[3].range == range(of: "$(g h)", in: src))
        let nested = s.commands.filter { $0.contexts == [.commandSubstitution] }
        #expect(nested.map(\.name) == ["g", "i"])
        #expect(nested[0].range == range(of: "g h", in: src))
        #expect(nested[1].range == range(of: "i", in: src, occurrence: 0).shifted(to: offset(of: "i`", in: src)))
    }

    @Test func multibyteOffsetsAreBytes() {
        let src = "echo 'héllo wörld' ✓ && ls"
        let s = ShellParser.parse(src)
        #expect(s.commands[0].arguments[1].range == range(of: "✓", in: src))
        #expect(s.commands[1].range.start == offset(of: "ls", in: src))
        #expect(s.commands[0].arguments[0].staticValue == "héllo wörld")
    }

    @Test func baseOffsetAndMap() {
        let s = ShellParser.parse("a && b", baseOffset: 100)
        #expect(s.commands.map(\.range) == [ByteRange(100, 101), ByteRange(105, 106)])
        let m = ShellParser.parse("a b", offsetMap: [10, 11, 20, 21])
        #expect(m.commands[0].arguments[0].range == ByteRange(20, 21))
    }

    @Test func backquoteOffsetsThroughEscapes() {
        let src = "echo `echo \\$HOME x`"
        let s = ShellParser.parse(src)
        let inner = s.commands[1]
        #expect(inner.name == "echo")
        #expect(inner.arguments[0].range == range(of: "\\$HOME", in: src).shifted(by: 1, end: 0))
        #expect(inner.arguments[1].range == range(of: "x", in: src))
    }
}

extension ByteRange {
    func shifted(to start: Int) -> ByteRange { ByteRange(start, start + length) }
    func shifted(by s: Int, end e: Int) -> ByteRange { ByteRange(start + s, end + e) }
}

@Suite struct MalformedInputTests {
    @Test(arguments: [
        ("echo 'unterminated", "unterminated single quote"),
        ("echo \"unterminated", "unterminated double quote"),
        ("echo $(date", "unterminated '$('"),
        ("echo ${x", "unterminated '${'"),
        ("echo `date", "unterminated backquote"),
        ("fi", "unexpected 'fi'"),
        ("echo a; fi; echo b", "unexpected 'fi'"),
        ("if true; then echo", "expected 'fi'"),
        ("while true; echo", "expected 'do'"),
        ("for x in a b; do echo", "expected 'done'"),
        ("case x in a) echo", "expected 'esac'"),
        ("a &&", "expected a command after '&&'"),
        ("a | ", "expected a command after '|'"),
        ("( echo", "expected ')'"),
        ("{ echo a", "expected '}'"),
        ("echo )", "unexpected ')'"),
        ("cat <<EOF", "has no body"),
        ("echo >", "expected a word after '>'"),
        ("echo ${}", "bad substitution"),
        ("done", "unexpected 'done'"),
        (";;", "unexpected"),
    ])
    func reportsError(input: String, message: String) {
        let s = ShellParser.parse(input)
        #expect(!s.errors.isEmpty, "no error for \(input)")
        #expect(s.errors.contains { $0.message.contains(message) }, "\(s.errors)")
        for e in s.errors { #expect(e.offset >= 0 && e.offset <= input.utf8.count) }
    }

    @Test func partialASTSurvives() {
        let s = ShellParser.parse("apt-get install -y curl && echo \"oops")
        #expect(s.commands.map(\.name) == ["apt-get", "echo"])
        #expect(s.errors.first?.offset == offset(of: "\"oops", in: "apt-get install -y curl && echo \"oops"))
        let t = ShellParser.parse("echo a; fi; echo b")
        #expect(t.commands.map(\.name) == ["echo", "echo"])
        #expect(t.errors.first?.offset == 8)
    }

    @Test func deepNestingIsBounded() {
        let deep = String(repeating: "$(", count: 5000) + String(repeating: ")", count: 5000)
        let s = ShellParser.parse(deep)
        #expect(s.errors.contains { $0.message.contains("too deep") })
        let parens = String(repeating: "(", count: 5000)
        #expect(!ShellParser.parse(parens).errors.isEmpty)
        let quotes = String(repeating: "\"$(", count: 3000)
        #expect(!ShellParser.parse(quotes).errors.isEmpty)
        let braces = String(repeating: "${x:-", count: 3000)
        #expect(!ShellParser.parse(braces).errors.isEmpty)
    }

    @Test func randomFuzzNeverCrashesOrHangs() {
        var rng = SplitMix(seed: 0x5EED)
        let alphabet = Array("ab $(){}[]'\"`\\|&;<>#\n\t=-!*?~:%/@,.+0123456789${}ifthenfidodonecaseesacEOF<<-".utf8)
        for round in 0..<3000 {
            let len = Int(rng.next() % 80)
            var bytes: [UInt8] = []
            for _ in 0..<len {
                if round % 3 == 0 {
                    bytes.append(UInt8(truncatingIfNeeded: rng.next()))
                } else {
                    bytes.append(alphabet[Int(rng.next() % UInt64(alphabet.count))])
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let s = ShellParser.parse(text)
            let n = text.utf8.count
            for e in s.errors { #expect(e.offset >= 0 && e.offset <= n) }
            for c in s.commands {
                #expect(c.range.start >= 0 && c.range.end <= n && c.range.start <= c.range.end, "\(text.debugDescription)")
                _ = PackageCommand.parse(c)?.dependencyInstall
            }
            _ = s.outline
            _ = s.setsPipefail
        }
    }

    @Test func keywordFragmentsFuzz() {
        var rng = SplitMix(seed: 42)
        let tokens = ["if", "then", "else", "elif", "fi", "for", "in", "do", "done", "while", "until", "case", "esac",
                      "{", "}", "(", ")", ";", ";;", "&&", "||", "|", "&", "\n", "x", "$(", "`", "\"", "'", "<<E", "E",
                      "[[", "]]", "((", "))", "function", "f()", "!", "time", "${", "}", "<(", "2>&1"]
        for _ in 0..<2000 {
            var parts: [String] = []
            for _ in 0..<Int(rng.next() % 25) { parts.append(tokens[Int(rng.next() % UInt64(tokens.count))]) }
            let text = parts.joined(separator: rng.next() % 2 == 0 ? " " : "")
            let s = ShellParser.parse(text)
            for c in s.commands { #expect(c.range.end <= text.utf8.count) }
        }
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
