import Testing
@testable import DockerlintSyntax

@Suite("ShellLexer: variable expansion")
struct ShellLexExpansionTests {
    @Test("$name and ${name}", arguments: [
        ("he$PWD", "he/home"),
        ("he${PWD}", "he/home"),
        ("he$pwd.", "he."),            // case-sensitive on Unix
        ("he${hi}xx", "hexx"),
        ("$KOREAN", "한국어"),
        ("안녕$KOREAN", "안녕한국어"),
        ("$PWD$SHELL", "/homebash"),
        ("${aaa}}", "}"),
        ("$PWD-x", "/home-x"),
        ("$SHELL_x", ""),              // _ is part of the name
        ("he\\$PWD", "he$PWD"),
        ("he\\\\$PWD", "he\\/home"),
        ("\\${}aaa", "${}aaa"),
    ])
    func simple(_ input: String, _ expected: String) throws {
        #expect(try shellLexExpand(input) == expected)
    }

    @Test("a $ that starts no name stays literal", arguments: [
        ("$.", "$."),
        ("he$.x", "he$.x"),
        ("$", "$"),
        ("a$", "a$"),
        ("$ x", "$ x"),
        ("$\"x\"", "$x"),
        ("$'PWD'", "$PWD"),
        ("$/", "$/"),
    ])
    func literalDollar(_ input: String, _ expected: String) throws {
        #expect(try shellLexExpand(input) == expected)
    }

    @Test("names may use Unicode letters and digits")
    func unicodeNames() throws {
        let env: [String: String] = ["변수": "값", "x١": "arabic-digit"]
        #expect(try shellLexExpand("$변수!", env: env) == "값!")
        #expect(try shellLexExpand("${변수:-no}", env: env) == "값")
        #expect(try shellLexExpand("$x١", env: env) == "arabic-digit")
    }

    @Test("positional parameters expand to empty", arguments: [
        ("he$1x", "hex"),
        ("$9", ""),
        ("${1}", ""),
        ("$999aaa", "aaa"),
        ("${999}aaa", "aaa"),
        ("$001aaa", "aaa"),
        ("${001:-bbb}aaa", "bbbaaa"),
        ("${2:+bbb}", ""),
        ("${0}", ""),
        ("$0abc", "abc"),
    ])
    func positional(_ input: String, _ expected: String) throws {
        #expect(try shellLexExpand(input) == expected)
    }

    @Test("special parameters expand to empty", arguments: ["@", "*", "#", "?", "-", "$", "!", "0"])
    func special(_ p: String) throws {
        #expect(try shellLexExpand("$\(p)") == "")
        #expect(try shellLexExpand("${\(p)}") == "")
        #expect(try shellLexExpand("a$\(p)b") == "ab")
        #expect(try shellLexExpand("${\(p):+bbb}") == "")
        #expect(try shellLexExpand("${\(p):-bbb}aaa") == "bbbaaa")
        #expect(try shellLexExpand("${\(p)-bbb}") == "bbb")
    }

    @Test("only one special character is a name")
    func specialIsOneCharacter() throws {
        #expect(try shellLexExpand("$@@@") == "@@")
        #expect(try shellLexExpand("$$$$") == "")
        #expect(try shellLexExpand("$##") == "#")
    }

    @Test("${x-w} and ${x:-w}: defaults", arguments: [
        ("he${XXX:-000}xx", "he000xx"),
        ("he${PWD:-000}xx", "he/homexx"),
        ("he${XXX:-$PWD}xx", "he/homexx"),
        ("he${XXX:-${PWD:-yyy}}xx", "he/homexx"),
        ("he${XXX:-${YYY:-yyy}}xx", "heyyyxx"),
        ("${NULL:-x}", "x"),
        ("${NULL-x}", ""),
        ("${XXX-x}", "x"),
        ("${XXX:-}", ""),
        ("he${XXX:-\\$PWD:}xx", "he$PWD:xx"),
        ("he${XXX:-\\${PWD}z}xx", "he${PWDz}xx"),
        ("${aaa:-bbb}}", "bbb}"),
        ("${aaa:-bbb {foo}", "bbb {foo"),
        ("${X:-'}'}", "}"),
        ("${X:-\"a b\"}", "a b"),
        ("${X:-a:b}", "a:b"),
    ])
    func defaults(_ input: String, _ expected: String) throws {
        #expect(try shellLexExpand(input) == expected)
    }

