import Testing
@testable import DockerlintSyntax

@Suite("ShellLexer: word splitting")
struct ShellLexWordsTests {
    /// The variables of BuildKit's words table (note the leading and trailing blanks).
    let env = ShellEnvironment([
        ("hi", "hi"), ("space", "abc  def"), ("leading", "  ab c"), ("trailing", "ab c   "),
    ])

    func words(_ input: String, _ lexer: ShellLexer = ShellLexer()) throws -> [String] {
        try lexer.processWords(input, env: env)
    }

    @Test("splitting happens after expansion, not inside quotes or escapes", arguments: [
        ("hello", ["hello"]),
        ("hello there     ", ["hello", "there"]),
        ("  a \t b\nc  ", ["a", "b", "c"]),
        ("hello${hi}bye", ["hellohibye"]),
        ("hello${nope}bye", ["hellobye"]),
        ("hello${space}bye", ["helloabc", "defbye"]),
        ("hello\"${space}\"bye", ["helloabc  defbye"]),
        ("hello \"${space}\"bye", ["hello", "abc  defbye"]),
        ("hello${leading}def", ["hello", "ab", "cdef"]),
        ("hello\"${leading}\" def", ["hello  ab c", "def"]),
        ("hello${trailing}d", ["helloab", "c", "d"]),
        ("hel\"lo${trailing}\"", ["helloab c   "]),
        ("hello\" there  \"", ["hello there  "]),
        ("hello\\ there", ["hello there"]),
        ("hello\\\" there", ["hello\"", "there"]),
        ("hello\"\\\\there\"", ["hello\\there"]),
        ("hello'\\there'", ["hello\\there"]),
        ("hello'$there'", ["hello$there"]),
        ("8080/tcp 53/udp", ["8080/tcp", "53/udp"]),
        ("안녕 하세요", ["안녕", "하세요"]),
        ("a\u{A0}b\u{3000}c", ["a", "b", "c"]),   // Go's unicode.IsSpace
    ])
    func table(_ input: String, _ expected: [String]) throws {
        #expect(try words(input) == expected)
    }

    @Test("empty words are dropped")
    func emptyWords() throws {
        #expect(try words("") == [])
        #expect(try words("   ") == [])
        #expect(try words("\"\"") == [])
        #expect(try words("a \"\" b") == ["a", "b"])
        #expect(try words("${nope}") == [])
        #expect(try words("' '") == [" "])
    }

