import Foundation
import Testing
import DockerlintBuilders
import DockerlintSupport
@testable import DockerlintKit

/// What a bench killed outright leaves, and how later benches find it: run IDs and scratch
/// directories name host, process id and start time.
@Suite("bench leftovers and named daemons", .serialized)
struct BenchLeftoversTests {
    /// The pid of a process that has exited.
    static func deadPID() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    @Test func runIDsNameTheirOwnerAndTellWhenItIsGone() throws {
        let mine = BenchLeftovers.runID(run: 1)
        let owner = try #require(BenchLeftovers.owner(ofRunID: mine))
        #expect(owner == BenchOwner.current && !owner.isDead)
        #expect(owner.start > 0)
        let dead = BenchOwner(host: BenchOwner.current.host, pid: try Self.deadPID(), start: owner.start)
        #expect(dead.isDead)
        // The same pid started at another time is another process.
        #expect(BenchOwner(host: owner.host, pid: owner.pid, start: owner.start + 1).isDead)
        // Another host's bench is never judged from here.
        #expect(!BenchOwner(host: "elsewhere", pid: try Self.deadPID(), start: 1).isDead)
        #expect(BenchLeftovers.owner(ofRunID: "dlb-123-abc-r1") == nil)  // an older bench's form
    }

    @Test func findPicksDeadRunsAndTheirScratchDirectories() throws {
        let base = try CLI.tempDirectory()
        let me = BenchOwner.current
        let dead = BenchOwner(host: me.host, pid: try Self.deadPID(), start: 12345)
        let other = BenchOwner(host: "elsewhere", pid: 1, start: 1)
        for o in [me, dead, other] {
            try FileManager.default.createDirectory(at: base.appendingPathComponent("dockerlint-bench-\(o.token).AbC123"), withIntermediateDirectories: true)
        }
        try FileManager.default.createDirectory(at: base.appendingPathComponent("dockerlint-bench.Old123"), withIntermediateDirectories: true)
        let mine = BenchLeftovers.runID(run: 1, owner: me)
        let ids: Set<String> = [mine, BenchLeftovers.runID(run: 2, owner: dead), BenchLeftovers.runID(run: 1, owner: other), "dlb-99-old-r1"]
        let some = BenchLeftovers.find(runIDs: ids, scratchBase: base.path, all: false)
        #expect(some.runIDs.count == 1 && BenchLeftovers.owner(ofRunID: some.runIDs[0]) == dead)
        #expect(some.directories == [base.path + "/dockerlint-bench-\(dead.token).AbC123"])
        let all = BenchLeftovers.find(runIDs: ids, scratchBase: base.path, all: true)
        #expect(Set(all.runIDs) == ids.subtracting([mine]))  // every bench's but this live one's
        #expect(all.directories.count == 3 && !all.directories.contains { $0.contains(me.token) })
    }

    @Test(.enabled(if: !skipBenchEngineTests)) func imagesOfDeadBenchesAreRemovedAndLiveOnesKept() throws {
        let client = try benchEngine()
        let builder = DockerEngineBuilder(client: client, mode: .classic)
        let dead = BenchLeftovers.runID(run: 1, owner: BenchOwner(host: BenchOwner.current.host, pid: try Self.deadPID(), start: 1))
        let live = BenchLeftovers.runID(run: 1)
        func make(_ runID: String) throws {
            let d = try CLI.tempDirectory()
            try CLI.write("FROM local/busybox:latest\nLABEL leftover=\(UUID().uuidString)\n", to: d.appendingPathComponent("Dockerfile"))
            let r = try builder.build(context: d, request: BuildRequest(runID: runID))
            #expect(r.error == nil, "\(r.error ?? "")")
        }
        try make(dead)
        try make(live)
        #expect(try builder.benchRunIDs().isSuperset(of: [dead, live]))
        let base = try CLI.tempDirectory()
        let (found, report) = try BenchLeftovers.sweep(builder: builder, scratchBase: base.path, all: false)
        #expect(found.runIDs.contains(dead) && !found.runIDs.contains(live))
        #expect(!report.removedImages.isEmpty)
        let left = try builder.benchRunIDs()
        #expect(!left.contains(dead) && left.contains(live))
        try builder.cleanup(runID: live)
    }

    @Test(.enabled(if: ExecutableSearch.find("podman", fallbacks: ["/usr/bin", "/usr/sbin"]) != nil)) func aCLIBuilderNamesItsVersion() throws {
        let b = try CLIImageBuilder(kind: .podman)
        #expect(b.summary.hasPrefix("podman (podman version "), "\(b.summary)")
    }

    @Test func aDockerHostThatDoesNotAnswerIsAnErrorNamingIt() throws {
        let d = try CLI.tempDirectory()
        try CLI.write("FROM local/busybox:latest\nRUN true\n", to: d.appendingPathComponent("Dockerfile"))
        let sock = d.appendingPathComponent("stopped.sock").path
        let (status, out, err) = try runCLI(["bench", d.appendingPathComponent("Dockerfile").path, "--quiet"], env: ["DOCKER_HOST": "unix://" + sock])
        #expect(status == 3, "\(status) \(out) \(err)")
        #expect(err.hasPrefix("dockerlint: error: DOCKER_HOST=unix://\(sock): the Docker daemon it names cannot be reached ("), "\(err)")
        #expect(err.hasSuffix("; start it, or unset DOCKER_HOST to let --builder auto choose\n"), "\(err)")
        #expect(err.split(separator: "\n").count == 1)
    }
}
