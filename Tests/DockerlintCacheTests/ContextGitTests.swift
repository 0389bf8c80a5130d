import Foundation
import Testing
@testable import DockerlintCache
import DockerlintSupport

@Suite("git trees and history streaming")
struct ContextGitTests {
    /// A repository whose first-parent history exercises adds, edits, chmod, symlinks,
    /// deletions that empty a directory, file<->directory swaps, a merge and an empty commit.
    func makeRepo() throws -> TempDir {
        let t = try TempDir()
        try t.git("init", "-q")
        try t.write("Dockerfile", "FROM scratch\nCOPY . /app\n")
        try t.write("a.txt", "a\n")
        try t.write("d/b.txt", "b\n")
        try t.write("d/e/c.txt", "c\n")
        try t.git("add", "-A")
        try t.git("commit", "-qm", "c1")

        try t.write("a.txt", "a2\n")
        try t.chmod("d/b.txt", 0o755)
        try t.symlink("link", to: "a.txt")
        try t.git("add", "-A")
        try t.git("commit", "-qm", "c2")

        try t.remove("d/e/c.txt")
        try t.write(".dockerignore", "*.log\n")
        try t.write("x.log", "log\n")
        try t.git("add", "-A")
        try t.git("commit", "-qm", "c3 empties d/e")

        try t.remove("a.txt")
        try t.write("a.txt/inner", "now a dir\n")
        try t.remove("link")
        try t.symlink("link", to: "d")
        try t.git("add", "-A")
        try t.git("commit", "-qm", "c4 file becomes dir, symlink retargeted")

        try t.git("checkout", "-qb", "side")
        try t.write("side.txt", "s\n")
        try t.git("add", "-A")
        try t.git("commit", "-qm", "side")
        try t.git("checkout", "-q", "main")
        try t.remove("a.txt")
        try t.write("a.txt", "file again\n")
        try t.git("add", "-A")
        try t.git("commit", "-qm", "c5 dir becomes file")
        try t.git("merge", "-q", "--no-edit", "side")
        try t.git("commit", "-q", "--allow-empty", "-m", "empty")
        try t.write("Dockerfile", "FROM scratch\n# edited\nCOPY . /app\n")
        try t.git("commit", "-qam", "c8 dockerfile")
        return t
    }

    @Test func incrementalSnapshotEqualsFullTreeAtEveryCommit() throws {
        let t = try makeRepo()
        let objects = GitObjectReader(repository: t.path)
        defer { objects.close() }
        let commits = try GitHistory.commits(repository: t.path, range: "HEAD")
        #expect(commits.count == 8)  // first-parent: the side commit is not listed
        let revs = try t.git("rev-list", "--first-parent", "--reverse", "HEAD")
            .split(separator: "\n").map(String.init)
        #expect(commits.map(\.id) == revs)
        #expect(commits[5].parents.count == 2)  // the merge
        #expect(commits[6].changes.isEmpty)      // the empty commit

        var snap = ContextSnapshot(origin: .gitTree)
        for c in commits {
            try snap.apply(c, objects: objects)
            let full = try ContextSnapshot.fromGitTree(repository: t.path, revision: c.id, objects: objects)
            #expect(snap.entries == full.entries, "commit \(c.id)")
            for engine in BuilderKind.allCases {
                var f = full
                #expect(try snap.digest(["."], engine) == f.digest(["."], engine))
                #expect(try snap.digest(["d"], engine) == f.digest(["d"], engine))
            }
        }
        // Spot checks of the final tree.
        #expect(snap.entry(at: "d/e") == nil)  // emptied directory vanished in c3
        #expect(snap.entry(at: "a.txt")?.kind == .file)
        #expect(snap.entry(at: "link")?.linkTarget == "d")
        #expect(snap.entry(at: "d/b.txt")?.mode == 0o100755)
        #expect(snap.entry(at: "side.txt") != nil)
    }

    @Test func rangeStartsAfterTheBase() throws {
        let t = try makeRepo()
        let all = try GitHistory.commits(repository: t.path, range: "HEAD")
        let tail = try GitHistory.commits(repository: t.path, range: all[2].id + "..HEAD")
        #expect(tail.map(\.id) == Array(all[3...]).map(\.id))
        let objects = GitObjectReader(repository: t.path)
        defer { objects.close() }
        var snap = try ContextSnapshot.fromGitTree(repository: t.path, revision: all[2].id, objects: objects)
        for c in tail { try snap.apply(c, objects: objects) }
        let head = try ContextSnapshot.fromGitTree(repository: t.path, revision: "HEAD", objects: objects)
        #expect(snap.entries == head.entries)
    }

