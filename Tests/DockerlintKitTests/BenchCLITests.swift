import Foundation
import Testing
import DockerlintBuilders
@testable import DockerlintKit

/// The `dockerlint` executable next to the test bundle (swift build/test build it into the same
/// directory).
func dockerlintBinary() throws -> URL {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("dockerlint"),
        Bundle.main.bundleURL.appendingPathComponent("dockerlint"),
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("dockerlint"),
        benchRepoRoot.appendingPathComponent(".build/debug/dockerlint"),
    ]
    guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
        throw BenchEngineMissing(description: "dockerlint executable not built (looked at \(candidates.map(\.path))); run `swift build` first")
    }
    return found
}

func runCLI(_ args: [String], env: [String: String] = [:], signalAfter: (Double, Int32)? = nil) throws -> (Int32, String, String) {
    let p = Process()
    p.executableURL = try dockerlintBinary()
    p.arguments = args
    p.environment = ProcessInfo.processInfo.environment.merging(env) { _, n in n }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    if let (delay, sig) = signalAfter {
        Thread.sleep(forTimeInterval: delay)
        kill(p.processIdentifier, sig)
    }
    nonisolated(unsafe) var errData = Data()
    let g = DispatchGroup()
    g.enter()
    DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); g.leave() }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    g.wait()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

@Suite("dockerlint bench CLI", .serialized)
struct BenchCLITests {
    @Test func deadDaemonIsExitThreeWithOneLine() throws {
        let lab = benchRepoRoot.appendingPathComponent("examples/lab/Dockerfile").path
        for b in ["buildkit", "classic"] {
            let (rc, out, err) = try runCLI(["bench", lab, "--builder", b],
                                            env: ["DOCKER_HOST": "unix:///nonexistent/dockerlint-dead.sock"])
            #expect(rc == 3)
            #expect(out.isEmpty)
            let lines = err.split(separator: "\n")
            #expect(lines.count == 1, "\(err)")
            #expect(err.contains("no builder reachable") && err.contains("dockerlint-dead.sock"))
        }
    }

    /// On a machine without the base image (before scripts/setup-builders), on the real Docker
    /// 20.10 daemon and the podman store: one line naming the image and how to get it, exit 3,
    /// no report claiming agreement over zero steps.
    @Test(.enabled(if: !skipBenchEngineTests, "DOCKERLINT_SKIP_BUILDER_TESTS=1"))
    func missingBaseImageIsExitThreeWithOneLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dockerlint-missing-base-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let image = "dockerlint-test-missing/no-such-image-\(UUID().uuidString.prefix(8).lowercased()):1"
        try Data("FROM \(image)\nCOPY app.py /app.py\n".utf8).write(to: dir.appendingPathComponent("Dockerfile"))
        try Data("print(1)\n".utf8).write(to: dir.appendingPathComponent("app.py"))
        var builders = ["buildkit", "classic"]
        if benchCLIExecutable(.podman) != nil { builders.append("podman") }
        for b in builders {
            let (rc, out, err) = try runCLI(["bench", dir.appendingPathComponent("Dockerfile").path, "--builder", b, "--quiet", "--edit", "app.py"])
            #expect(rc == 3, "\(b): \(out)\n\(err)")
            #expect(out.isEmpty, "\(b): \(out)")
            #expect(err.split(separator: "\n").count == 1, "\(b): \(err)")
            #expect(err.contains("base image \(image) is not on this machine") && err.contains("scripts/setup-builders"), "\(b): \(err)")
        }
    }
}
