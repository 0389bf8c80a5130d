import Testing
@testable import DockerlintCache

@Suite("dockerignore reading")
struct ContextDockerIgnoreReadingTests {
    @Test func commentOnlyWhenFirstCharacterIsHash() throws {
        let read = DockerIgnore.readAll("# comment\n  # x\n#y\n")
        #expect(read.map(\.pattern) == ["# x"])
        #expect(read.map(\.line) == [2])
        let ig = try DockerIgnore(text: "  # x\n")
        #expect(try ig.matchesOrParentMatches("# x"))
    }

    @Test func bomTrimSpaceAndCleaning() {
        let text = "\u{FEFF}foo\n  bar  \r\n/baz/\n./a/../b\n!  /keep/ \n\n\t\n/\n"
        let read = DockerIgnore.readAll(text)
        #expect(read.map(\.pattern) == ["foo", "bar", "baz", "b", "!keep", "/"])
        #expect(read.map(\.line) == [1, 2, 3, 4, 5, 8])
    }

    @Test func loneBangIsAnErrorWithLineNumber() {
        #expect(throws: DockerIgnoreError.illegalExclusion(line: 3)) {
            try DockerIgnore(text: "a\n# c\n!\n")
        }
        #expect(throws: DockerIgnoreError.illegalExclusion(line: 1)) {
            try DockerIgnore(text: "!   \n")
        }
    }

    @Test func malformedPatternIsAnError() {
        #expect(throws: DockerIgnoreError.badPattern(line: 2, pattern: "a[")) {
            try DockerIgnore(text: "ok\na[\n")
        }
        #expect(throws: (any Error).self) { try DockerIgnore(text: "[]a]") }
        #expect(throws: (any Error).self) { try DockerIgnore(text: "x\\") }
    }

    @Test func trailingSlashIsMeaningless() throws {
        let ig = try DockerIgnore(text: "foo/\n")
        #expect(try ig.matchesOrParentMatches("foo"))  // a *file* named foo too
        #expect(try ig.matchesOrParentMatches("foo/x"))
    }

    /// The chosen file is parsed; one that does not parse names itself in the error.
    @Test func loadParsesTheChosenFile() throws {
        let files = ["svc/app.Dockerfile.dockerignore": "a\n", "ctx/.dockerignore": "b\n", "bad/.dockerignore": "!\n"]
        let chosen = try #require(try DockerIgnore.load(dockerfile: "svc/app.Dockerfile", contextDirectory: "ctx") { files[$0].map { Array($0.utf8) } })
        #expect(chosen.path == "svc/app.Dockerfile.dockerignore")
        #expect(try chosen.ignore.matchesOrParentMatches("a") && !chosen.ignore.matchesOrParentMatches("b"))
        let fallback = try #require(try DockerIgnore.load(dockerfile: "other/Dockerfile", contextDirectory: "ctx") { files[$0].map { Array($0.utf8) } })
        #expect(fallback.path == "ctx/.dockerignore")
        #expect(chosen.text == "a\n" && fallback.text == "b\n", "the text it was parsed from, read once")
        #expect(try DockerIgnore.load(dockerfile: "Dockerfile", contextDirectory: "none") { files[$0].map { Array($0.utf8) } } == nil)
        do {
            _ = try DockerIgnore.load(dockerfile: "Dockerfile", contextDirectory: "bad") { files[$0].map { Array($0.utf8) } }
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "bad/.dockerignore:1:1: error: illegal exclusion pattern: \"!\"")
        }
    }
}

@Suite("dockerignore matching (§5 verified table)")
struct ContextDockerIgnoreMatchingTests {
    func m(_ patterns: String, _ path: String) throws -> Bool {
        try DockerIgnore(text: patterns).matchesOrParentMatches(path)
    }

    @Test func starTxt() throws {
        #expect(try m("*.txt", "a.txt"))
        #expect(try m("*.txt", ".txt"))
        #expect(try !m("*.txt", "d/a.txt"))
    }

    @Test func starSlashStarTxt() throws {
        #expect(try m("*/*.txt", "d/a.txt"))
        #expect(try !m("*/*.txt", "a.txt"))
        #expect(try !m("*/*.txt", "d/e/a.txt"))
    }