    @Test func catFileReadsDockerfileAndIgnoreAtEachCommit() throws {
        let t = try makeRepo()
        let objects = GitObjectReader(repository: t.path)
        defer { objects.close() }
        let commits = try GitHistory.commits(repository: t.path, range: "HEAD")
        let first = try #require(try objects.contents(of: commits[0].id + ":Dockerfile"))
        #expect(String(decoding: first, as: UTF8.self) == "FROM scratch\nCOPY . /app\n")
        let last = try #require(try objects.contents(of: commits[7].id + ":Dockerfile"))
        #expect(String(decoding: last, as: UTF8.self).contains("# edited"))
        #expect(try objects.contents(of: commits[0].id + ":.dockerignore") == nil)
        let ig = try #require(try objects.contents(of: commits[2].id + ":.dockerignore"))
        #expect(String(decoding: ig, as: UTF8.self) == "*.log\n")
        // Many requests through the same long-lived process.
        let many = try objects.contents(Array(repeating: commits[7].id + ":a.txt", count: 200))
        #expect(many.allSatisfy { $0.map { String(decoding: $0, as: UTF8.self) } == "file again\n" })
    }

    @Test func gitDigestsFollowIgnoreAndDockerfileEdits() throws {
        let t = try makeRepo()
        let objects = GitObjectReader(repository: t.path)
        defer { objects.close() }
        let commits = try GitHistory.commits(repository: t.path, range: "HEAD")
        var snap = ContextSnapshot(origin: .gitTree)
        var digests: [String?] = []
        var ignoredDigests: [String?] = []
        let ig = try DockerIgnore(text: "Dockerfile\n.dockerignore\n")
        for c in commits {
            try snap.apply(c, objects: objects)
            digests.append(try snap.digest(["."], .buildkit))
            ignoredDigests.append(try snap.digest(["."], .buildkit, ignore: ig))
        }
        #expect(digests[6] == digests[5])          // empty commit
        #expect(digests[7] != digests[6])          // Dockerfile edit misses COPY .
        #expect(ignoredDigests[7] == ignoredDigests[6])  // unless the Dockerfile is ignored
        // .dockerignore from the commit: x.log edits are invisible once ignored.
        let ig3 = try DockerIgnore(text: String(decoding: try objects.contents(of: commits[2].id + ":.dockerignore")!, as: UTF8.self))
        var s3 = try ContextSnapshot.fromGitTree(repository: t.path, revision: commits[2].id, objects: objects)
        let before = try s3.digest(["."], .classic, ignore: ig3)
        s3.setEntry(ContextEntry(path: "x.log", kind: .file, mode: 0o100644, size: 9, contentDigest: "git:0123"))
        #expect(try s3.digest(["."], .classic, ignore: ig3) == before)
        s3.setEntry(ContextEntry(path: "new.txt", kind: .file, mode: 0o100644, size: 9, contentDigest: "git:0123"))
        #expect(try s3.digest(["."], .classic, ignore: ig3) != before)
    }

    @Test func pathsWithSpacesAndUnicodeSurviveZOutput() throws {
        let t = try TempDir()
        try t.git("init", "-q")
        try t.write("dir with space/ü ñ.txt", "x\n")
        try t.write("tab\tname", "y\n")
        try t.git("add", "-A")
        try t.git("commit", "-qm", "c1")
        let objects = GitObjectReader(repository: t.path)
        defer { objects.close() }
        let c = try GitHistory.commits(repository: t.path, range: "HEAD")
        #expect(Set(c[0].changes.map(\.path)) == ["dir with space/ü ñ.txt", "tab\tname"])
        var snap = ContextSnapshot(origin: .gitTree)
        try snap.apply(c[0], objects: objects)
        #expect(snap.entries == (try ContextSnapshot.fromGitTree(repository: t.path, revision: "HEAD", objects: objects)).entries)
    }

    @Test func badRevisionIsAnError() throws {
        let t = try makeRepo()
        do {
            _ = try GitHistory.commits(repository: t.path, range: "no-such-branch")
            Issue.record("expected an error")
        } catch let e as GitError {
            guard case .failed(let args, _, let stderr) = e else { Issue.record("\(e)"); return }
            #expect(args.first == "log")
            #expect(stderr.contains("no-such-branch"))
        }
    }
}
