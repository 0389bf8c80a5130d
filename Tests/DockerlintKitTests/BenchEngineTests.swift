import Foundation
import Testing
import DockerlintBuilders
import DockerlintCache
import DockerlintSupport
@testable import DockerlintKit

// `dockerlint bench` against the REAL Docker Engine, both builders. Needs dockerd with
// `python:3.10.5` and `local/busybox` (scripts/setup-builders). Fails loudly when they are
// missing unless DOCKERLINT_SKIP_BUILDER_TESTS=1.

let skipBenchEngineTests = ProcessInfo.processInfo.environment["DOCKERLINT_SKIP_BUILDER_TESTS"] == "1"

struct BenchEngineMissing: Error, CustomStringConvertible { var description: String }

func benchEngine() throws -> EngineClient {
    let client = EngineClient(endpoint: .fromEnvironment(), connectTimeout: 3, requestTimeout: 60)
    do {
        try client.ping(timeout: 5)
        _ = try client.inspectImage("python:3.10.5")
        _ = try client.inspectImage("local/busybox:latest")
    } catch {
        throw BenchEngineMissing(description: """
            Docker Engine bench prerequisites missing at \(client.endpoint): \(error). Run `sudo scripts/setup-builders` \
            (starts dockerd, imports local/busybox, makes python:3.10.5), or set DOCKERLINT_SKIP_BUILDER_TESTS=1.
            """)
    }
    return client
}

/// What the engine holds, to prove the bench leaves nothing behind.
struct EngineInventory {
    var images: Set<String>
    var containers: Set<String>
    init(_ c: EngineClient) throws {
        images = Set(try c.images(all: true).map(\.id))
        containers = Set(try c.containers().map(\.id))
    }
}

/// Images/containers present after but not before that are ours: unlabelled, or labelled
/// with one of our run ids (other benches on a shared daemon carry their own run ids).
/// Polls for up to 10 s: the daemon removes a cancelled build's container asynchronously.
func leftovers(_ c: EngineClient, before: EngineInventory, runIDs: Set<String>) throws -> [String] {
    var left: [String] = []
    for _ in 0..<20 {
        left = try leftoversNow(c, before: before, runIDs: runIDs)
        if left.isEmpty { return [] }
        Thread.sleep(forTimeInterval: 0.5)
    }
    return left
}

func leftoversNow(_ c: EngineClient, before: EngineInventory, runIDs: Set<String>) throws -> [String] {
    let after = try EngineInventory(c)
    var out: [String] = []
    for id in after.images.subtracting(before.images) {
        guard let d = try? c.inspectImage(id) else { continue }
        let label = d.labels[benchLabelKey]
        if label == nil || runIDs.contains(label!) { out.append("image \(id) \(d.repoTags) \(d.labels)") }
    }
    for ctr in try c.containers() where !before.containers.contains(ctr.id) {
        let label = ctr.labels[benchLabelKey]
        if label == nil || runIDs.contains(label!) { out.append("container \(ctr.id) \(ctr.image) \(ctr.command)") }
    }
    for id in runIDs {
        out += try c.images(label: "\(benchLabelKey)=\(id)").map { "labelled image \($0.id)" }
        out += try c.containers(label: "\(benchLabelKey)=\(id)").map { "labelled container \($0.id)" }
    }
    return out
}

struct LabCase: Sendable, CustomTestStringConvertible {
    var directory: String
    var edits: [String]
    /// Per builder, per build: "<line><H|M>" for every step.
    var buildkit: [[String]]
    var classic: [[String]]
    var testDescription: String { directory }
}

let labCases: [LabCase] = [
    LabCase(directory: "examples/lab", edits: ["app.py"],
            buildkit: [["1H", "2M", "4M"], ["1H", "2H", "4M"]],
            classic: [["1H", "2M", "3M", "4M"], ["1H", "2H", "3H", "4M"]]),
    LabCase(directory: "examples/lab-bad-order", edits: ["app.py"],
            buildkit: [["1H", "2M", "3M"], ["1H", "2M", "3M"]],
            classic: [["1H", "2M", "3M", "4M"], ["1H", "2M", "3M", "4M"]]),
    LabCase(directory: "Tests/DockerlintKitTests/Fixtures/lab-requirements", edits: ["app.py", "requirements.txt"],
            buildkit: [["1H", "2M", "3M", "4M"], ["1H", "2H", "3H", "4M"], ["1H", "2M", "3M", "4M"]],
            classic: [["1H", "2M", "3M", "4M", "5M"], ["1H", "2H", "3H", "4M", "5M"], ["1H", "2M", "3M", "4M", "5M"]]),
    LabCase(directory: "Tests/DockerlintKitTests/Fixtures/lab-requirements-bad-order", edits: ["app.py", "requirements.txt"],
            buildkit: [["1H", "2M", "3M"], ["1H", "2M", "3M"], ["1H", "2M", "3M"]],
            classic: [["1H", "2M", "3M", "4M"], ["1H", "2M", "3M", "4M"], ["1H", "2M", "3M", "4M"]]),
]

