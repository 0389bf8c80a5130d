import Foundation
import Testing
@testable import DockerlintBuilders
import DockerlintSupport

// buildah/podman are optional (scripts/setup-builders --podman installs them and seeds
// localhost/local/busybox into the private store); a test of a tool that is not installed is
// disabled, with the reason shown.

func cliToolInstalled(_ kind: BuilderKind) -> Bool { CLIImageBuilder.find(kind.rawValue) != nil }

func cliBuilder(_ kind: BuilderKind) throws -> CLIImageBuilder {
    let b = try CLIImageBuilder(kind: kind)
    let (s, out) = try b.runCapture(b.storeArgs + ["images", "-q", "localhost/local/busybox:latest"])
    guard s == 0, !out.isEmpty else {
        throw EngineUnavailable(description: "\(kind.rawValue) store \(b.root) lacks localhost/local/busybox: run scripts/setup-builders --podman")
    }
    return b
}

@Suite(.serialized, .disabled(if: skipEngineTests, "DOCKERLINT_SKIP_BUILDER_TESTS=1"))
struct CLIBuilderTests {
    @Test(.enabled(if: cliToolInstalled(.buildah), "buildah (scripts/setup-builders --podman)"))
    func buildahColdWarmEditAndCleanup() throws { try coldWarmEditAndCleanup(kind: .buildah) }

    @Test(.enabled(if: cliToolInstalled(.podman), "podman (scripts/setup-builders --podman)"))
    func podmanColdWarmEditAndCleanup() throws { try coldWarmEditAndCleanup(kind: .podman) }

    func coldWarmEditAndCleanup(kind: BuilderKind) throws {
        let b = try cliBuilder(kind)
        let runID = "test-\(kind.rawValue)-\(UUID().uuidString.prefix(8).lowercased())"
        let ctx = try makeBusyboxContext(nonce: runID)
        defer { try? FileManager.default.removeItem(at: ctx); _ = try? b.cleanup(runID: runID) }
        let opts = BuildRequest(runID: runID, tag: "dockerlint-test:\(runID)", timeout: 120)

        let cold = try b.build(context: ctx, request: opts)
        #expect(cold.succeeded, "\(describe(cold))")
        #expect(cold.steps.map(\.index) == [1, 2, 3, 4, 5], "\(describe(cold))")
        #expect(cold.statuses == [.hit, .miss, .miss, .miss, .miss], "\(describe(cold))")
        #expect(cold.steps[2].seconds >= 0.9, "\(describe(cold))")
        #expect(cold.imageID?.hasPrefix("sha256:") == true)

        let warm = try b.build(context: ctx, request: opts)
        #expect(warm.statuses == [.hit, .hit, .hit, .hit, .hit], "\(describe(warm))")

        try Data("v2\n".utf8).write(to: ctx.appendingPathComponent("a.txt"))
        let edit = try b.build(context: ctx, request: opts)
        #expect(edit.statuses == [.hit, .hit, .hit, .miss, .miss], "\(describe(edit))")
        #expect(edit.log.contains { $0.contains("v2") })

        let report = try b.cleanup(runID: runID)
        #expect(!report.removedImages.isEmpty)
        let (_, left) = try b.runCapture(b.storeArgs + ["images", "-q", "--filter", "label=\(benchLabelKey)=\(runID)"])
        #expect(left.isEmpty, "\(left)")
    }

    @Test(.enabled(if: cliToolInstalled(.buildah), "buildah (scripts/setup-builders --podman)"))
    func failingRunCarriesExitCode() throws {
        let b = try cliBuilder(.buildah)
        let runID = "test-fail-buildah-\(UUID().uuidString.prefix(8).lowercased())"
        let ctx = try makeTempDir("bfail")
        defer { try? FileManager.default.removeItem(at: ctx); _ = try? b.cleanup(runID: runID) }
        try Data("FROM local/busybox\nRUN echo \(runID)\nRUN echo to-stderr >&2; exit 3\n".utf8)
            .write(to: ctx.appendingPathComponent("Dockerfile"))
        let r = try b.build(context: ctx, request: BuildRequest(runID: runID, timeout: 60))
        #expect(!r.succeeded)
        #expect(r.exitCode == 3, "\(describe(r))")
        #expect(r.steps.last?.status == .miss && r.steps.last?.error != nil, "\(describe(r))")
    }

    @Test(.enabled(if: cliToolInstalled(.buildah), "buildah (scripts/setup-builders --podman)"))
    func timeoutKillsTheProcess() throws {
        let b = try cliBuilder(.buildah)
        let runID = "test-timeout-buildah-\(UUID().uuidString.prefix(8).lowercased())"
        let ctx = try makeTempDir("btimeout")
        defer { try? FileManager.default.removeItem(at: ctx); _ = try? b.cleanup(runID: runID) }
        try Data("FROM local/busybox\nRUN echo \(runID) && sleep 30\n".utf8).write(to: ctx.appendingPathComponent("Dockerfile"))
        let t0 = monotonicSeconds()
        #expect(throws: BuilderError.timeout(seconds: 2, what: "buildah build")) {
            _ = try b.build(context: ctx, request: BuildRequest(runID: runID, timeout: 2))
        }
        #expect(monotonicSeconds() - t0 < 9)
    }
}
