import Foundation
import Testing
@testable import DockerlintBuilders
import DockerlintSupport

// Tests against the REAL Docker Engine (scripts/setup-builders --no-python prepares it).
// They fail, loudly, when the engine is unreachable, unless DOCKERLINT_SKIP_BUILDER_TESTS=1.

let skipEngineTests = ProcessInfo.processInfo.environment["DOCKERLINT_SKIP_BUILDER_TESTS"] == "1"

struct EngineUnavailable: Error, CustomStringConvertible {
    var description: String
}

func liveEngine() throws -> EngineClient {
    let client = EngineClient(endpoint: .fromEnvironment(), connectTimeout: 3, requestTimeout: 60)
    do {
        try client.ping(timeout: 5)
        _ = try client.inspectImage("local/busybox:latest")
    } catch {
        throw EngineUnavailable(description: """
            Docker Engine test prerequisites missing at \(client.endpoint): \(error). \
            Run `sudo scripts/setup-builders --no-python` (starts dockerd, imports local/busybox), \
            or set DOCKERLINT_SKIP_BUILDER_TESTS=1 to skip engine tests.
            """)
    }
    return client
}

/// A context with the busybox Dockerfile of the brief; the nonce keeps the cold build cold.
func makeBusyboxContext(nonce: String) throws -> URL {
    let dir = try makeTempDir("ctx")
    let dockerfile = """
        FROM local/busybox
        RUN echo a-\(nonce)
        RUN sleep 1
        COPY a.txt /a.txt
        RUN cat /a.txt

        """
    try Data(dockerfile.utf8).write(to: dir.appendingPathComponent("Dockerfile"))
    try Data("v1\n".utf8).write(to: dir.appendingPathComponent("a.txt"))
    return dir
}

func describe(_ r: BuildResult) -> String {
    r.steps.map { "[\($0.index)/\($0.total)] \($0.instruction) \($0.status.rawValue) \(String(format: "%.2f", $0.seconds))s\($0.error.map { " ERROR \($0)" } ?? "")" }
        .joined(separator: "\n") + "\nerror: \(r.error ?? "-")\nlog: \(r.log.suffix(10))"
}

@Suite(.serialized, .disabled(if: skipEngineTests, "DOCKERLINT_SKIP_BUILDER_TESTS=1"))
struct EngineTests {
    @Test func pingAndVersion() throws {
        let c = try liveEngine()
        #expect(try c.ping() == "OK")
        let v = try c.version()
        #expect(!v.version.isEmpty)
        #expect(EngineClient.compareVersions(v.apiVersion, "1.25") >= 0)
        #expect(EngineClient.compareVersions(try c.apiVersion(), EngineClient.preferredAPIVersion) <= 0)
    }