    @Test("${x+w} and ${x:+w}: alternatives", arguments: [
        ("he${XXX:+${PWD}}xx", "hexx"),
        ("he${PWD:+${XXX}}xx", "hexx"),
        ("he${PWD:+${SHELL}}xx", "hebashxx"),
        ("he${PWD:+000}xx", "he000xx"),
        ("he${PWD:+${PWD}:}xx", "he/home:xx"),
        ("${NULL+x}", "x"),
        ("${NULL:+x}", ""),
        ("${XXX+x}", ""),
    ])
    func alternatives(_ input: String, _ expected: String) throws {
        #expect(try shellLexExpand(input) == expected)
    }

    @Test("${x?m} and ${x:?m}: required variables")
    func required() throws {
        #expect(try shellLexExpand("he${PWD?}") == "he/home")
        #expect(try shellLexExpand("he${PWD:?}") == "he/home")
        #expect(try shellLexExpand("he${NULL?}") == "he")
        #expect(shellLexFailure("he${NULL:?}")?.reason == .requiredVariable(name: "NULL", message: "is not allowed to be empty"))
        #expect(shellLexFailure("he${XXX?}")?.reason == .requiredVariable(name: "XXX", message: "is not allowed to be unset"))
        #expect(shellLexFailure("he${XXX:?}")?.message == "XXX: is not allowed to be unset")

        let set = ShellEnvironment(assignments: ["VAR=plain", "ARG=x"])
        let empty = ShellEnvironment(assignments: ["VAR=", "ARG=x"])
        let unset = ShellEnvironment(assignments: ["ARG=x"])
        #expect(try shellLexExpand("${VAR:?message here$ARG}", env: set) == "plain")
        #expect(shellLexFailure("${VAR:?message here$ARG}", env: empty)?.message == "VAR: message herex")
        #expect(shellLexFailure("${VAR:?message here$ARG}", env: unset)?.message == "VAR: message herex")
        #expect(try shellLexExpand("${VAR?message here$ARG}", env: set) == "plain")
        #expect(try shellLexExpand("${VAR?message here$ARG}", env: empty) == "")
        #expect(shellLexFailure("${VAR?message here$ARG}", env: unset)?.description
            == "failed to process \"${VAR?message here$ARG}\": VAR: message herex")
    }

    @Test("malformed substitutions")
    func malformed() {
        let cases: [(String, ShellLexError.Reason)] = [
            ("${}", .badSubstitution),
            ("he${}xx", .badSubstitution),
            ("${:}", .badSubstitution),
            ("${:-bbb}", .badSubstitution),
            ("${{aaa}", .badSubstitution),
            ("${", .missingClosingBrace),
            ("${aaa:-bbb", .missingClosingBrace),
            ("${aaa:-bbb ${foo}", .missingClosingBrace),
            ("${aaa:", .missingClosingBrace),
            ("${X:-'abc", .missingClosingBrace),          // a quote error at the end reads as a missing }
            ("${X:-${Y:?oops}", .missingClosingBrace),    // so does any nested error at the end
            ("${X:-${Y:?oops}}", .requiredVariable(name: "Y", message: "oops")),
            ("${PWD/abc", .missingSlash),
            ("${FOO//ww}", .missingSlash),
            ("${PWD/a/b", .missingClosingBrace),
            ("he${PWD", .unsupportedModifier("\u{FFFD}")),  // Go prints end of input as U+FFFD
            ("he${.}", .unsupportedModifier(".")),
            ("${#PWD}", .unsupportedModifier("P")),         // no ${#n}
            ("${PWD:1:2}", .unsupportedModifier(":1")),     // no ${n:off:len}
            ("he${XXX:YYY}", .unsupportedModifier(":Y")),
            ("${PWD:=000}", .unsupportedModifier(":=")),
            ("${PWD=000}", .unsupportedModifier("=")),
            ("${FOO:#}", .unsupportedModifier(":#")),
            ("${FOO:##x}", .unsupportedModifier(":#")),
            ("${FOO:%}", .unsupportedModifier(":%")),
            ("${FOO:%%}", .unsupportedModifier(":%")),
            ("${PWD:}x}", .unsupportedModifier(":}")),
        ]
        for (input, reason) in cases {
            #expect(shellLexFailure(input)?.reason == reason, "\(input)")
        }
        #expect(shellLexFailure("${PWD:=000}")?.message == "unsupported modifier (:=) in substitution")
        #expect(shellLexFailure("${PWD/abc")?.message == "syntax error: missing '/' in ${}")
        #expect(shellLexFailure("${aaa")?.message == "unsupported modifier (\u{FFFD}) in substitution")
    }

    @Test("the release-filename idiom")
    func releaseName() throws {
        let word = "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz"
        let base = ["VERSION": "v1.2.3", "TARGETOS": "linux"]
        var arm = base
        arm["TARGETARCH"] = "arm"
        arm["TARGETVARIANT"] = "v7"
        #expect(try shellLexExpand(word, env: arm) == "something-v1.2.3.linux-arm-v7.tar.gz")
        var arm64 = base
        arm64["TARGETARCH"] = "arm64"
        #expect(try shellLexExpand(word, env: arm64) == "something-v1.2.3.linux-arm64.tar.gz")
        arm64["TARGETVARIANT"] = ""
        #expect(try shellLexExpand(word, env: arm64) == "something-v1.2.3.linux-arm64.tar.gz")
    }
}