    @Test func doubleStarTxtAllDepths() throws {
        #expect(try m("**/*.txt", "a.txt"))
        #expect(try m("**/*.txt", "d/a.txt"))
        #expect(try m("**/*.txt", "d/e/f/a.txt"))
        #expect(try !m("**/*.txt", "a.txt.bak"))
    }

    @Test func anchoredAndParentRule() throws {
        #expect(try m("a/b", "a/b"))
        #expect(try m("a/b", "a/b/c"))
        #expect(try !m("a/b", "x/a/b"))
        #expect(try !m("foo", "a/foo"))
        #expect(try m("d", "d/x/y"))
    }

    @Test func escapedStar() throws {
        #expect(try m("foo\\*", "foo*"))
        #expect(try !m("foo\\*", "foobar"))
    }

    @Test func questionAndClasses() throws {
        #expect(try m("a?c", "abc"))
        #expect(try !m("a?c", "a/c"))
        #expect(try m("[a-c]x", "bx"))
        #expect(try !m("[a-c]x", "dx"))
        #expect(try m("[^a-c]x", "dx"))
        #expect(try !m("[^a-c]x", "ax"))
        #expect(try m("file.+()|{}$", "file.+()|{}$"))  // literal metacharacters
        #expect(try !m("a.c", "abc"))
    }

    @Test func doubleStarForms() throws {
        #expect(try m("**/foo", "foo"))
        #expect(try m("**/foo", "x/y/foo"))
        #expect(try !m("**/foo", "xfoo"))
        #expect(try m("d/**", "d/x"))
        #expect(try !m("d/**", "d"))
        #expect(try m("d/**/x", "d/x"))
        #expect(try m("d/**/x", "d/e/f/x"))
        #expect(try !m("d/**/x", "d/e/f/y"))
        #expect(try m("**", "anything/at/all"))
    }

    @Test func lastMatchWins() throws {
        #expect(try m("!keep\n*", "keep"))
        let text = "*.md\n!README*.md\nREADME-secret.md\n"
        #expect(try m(text, "README-secret.md"))
        #expect(try !m(text, "README-x.md"))
        #expect(try m(text, "other.md"))
        #expect(try !m("d\n!d/keep", "d/keep"))
        #expect(try m("d\n!d/keep", "d/other"))
    }

    @Test func matchKinds() throws {
        let ig = try DockerIgnore(text: "a/b\nd/**\n**/foo\n*.c\n")
        #expect(ig.patterns.map(\.kind) == [.exact, .prefix, .suffix, .regexp])
    }

    @Test func wildcardsInsideBracketsFollowTheGeneratedRegexp() throws {
        // "[*]" becomes the regexp ^[[^/]*]$: a class of '[', '^', '/' repeated, then ']'.
        #expect(try m("[*]", "]"))
        #expect(try m("[*]", "[[]"))
        #expect(try !m("[*]", "*"))
    }

    @Test func walkerParentResultsAgreeWithParentMatches() throws {
        let ig = try DockerIgnore(text: "d\n!d/keep\n*.log\n")
        let (dm, dinfo) = try ig.matchesUsingParentResults("d", parent: IgnoreMatchInfo())
        #expect(dm)
        let (km, _) = try ig.matchesUsingParentResults("d/keep", parent: dinfo)
        #expect(!km)
        let (om, _) = try ig.matchesUsingParentResults("d/other", parent: dinfo)
        #expect(om)
    }

    @Test func descendOnlyIfAnExceptionCouldMatchInside() throws {
        let prefixOnly = try DockerIgnore(text: "d\ne\n!d/keep\n")
        #expect(prefixOnly.shouldDescend(intoExcludedDirectory: "d"))
        #expect(!prefixOnly.shouldDescend(intoExcludedDirectory: "e"))
        let wildcard = try DockerIgnore(text: "d\ne\n!**/*.go\n")
        #expect(wildcard.shouldDescend(intoExcludedDirectory: "e"))
        let none = try DockerIgnore(text: "d\n")
        #expect(!none.shouldDescend(intoExcludedDirectory: "d"))
    }
}
