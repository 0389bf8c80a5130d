import Testing
@testable import DockerlintSyntax

/// The environment BuildKit's own table tests use.
let shellLexTableEnv = ShellEnvironment(assignments: ["PWD=/home", "SHELL=bash", "KOREAN=한국어", "NULL="])

func shellLexExpand(_ word: String, _ lexer: ShellLexer = ShellLexer(), env: some EnvironmentLookup = shellLexTableEnv) throws -> String {
    try lexer.processWord(word, env: env)
}

func shellLexFailure(_ word: String, _ lexer: ShellLexer = ShellLexer(), env: some EnvironmentLookup = shellLexTableEnv) -> ShellLexError? {
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
        #expect(try shellLexExpand(word) == word)
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
        #expect(try shellLexExpand(input) == expected)
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
        #expect(try shellLexExpand(input) == expected)
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
        #expect(try shellLexExpand(input) == expected)
    }

    @Test("unterminated quotes fail with BuildKit's messages")
    func unterminatedQuotes() {
        #expect(shellLexFailure("he'llo")?.reason == .unterminatedSingleQuote)
        #expect(shellLexFailure("he\\\\'llo")?.reason == .unterminatedSingleQuote)
        #expect(shellLexFailure("'hello")?.reason == .unterminatedSingleQuote)
        #expect(shellLexFailure("\"hello")?.reason == .unterminatedDoubleQuote)
        #expect(shellLexFailure("\"hello\\\"")?.reason == .unterminatedDoubleQuote)
        #expect(shellLexFailure("\"hello\\")?.reason == .unterminatedDoubleQuote)
        #expect(shellLexFailure("'안녕하세요")?.message == "unexpected end of statement while looking for matching single-quote")
        #expect(shellLexFailure("\"안녕하세요")?.message == "unexpected end of statement while looking for matching double-quote")
    }

    @Test("the error description wraps the message with the Go-quoted word")
    func errorDescription() {
        #expect(shellLexFailure("he${}")?.description == "failed to process \"he${}\": syntax error: bad substitution")
        #expect(shellLexFailure("\"hello\\\"")?.description
            == "failed to process \"\\\"hello\\\\\\\"\": unexpected end of statement while looking for matching double-quote")
        #expect(shellLexFailure("안녕${}")?.description == "failed to process \"안녕${}\": syntax error: bad substitution")
        #expect(shellLexFailure("'\t\u{7}\u{A0}")?.description
            == "failed to process \"'\\t\\a\\u00a0\": unexpected end of statement while looking for matching single-quote")
        #expect(shellLexFailure("${x")?.word == "${x")
    }

    @Test("a leading byte-order mark is skipped, as Go's text/scanner does")
    func byteOrderMark() throws {
        #expect(try shellLexExpand("\u{FEFF}$SHELL") == "bash")
        #expect(try shellLexExpand("\u{FEFF}abc") == "abc")
        #expect(try shellLexExpand("a\u{FEFF}b") == "a\u{FEFF}b")
    }

    @Test("backtick as the escape token")
    func backtickEscape() throws {
        let lexer = ShellLexer(escapeToken: "`")
        #expect(try shellLexExpand("C:\\Windows\\$SHELL", lexer) == "C:\\Windows\\bash")
        #expect(try shellLexExpand("a`$PWD", lexer) == "a$PWD")
        #expect(try shellLexExpand("a` b", lexer) == "a b")
        #expect(try shellLexExpand("a``", lexer) == "a`")
        #expect(try shellLexExpand("end`", lexer) == "end")
        #expect(try shellLexExpand("\"a`\"b\"", lexer) == "a\"b")
        #expect(try shellLexExpand("\"x``y\"", lexer) == "x`y")
        #expect(try shellLexExpand("\"a\\\"", lexer) == "a\\")
        #expect(try shellLexExpand("\"`t\"", lexer) == "`t")
        #expect(try shellLexExpand("${X:-a`}b}", lexer) == "a}b")
        #expect(try lexer.processWords("a` b c", env: shellLexTableEnv) == ["a b", "c"])
        // Patterns always use backslash: a backtick in a pattern is a literal character.
        #expect(try shellLexExpand("${V#a`*}", lexer, env: ["V": "a`*bc"]) == "*bc")
        #expect(try shellLexExpand("${V#\\*}", lexer, env: ["V": "*b"]) == "b")
    }

    @Test("rawQuotes keeps the quote characters")
    func rawQuotes() throws {
        let lexer = ShellLexer(rawQuotes: true)
        #expect(try shellLexExpand("'a'\"b\"c", lexer) == "'a'\"b\"c")
        #expect(try shellLexExpand("\"$SHELL\"", lexer) == "\"bash\"")
        #expect(try shellLexExpand("'$SHELL'", lexer) == "'$SHELL'")
        #expect(try shellLexExpand("a\\'b", lexer) == "a'b")
        #expect(try lexer.processWords("'a b' \"c d\"", env: shellLexTableEnv) == ["'a b'", "\"c d\""])
    }

    @Test("rawEscapes keeps the escape token")
    func rawEscapes() throws {
        let lexer = ShellLexer(rawEscapes: true)
        #expect(try shellLexExpand("a\\ b", lexer) == "a\\ b")
        #expect(try shellLexExpand("he\\$PWD", lexer) == "he\\$PWD")
        #expect(try shellLexExpand("end\\", lexer) == "end\\")
        #expect(try lexer.processWords("a\\ b c", env: shellLexTableEnv) == ["a\\ b", "c"])
        #expect(try shellLexExpand("\"a\\\"b\"", lexer) == "a\\\"b")
        // BuildKit writes the token, then (not escaping anything) writes it again.
        #expect(try shellLexExpand("\"a\\b\"", lexer) == "a\\\\b")
        // The words of ${x-w}, ${x+w} and ${x?w} are processed without raw escapes.
        #expect(try shellLexExpand("${X:-a\\ b}", lexer) == "a b")
        #expect(try shellLexExpand("${PWD:+x\\$y}", lexer) == "x$y")
    }

    @Test("skipProcessQuotes treats quotes as ordinary characters")
    func skipProcessQuotes() throws {
        let lexer = ShellLexer(skipProcessQuotes: true)
        #expect(try shellLexExpand("'$SHELL'", lexer) == "'bash'")
        #expect(try shellLexExpand("\"a", lexer) == "\"a")
        #expect(try lexer.processWords("\"a b\"", env: shellLexTableEnv) == ["\"a", "b\""])
        #expect(try shellLexExpand("a\\\"", lexer) == "a\"")
    }

    @Test("skipUnsetEnv leaves undefined references as written")
    func skipUnsetEnv() throws {
        let lexer = ShellLexer(skipUnsetEnv: true)
        #expect(try shellLexExpand("$NOPE/$SHELL", lexer) == "$NOPE/bash")
        #expect(try shellLexExpand("${NOPE}", lexer) == "${NOPE}")
        #expect(try shellLexExpand("$1 $@", lexer) == "$1 $@")
        #expect(try shellLexExpand("${NOPE:-x}", lexer) == "${NOPE:-x}")
        #expect(try shellLexExpand("${NOPE-$SHELL}", lexer) == "${NOPE-bash}")
        #expect(try shellLexExpand("${NOPE:?oops}", lexer) == "${NOPE:?oops}")
        #expect(try shellLexExpand("${NOPE#a*}", lexer) == "${NOPE#a*}")
        // Even unsupported modifiers pass through when the variable is undefined...
        #expect(try shellLexExpand("${NOPE:=x}", lexer) == "${NOPE:=x}")
        // ...but not when it is defined.
        #expect(shellLexFailure("${PWD:=x}", lexer)?.reason == .unsupportedModifier(":="))
        // BuildKit rebuilds ${x//p/r} with a single slash.
        #expect(try shellLexExpand("${NOPE//a/b}", lexer) == "${NOPE/a/b}")
        #expect(try shellLexExpand("${NULL:-x}", lexer) == "x")
        #expect(shellLexFailure("${}", lexer)?.reason == .badSubstitution)
    }
}
