import DockerlintSupport
import Foundation
import Testing
import DockerlintBuilders
@testable import DockerlintKit

// `dockerlint bench` on buildah and podman (private store, `scripts/setup-builders --podman`
// imports python:3.10.5 there). Every instruction after FROM is a step, like classic: the bench
// maps and predicts them with the classic numbering and engine, and reads layer sizes through
// podman (same store). Disabled (with the reason) when the tool is not installed; fails loudly
// when the store lacks the base image.

func benchCLIExecutable(_ kind: BuilderKind) -> String? {
    ["/usr/bin/\(kind.rawValue)", "/usr/local/bin/\(kind.rawValue)"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
}

func benchCLIBuilder(_ kind: BuilderKind) throws -> CLIImageBuilder {
    guard let exe = benchCLIExecutable(kind) else { throw BenchEngineMissing(description: "\(kind.rawValue) is not installed") }
    let b = try CLIImageBuilder(kind: kind, executable: URL(fileURLWithPath: exe))
    let p = Process()
    p.executableURL = URL(fileURLWithPath: exe)
    p.arguments = ["--root", b.root, "--runroot", b.runroot, "--storage-driver", b.storageDriver,
                   "images", "-q", "docker.io/library/python:3.10.5"]
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    try p.run()
    let out = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0, !out.isEmpty else {
        throw BenchEngineMissing(description: "\(kind.rawValue) store \(b.root) lacks docker.io/library/python:3.10.5: run scripts/setup-builders --podman")
    }
    return b
}

@Suite("bench on buildah and podman", .serialized, .enabled(if: !skipBenchEngineTests))
struct BenchCLIBuilderTests {
    @Test(.enabled(if: benchCLIExecutable(.buildah) != nil, "buildah (scripts/setup-builders --podman)"), arguments: labCases.prefix(2))
    func buildahLabSequence(lab: LabCase) throws { try labSequence(kind: .buildah, lab: lab) }

    @Test(.enabled(if: benchCLIExecutable(.podman) != nil, "podman (scripts/setup-builders --podman)"), arguments: labCases.prefix(2))
    func podmanLabSequence(lab: LabCase) throws { try labSequence(kind: .podman, lab: lab) }

    func labSequence(kind: BuilderKind, lab: LabCase) throws {
        let builder = try benchCLIBuilder(kind)
        let dir = benchRepoRoot.appendingPathComponent(lab.directory)
        let cfg = BenchConfiguration(dockerfile: dir.appendingPathComponent("Dockerfile").path, context: dir.path,
                                     edits: lab.edits, timeout: 300)
        let report = try BenchRunner(configuration: cfg, builder: builder).run()
        // Same steps and statuses as classic: CMD is a step, FROM is reported as a hit.
        #expect(report.builds.count == lab.classic.count)
        for (b, want) in zip(report.builds, lab.classic) {
            #expect(b.error == nil, "\(b.scenario): \(b.error ?? "")")
            #expect(statusCodes(b) == want, "\(kind) \(lab.directory) build \(b.index) (\(b.scenario))")
            #expect(b.steps.allSatisfy { $0.predicted != nil }, "\(kind): a step without a prediction")
            #expect(b.steps.allSatisfy { $0.agrees == true }, "\(b.scenario): \(report.disagreements)")
            #expect(b.unmatchedPredictions.isEmpty)
            #expect((b.newLayerBytes ?? 0) > 0, "\(kind): no layer sizes")
        }
        #expect(report.comparedSteps == lab.classic.reduce(0) { $0 + $1.count })
        #expect(report.agreementRate == 1)
        if let cold = report.builds.first {
            #expect(cold.newLayerBytes == cold.imageBytes)
            #expect((cold.imageBytes ?? 0) > 100_000_000, "the python base layer counts")
        }
        // An edit of app.py adds one small COPY layer (tar stream size: a few KiB), not the image.
        for b in report.builds.dropFirst() { #expect((b.newLayerBytes ?? .max) < 1_000_000) }
        // Cleanup: nothing labelled with the runs is left in the store.
        for runID in Set(report.builds.map(\.runID)) {
            let p = Process()
            p.executableURL = builder.executable
            p.arguments = ["--root", builder.root, "--runroot", builder.runroot, "--storage-driver", builder.storageDriver,
                           "images", "-q", "--filter", "label=\(benchLabelKey)=\(runID)"]
            let pipe = Pipe()
            p.standardOutput = pipe
            try p.run()
            let left = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(left.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(kind) left \(left)")
        }
    }
}

@Suite("bench driver timing", .serialized, .enabled(if: !skipBenchEngineTests))
struct BenchTimedBuildTests {
    /// The timed section is the build request (what `dockerlint bench` reports); the layer
    /// accounting happens after it and is reported apart.
    @Test func timedSectionExcludesAccounting() throws {
        let c = try benchEngine()
        let builder = DockerEngineBuilder(client: c, mode: .buildkit)
        let runner = BenchRunner(configuration: BenchConfiguration(dockerfile: "Dockerfile", context: "."), builder: builder)
        let runID = "test-timed-\(UUID().uuidString.prefix(8).lowercased())"
        let scratch = try BenchScratch.makeDirectory()
        defer { BenchScratch.remove(scratch); _ = try? builder.cleanup(runID: runID) }
        try BenchScratch.copyContext(from: benchRepoRoot.appendingPathComponent("examples/lab").path, to: scratch, dockerfile: "Dockerfile")
        let t = try runner.timedBuild(context: scratch, request: BuildRequest(runID: runID, timeout: 300))
        #expect(t.result.succeeded, "\(t.result.error ?? "")")
        #expect(t.seconds == t.result.wallSeconds)
        #expect(t.seconds <= t.callSeconds)
        #expect(t.accountingSeconds > 0)
    }
}
