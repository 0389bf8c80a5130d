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
}