func statusCodes(_ b: BenchBuild) -> [String] {
    b.steps.map { "\($0.line.map(String.init) ?? "?")\($0.status == .hit ? "H" : ($0.status == .miss ? "M" : "-"))" }
}

@Suite("bench on the real engine", .serialized, .enabled(if: !skipBenchEngineTests))
struct BenchEngineTests {
    @Test(arguments: [BuilderKind.buildkit, .classic], labCases)
    func labSequence(mode: BuilderKind, lab: LabCase) throws {
        let c = try benchEngine()
        let dir = benchRepoRoot.appendingPathComponent(lab.directory)
        let contextBefore = try treeFingerprint(dir)
        let before = try EngineInventory(c)
        let cfg = BenchConfiguration(dockerfile: dir.appendingPathComponent("Dockerfile").path, context: dir.path,
                                     edits: lab.edits, timeout: 300)
        let runner = BenchRunner(configuration: cfg, builder: DockerEngineBuilder(client: c, mode: mode))
        let report = try runner.run()
        let expected = mode == .buildkit ? lab.buildkit : lab.classic
        #expect(report.builds.count == expected.count)
        for (b, want) in zip(report.builds, expected) {
            #expect(b.error == nil, "\(b.scenario): \(b.error ?? "")")
            #expect(statusCodes(b) == want, "\(mode) \(lab.directory) build \(b.index) (\(b.scenario))")
            #expect(b.steps.allSatisfy { $0.agrees == true }, "\(b.scenario): \(report.disagreements)")
            #expect(b.unmatchedPredictions.isEmpty)
            #expect((b.newLayerBytes ?? 0) > 0)
        }
        #expect(report.agreementRate == 1)
        // Cold: everything is new, base image included; an edit adds bytes, far less than the image.
        if let cold = report.builds.first { #expect(cold.newLayerBytes == cold.imageBytes) }
        for b in report.builds.dropFirst() { #expect((b.newLayerBytes ?? .max) < 1_000_000) }
        #expect(try leftovers(c, before: before, runIDs: Set(report.builds.map(\.runID))).isEmpty)
        #expect(try treeFingerprint(dir) == contextBefore, "the user's context was written to")
    }

    /// `--runs 2`: the second run starts from a fresh cache (its cold build misses everything,
    /// its edit rebuild behaves like the first run's), and both runs are cleaned.
    @Test func repeatedRunsStartCold() throws {
        let c = try benchEngine()
        let dir = try benchTempDir("runs")
        defer { BenchScratch.remove(dir) }
        try write("FROM local/busybox\nRUN echo bench-runs > /r\nCOPY a.txt /a.txt\nRUN cat /a.txt\n", to: dir.appendingPathComponent("Dockerfile"))
        try write("one\n", to: dir.appendingPathComponent("a.txt"))
        let before = try EngineInventory(c)
        let cfg = BenchConfiguration(dockerfile: dir.appendingPathComponent("Dockerfile").path, context: dir.path,
                                     edits: ["a.txt"], runs: 2, timeout: 120)
        let report = try BenchRunner(configuration: cfg, builder: DockerEngineBuilder(client: c, mode: .buildkit)).run()
        #expect(report.builds.map(statusCodes) == [["1H", "2M", "3M", "4M"], ["1H", "2H", "3M", "4M"],
                                                    ["1H", "2M", "3M", "4M"], ["1H", "2H", "3M", "4M"]])
        #expect(Set(report.builds.map(\.runID)).count == 2)
        #expect(report.agreementRate == 1)
        #expect(try leftovers(c, before: before, runIDs: Set(report.builds.map(\.runID))).isEmpty)
        let json = BenchOutput.json(report)
        try validateBenchJSON(json)
    }

    /// `--git`: the range base is the cold build, then each commit; the Dockerfile is read from each.
    @Test(arguments: [BuilderKind.buildkit, .classic])
    func gitRange(mode: BuilderKind) throws {
        let c = try benchEngine()
        let repo = try benchTempDir("gitrepo")
        defer { BenchScratch.remove(repo) }
        func git(_ args: String...) throws { _ = try Git.run(repository: repo.path, args) }
        try git("init", "-q"); try git("config", "user.email", "t@example.invalid"); try git("config", "user.name", "t")
        let nonce = UUID().uuidString
        try write("FROM local/busybox\nRUN echo \(nonce)\nCOPY a.txt /a.txt\nCOPY b.txt /b.txt\n", to: repo.appendingPathComponent("Dockerfile"))
        try write("a1\n", to: repo.appendingPathComponent("a.txt"))
        try write("b1\n", to: repo.appendingPathComponent("b.txt"))
        try git("add", "-A"); try git("commit", "-qm", "base")
        try write("b2\n", to: repo.appendingPathComponent("b.txt")); try git("commit", "-qam", "b")
        try write("a2\n", to: repo.appendingPathComponent("a.txt")); try git("commit", "-qam", "a")
        let before = try EngineInventory(c)
        let cfg = BenchConfiguration(dockerfile: repo.appendingPathComponent("Dockerfile").path, context: repo.path,
                                     gitRange: "HEAD~2..HEAD", timeout: 120)
        let report = try BenchRunner(configuration: cfg, builder: DockerEngineBuilder(client: c, mode: mode)).run()
        #expect(report.builds.map(statusCodes) == [["1H", "2M", "3M", "4M"], ["1H", "2H", "3H", "4M"], ["1H", "2H", "3M", "4M"]])
        #expect(report.agreementRate == 1)
        #expect(try leftovers(c, before: before, runIDs: Set(report.builds.map(\.runID))).isEmpty)
    }

