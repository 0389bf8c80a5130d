import DockerlintBuilders
import DockerlintCache
import DockerlintSupport
import Foundation
import Testing
@testable import DockerlintKit

// Both engines of scripts/setup-builders: Debian's Docker 20.10 (/var/run/docker.sock, shared,
// never pruned) and Docker 26 (/var/run/docker26.sock, containerd image store, with buildx and
// the registry on 127.0.0.1:5000: `scripts/setup-builders --docker26 --registry`). Every
// behaviour that differs between the two is built on both and must match the simulator with
// the release it detects from `/version`. They fail loudly when an engine is missing, unless
// DOCKERLINT_SKIP_BUILDER_TESTS=1.

let docker26Socket = ProcessInfo.processInfo.environment["DOCKERLINT_D26_SOCK"] ?? "/var/run/docker26.sock"

struct EngineSpec: Sendable, CustomTestStringConvertible {
    var socket: String
    var release: EngineRelease
    var testDescription: String { release.rawValue }
}

let bothEngines = [EngineSpec(socket: "/var/run/docker.sock", release: .docker20_10),
                   EngineSpec(socket: docker26Socket, release: .docker26)]

func engineClient(_ e: EngineSpec) throws -> EngineClient {
    let c = EngineClient(endpoint: .unix(path: e.socket), connectTimeout: 3, requestTimeout: 60)
    do {
        try c.ping(timeout: 5)
        _ = try c.inspectImage("local/busybox:latest")
    } catch {
        throw BenchEngineMissing(description: """
            \(e.release.rawValue) engine missing at \(e.socket): \(error). Run `sudo scripts/setup-builders --docker26 --registry`, \
            or set DOCKERLINT_SKIP_BUILDER_TESTS=1.
            """)
    }
    return c
}

/// A plan of Dockerfile variants, one context directory each, built in order.
func planOf(_ dockerfiles: [String], files: [String: String] = [:]) throws -> (URL, [BenchPlanBuild]) {
    let root = try benchTempDir("plan")
    var builds: [BenchPlanBuild] = []
    for (i, d) in dockerfiles.enumerated() {
        let dir = root.appendingPathComponent("b\(i + 1)")
        try write(d, to: dir.appendingPathComponent("Dockerfile"))
        for (name, text) in files { try write(text, to: dir.appendingPathComponent(name)) }
        builds.append(BenchPlanBuild(name: "variant \(i + 1)", context: dir.path))
    }
    return (root, builds)
}

func bench(_ e: EngineSpec, mode: String, plan: [BenchPlanBuild], configure: (inout BenchConfiguration) -> Void = { _ in }) throws -> BenchReport {
    let c = try engineClient(e)
    var cfg = BenchConfiguration(dockerfile: "Dockerfile", context: plan[0].context, planBuilds: plan, timeout: 300)
    configure(&cfg)
    let builder = try BenchRunner.connect(builder: mode, buildx: cfg.ciCache != .local,
                                          environment: ["DOCKER_HOST": "unix://" + e.socket, "PATH": "/usr/bin:/bin"])
    let before = try EngineInventory(c)
    let report = try BenchRunner(configuration: cfg, builder: builder).run()
    #expect(try leftovers(c, before: before, runIDs: Set(report.builds.map(\.runID))).isEmpty)
    return report
}

/// The measured status of the step on `line` in every build after the cold one.
func statuses(_ r: BenchReport, line: Int) -> [String] {
    r.builds.dropFirst().map { b in b.steps.first { $0.line == line }.map { $0.status == .hit ? "H" : "M" } ?? "-" }
}

@Suite("engine releases: Docker 20.10 and Docker 26 on real engines", .serialized, .enabled(if: !skipBenchEngineTests))
struct EngineReleaseTests {
    @Test(arguments: bothEngines)
    func versionIsDetectedAndModelled(_ e: EngineSpec) throws {
        let (root, plan) = try planOf(["FROM local/busybox\nRUN echo detect-\(UUID().uuidString)\n"])
        defer { BenchScratch.remove(root) }
        let r = try bench(e, mode: "buildkit", plan: plan)
        let engine = try #require(r.engine)
        #expect(engine.release == e.release)
        #expect(engine.exact)
        #expect(engine.version.hasPrefix(e.release == .docker26 ? "26." : "20.10."))
        #expect(BenchOutput.tty(r, color: false).contains("modelled as \(e.release.rawValue)"))
        #expect(BenchOutput.markdown(r).contains("Engine: Docker \(engine.version)"))
        try validateBenchJSON(BenchOutput.json(r))
        // Docker 26 keeps images in containerd: BuildKit goes through buildx there.
        #expect(r.builderSummary.contains("buildx") == (e.release == .docker26))
    }

