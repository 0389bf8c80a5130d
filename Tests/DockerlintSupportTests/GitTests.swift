import DockerlintSupport
import Foundation
import Testing

/// The git runner on a real repository made by real git.
@Suite(.enabled(if: Git.isInstalled, "needs git on PATH"))
struct GitTests {
    /// A fresh repository with two commits; returns its path.
    static func makeRepository() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-git-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func git(_ args: String...) throws {
            _ = try Git.run(repository: dir, ["-c", "user.name=t", "-c", "user.email=t@example.com",
                                              "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"] + args)
        }
        try git("init", "-q")
        try "hello\n".write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        try "ünïcode name\n".write(toFile: dir + "/é.txt", atomically: true, encoding: .utf8)
        try git("add", "-A")
        try git("commit", "-qm", "first")
        try "hello again\n".write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        try git("commit", "-qam", "second")
        return dir
    }

    @Test func runTextAndFailures() throws {
        let repo = try Self.makeRepository()
        let head = try Git.text(repository: repo, ["rev-parse", "HEAD"])
        #expect(head.count == 40 && head.allSatisfy(\.isHexDigit))
        // Paths are not quoted (core.quotePath=false): the name comes back as UTF-8.
        let files = try Git.text(repository: repo, ["ls-files"])
        #expect(files.split(separator: "\n") == ["a.txt", "é.txt"])
        do {
            _ = try Git.run(repository: repo, ["rev-parse", "--verify", "no-such-branch^{commit}"])
            Issue.record("expected a failure")
        } catch {
            guard case .failed(let args, let status, let stderr) = error else { Issue.record("\(error)"); return }
            #expect(args.first == "rev-parse")
            #expect(status == .exited(128))
            #expect(!stderr.isEmpty)
        }
    }

    @Test func streamDeliversTheWholeLog() throws {
        let repo = try Self.makeRepository()
        var bytes: [UInt8] = []
        try Git.stream(repository: repo, ["log", "--format=%s", "--reverse"]) { bytes.append(contentsOf: $0) }
        #expect(String(decoding: bytes, as: UTF8.self) == "first\nsecond\n")
        #expect(throws: GitError.self) { try Git.stream(repository: repo, ["log", "no-such-revision"]) { _ in } }
    }

    /// One cat-file process answers many requests, contents and sizes, missing objects as nil.
    @Test func objectReaderAnswersFromLongLivedProcesses() throws {
        let repo = try Self.makeRepository()
        let reader = GitObjectReader(repository: repo)
        defer { reader.close() }
        let contents = try reader.contents(["HEAD:a.txt", "HEAD~1:a.txt", "HEAD:missing.txt", "HEAD:é.txt"])
        #expect(contents.map { $0.map { String(decoding: $0, as: UTF8.self) } }
            == ["hello again\n", "hello\n", nil, "ünïcode name\n"])
        let many = try reader.contents(Array(repeating: "HEAD:a.txt", count: 500))
        #expect(many.count == 500 && many.allSatisfy { $0 == Array("hello again\n".utf8) })
        #expect(try reader.sizes(["HEAD:a.txt", "HEAD:nope"]) == [12, nil])
        #expect(try reader.contents(of: "HEAD~1:a.txt") == Array("hello\n".utf8))
    }

    @Test func objectReaderInANonRepositoryFails() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-nogit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let reader = GitObjectReader(repository: dir)
        #expect(throws: GitError.self) { try reader.contents(of: "HEAD:a.txt") }
    }
}
