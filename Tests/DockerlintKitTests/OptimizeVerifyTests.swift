import DockerlintBuilders
import DockerlintCache
import DockerlintSupport
@testable import DockerlintKit
import Foundation
import Testing

/// `optimize --verify` on the real Docker Engine (local base images only).
@Suite("optimize --verify on the real engine", .serialized, .enabled(if: !skipBenchEngineTests))
struct OptimizeVerifyTests {
    /// Every image and container the verification made is gone.
    func expectClean(_ c: EngineClient, _ v: VerificationResult) throws {
        let ids = Set(v.runIDs)
        #expect(!ids.isEmpty)
        for _ in 0..<20 {
            let images = try c.images(all: true).filter { ids.contains($0.labels[benchLabelKey] ?? "") }
            let containers = try c.containers().filter { ids.contains($0.labels[benchLabelKey] ?? "") }
            if images.isEmpty && containers.isEmpty { return }
            Thread.sleep(forTimeInterval: 0.5)
        }
        Issue.record("images or containers of \(ids) left behind")
    }

    /// A proposal that changes the image is withdrawn, with the first difference named. The
    /// proposal is made by hand (the search never makes it: the RUN writes what the COPY writes).
    @Test(arguments: [BuilderKind.buildkit, .classic])
    func aProposalThatChangesTheImageIsWithdrawn(builder: BuilderKind) throws {
        let c = try benchEngine()
        let repo = try HistoryRepo()
        defer { repo.remove() }
        let nonce = UUID().uuidString
        let current = "FROM local/busybox\nRUN echo \(nonce) > /x\nCOPY x /x\nENV A=1\nENV A=2\n"
        try repo.commit(["Dockerfile": current, "x": "from the context \(nonce)\n"])
        try repo.commit(["x": "edited \(nonce)\n"])
        var o = OptimizeOptions()
        o.dockerfile = repo.path + "/Dockerfile"
        o.builder = builder
        var result = try OptimizeRunner(options: o).optimize()
        let lines = String(decoding: result.proposed, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.firstIndex { $0.hasPrefix("RUN echo") }! < lines.firstIndex(of: "COPY x /x")!,
                "the search must not move the COPY past the RUN that writes /x")
        // The two steps swapped: /x now holds what the RUN wrote.
        result.proposed = Array("FROM local/busybox\nCOPY x /x\nRUN echo \(nonce) > /x\nENV A=1\nENV A=2\n".utf8)
        var vo = VerifyOptions()
        vo.replayCommits = 0
        vo.timeout = 300
        let verified = try OptimizeVerifier(options: vo, engine: builder).verify(result, target: nil, buildArgs: [:])
        let v = try #require(verified.verification)
        #expect(v.unavailable == nil)
        #expect(v.withdrawn)
        #expect(v.difference == "the images differ: /x has different content (\("edited \(nonce)\n".utf8.count) vs \("\(nonce)\n".utf8.count) bytes)",
                "\(v.difference ?? "")")
        try expectClean(c, v)

        // The environment differs: ENV A=2 then A=1 leaves A=1.
        result.proposed = Array("FROM local/busybox\nRUN echo \(nonce) > /x\nCOPY x /x\nENV A=2\nENV A=1\n".utf8)
        let v2 = try #require(try OptimizeVerifier(options: vo, engine: builder).verify(result, target: nil, buildArgs: [:]).verification)
        #expect(v2.withdrawn)
        #expect(v2.difference?.hasPrefix("the images differ: config Env:") == true, "\(v2.difference ?? "")")
        #expect(v2.difference?.contains("\"A=2\"") == true)
        try expectClean(c, v2)