    /// The classic builder of 26 keys an absolute WORKDIR by its cleaned path; 20.10 by its text.
    @Test(arguments: bothEngines)
    func classicWorkdirTrailingSlash(_ e: EngineSpec) throws {
        let n = UUID().uuidString
        let (root, plan) = try planOf(["/opt/app", "/opt/app/", "/opt//app"].map {
            "FROM local/busybox\nRUN echo wd-\(n)\nWORKDIR \($0)\nRUN echo after\n"
        })
        defer { BenchScratch.remove(root) }
        let r = try bench(e, mode: "classic", plan: plan)
        #expect(r.builds.allSatisfy { $0.error == nil })
        #expect(statuses(r, line: 4) == (e.release == .docker26 ? ["H", "H"] : ["M", "M"]))
        #expect(r.agreementRate == 1, "\(r.disagreements)")
    }

    /// BuildKit v0.13 leaves a cache mount's id and sharing out of the key unless the mount is
    /// the default one; v0.8 keys both.
    @Test(arguments: bothEngines)
    func cacheMountIdAndSharing(_ e: EngineSpec) throws {
        let n = UUID().uuidString
        let mounts = ["", ",sharing=locked", ",sharing=locked,id=foo", ",id=bar", ",id=/c", ""]
        let (root, plan) = try planOf(mounts.map { "FROM local/busybox\nRUN --mount=type=cache,target=/c\($0) echo cm-\(n) > /x\n" })
        defer { BenchScratch.remove(root) }
        let r = try bench(e, mode: "buildkit", plan: plan)
        #expect(r.builds.allSatisfy { $0.error == nil })
        // 20.10: every new id/sharing misses; id=/c is the default id; the plain mount was built first.
        // 26: locked, locked+id and id=bar all key as "cleared"; id=/c is the default again.
        #expect(statuses(r, line: 2) == (e.release == .docker26 ? ["M", "H", "H", "H", "H"] : ["M", "M", "M", "H", "H"]))
        #expect(r.agreementRate == 1, "\(r.disagreements)")
    }

    /// BuildKit (both releases) cleans the WORKDIR it creates but keeps the text as the working
    /// directory of later RUNs.
    @Test(arguments: bothEngines)
    func buildKitWorkdirTrailingSlash(_ e: EngineSpec) throws {
        let n = UUID().uuidString
        let (root, plan) = try planOf(["/opt/app", "/opt/app/"].map { "FROM local/busybox\nRUN echo bkwd-\(n)\nWORKDIR \($0)\nRUN echo after\n" })
        defer { BenchScratch.remove(root) }
        let r = try bench(e, mode: "buildkit", plan: plan)
        #expect(statuses(r, line: 3) == ["H"])
        #expect(statuses(r, line: 4) == ["M"])
        #expect(r.agreementRate == 1, "\(r.disagreements)")
    }

    /// `--push`: the cold build uploads every layer; after an edit only the COPY's layer is new,
    /// as predicted, and the rest is already in the registry (or mounted from another repository).
    @Test(arguments: bothEngines)
    func pushCountsLayersAndBytes(_ e: EngineSpec) throws {
        let n = UUID().uuidString
        let dir = try benchTempDir("push")
        defer { BenchScratch.remove(dir) }
        try write("FROM local/busybox\nRUN echo push-\(n) > /p\nCOPY a.txt /a.txt\n", to: dir.appendingPathComponent("Dockerfile"))
        try write("one\n", to: dir.appendingPathComponent("a.txt"))
        let c = try engineClient(e)
        var cfg = BenchConfiguration(dockerfile: dir.appendingPathComponent("Dockerfile").path, context: dir.path, edits: ["a.txt"], timeout: 300)
        cfg.push = true
        cfg.registry = "127.0.0.1:5000"
        let builder = try BenchRunner.connect(builder: "buildkit", environment: ["DOCKER_HOST": "unix://" + e.socket, "PATH": "/usr/bin:/bin"])
        let before = try EngineInventory(c)
        let r = try BenchRunner(configuration: cfg, builder: builder).run()
        #expect(try leftovers(c, before: before, runIDs: Set(r.builds.map(\.runID))).isEmpty)
        let pushes = r.builds.compactMap(\.push)
        try #require(pushes.count == 2)
        #expect(pushes[0].uploaded + pushes[0].mounted == 3 && pushes[0].existing == 0, "\(pushes[0])")
        #expect(pushes[1].uploaded == 1 && pushes[1].existing + pushes[1].mounted == 2, "\(pushes[1])")
        #expect(pushes[1].predictedNewLayers == 1)
        #expect(pushes[1].predictedNewBytes == pushes[1].bytesSent && pushes[1].bytesSent > 0)
        #expect(r.registry == "127.0.0.1:5000")
        #expect(BenchOutput.markdown(r).contains("| bytes sent |"))
        try validateBenchJSON(BenchOutput.json(r))
    }
}

