import DockerlintSupport
import Foundation
import Testing

/// Which ignore file applies: `<Dockerfile>.dockerignore` first, else the context root's.
@Suite struct IgnoreFileTests {
    @Test func candidatesInOrder() {
        #expect(IgnoreFile.candidates(dockerfile: "build/app.Dockerfile", contextDirectory: ".")
            == ["build/app.Dockerfile.dockerignore", ".dockerignore"])
        #expect(IgnoreFile.candidates(dockerfile: "./Dockerfile", contextDirectory: "ctx")
            == ["Dockerfile.dockerignore", "ctx/Dockerfile.dockerignore", "ctx/.dockerignore"])
        #expect(IgnoreFile.candidates(dockerfile: "/abs/Dockerfile", contextDirectory: "/abs")
            == ["/abs/Dockerfile.dockerignore", "/abs/.dockerignore"])
        #expect(IgnoreFile.candidates(dockerfile: "Dockerfile", contextDirectory: nil) == ["Dockerfile.dockerignore"])
        #expect(IgnoreFile.names(contextRelativeDockerfile: "./svc/Dockerfile") == ["svc/Dockerfile.dockerignore", ".dockerignore"])
    }

    /// On disk: the Dockerfile-specific file wins even when empty; without it the context's.
    @Test func selectReadsTheFirstThatExists() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-ignore-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/svc", withIntermediateDirectories: true)
        try "root\n".write(toFile: dir + "/.dockerignore", atomically: true, encoding: .utf8)
        #expect(IgnoreFile.select(dockerfile: dir + "/svc/Dockerfile", contextDirectory: dir)
            == IgnoreFile.Selected(path: dir + "/.dockerignore", bytes: Array("root\n".utf8)))
        try "".write(toFile: dir + "/svc/Dockerfile.dockerignore", atomically: true, encoding: .utf8)
        #expect(IgnoreFile.select(dockerfile: dir + "/svc/Dockerfile", contextDirectory: dir)
            == IgnoreFile.Selected(path: dir + "/svc/Dockerfile.dockerignore", bytes: []))
        // A directory of that name is not a file.
        try FileManager.default.createDirectory(atPath: dir + "/d.dockerignore", withIntermediateDirectories: true)
        #expect(IgnoreFile.select(dockerfile: dir + "/d", contextDirectory: dir)?.path == dir + "/.dockerignore")
        #expect(IgnoreFile.select(dockerfile: dir + "/svc/Dockerfile", contextDirectory: nil) { _ in nil } == nil)
    }
}