    @Test("errors")
    func errors() {
        #expect(throws: ShellLexError(.unterminatedDoubleQuote, word: "hello\" there")) {
            try words("hello\" there")
        }
        #expect(throws: ShellLexError(.badSubstitution, word: "a ${}")) { try words("a ${}") }
    }

    @Test("processWord keeps the whitespace that processWords splits on")
    func processWordDoesNotSplit() throws {
        #expect(try ShellLexer().processWord("hello${leading}def  x", env: env) == "hello  ab cdef  x")
    }

    /// BuildKit's lexer shares one word buffer between a word and the words of the
    /// `${x:-...}`, `${x#...}` and `${x/...}` forms inside it, and processing those resets
    /// it: the part of the current word before such a form is lost from `ProcessWords`
    /// (not from `ProcessWord`). Reproduced on purpose so EXPOSE-style splitting matches.
    @Test("a nested ${...} word drops the partial word before it, as in BuildKit")
    func sharedBufferQuirk() throws {
        #expect(try words("ab${X:-c}d") == ["cd"])
        #expect(try words("x ab${X:-c}d") == ["x", "cd"])
        #expect(try words("80/${PROTO:-tcp}") == ["tcp"])
        #expect(try words("ab\"${X:-c}\"d") == ["cd"])
        #expect(try words("ab${hi#h}d") == ["id"])
        #expect(try words("ab${hi/h/H}d") == ["Hid"])
        // Plain ${x} and $x have no nested word, so nothing is lost.
        #expect(try words("ab${hi}d") == ["abhid"])
        #expect(try ShellLexer().processWord("ab${X:-c}d", env: env) == "abcd")
        #expect(try ShellLexer().processWordWithMatches("ab${X:-c}d", env: env).words == ["cd"])
    }

    @Test("<< keeps the blanks after it, so a heredoc operator stays with its word")
    func heredocOperator() throws {
        #expect(try words("cat << EOF") == ["cat", "<< EOF"])
        #expect(try words("cat <<\tEOF >out") == ["cat", "<<\tEOF", ">out"])
        #expect(try words("a < b") == ["a", "<", "b"])
        #expect(try ShellLexer().processWord("cat <<  EOF", env: env) == "cat <<  EOF")
    }

    /// How BuildKit's parser finds heredocs in a RUN/COPY line.
    @Test("heredoc discovery: rawQuotes, rawEscapes and skipUnsetEnv together")
    func heredocDiscovery() throws {
        let lexer = ShellLexer(rawQuotes: true, rawEscapes: true, skipUnsetEnv: true)
        let empty = ShellEnvironment.empty
        #expect(try lexer.processWords("cat <<EOF > $out", env: empty) == ["cat", "<<EOF", ">", "$out"])
        #expect(try lexer.processWords("cat <<-\"EOF\" | sh", env: empty) == ["cat", "<<-\"EOF\"", "|", "sh"])
        #expect(try lexer.processWords("python3 <<'PY' ${ARGS:-x}", env: empty) == ["python3", "<<'PY'", "${ARGS:-x}"])
        #expect(try lexer.processWords("a\\ b <<E\\OF", env: empty) == ["a\\ b", "<<E\\OF"])
        #expect(try lexer.processWords("cat << EOF", env: empty) == ["cat", "<< EOF"])
    }

    /// BuildKit decides whether a heredoc delimiter was quoted by lexing it with and without
    /// rawQuotes (with skipUnsetEnv) and comparing the quote counts.
    @Test("heredoc delimiter quoting: rawQuotes false vs true")
    func heredocDelimiter() throws {
        let plain = ShellLexer(skipUnsetEnv: true)
        let raw = ShellLexer(rawQuotes: true, skipUnsetEnv: true)
        let empty = ShellEnvironment.empty
        for (word, quoted) in [("EOF", false), ("\"EOF\"", true), ("'EOF'", true), ("E\"O\"F", true), ("E\\\"OF", false)] {
            let a = try plain.processWords(word, env: empty)
            let b = try raw.processWords(word, env: empty)
            #expect(a.count == 1 && b.count == 1, "\(word)")
            let count = { (s: String) in s.unicodeScalars.filter { $0 == "\"" || $0 == "'" }.count }
            #expect((count(a[0]) != count(b[0])) == quoted, "\(word)")
        }
        #expect(try plain.processWords("\"EOF\"", env: empty) == ["EOF"])
        #expect(try raw.processWords("\"EOF\"", env: empty) == ["\"EOF\""])
        #expect(try plain.processWords("E\\\"OF", env: empty) == ["E\"OF"])
        #expect(try plain.processWords("$EOF", env: empty) == ["$EOF"])
    }
}

@Suite("ShellLexer: matched and unmatched variables")
struct ShellLexMatchesTests {
    func matches(_ input: String, _ env: [String: String]) throws -> ShellWordResult {
        try ShellLexer().processWordWithMatches(input, env: env)
    }

    @Test("defined and undefined references are reported")
    func basic() throws {
        var r = try matches("x", ["DUMMY": "dummy"])
        #expect(r.result == "x" && r.matched.isEmpty && r.unmatched.isEmpty)
        r = try matches("x ${UNUSED}", ["DUMMY": "dummy"])
        #expect(r.result == "x " && r.matched.isEmpty && r.unmatched == ["UNUSED"])
        r = try matches("x ${FOO} $FOO", ["FOO": "y"])
        #expect(r.result == "x y y" && r.matched == ["FOO"] && r.unmatched.isEmpty)
        #expect(r.words == ["x", "y", "y"])
    }

