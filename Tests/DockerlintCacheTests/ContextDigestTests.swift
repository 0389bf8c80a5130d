import DockerlintSupport
import Foundation
import Testing
@testable import DockerlintCache

/// When do source digests differ (CACHE-SEMANTICS §3, §4, §7), on real directories.
@Suite("source digests from disk")
struct ContextDigestTests {
    func base() throws -> TempDir {
        let t = try TempDir()
        try t.write("Dockerfile", "FROM scratch\nCOPY . /app\n")
        try t.write("a.txt", "hello\n")
        try t.write("d/b.txt", "bee\n")
        try t.write("d/e/c.txt", "sea\n")
        try t.chmod("a.txt", 0o644)
        return t
    }

    /// Digest for each engine before and after `mutate`.
    func compare(_ sources: [String], ignoreText: String? = nil,
                 _ mutate: (TempDir) throws -> Void) throws -> (buildkit: Bool, classic: Bool) {
        let t = try base()
        if let ignoreText { try t.write(".dockerignore", ignoreText) }
        let ig = try ignoreText.map { try DockerIgnore(text: $0) } ?? .empty
        var before = try ContextSnapshot.scan(directory: t.path, ignore: ig)
        let b1 = try #require(try before.digest(sources, .buildkit))
        let c1 = try #require(try before.digest(sources, .classic))
        try mutate(t)
        var after = try ContextSnapshot.scan(directory: t.path, ignore: ig)
        let b2 = try #require(try after.digest(sources, .buildkit))
        let c2 = try #require(try after.digest(sources, .classic))
        return (b1 != b2, c1 != c2)
    }

    @Test func chmodFileDiffersInBoth() throws {
        let r = try compare(["a.txt"]) { try $0.chmod("a.txt", 0o755) }
        #expect(r.buildkit && r.classic)
        let r2 = try compare(["d"]) { try $0.chmod("d/b.txt", 0o600) }
        #expect(r2.buildkit && r2.classic)
    }

    @Test func mtimeOnlyIsTheSame() throws {
        let r = try compare(["a.txt", "d", "."]) { try $0.setMtime("a.txt", Date(timeIntervalSince1970: 978_307_200)) }
        #expect(!r.buildkit && !r.classic)
    }

    @Test(.enabled(if: getuid() == 0, "chown needs root"))
    func chownIsTheSame() throws {
        let r = try compare(["a.txt", "."]) { t in
            #expect(Foundation.chown(t.path + "/a.txt", 1234, 1234) == 0)
        }
        #expect(!r.buildkit && !r.classic)
    }

    @Test func chmodDirectoryDiffersInClassicOnly() throws {
        let r = try compare(["d"]) { try $0.chmod("d", 0o700) }
        #expect(!r.buildkit && r.classic)
        // With the directory-metadata switch on, BuildKit's current source would see it.
        let t = try base()
        var s1 = try ContextSnapshot.scan(directory: t.path)
        let on = SourceHashOptions(engine: .buildkit, directoryMetadata: true)
        let d1 = try s1.sourceDigest(["d"], options: on)
        try t.chmod("d", 0o700)
        var s2 = try ContextSnapshot.scan(directory: t.path)
        #expect(try s2.sourceDigest(["d"], options: on) != d1)
    }

