import Testing
@testable import DockerlintSyntax

/// The environment BuildKit's own table tests use.
let shellLexTableEnv = ShellEnvironment(assignments: ["PWD=/home", "SHELL=bash", "KOREAN=한국어", "NULL="])

func expand(_ word: String, _ lexer: ShellLexer = ShellLexer(), env: some EnvironmentLookup = shellLexTableEnv) throws -> String {
    try lexer.processWord(word, env: env)
}

func lexFailure(_ word: String, _ lexer: ShellLexer = ShellLexer(), env: some EnvironmentLookup = shellLexTableEnv) -> ShellLexError? {
    do {
        _ = try lexer.processWord(word, env: env)
        return nil
    } catch {
        return error
    }
}

@Suite("ShellLexer: quotes and escapes")
struct ShellLexQuotingTests {
    @Test("words without special characters come back unchanged", arguments: [
        "hello", "안녕하세요", "a b  c", "", "/usr/local/bin:/usr/bin", "tab\there",
    ])
    func passthrough(_ word: String) throws {
        #expect(try expand(word) == word)
    }

    @Test("quote removal and escapes outside quotes", arguments: [
        ("he'll'o", "hello"),
        ("he\\'llo", "he'llo"),
        ("abc\\tdef", "abctdef"),
        ("hello\\", "hello"),
        ("hello\\\\", "hello\\"),
        ("\"hel'lo\"", "hel'lo"),
        ("\"''\"", "''"),
        ("'\"hello\"'", "\"hello\""),
        ("안'녕'하세요", "안녕하세요"),
        ("안녕\\'하세요", "안녕'하세요"),
        ("a\\ b", "a b"),
        ("\\한", "한"),
    ])
    func unquoted(_ input: String, _ expected: String) throws {
        #expect(try expand(input) == expected)
    }

    @Test("single quotes are literal, with no escaping inside", arguments: [
        ("'abc\\tdef'", "abc\\tdef"),
        ("'hello\\'", "hello\\"),
        ("'hello\\\\there'", "hello\\\\there"),
        ("'$PWD'", "$PWD"),
        ("'\\$PWD'", "\\$PWD"),
        ("'he${XX}'", "he${XX}"),
        ("'a b'", "a b"),
    ])
    func singleQuotes(_ input: String, _ expected: String) throws {
        #expect(try expand(input) == expected)
    }

    @Test("in double quotes the escape token escapes only \", $ and itself", arguments: [
        ("\"abc\\tdef\"", "abc\\tdef"),
        ("\"abc\\\\tdef\"", "abc\\tdef"),
        ("\"he\\$PWD\"", "he$PWD"),
        ("\"he\\\\$PWD\"", "he\\/home"),
        ("\"a\\\"b\"", "a\"b"),
        ("\"he'$PWD'\"", "he'/home'"),
        ("\"$PWD\"", "/home"),
        ("\"he${PWD}\"", "he/home"),
        ("\"안녕\\t하세요\"", "안녕\\t하세요"),
        ("\"a`b\"", "a`b"),
    ])
    func doubleQuotes(_ input: String, _ expected: String) throws {
        #expect(try expand(input) == expected)
    }

    @Test("unterminated quotes fail with BuildKit's messages")
    func unterminatedQuotes() {
        #expect(lexFailure("he'llo")?.reason == .unterminatedSingleQuote)
        #expect(lexFailure("he\\\\'llo")?.reason == .unterminatedSingleQuote)
        #expect(lexFailure("'hello")?.reason == .unterminatedSingleQuote)
        #expect(lexFailure("\"hello")?.reason == .unterminatedDoubleQuote)
        #expect(lexFailure("\"hello\\\"")?.reason == .unterminatedDoubleQuote)
        #expect(lexFailure("\"hello\\")?.reason == .unterminatedDoubleQuote)
        #expect(lexFailure("'안녕하세요")?.message == "unexpected end of statement while looking for matching single-quote")
        #expect(lexFailure("\"안녕하세요")?.message == "unexpected end of statement while looking for matching double-quote")
    }

