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

    @Test(.enabled(if: !skipBenchEngineTests), arguments: ["buildkit", "classic"])
    func sigintCleansUp(builder: String) throws {
        let c = try benchEngine()
        let dir = try benchTempDir("sig")
        defer { BenchScratch.remove(dir) }
        try write("FROM local/busybox\nRUN echo \(UUID().uuidString) && sleep 60\n", to: dir.appendingPathComponent("Dockerfile"))
        let before = try EngineInventory(c)
        let start = Date()
        let (rc, _, err) = try runCLI(["bench", dir.appendingPathComponent("Dockerfile").path, "--builder", builder],
                                      signalAfter: (3, SIGINT))
        #expect(rc == 130, "\(err)")
        #expect(Date().timeIntervalSince(start) < 30)
        #expect(err.contains("removing images and containers"))
        var left: [String] = ["?"]
        for _ in 0..<20 {
            // Run ids are private to the child: anything new and unlabelled or bench-labelled counts.
            let after = try EngineInventory(c)
            left = after.images.subtracting(before.images).compactMap { id in
                guard let d = try? c.inspectImage(id) else { return nil }
                return d.labels[benchLabelKey].map { $0.hasPrefix("dlb-") ? id : nil } ?? id
            } + after.containers.subtracting(before.containers).map { "container \($0)" }
            if left.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.5)
        }
        #expect(left.isEmpty)
    }
}
