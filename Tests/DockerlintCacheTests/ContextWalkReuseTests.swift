import DockerlintSupport
import Foundation
import Testing
@testable import DockerlintCache

/// A directory walk records its ignore decisions; source digests under the same patterns
/// reuse them instead of matching the context again, and a walk can be bounded.
@Suite("context walk reuse and limit")
struct ContextWalkReuseTests {
    static let ignoreText = "node_modules\ndocs/**\n!docs/keep.md\n*.log\nbuild\n!build/out/app\n"

    func tree() throws -> TempDir {
        let t = try TempDir()
        try t.write("Dockerfile", "FROM scratch\nCOPY . /app\n")
        try t.write(".dockerignore", Self.ignoreText)
        try t.write("src/a.py", "a\n")
        try t.write("src/b.log", "log\n")
        try t.write("src/deep/c.py", "c\n")
        try t.write("docs/x.md", "x\n")
        try t.write("docs/keep.md", "keep\n")
        try t.write("node_modules/m/index.js", "m\n")
        try t.write("build/tmp.o", "o\n")
        try t.write("build/out/app", "app\n")
        try t.write("README.md", "readme\n")
        try t.symlink("link.py", to: "src/a.py")
        return t
    }

    static let sourceSets: [[String]] = [["."], ["src"], ["docs"], ["*.md"], ["src/*.py"], ["build"], ["link.py"], ["docs/keep.md", "src"],
                                         ["node_modules"], ["build/out/app"]]

    /// Every source set digests alike whether the walk's decisions are reused or matched again.
    @Test func reusedDecisionsGiveTheSameDigests() throws {
        let t = try tree()
        let ignore = try DockerIgnore(text: Self.ignoreText)
        let walked = try ContextSnapshot.scan(directory: t.path, ignore: ignore)
        #expect(walked.walked?.fingerprint == ignore.fingerprint)
        #expect(walked.walked?.decisions["docs/x.md"]?.1.excluded == true)
        #expect(walked.walked?.decisions["src/a.py"]?.1.excluded == false)
        for engine in [BuilderKind.buildkit, .classic] {
            for sources in Self.sourceSets {
                var reused = walked
                var matched = walked
                matched.walked = nil
                let a = try reused.sourceDigest(sources, options: SourceHashOptions(engine: engine, ignore: ignore))
                let b = try matched.sourceDigest(sources, options: SourceHashOptions(engine: engine, ignore: ignore))
                #expect(a == b, "\(engine) \(sources)")
                #expect(try reused.isPresent("docs", ignore: ignore) == matched.isPresent("docs", ignore: ignore))
            }
        }
        // Excluded files are absent, kept exceptions present.
        var s = walked
        #expect(try s.isPresent("docs/keep.md", ignore: ignore))
        #expect(try !s.isPresent("docs/x.md", ignore: ignore))
        #expect(try s.isPresent("build/out/app", ignore: ignore))
        #expect(try !s.isPresent("build/tmp.o", ignore: ignore))
    }

    /// An entry that changes kind after the walk (a file becomes a folder) is matched again.
    @Test func entryThatChangesKindIsMatchedAgain() throws {
        let t = try tree()
        let ignore = try DockerIgnore(text: "src/deep\n!src/deep/keep\n")
        var walked = try ContextSnapshot.scan(directory: t.path, ignore: ignore)
        var matched = walked
        matched.walked = nil
        for s in [0, 1] {
            var snap = s == 0 ? walked : matched
            snap.setEntry(ContextEntry(path: "README.md", kind: .directory, mode: 0o040755))
            snap.setEntry(ContextEntry(path: "README.md/inner", kind: .file, mode: 0o100644, size: 1, contentDigest: "x"))
            if s == 0 { walked = snap } else { matched = snap }
        }
        for sources in [["."], ["README.md"], ["src"]] {
            #expect(try walked.digest(sources, .buildkit, ignore: ignore) == matched.digest(sources, .buildkit, ignore: ignore), "\(sources)")
        }
    }

    @Test func walkStopsAtTheLimit() throws {
        let t = try tree()
        #expect(throws: ContextSnapshotError.tooManyEntries(limit: 5)) {
            _ = try ContextSnapshot.scan(directory: t.path, limit: 5)
        }
        // Excluded folders that are not descended count once.
        let ignore = try DockerIgnore(text: "node_modules\nsrc\ndocs\nbuild\n")
        let small = try ContextSnapshot.scan(directory: t.path, ignore: ignore, limit: 9)
        #expect(small.entry(at: "README.md") != nil)
        #expect(small.entry(at: "src") == nil)
        let all = try ContextSnapshot.scan(directory: t.path, limit: 100)
        #expect(all.entry(at: "node_modules/m/index.js") != nil)
    }
}

/// Small pattern sets compare a path with each literal prefix and suffix; large ones look
/// them up by length. Both give the same candidates.
@Suite("ignore pattern candidates")
struct IgnoreCandidateTests {
    @Test func comparedAndLookedUpAgree() throws {
        let ignore = try DockerIgnore(text: "scripts\nscripts/**\n.github/\n*.yml\n*.md\nDockerfile*\ngogs\nnode_modules\n**/node_modules\n"
            + "public/dist\n**/*.tsbuildinfo\n**/.vite\n!docs/keep.md\n[ab]*/x\n")
        let paths = ["scripts", "scripts/a.sh", "web/node_modules/x/y.js", "a.yml", "docs/x.md", "docs/keep.md", "Dockerfile.dev",
                     "public/dist/app.js", "src/deep/f.tsbuildinfo", "src/.vite/c", "b/x", "main.go", "x/y/z.md", "gogs", "gogs/x"]
        for p in paths {
            let scalars = Array(p.unicodeScalars)
            #expect(ignore.index.candidates(scalars) == ignore.index.lookedUp(scalars), "\(p)")
        }
        #expect(ignore.index.candidates(Array("docs/x.md".unicodeScalars)).count >= 1)
    }
}