@Suite("ShellLexer: patterns")
struct ShellLexPatternTests {
    @Test("${x#p} ${x##p} ${x%p} ${x%%p}", arguments: [
        ("${FOO#*x*y}", "xxyy", "y"),
        ("${FOO##*x}", "xxyy", "yy"),
        ("${FOO#*}", "xxyy", "xxyy"),
        ("${FOO##*}", "xxyy", ""),
        ("${FOO#}", "xxyy", "xxyy"),
        ("${FOO##}", "xxyy", "xxyy"),
        ("${FOO#x}", "xxyy", "xyy"),
        ("${FOO#y}", "xxyy", "xxyy"),
        ("${FOO%y*}", "xxyy", "xxy"),
        ("${FOO%%y*}", "xxyy", "xx"),
        ("${FOO%x}", "xxyy", "xxyy"),
        ("${FOO%}", "xxyy", "xxyy"),
        ("${FOO%?}", "xxyy", "xxy"),
        ("${FOO#?\\?}", "???y", "?y"),
        ("${FOO%%\\**}", "xx**", "xx"),
        ("${FOO%%\\**\\*}", "a***yy*", "a"),
        ("${FOO#()[]{\\}^$.\\*\\?|\\\\}", "()[]{}^$.*?|\\x", "x"),
        ("${FOO#*/}", "/usr/local/bin", "usr/local/bin"),
        ("${FOO##*/}", "/usr/local/bin", "bin"),
        ("${FOO%/*}", "/usr/local/bin", "/usr/local"),
        ("${FOO%%/*}", "/usr/local/bin", ""),
        ("${FOO%.tar.*}", "app.tar.gz", "app"),
        ("${FOO#?}", "한국어", "국어"),
        ("${FOO%?}", "🖖🚀👽", "🖖🚀"),
        ("${FOO#*\\/}", "a/b", "b"),
        ("${FOO##'*'}", "*b", ""),       // quoting does not make * literal in a pattern
    ])
    func trims(_ input: String, _ value: String, _ expected: String) throws {
        #expect(try shellLexExpand(input, env: ["FOO": value]) == expected)
    }

    @Test("patterns come from expansion too, and a leading #/% from a variable doubles the operator")
    func expandedPatterns() throws {
        #expect(try shellLexExpand("${FOO#$BAR}", env: ["FOO": "xxyy", "BAR": "x"]) == "xyy")
        #expect(try shellLexExpand("${FOO#$BAR}", env: ["FOO": "xxyy", "BAR": ""]) == "xxyy")
        #expect(try shellLexExpand("${FOO%%$BAR}", env: ["FOO": "xxyy", "BAR": ""]) == "xxyy")
        #expect(try shellLexExpand("${FOO#$BAR}", env: ["FOO": "xxyy", "BAR": "*x"]) == "xyy")
        #expect(try shellLexExpand("${FOO#$BAR}", env: ["FOO": "xxyy", "BAR": "#*x"]) == "yy")
        #expect(try shellLexExpand("${FOO%$BAR}", env: ["FOO": "xxyy", "BAR": "%y*"]) == "xx")
        #expect(try shellLexExpand("${ABC:-.}${FOO%x}${ABC:-.}", env: ["FOO": "xxyy"]) == ".xxyy.")
    }

    @Test("? and * do not match a newline (Go's . without the s flag)")
    func newline() throws {
        let env = ["FOO": "a\nb"]
        #expect(try shellLexExpand("${FOO#*b}", env: env) == "a\nb")
        #expect(try shellLexExpand("${FOO#a?b}", env: env) == "a\nb")
        #expect(try shellLexExpand("${FOO#a\nb}", env: env) == "")
        #expect(try shellLexExpand("${FOO##*}", env: env) == "\nb")
        #expect(try shellLexExpand("${FOO//?/x}", env: env) == "x\nx")
    }