    /// `--save-costs` over a `--git` range whose second commit inserts a quick RUN above a slow
    /// one: the slow step is `0:RUN#1` in the cold build and `0:RUN#2` after. The costs file
    /// names every step as the last commit's Dockerfile does (its builds aligned with that file,
    /// as simulate's history is), so the slow step's two runs go to `0:RUN#2` and the quick
    /// step's run alone to `0:RUN#1`; by ordinal `0:RUN#1` took the median of both, under the
    /// slow step's text, and `simulate --costs` read it for the quick step.
    @Test func savedCostsFollowStepsAcrossAnInsertedRun() throws {
        let c = try benchEngine()
        let repo = try benchTempDir("gitcosts")
        defer { BenchScratch.remove(repo) }
        func git(_ args: String...) throws { _ = try Git.run(repository: repo.path, args) }
        try git("init", "-q"); try git("config", "user.email", "t@example.invalid"); try git("config", "user.name", "t")
        let nonce = UUID().uuidString
        let slow = "RUN sleep 1 && echo \(nonce) > /slow", quick = "RUN echo \(nonce) > /quick"
        try write("FROM local/busybox\n\(slow)\n", to: repo.appendingPathComponent("Dockerfile"))
        try git("add", "-A"); try git("commit", "-qm", "slow")
        try write("FROM local/busybox\n\(quick)\n\(slow)\n", to: repo.appendingPathComponent("Dockerfile"))
        try git("commit", "-qam", "quick above")
        let cfg = BenchConfiguration(dockerfile: repo.appendingPathComponent("Dockerfile").path, context: repo.path,
                                     gitRange: "HEAD~1..HEAD", timeout: 120)
        let report = try BenchRunner(configuration: cfg, builder: DockerEngineBuilder(client: c, mode: .buildkit)).run()
        #expect(report.builds.map(statusCodes) == [["1H", "2M"], ["1H", "2M", "3M"]])
        let json = BenchOutput.costs(report)
        let steps = try #require((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["steps"] as? [[String: Any]])
        // In the order they were first measured: the slow step's cold run first.
        let named = steps.map { "\($0["identity"] as? String ?? "-") line \($0["line"] as? Int ?? 0) \($0["text"] as? String ?? "")" }
        #expect(named == ["0:RUN#2 line 3 \(slow)", "0:RUN#1 line 2 \(quick)"], "\(json)")
        let costs = try CostModel.load(json: Array(json.utf8))
        func seconds(_ identity: String, line: Int, text: String) -> Double {
            costs.seconds(identity: identity, line: line, instruction: "RUN", stage: 0, text: text, command: nil, classicMetadata: false).0
        }
        // The quick step's one run; the median of the slow step's two.
        func measured(_ build: Int, line: Int) throws -> Double { try #require(report.builds[build].steps.first { $0.line == line }).seconds }
        #expect(abs(seconds("0:RUN#1", line: 2, text: quick) - (try measured(1, line: 2))) < 0.001, "\(json)")
        #expect(abs(seconds("0:RUN#2", line: 3, text: slow) - ((try measured(0, line: 2)) + (try measured(1, line: 3))) / 2) < 0.001, "\(json)")
    }

    /// `--timeout`: the build is cancelled and reported, and nothing is left behind.
    @Test func timeoutCancelsAndCleans() throws {
        let c = try benchEngine()
        let dir = try benchTempDir("timeout")
        defer { BenchScratch.remove(dir) }
        try write("FROM local/busybox\nRUN echo \(UUID().uuidString) && sleep 60\n", to: dir.appendingPathComponent("Dockerfile"))
        let before = try EngineInventory(c)
        let cfg = BenchConfiguration(dockerfile: dir.appendingPathComponent("Dockerfile").path, context: dir.path, timeout: 3)
        let start = Date()
        let report = try BenchRunner(configuration: cfg, builder: DockerEngineBuilder(client: c, mode: .classic)).run()
        #expect(Date().timeIntervalSince(start) < 30)
        #expect(report.builds.first?.error?.contains("timed out") == true)
        // The daemon stops the cancelled RUN's container asynchronously.
        var left: [String] = []
        for _ in 0..<20 {
            left = try leftovers(c, before: before, runIDs: Set(report.builds.map(\.runID)))
            if left.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.5)
        }
        #expect(left.isEmpty)
    }

    /// In this suite (serialized) so no other engine test builds while leftovers are counted.
    @Test(arguments: ["buildkit", "classic"])
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