/// `bench --ci-cache` on Docker 26: every build on a fresh runner (the engine's build cache
/// pruned), importing only the previous build's export from the registry.
@Suite("CI caches measured on Docker 26", .serialized, .enabled(if: !skipBenchEngineTests))
struct CICacheBenchTests {
    static let engine = bothEngines[1]

    func history(nonce: String) throws -> (URL, [BenchPlanBuild]) {
        // A builder stage and a final stage copying one file from it: an edit of the copied
        // source; then a build arg the builder's RUN never reads (the builder re-runs, its
        // output is identical); then a revert to the first commit.
        func df(_ buildID: Int) -> String {
            """
            FROM local/busybox AS build
            ARG BUILD_ID=\(buildID)
            COPY src.txt /src.txt
            RUN cut -c1-3 /src.txt > /out.txt && echo ci-\(nonce)
            FROM local/busybox
            COPY --from=build /out.txt /out.txt
            RUN cat /out.txt > /final.txt

            """
        }
        let root = try benchTempDir("ci")
        var builds: [BenchPlanBuild] = []
        for (i, (src, id)) in [("abc-1\n", 1), ("xyz-1\n", 1), ("xyz-1\n", 2), ("abc-1\n", 1)].enumerated() {
            let dir = root.appendingPathComponent("b\(i + 1)")
            try write(df(id), to: dir.appendingPathComponent("Dockerfile"))
            try write(src, to: dir.appendingPathComponent("src.txt"))
            builds.append(BenchPlanBuild(name: "commit \(i + 1)", context: dir.path))
        }
        return (root, builds)
    }

    @Test(arguments: [CICacheMode.none, .inline, .registryMin, .registryMax])
    func freshRunnersAgreeWithTheModel(_ mode: CICacheMode) throws {
        let (root, plan) = try history(nonce: UUID().uuidString)
        defer { BenchScratch.remove(root) }
        let r = try bench(Self.engine, mode: "buildkit", plan: plan) {
            $0.ciCache = mode
            $0.pruneBuildCache = true
            $0.registry = "127.0.0.1:5000"
        }
        #expect(r.ciCache == mode)
        #expect(r.builds.allSatisfy { $0.error == nil }, "\(r.builds.compactMap(\.error))")
        #expect(r.agreementRate == 1, "\(mode.rawValue): \(r.disagreements)")
        // Build 3 changes only a build arg the builder's output ignores: nothing of the final
        // stage runs (the builder's RUN does), except with no cache at all.
        let b3 = r.builds[2].steps
        #expect(b3.filter { $0.stage == "stage-1" && $0.keyword != "FROM" }.allSatisfy { $0.status == (mode == .none ? .miss : .hit) })
        try validateBenchJSON(BenchOutput.json(r))
    }

    /// Registry caches need the containerd image store: asked of the shared 20.10 engine, the
    /// bench refuses before pruning anything, consent or not.
    @Test func registryCacheOnTheOverlayStoreIsRefused() throws {
        let (root, plan) = try history(nonce: UUID().uuidString)
        defer { BenchScratch.remove(root) }
        let e = bothEngines[0]
        #expect(throws: CommandError.self) {
            _ = try bench(e, mode: "buildkit", plan: plan) {
                $0.ciCache = .registryMax
                $0.pruneBuildCache = true
            }
        }
    }

    @Test func ciCacheNeedsConsentToPrune() throws {
        let (root, plan) = try history(nonce: UUID().uuidString)
        defer { BenchScratch.remove(root) }
        #expect(throws: CommandError.self) {
            _ = try bench(Self.engine, mode: "buildkit", plan: plan) { $0.ciCache = .registryMax }
        }
    }
}