    @Test("bad escapes in patterns")
    func invalidPatterns() {
        #expect(shellLexFailure("${PWD#\\x}")?.reason == .invalidPattern(pattern: "\\x", reason: "invalid escape '\\x'"))
        #expect(shellLexFailure("${PWD#\\x}")?.message == "invalid pattern (\\x) in substitution: invalid escape '\\x'")
        // For % BuildKit reports the reversed pattern.
        #expect(shellLexFailure("${PWD%a\\x}")?.reason == .invalidPattern(pattern: "\\xa", reason: "invalid escape '\\x'"))
        // A trailing backslash (only possible through a variable) is an escape of nothing.
        let env = ["PWD": "/home", "P": "ab\\"]
        #expect(shellLexFailure("${PWD#$P}", env: env)?.reason == .invalidPattern(pattern: "ab\\", reason: "invalid escape '\\\u{FFFD}'"))
        #expect(shellLexFailure("${PWD%$P}", env: env)?.reason == .invalidPattern(pattern: "\\ba", reason: "invalid escape '\\b'"))
        #expect(shellLexFailure("${PWD/\\a/b}")?.reason == .invalidPattern(pattern: "\\a", reason: "invalid escape '\\a'"))
        // An undefined variable is still "trimmed", so the pattern is still checked.
        #expect(shellLexFailure("${NOPE#\\x}")?.reason == .invalidPattern(pattern: "\\x", reason: "invalid escape '\\x'"))
    }

    @Test("${x/p/r} and ${x//p/r}")
    func replace() throws {
        #expect(try shellLexExpand("${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
                           env: ["FOO": "/foo*/*/*.txt", "NEEDLE": "\\*/"]) == "/foo.*/*.txt - /foo..*.txt")
        #expect(try shellLexExpand("${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
                           env: ["FOO": "/tmp/tmp/bar.txt", "NEEDLE": "/tmp"]) == "/tmp/bar.txt - /bar.txt")
        #expect(try shellLexExpand("${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
                           env: ["FOO": "/a/foo/b/c.txt", "NEEDLE": "/?/", "REPLACEMENT": "/"]) == "/foo/b/c.txt - /foo/c.txt")
        #expect(try shellLexExpand("${FOO/$NEEDLE/$REPLACEMENT}",
                           env: ["FOO": "http://google.de", "NEEDLE": "http://", "REPLACEMENT": "https://"]) == "https://google.de")
        // Escaped separators: the pattern drops the backslash, the replacement keeps it.
        #expect(try shellLexExpand("${FOO//\\//\\/}", env: ["FOO": "/tmp/foo.txt"]) == "\\/tmp\\/foo.txt")
        #expect(try shellLexExpand("${FOO/o*/X}", env: ["FOO": "foo/bar"]) == "fX")
        #expect(try shellLexExpand("${FOO/o?/X}", env: ["FOO": "foo/bar"]) == "fX/bar")
        #expect(try shellLexExpand("${FOO//한/韓}", env: ["FOO": "한국어 한"]) == "韓국어 韓")
        #expect(try shellLexExpand("${FOO/zz/X}", env: ["FOO": "abc"]) == "abc")
        #expect(try shellLexExpand("${NOPE/a/b}", env: ["FOO": "abc"]) == "")
    }

    @Test("empty patterns")
    func emptyPatterns() throws {
        #expect(try shellLexExpand("${FOO/$BAR/ww}", env: ["FOO": "xxyy", "BAR": ""]) == "wwxxyy")
        #expect(try shellLexExpand("${FOO//$BAR/-}", env: ["FOO": "ab", "BAR": ""]) == "-a-b-")
        #expect(try shellLexExpand("${FOO///}", env: ["FOO": "xxyy"]) == "xxyy")
        #expect(try shellLexExpand("${FOO///}", env: [String: String]()) == "")
        #expect(try shellLexExpand("${FOO//*/-}", env: ["FOO": "ab"]) == "-")
    }

    @Test("${x//p/r} expands Go regexp templates in r; ${x/p/r} does not")
    func replacementTemplates() throws {
        let env = ["FOO": "foo"]
        #expect(try shellLexExpand("${FOO//o/'[$0]'}", env: env) == "f[o][o]")
        #expect(try shellLexExpand("${FOO//o/'[${0}]'}", env: env) == "f[o][o]")
        #expect(try shellLexExpand("${FOO/o/'[$0]'}", env: env) == "f[$0]o")
        #expect(try shellLexExpand("${FOO//f/'$$'}", env: env) == "$oo")
        #expect(try shellLexExpand("${FOO//f/'<$1$x${y}$00>'}", env: env) == "<>oo")
        #expect(try shellLexExpand("${FOO//f/'$.${0'}", env: env) == "$.${0oo")
        #expect(try shellLexExpand("${FOO//f/$R}", env: ["FOO": "foo", "R": "<$0>"]) == "<f>oo")
    }
}
