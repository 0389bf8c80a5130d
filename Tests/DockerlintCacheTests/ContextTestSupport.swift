import DockerlintSupport
import Foundation
@testable import DockerlintCache

/// A real temporary directory, removed on deinit.
final class TempDir {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/dockerlint-ctx-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func url(_ rel: String) -> URL { URL(fileURLWithPath: path + "/" + rel) }

    func write(_ rel: String, _ text: String) throws {
        let u = url(rel)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: u)
    }

    func mkdir(_ rel: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/" + rel, withIntermediateDirectories: true)
    }

    func chmod(_ rel: String, _ mode: Int) throws {
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path + "/" + rel)
    }

    func symlink(_ rel: String, to target: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path + "/" + rel, withDestinationPath: target)
    }

    func move(_ from: String, _ to: String) throws {
        try FileManager.default.moveItem(atPath: path + "/" + from, toPath: path + "/" + to)
    }

    func remove(_ rel: String) throws {
        try FileManager.default.removeItem(atPath: path + "/" + rel)
    }

    func setMtime(_ rel: String, _ date: Date) throws {
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path + "/" + rel)
    }

    /// Runs git in this directory (argument array, no shell); returns stdout.
    @discardableResult
    func git(_ args: String...) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-C", path, "-c", "user.name=t", "-c", "user.email=t@example.com",
                       "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw TestGitError(args: args) }
        return String(decoding: data, as: UTF8.self)
    }
}

struct TestGitError: Error { let args: [String] }

extension ContextSnapshot {
    mutating func digest(_ sources: [String], _ engine: BuilderKind, ignore: DockerIgnore = .empty) throws -> String? {
        try sourceDigest(sources, options: SourceHashOptions(engine: engine, ignore: ignore)).digest
    }
}