    @Test("the error description wraps the message with the Go-quoted word")
    func errorDescription() {
        #expect(lexFailure("he${}")?.description == "failed to process \"he${}\": syntax error: bad substitution")
        #expect(lexFailure("\"hello\\\"")?.description
            == "failed to process \"\\\"hello\\\\\\\"\": unexpected end of statement while looking for matching double-quote")
        #expect(lexFailure("안녕${}")?.description == "failed to process \"안녕${}\": syntax error: bad substitution")
        #expect(lexFailure("'\t\u{7}\u{A0}")?.description
            == "failed to process \"'\\t\\a\\u00a0\": unexpected end of statement while looking for matching single-quote")
        #expect(lexFailure("${x")?.word == "${x")
    }

    @Test("a leading byte-order mark is skipped, as Go's text/scanner does")
    func byteOrderMark() throws {
        #expect(try expand("\u{FEFF}$SHELL") == "bash")
        #expect(try expand("\u{FEFF}abc") == "abc")
        #expect(try expand("a\u{FEFF}b") == "a\u{FEFF}b")
    }

    @Test("backtick as the escape token")
    func backtickEscape() throws {
        let lexer = ShellLexer(escapeToken: "`")
        #expect(try expand("C:\\Windows\\$SHELL", lexer) == "C:\\Windows\\bash")
        #expect(try expand("a`$PWD", lexer) == "a$PWD")
        #expect(try expand("a` b", lexer) == "a b")
        #expect(try expand("a``", lexer) == "a`")
        #expect(try expand("end`", lexer) == "end")
        #expect(try expand("\"a`\"b\"", lexer) == "a\"b")
        #expect(try expand("\"x``y\"", lexer) == "x`y")
        #expect(try expand("\"a\\\"", lexer) == "a\\")
        #expect(try expand("\"`t\"", lexer) == "`t")
        #expect(try expand("${X:-a`}b}", lexer) == "a}b")
        #expect(try lexer.processWords("a` b c", env: shellLexTableEnv) == ["a b", "c"])
        // Patterns always use backslash: a backtick in a pattern is a literal character.
        #expect(try expand("${V#a`*}", lexer, env: ["V": "a`*bc"]) == "*bc")
        #expect(try expand("${V#\\*}", lexer, env: ["V": "*b"]) == "b")
    }

    @Test("rawQuotes keeps the quote characters")
    func rawQuotes() throws {
        let lexer = ShellLexer(rawQuotes: true)
        #expect(try expand("'a'\"b\"c", lexer) == "'a'\"b\"c")
        #expect(try expand("\"$SHELL\"", lexer) == "\"bash\"")
        #expect(try expand("'$SHELL'", lexer) == "'$SHELL'")
        #expect(try expand("a\\'b", lexer) == "a'b")
        #expect(try lexer.processWords("'a b' \"c d\"", env: shellLexTableEnv) == ["'a b'", "\"c d\""])
    }

    @Test("rawEscapes keeps the escape token")
    func rawEscapes() throws {
        let lexer = ShellLexer(rawEscapes: true)
        #expect(try expand("a\\ b", lexer) == "a\\ b")
        #expect(try expand("he\\$PWD", lexer) == "he\\$PWD")
        #expect(try expand("end\\", lexer) == "end\\")
        #expect(try lexer.processWords("a\\ b c", env: shellLexTableEnv) == ["a\\ b", "c"])
        #expect(try expand("\"a\\\"b\"", lexer) == "a\\\"b")
        // BuildKit writes the token, then (not escaping anything) writes it again.
        #expect(try expand("\"a\\b\"", lexer) == "a\\\\b")
        // The words of ${x-w}, ${x+w} and ${x?w} are processed without raw escapes.
        #expect(try expand("${X:-a\\ b}", lexer) == "a b")
        #expect(try expand("${PWD:+x\\$y}", lexer) == "x$y")
    }

    @Test("skipProcessQuotes treats quotes as ordinary characters")
    func skipProcessQuotes() throws {
        let lexer = ShellLexer(skipProcessQuotes: true)
        #expect(try expand("'$SHELL'", lexer) == "'bash'")
        #expect(try expand("\"a", lexer) == "\"a")
        #expect(try lexer.processWords("\"a b\"", env: shellLexTableEnv) == ["\"a", "b\""])
        #expect(try expand("a\\\"", lexer) == "a\"")
    }

    @Test("skipUnsetEnv leaves undefined references as written")
    func skipUnsetEnv() throws {
        let lexer = ShellLexer(skipUnsetEnv: true)
        #expect(try expand("$NOPE/$SHELL", lexer) == "$NOPE/bash")
        #expect(try expand("${NOPE}", lexer) == "${NOPE}")
        #expect(try expand("$1 $@", lexer) == "$1 $@")
        #expect(try expand("${NOPE:-x}", lexer) == "${NOPE:-x}")
        #expect(try expand("${NOPE-$SHELL}", lexer) == "${NOPE-bash}")
        #expect(try expand("${NOPE:?oops}", lexer) == "${NOPE:?oops}")
        #expect(try expand("${NOPE#a*}", lexer) == "${NOPE#a*}")
        // Even unsupported modifiers pass through when the variable is undefined...
        #expect(try expand("${NOPE:=x}", lexer) == "${NOPE:=x}")
        // ...but not when it is defined.
        #expect(lexFailure("${PWD:=x}", lexer)?.reason == .unsupportedModifier(":="))
        // BuildKit rebuilds ${x//p/r} with a single slash.
        #expect(try expand("${NOPE//a/b}", lexer) == "${NOPE/a/b}")
        #expect(try expand("${NULL:-x}", lexer) == "x")
        #expect(lexFailure("${}", lexer)?.reason == .badSubstitution)
    }
}