    @Test("every modifier looks its variable up", arguments: [
        ("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", "xxx  ccc"),
        ("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", "xxx bbb ccc"),
        ("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", "aaa bbb "),
        ("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", "aaa  "),
        ("${FOO#x} ${BAR%y} ${BAZ/a/b}", "xx  "),
    ])
    func modifiers(_ input: String, _ expected: String) throws {
        let r = try matches(input, ["FOO": "xxx", "BAR": ""])
        #expect(r.result == expected)
        #expect(r.matched == ["FOO", "BAR"])
        #expect(r.unmatched == ["BAZ"])
    }

    @Test("names inside modifier words count too, even when the word is not used")
    func nested() throws {
        let r = try matches("${FOO:-$BAR} ${FOO#$BAZ} ${NOPE:+$QUX}", ["FOO": "xxyy", "BAZ": "x"])
        #expect(r.result == "xxyy xyy ")
        #expect(r.matched == ["FOO", "BAZ"])
        #expect(r.unmatched == ["BAR", "NOPE", "QUX"])
        let p = try matches("${FOO/$NEEDLE/$REPLACEMENT}", ["FOO": "http://google.de", "NEEDLE": "http://", "REPLACEMENT": "https://"])
        #expect(p.matched == ["FOO", "NEEDLE", "REPLACEMENT"])
    }

    @Test("positional and special parameters are looked up like names")
    func specials() throws {
        let r = try matches("$1 ${@} $$", [:])
        #expect(r.unmatched == ["1", "@", "$"])
    }

    @Test("a failed expansion still reports what it looked up before failing")
    func onError() {
        let lexer = ShellLexer()
        var (r, e) = lexer.processWordCollectingMatches("$A ${BAZ:?ccc}", env: ["A": "1"])
        #expect(e?.reason == .requiredVariable(name: "BAZ", message: "ccc"))
        #expect(r.result == "" && r.words.isEmpty)
        #expect(r.matched == ["A"] && r.unmatched == ["BAZ"])
        (r, e) = lexer.processWordCollectingMatches("${BAR:?bbb}", env: ["BAR": ""])
        #expect(e != nil && r.matched == ["BAR"])
        // The variable is looked up before an unsupported modifier is rejected...
        (r, e) = lexer.processWordCollectingMatches("he${XXX:YYY}", env: [String: String]())
        #expect(e?.reason == .unsupportedModifier(":Y") && r.unmatched == ["XXX"])
        // ...but not for the forms rejected up front.
        (r, e) = lexer.processWordCollectingMatches("${FOO:#x} ${FOO=aaa}", env: ["FOO": "xxx"])
        #expect(e?.reason == .unsupportedModifier(":#") && r.matched.isEmpty && r.unmatched.isEmpty)
        (r, e) = lexer.processWordCollectingMatches("${FOO=aaa}", env: ["FOO": "xxx"])
        #expect(e?.reason == .unsupportedModifier("=") && r.matched.isEmpty)
        #expect(throws: ShellLexError.self) { try lexer.processWordWithMatches("${BAZ:?}", env: ShellEnvironment.empty) }
    }

    @Test("processWords and processWord agree with processWordWithMatches")
    func consistent() throws {
        let env = ["A": "a b", "B": ""]
        let lexer = ShellLexer()
        for word in ["$A", "x${A}y", "\"$A\" $B", "${A:+z} ${B:-w}"] {
            let r = try lexer.processWordWithMatches(word, env: env)
            #expect(r.result == (try lexer.processWord(word, env: env)))
            #expect(r.words == (try lexer.processWords(word, env: env)))
        }
    }
}