    @Test func rootDirectoryModeNeverCountsInBuildKit() throws {
        let t = try base()
        var s1 = try ContextSnapshot.scan(directory: t.path)
        let on = SourceHashOptions(engine: .buildkit, directoryMetadata: true)
        let d1 = try s1.sourceDigest(["."], options: on)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: t.path)
        var s2 = try ContextSnapshot.scan(directory: t.path)
        #expect(try s2.sourceDigest(["."], options: on) == d1)
    }

    @Test func renameFileDiffers() throws {
        let r = try compare(["d"]) { try $0.move("d/b.txt", "d/b2.txt") }
        #expect(r.buildkit && r.classic)
        let r2 = try compare(["."]) { try $0.move("a.txt", "a2.txt") }
        #expect(r2.buildkit && r2.classic)
    }

    @Test func contentEditDiffers() throws {
        let r = try compare(["a.txt"]) { try $0.write("a.txt", "HELLO\n") }
        #expect(r.buildkit && r.classic)
    }

    @Test func editIgnoredFileIsTheSame() throws {
        let r = try compare(["."], ignoreText: "*.log\n") { try $0.write("x.log", "new\n") }
        #expect(!r.buildkit && !r.classic)
        let r2 = try compare(["d"], ignoreText: "d/e\n") { try $0.write("d/e/c.txt", "changed\n") }
        #expect(!r2.buildkit && !r2.classic)
    }

    @Test func addEmptySubdirDiffers() throws {
        let r = try compare(["d"]) { try $0.mkdir("d/empty") }
        #expect(r.buildkit && r.classic)
    }

    @Test func dockerfileEditDiffersForCopyDotUnlessIgnored() throws {
        let r = try compare(["."]) { try $0.write("Dockerfile", "FROM scratch\n# comment\nCOPY . /app\n") }
        #expect(r.buildkit && r.classic)
        let r2 = try compare(["."], ignoreText: "Dockerfile\n.dockerignore\n") { t in
            try t.write("Dockerfile", "FROM scratch\n# comment\nCOPY . /app\n")
            try t.write(".dockerignore", "Dockerfile\n.dockerignore\n# edited\n")
        }
        #expect(!r2.buildkit && !r2.classic)
        // Not relevant to COPY a.txt.
        let r3 = try compare(["a.txt"]) { try $0.write("Dockerfile", "FROM scratch\n# c\n") }
        #expect(!r3.buildkit && !r3.classic)
    }

    @Test func unrelatedEditDoesNotChangeASource() throws {
        let r = try compare(["d"]) { try $0.write("a.txt", "other\n") }
        #expect(!r.buildkit && !r.classic)
    }

    @Test func fileMovedBetweenDirectoriesDiffersForDot() throws {
        let r = try compare(["."]) { try $0.move("d/b.txt", "d/e/b.txt") }
        #expect(r.buildkit && r.classic)
    }

    @Test func missingSourcesAreReported() throws {
        let t = try base()
        var s = try ContextSnapshot.scan(directory: t.path)
        for engine in BuilderKind.allCases {
            #expect(try s.sourceDigest(["nope.txt", "a.txt"], options: .init(engine: engine)) == .missing(["nope.txt"]))
            #expect(try s.sourceDigest(["*.nothing"], options: .init(engine: engine)) == .missing(["*.nothing"]))
        }
        // An ignored file is missing too (the builder never received it).
        var ignored = try ContextSnapshot.scan(directory: t.path, ignore: DockerIgnore(text: "a.txt\n"))
        #expect(try ignored.sourceDigest(["a.txt"], options: .init(engine: .buildkit)) == .missing(["a.txt"]))
    }

    @Test func wildcardSources() throws {
        let t = try base()
        try t.write("b.txt", "b\n")
        var s = try ContextSnapshot.scan(directory: t.path)
        for engine in BuilderKind.allCases {
            let all = try #require(try s.digest(["*.txt"], engine))
            let single = try #require(try s.digest(["a.txt"], engine))
            #expect(all != single)
            #expect(try s.digest(["d/*.txt"], engine) != nil)
        }
        let r = try compare(["*.txt"]) { try $0.write("z.txt", "new\n") }
        #expect(r.buildkit && r.classic)
        let r2 = try compare(["*.txt"]) { try $0.write("d/z.txt", "new\n") }
        #expect(!r2.buildkit && !r2.classic)
    }

    /// Wildcard sources walk only the folders whose component matches; what they select, and
    /// in which order, is what matching every present path against the whole pattern selects.
    @Test func wildcardWalkSelectsWhatTheFullMatchSelects() throws {
        let t = try base()
        for p in ["src/a/a.csproj", "src/a/x/deep.csproj", "src/b.c/b.csproj", "src/b.c/readme.md",
                  "tests/t/t.csproj", "src/é/e.csproj", "src/e\u{301}/n.csproj", "x.csproj", "src/c/sub/c.csproj"] {
            try t.write(p, p + "\n")
        }
        var s = try ContextSnapshot.scan(directory: t.path, ignore: DockerIgnore(text: "src/c\n"))
        let all = try s.withHasher(.init(engine: .buildkit)) { h in try h.descendants("") }
        for pattern in ["src/*/*.csproj", "*/*/*.csproj", "src/?/*", "src/*", "*", "src/é/*.csproj",
                        "*/b.c/*.md", "d/*/c.txt", "src/*/x/*", "nothing/*/x"] {
            let comps = try #require(SourceHasher.componentPatterns(pattern.split(separator: "/").map(String.init)))
            let expected = try all.filter { try goPathMatch(pattern, $0) }
            let walked = try s.withHasher(.init(engine: .buildkit)) { h in
                try h.componentMatches(under: "", comps, withDescendants: false)
            }
            #expect(walked == expected, "\(pattern)")
        }
        #expect(SourceHasher.componentPatterns(["src", "[ab]", "*.csproj"]) == nil)
        // The digests follow: a file deeper than the pattern changes nothing, a match does.
        let r = try compare(["d/*/c.txt"]) { try $0.write("d/e/f/c.txt", "deeper\n") }
        #expect(!r.buildkit && !r.classic)
        let r2 = try compare(["d/*/c.txt"]) { try $0.write("d/e/c.txt", "changed\n") }
        #expect(r2.buildkit && r2.classic)
    }

    @Test func sourceOrderAndMultipleSources() throws {
        let t = try base()
        var s = try ContextSnapshot.scan(directory: t.path)
        for engine in BuilderKind.allCases {
            #expect(try s.digest(["a.txt", "d"], engine) != s.digest(["a.txt"], engine))
        }
        #expect(try s.digest(["a.txt", "d/b.txt"], .classic)!.hasPrefix("multi:"))
        #expect(try s.digest(["d"], .classic)!.hasPrefix("dir:"))
        #expect(try s.digest(["a.txt"], .classic)!.hasPrefix("file:"))
    }

    @Test func classicFileHashContainsTheNameBuildKitDoesNot() throws {
        let t = try base()
        try t.write("copy.txt", "hello\n")
        try t.chmod("copy.txt", 0o644)
        var s = try ContextSnapshot.scan(directory: t.path)
        #expect(try s.digest(["a.txt"], .buildkit) == s.digest(["copy.txt"], .buildkit))
        #expect(try s.digest(["a.txt"], .classic) != s.digest(["copy.txt"], .classic))
    }

    @Test func symlinkEscapingTheContextIsNotFollowed() throws {
        let outside = try TempDir()
        try outside.write("secret.txt", "secret\n")
        let t = try base()
        try t.symlink("escape", to: outside.path + "/secret.txt")
        try t.symlink("up", to: "../../../../etc")
        var s = try ContextSnapshot.scan(directory: t.path)
        let e = try #require(s.entry(at: "escape"))
        #expect(e.kind == .symlink)
        #expect(e.contentDigest == nil)
        #expect(e.linkTarget == outside.path + "/secret.txt")
        // Resolution stays inside the context: the absolute target is looked up under the
        // root, where it does not exist.
        #expect(try s.sourceDigest(["escape"], options: .init(engine: .buildkit)) == .missing(["escape"]))
        let before = try #require(try s.digest(["."], .buildkit))
        try outside.write("secret.txt", "changed secret\n")
        var s2 = try ContextSnapshot.scan(directory: t.path)
        #expect(try s2.digest(["."], .buildkit) == before)
        #expect(try s2.digest(["."], .classic) == s.digest(["."], .classic))
        #expect(s2.entries.keys.allSatisfy { !$0.hasPrefix("up/") })
    }

    @Test func symlinkSourceIsFollowedInsideTheContext() throws {
        let t = try base()
        try t.symlink("link", to: "a.txt")
        var s = try ContextSnapshot.scan(directory: t.path)
        // COPY follows a symlink source: same content key as the target (BuildKit).
        #expect(try s.digest(["link"], .buildkit) == s.digest(["a.txt"], .buildkit))
        // Inside a directory the link itself is hashed: retargeting it changes the digest.
        let r = try compare(["."]) { t in
            try t.symlink("l2", to: "a.txt")
        }
        #expect(r.buildkit && r.classic)
    }

    @Test func excludedDirectoryIsSkippedUnlessAnExceptionReachesIn() throws {
        let t = try base()
        try t.write("d/keep", "k\n")
        let ig = try DockerIgnore(text: "d\n!d/keep\n")
        var s = try ContextSnapshot.scan(directory: t.path, ignore: ig)
        #expect(s.entry(at: "d") != nil)           // sent as the parent of d/keep
        #expect(s.entry(at: "d/keep") != nil)
        #expect(s.entry(at: "d/b.txt") == nil)
        #expect(s.entry(at: "d/e") == nil)         // nothing kept inside
        #expect(try s.digest(["d/keep"], .buildkit) != nil)
        let none = try ContextSnapshot.scan(directory: t.path, ignore: DockerIgnore(text: "d\n"))
        #expect(none.entry(at: "d") == nil)
    }

    @Test(.enabled(if: getuid() != 0, "root can read a mode-000 file"))
    func unreadableExcludedFileIsNeverOpened() throws {
        let t = try base()
        try t.write("private.key", "k\n")
        try t.chmod("private.key", 0o000)
        _ = try ContextSnapshot.scan(directory: t.path, ignore: DockerIgnore(text: "*.key\n"))
        #expect(throws: (any Error).self) { try ContextSnapshot.scan(directory: t.path) }
    }

    @Test func lazyIgnoreOnAnUnfilteredSnapshotMatchesFilteredScan() throws {
        let t = try base()
        try t.write("x.log", "log\n")
        try t.write("d/keep", "k\n")
        let ig = try DockerIgnore(text: "*.log\nd\n!d/keep\n")
        var filtered = try ContextSnapshot.scan(directory: t.path, ignore: ig)
        var full = try ContextSnapshot.scan(directory: t.path)
        for engine in BuilderKind.allCases {
            for src in [".", "d", "d/keep", "a.txt"] {
                #expect(try full.sourceDigest([src], options: .init(engine: engine, ignore: ig))
                    == filtered.sourceDigest([src], options: .init(engine: engine)))
            }
        }
        #expect(try !full.isPresent("x.log", ignore: ig))
        #expect(try full.isPresent("d", ignore: ig))
        #expect(try !full.isPresent("d/e", ignore: ig))
    }
}