    @Test(arguments: [BuilderKind.buildkit, .classic])
    func coldWarmEditAndCleanup(mode: BuilderKind) throws {
        let client = try liveEngine()
        let runID = "test-\(mode.rawValue)-\(UUID().uuidString.prefix(8).lowercased())"
        let ctx = try makeBusyboxContext(nonce: runID)
        defer { try? FileManager.default.removeItem(at: ctx) }
        let builder = DockerEngineBuilder(client: client, mode: mode)
        let opts = BuildRequest(runID: runID, tag: "dockerlint-test:\(runID)", timeout: 120)
        var cleaned = false
        defer { if !cleaned { _ = try? builder.cleanup(runID: runID) } }

        let label = "\(benchLabelKey)=\(runID)"
        #expect(try client.images(label: label).isEmpty)
        let baseID = try client.inspectImage("local/busybox:latest").id

        // cold
        let cold = try builder.build(context: ctx, request: opts)
        #expect(cold.succeeded, "\(describe(cold))")
        #expect(cold.builder == mode)
        #expect(cold.imageID?.hasPrefix("sha256:") == true)
        #expect(cold.steps.map(\.index) == [1, 2, 3, 4, 5], "\(describe(cold))")
        #expect(cold.steps.allSatisfy { $0.total == 5 }, "\(describe(cold))")
        #expect(cold.steps.map(\.keyword) == ["FROM", "RUN", "RUN", "COPY", "RUN"])
        #expect(cold.statuses == [.hit, .miss, .miss, .miss, .miss], "\(describe(cold))")
        #expect(cold.steps[2].instruction == "RUN sleep 1")
        #expect(cold.steps[2].seconds >= 0.9 && cold.steps[2].seconds < 30, "\(describe(cold))")
        #expect(cold.wallSeconds >= cold.steps[2].seconds)
        #expect(cold.log.contains { $0.contains("v1") }, "RUN cat output missing: \(cold.log)")

        // the image is labelled, has history and sizes
        let img = try client.inspectImage(try #require(cold.imageID))
        #expect(img.labels[benchLabelKey] == runID)
        #expect(img.repoTags.contains("dockerlint-test:\(runID)"))
        let history = try client.imageHistory(img.id)
        #expect(history.count >= 4)
        #expect(history.contains { $0.createdBy.contains("sleep 1") })
        #expect(history.reduce(0) { $0 + $1.size } > 1_000_000)   // busybox layer ≈ 2 MB

        // warm: everything from cache, same image
        let warm = try builder.build(context: ctx, request: opts)
        #expect(warm.succeeded, "\(describe(warm))")
        #expect(warm.statuses == [.hit, .hit, .hit, .hit, .hit], "\(describe(warm))")
        #expect(warm.steps[2].seconds < 0.9, "\(describe(warm))")
        #expect(warm.imageID == cold.imageID)

        // edit a.txt: COPY and later miss
        try Data("v2\n".utf8).write(to: ctx.appendingPathComponent("a.txt"))
        let edit = try builder.build(context: ctx, request: opts)
        #expect(edit.succeeded, "\(describe(edit))")
        #expect(edit.statuses == [.hit, .hit, .hit, .miss, .miss], "\(describe(edit))")
        #expect(edit.imageID != cold.imageID)
        #expect(edit.log.contains { $0.contains("v2") })

        // cleanup removes every labelled image and container
        let before = try client.images(label: label)
        #expect(before.count >= 2, "expected the cold and edited images, got \(before.map(\.id))")
        #expect(try client.containers(label: label).isEmpty)
        let report = try builder.cleanup(runID: runID)
        cleaned = true
        #expect(report.removedImages.count >= before.count)
        #expect(try client.images(label: label).isEmpty)
        #expect(try client.containers(label: label).isEmpty)
        #expect(throws: BuilderError.self) { try client.inspectImage(try #require(edit.imageID)) }
        // Never the base image: deleting it would force a re-import with a new ID (busting caches).
        #expect(try client.inspectImage("local/busybox:latest").id == baseID)
    }

    @Test(arguments: [BuilderKind.buildkit, .classic])
    func failingRunIsAResultNotAThrow(mode: BuilderKind) throws {
        let client = try liveEngine()
        let runID = "test-fail-\(mode.rawValue)-\(UUID().uuidString.prefix(8).lowercased())"
        let ctx = try makeTempDir("fail")
        defer { try? FileManager.default.removeItem(at: ctx); _ = try? client.cleanup(runID: runID) }
        try Data("FROM local/busybox\nRUN echo \(runID)\nRUN echo to-stderr >&2; exit 3\n".utf8)
            .write(to: ctx.appendingPathComponent("Dockerfile"))
        let r = try client.build(context: ctx, mode: mode, request: BuildRequest(runID: runID, timeout: 60))
        #expect(!r.succeeded)
        #expect(r.imageID == nil)
        #expect(r.error?.contains("3") == true, "\(describe(r))")
        let last = try #require(r.steps.last)
        #expect(last.index == 3 && last.status == .miss && last.error != nil, "\(describe(r))")
        if mode == .classic { #expect(r.exitCode == 3) }
        #expect(r.log.contains { $0.contains("to-stderr") }, "\(r.log)")
    }

    @Test(arguments: [BuilderKind.buildkit, .classic])
    func parseErrorAndMissingBaseAreResults(mode: BuilderKind) throws {
        let client = try liveEngine()
        let runID = "test-parse-\(mode.rawValue)-\(UUID().uuidString.prefix(8).lowercased())"
        let ctx = try makeTempDir("parse")
        defer { try? FileManager.default.removeItem(at: ctx); _ = try? client.cleanup(runID: runID) }
        try Data("FROM local/busybox\nRUNN x\n".utf8).write(to: ctx.appendingPathComponent("Dockerfile"))
        let r = try client.build(context: ctx, mode: mode, request: BuildRequest(runID: runID, timeout: 30))
        #expect(!r.succeeded)
        #expect(r.error?.lowercased().contains("unknown instruction") == true, "\(describe(r))")

        try Data("FROM local/dockerlint-no-such-image\nRUN true\n".utf8).write(to: ctx.appendingPathComponent("Dockerfile"))
        let m = try client.build(context: ctx, mode: mode, request: BuildRequest(runID: runID, timeout: 30))
        #expect(!m.succeeded, "\(describe(m))")
        #expect(m.imageID == nil)
    }

    @Test(arguments: [BuilderKind.buildkit, .classic])
    func timeoutCancelsTheBuild(mode: BuilderKind) throws {
        let client = try liveEngine()
        let runID = "test-timeout-\(mode.rawValue)-\(UUID().uuidString.prefix(8).lowercased())"
        let ctx = try makeTempDir("timeout")
        defer { try? FileManager.default.removeItem(at: ctx); _ = try? client.cleanup(runID: runID) }
        try Data("FROM local/busybox\nRUN echo \(runID) && sleep 30\n".utf8).write(to: ctx.appendingPathComponent("Dockerfile"))
        let t0 = monotonicSeconds()
        #expect {
            _ = try client.build(context: ctx, mode: mode, request: BuildRequest(runID: runID, timeout: 2))
        } throws: { e in
            guard case BuilderError.timeout = e else { return false }
            return true
        }
        #expect(monotonicSeconds() - t0 < 6)
        // The engine cancels the build when the connection closes; the RUN container goes away.
        var leftovers: [ContainerSummary] = []
        for _ in 0..<20 {
            leftovers = try client.containers().filter { $0.command.contains(runID) }
            if leftovers.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.25)
        }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test func connectPicksTheEngine() throws {
        _ = try liveEngine()
        let b = try Builders.connect([.buildkit])
        #expect(b.kind == .buildkit)
        #expect(b.summary.contains("buildkit via"))
    }
}

@Suite struct UnreachableTests {
    @Test func missingSocketGivesTypedErrorQuickly() throws {
        let t0 = monotonicSeconds()
        let bogus = EngineEndpoint.unix(path: "/nonexistent/dockerlint-\(UUID().uuidString.prefix(6))/docker.sock")
        var caught: BuilderError?
        do {
            _ = try Builders.connect([.buildkit, .classic], endpoints: [bogus, .tcp(host: "127.0.0.1", port: 1)])
        } catch {
            caught = error
        }
        let elapsed = monotonicSeconds() - t0
        guard case .noBuilderReachable(let tried)? = caught else {
            Issue.record("expected noBuilderReachable, got \(String(describing: caught))")
            return
        }
        #expect(tried.count == 4, "\(tried)")
        #expect(tried.first?.target == "buildkit via \(bogus)")
        #expect(tried.first?.reason.contains("No such file or directory") == true, "\(tried)")
        #expect(tried.contains { $0.target.contains("tcp://127.0.0.1:1") && $0.reason.contains("refused") }, "\(tried)")
        #expect(caught?.description.hasPrefix("no builder reachable; tried: ") == true)
        #expect(elapsed < 1.5)

        #expect(throws: BuilderError.self) { try EngineClient(endpoint: bogus).ping() }
        let notASocket = try makeTempDir("notsock")
        defer { try? FileManager.default.removeItem(at: notASocket) }
        #expect(throws: BuilderError.connectionFailed(endpoint: "unix://\(notASocket.path)", reason: "Connection refused")) {
            try EngineClient(endpoint: .unix(path: notASocket.path)).ping()
        }
    }

    @Test func missingCLIToolIsListed() {
        var caught: BuilderError?
        do { _ = try Builders.connect([.podman], endpoints: []) } catch { caught = error }
        if CLIImageBuilder.find("podman") == nil {
            #expect(caught == .noBuilderReachable(tried: [BuilderAttempt(target: "podman", reason: "not found in PATH")]))
        }
    }
}