@Suite("ShellLex: environments")
struct ShellLexEnvironmentTests {
    @Test("later definitions win; names are listed once in first-definition order")
    func ordered() throws {
        let env = ShellEnvironment([("foo", "bar"), ("car", "hat"), ("car", "bike")])
        #expect(env.lookup("car") == "bike")
        #expect(env.lookup("foo") == "bar")
        #expect(env.lookup("nope") == nil)
        #expect(env.names == ["foo", "car"])
        #expect(env.definitions.count == 3)
        #expect(try ShellLexer().processWord("$car", env: env) == "bike")
    }

    @Test("NAME=value strings split at the first =")
    func assignments() {
        let env = ShellEnvironment(assignments: ["a=b=c", "empty=", "bare", "k=한"])
        #expect(env.lookup("a") == "b=c")
        #expect(env.lookup("empty") == "")
        #expect(env.lookup("bare") == "")
        #expect(env.lookup("k") == "한")
        #expect(ShellEnvironment.empty.names.isEmpty)
    }

    @Test("lookups are case-sensitive (Unix)")
    func caseSensitive() throws {
        let env = ShellEnvironment(assignments: ["PWD=/home"])
        #expect(env.lookup("pwd") == nil)
        let r = try ShellLexer().processWordWithMatches("he$pwd.$PWD", env: env)
        #expect(r.result == "he./home" && r.unmatched == ["pwd"] && r.matched == ["PWD"])
    }

    @Test("define shadows earlier values")
    func define() {
        var env = ShellEnvironment()
        env.define("X", "1")
        env.define("Y", "2")
        env.define("X", "3")
        #expect(env.lookup("X") == "3")
        #expect(env.names == ["X", "Y"])
    }

    @Test("a dictionary is an environment with sorted names")
    func dictionary() {
        let env: [String: String] = ["b": "1", "a": "2"]
        #expect(env.names == ["a", "b"])
        #expect(env.lookup("a") == "2")
    }
}

@Suite("ShellLex: internals")
struct ShellLexInternalsTests {
    func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

    @Test("pattern reversal keeps escape pairs in order", arguments: [
        ("a\\*c", "c\\*a"),
        ("\\\\\\ab", "b\\a\\\\"),
        ("ab\\", "\\ba"),
        ("👽\\🚀🖖", "🖖\\🚀👽"),
        ("\\\\b", "b\\\\"),
        ("", ""),
    ])
    func reversePattern(_ pattern: String, _ expected: String) {
        #expect(ShellGlobPattern.reversePattern(scalars(pattern)) == scalars(expected))
    }

    @Test("escapes that do not compile", arguments: ["\\", "\\x", "\\\\\\", "a\\b"])
    func invalid(_ pattern: String) {
        #expect(throws: ShellGlobPatternError.self) { try ShellGlobPattern(scalars(pattern), greedy: true) }
    }

    @Test("escapes that compile")
    func valid() throws {
        let p = try ShellGlobPattern(scalars("\\*\\?\\\\\\}\\/.+"), greedy: true)
        #expect(p.tokens == [.literal(0x2A), .literal(0x3F), .literal(0x5C), .literal(0x7D), .literal(0x2F), .literal(0x2E), .literal(0x2B)])
    }

    @Test("many stars stay fast (memoised backtracking)")
    func manyStars() throws {
        let pattern = String(repeating: "*a", count: 30) + "b"
        let value = String(repeating: "a", count: 400)
        #expect(try shellLexExpand("${V#$P}", env: ["V": value, "P": pattern]) == value)
        #expect(try shellLexExpand("${V##$P}", env: ["V": value + "b", "P": pattern]) == "")
    }

    @Test("Go's %q quoting")
    func goQuoted() {
        #expect(ShellLexText.goQuoted("a\"b\\c") == "\"a\\\"b\\\\c\"")
        #expect(ShellLexText.goQuoted("\n\t\u{1}\u{7F}") == "\"\\n\\t\\x01\\x7f\"")
        #expect(ShellLexText.goQuoted("한 é 🖖") == "\"한 é 🖖\"")
        #expect(ShellLexText.goQuoted("\u{A0}\u{200B}\u{E0001}") == "\"\\u00a0\\u200b\\U000e0001\"")
    }
}