        // A proposal that does not build is withdrawn too.
        result.proposed = Array("FROM local/busybox\nCOPY missing /x\n".utf8)
        let v3 = try #require(try OptimizeVerifier(options: vo, engine: builder).verify(result, target: nil, buildArgs: [:]).verification)
        #expect(v3.withdrawn)
        #expect(v3.difference?.hasPrefix("the proposed Dockerfile does not build") == true, "\(v3.difference ?? "")")
        try expectClean(c, v3)
    }

    /// The search's own proposal keeps the image, and a replay of real commits on the builder
    /// re-runs what the simulator predicted, for both orders.
    @Test func aSafeProposalIsVerifiedAndReplayed() throws {
        let c = try benchEngine()
        let repo = try HistoryRepo()
        defer { repo.remove() }
        let nonce = UUID().uuidString
        let df = "FROM local/busybox\nCOPY src/ /app/src/\nCOPY conf.json /etc/conf.json\nCMD [\"sh\"]\n"
        try repo.commit(["Dockerfile": df, "src/main.sh": "v0 \(nonce)\n", "conf.json": "{\"n\": \"\(nonce)\"}\n"])
        for i in 1...4 { try repo.commit(["src/main.sh": "v\(i) \(nonce)\n"]) }
        var o = OptimizeOptions()
        o.dockerfile = repo.path + "/Dockerfile"
        o.costOverrides = ["COPY": 5]
        o.verify = true
        o.verifyOptions.replayCommits = 2
        o.verifyOptions.timeout = 300
        let result = try OptimizeRunner(options: o).optimize()
        #expect(result.changed)
        let verified = try OptimizeVerifier(options: o.verifyOptions, engine: .buildkit)
            .verify(result, target: nil, buildArgs: [:], costs: CostModel(defaults: ["COPY": 5]))
        let v = try #require(verified.verification)
        #expect(!v.withdrawn, "\(v.difference ?? "")")
        #expect(v.filesCompared > 100)
        #expect(v.replay.map(\.variant) == ["current", "proposed"])
        for m in v.replay {
            #expect(m.commits == 2)
            #expect(m.measuredReruns == m.predictedReruns, "\(m.variant): measured \(m.measuredReruns), predicted \(m.predictedReruns)")
        }
        // src changes in each commit: both copies re-run now, only the sources after the move.
        #expect(v.replay.first?.predictedReruns == 4)
        #expect(v.replay.last?.predictedReruns == 2)
        try expectClean(c, v)
    }

    /// `fix --verify`: a reorder that keeps the image is written; a fix that changes it
    /// (ADD unpacks a tar whatever its name, COPY does not) is withdrawn and the file kept.
    @Test func fixVerifyWritesOnlyFixesThatKeepTheImage() throws {
        _ = try benchEngine()
        let dir = try CLI.tempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let nonce = UUID().uuidString
        let reorder = dir.appendingPathComponent("reorder")
        try CLI.write("FROM local/busybox\nCOPY app.sh /app.sh\nRUN echo \(nonce) > /x\n", to: reorder.appendingPathComponent("Dockerfile"))
        try CLI.write("echo \(nonce)\n", to: reorder.appendingPathComponent("app.sh"))
        let r = try CLI.run(["fix", "--verify", reorder.path + "/Dockerfile"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("the same image"), "\(r.stderr)")
        #expect(try String(contentsOfFile: reorder.path + "/Dockerfile", encoding: .utf8)
                == "FROM local/busybox\nRUN echo \(nonce) > /x\nCOPY app.sh /app.sh\n")

        let add = dir.appendingPathComponent("add")
        try FileManager.default.createDirectory(at: add.appendingPathComponent("pkg"), withIntermediateDirectories: true)
        try CLI.write("hello \(nonce)\n", to: add.appendingPathComponent("pkg/hello.txt"))
        let tar = try CLI.run("/usr/bin/env", ["tar", "-cf", "bundle.dat", "pkg"], cwd: add.path)
        #expect(tar.status == 0)
        try FileManager.default.removeItem(at: add.appendingPathComponent("pkg"))
        let before = "FROM local/busybox\nADD bundle.dat /opt/\n"
        try CLI.write(before, to: add.appendingPathComponent("Dockerfile"))
        let w = try CLI.run(["fix", "--verify", add.path + "/Dockerfile"])
        #expect(w.stderr.contains("WITHDRAWN: the images differ: /opt/bundle.dat exists only in the proposed image"), "\(w.stderr)")
        #expect(try String(contentsOfFile: add.path + "/Dockerfile", encoding: .utf8) == before)
    }
}

