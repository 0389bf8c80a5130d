import DockerlintSupport
import Foundation
import Testing
@testable import DockerlintCache

/// Replaying repositories the tests create: source edits, manifest edits, ignored files,
/// Dockerfile edits, reverts, a subdirectory context.
@Suite("simulator: git replay")
struct SimGitTests {
    func makeRepo(prefix: String = "") throws -> TempDir {
        let t = try TempDir()
        let p = prefix.isEmpty ? "" : prefix + "/"
        try t.git("init", "-q")
        try t.write(p + "Dockerfile", "FROM python:3.12\nCOPY requirements.txt /app/\nRUN pip install -r /app/requirements.txt\nCOPY . /app\n")
        try t.write(p + ".dockerignore", "*.log\n")
        try t.write(p + "requirements.txt", "flask\n")
        try t.write(p + "app.py", "print(1)\n")
        try t.git("add", "-A"); try t.git("commit", "-qm", "c1 initial")
        try t.write(p + "app.py", "print(2)\n")
        try t.git("commit", "-qam", "c2 source")
        try t.write(p + "requirements.txt", "flask\nrequests\n")
        try t.git("commit", "-qam", "c3 manifest")
        try t.write(p + "debug.log", "noise\n")
        try t.git("add", "-A"); try t.git("commit", "-qm", "c4 ignored file")
        try t.write(p + "Dockerfile", "FROM python:3.12\nCOPY requirements.txt /app/\nRUN pip install -r /app/requirements.txt\nCOPY . /app\nCMD [\"python\", \"/app/app.py\"]\n")
        try t.git("commit", "-qam", "c5 dockerfile")
        try t.write(p + "requirements.txt", "flask\n")
        try t.git("commit", "-qam", "c6 revert manifest")
        if !prefix.isEmpty {
            try t.write("outside.txt", "x\n")
            try t.git("add", "-A"); try t.git("commit", "-qm", "c7 outside the context")
        }
        return t
    }

    func replay(_ t: TempDir, engine: BuilderKind, range: String = "HEAD", prefix: String = "") throws -> [BuildPrediction] {
        var sim = CacheSimulator(engine: engine)
        let ctx = prefix.isEmpty ? t.path : t.path + "/" + prefix
        let source = try GitReplay.locate(dockerfile: ctx + "/Dockerfile", contextDirectory: ctx)
        var out: [BuildPrediction] = []
        try GitReplay.replay(source, range: range, simulator: &sim) { out.append($0) }
        return out
    }

    func misses(_ p: BuildPrediction) -> [String] { p.steps.filter { $0.status == .miss }.map(\.text) }

    @Test func buildKitReplay() throws {
        let t = try makeRepo()
        let builds = try replay(t, engine: .buildkit)
        #expect(builds.count == 6)
        #expect(builds[0].baseline && builds[0].missCount == 4)
        // c2: only COPY . re-runs, with the file named.
        #expect(misses(builds[1]) == ["COPY . /app"])
        #expect(builds[1].step("COPY . /app")?.reason == "app.py changed (COPY . /app)")
        // c3: the manifest re-runs the install.
        #expect(misses(builds[2]) == ["COPY requirements.txt /app/", "RUN pip install -r /app/requirements.txt", "COPY . /app"])
        #expect(builds[2].step("COPY requirements.txt")?.reason == "requirements.txt changed (COPY requirements.txt /app/)")
        // c4: an ignored file changes nothing.
        #expect(builds[3].missCount == 0)
        // c5: the Dockerfile is in the context: COPY . re-runs; CMD is never a step.
        #expect(misses(builds[4]) == ["COPY . /app"])
        #expect(builds[4].step("COPY . /app")?.reason == "Dockerfile changed (COPY . /app)")
        // c6: reverting the manifest hits the install from c1/c2.
        #expect(builds[5].step("RUN pip install")?.status == .hit)
        #expect(builds[5].step("COPY requirements.txt")?.cause == .restored)
        let summary = SimulationSummary(engine: .buildkit, predictions: builds)
        #expect(summary.builds == 5)
        #expect(summary.sentence(for: "0:RUN#1") == "RUN pip install -r /app/requirements.txt re-ran 1 of 5 builds")
    }

    /// A commit removes the first of two RUNs: the second is `0:RUN#2` in the older builds and
    /// `0:RUN#1` after. The summary aligns each build's file with the last one's: the tests
    /// re-ran in all 4 builds, and the removed step keeps its own 2 (matched by its text), where
    /// by ordinal `0:RUN#1` mixed the two steps.
    @Test func summaryAlignsStepsAcrossARemovedStep() throws {
        let t = try TempDir()
        try t.git("init", "-q")
        try t.write("Dockerfile", "FROM python:3.12\nCOPY . /app\nRUN make -C /app\nRUN make -C /app test\n")
        try t.write("app.py", "print(0)\n")
        try t.git("add", "-A"); try t.git("commit", "-qm", "c1")
        for k in 1...2 { try t.write("app.py", "print(\(k))\n"); try t.git("commit", "-qam", "edit \(k)") }
        try t.write("Dockerfile", "FROM python:3.12\nCOPY . /app\nRUN make -C /app test\n")
        try t.git("commit", "-qam", "tests only")
        try t.write("app.py", "print(3)\n"); try t.git("commit", "-qam", "edit 3")
        var sim = CacheSimulator(engine: .buildkit)
        let source = try GitReplay.locate(dockerfile: t.path + "/Dockerfile", contextDirectory: t.path)
        var summary = SimulationSummary(engine: .buildkit)
        var ordinal = SimulationSummary(engine: .buildkit)
        try GitReplay.replayBuilds(source, range: "HEAD", simulator: &sim) { b in
            summary.add(b.prediction, model: b.model)
            ordinal.add(b.prediction)
        }
        #expect(summary.builds == 4)
        let runs = summary.steps.filter { $0.instruction == "RUN" }.map { "\($0.identity) \($0.text) \($0.misses)/\($0.built)" }
        #expect(runs == ["0:RUN#1 RUN make -C /app 2/2", "0:RUN#1 RUN make -C /app test 4/4"], "\(runs)")
        #expect(summary.sentence(for: "0:RUN#1") == "RUN make -C /app test re-ran 4 of 4 builds")
        // Without the files, steps are taken by their ordinals (what every build of one file needs).
        let byOrdinal = ordinal.steps.filter { $0.instruction == "RUN" }.map { "\($0.identity) \($0.misses)/\($0.built)" }
        #expect(byOrdinal == ["0:RUN#1 4/4", "0:RUN#2 2/2"], "\(byOrdinal)")
    }

    /// Two steps the last file no longer has, whose texts differ only after the 72 characters a
    /// step's display text keeps: an older commit's install and the edited install that replaced
    /// it, both removed later. They are matched by their full instruction text, so each keeps
    /// its own counts (by the shortened text they merged into one step, 3/3).
    @Test func removedStepsAreMatchedByTheirFullText() throws {
        let t = try TempDir()
        try t.git("init", "-q")
        let install = "RUN apt-get update && apt-get install -y --no-install-recommends build-essential ca-certificates curl git"
        try t.write("Dockerfile", "FROM python:3.12\nCOPY . /app\n\(install) alpha\nRUN make -C /app test\n")
        try t.write("app.py", "print(0)\n")
        try t.git("add", "-A"); try t.git("commit", "-qm", "c1")
        try t.write("app.py", "print(1)\n"); try t.git("commit", "-qam", "edit 1")
        try t.write("Dockerfile", "FROM python:3.12\nCOPY . /app\n\(install) beta\nRUN make -C /app test\n")
        try t.git("commit", "-qam", "beta")
        try t.write("app.py", "print(2)\n"); try t.git("commit", "-qam", "edit 2")
        try t.write("Dockerfile", "FROM python:3.12\nCOPY . /app\nRUN make -C /app test\n")
        try t.git("commit", "-qam", "no install")
        try t.write("app.py", "print(3)\n"); try t.git("commit", "-qam", "edit 3")
        var sim = CacheSimulator(engine: .buildkit)
        let source = try GitReplay.locate(dockerfile: t.path + "/Dockerfile", contextDirectory: t.path)
        var summary = SimulationSummary(engine: .buildkit)
        try GitReplay.replayBuilds(source, range: "HEAD", simulator: &sim) { summary.add($0.prediction, model: $0.model) }
        #expect(summary.builds == 5)
        let installs = summary.steps.filter { $0.text.hasPrefix("RUN apt-get") }
        #expect(installs.map { "\($0.line) \($0.misses)/\($0.built)" } == ["3 1/1", "3 2/2"], "\(installs)")
        #expect(summary.sentence(for: "0:RUN#1") == "RUN make -C /app test re-ran 5 of 5 builds")
    }

    /// BuildKit prefers `<Dockerfile>.dockerignore` next to the Dockerfile over the context's
    /// `.dockerignore`; the replay picks the same file at every commit as a lint on disk does.
    @Test func dockerfileSpecificIgnoreFileWinsAtEachCommit() throws {
        let t = try TempDir()
        try t.git("init", "-q")
        try t.write("docker/Dockerfile", "FROM python:3.12\nCOPY . /app\nRUN make\n")
        try t.write(".dockerignore", "*.log\n")
        try t.write("app.py", "print(1)\n")
        try t.git("add", "-A"); try t.git("commit", "-qm", "c1")
        try t.write("notes.md", "a\n")
        try t.git("add", "-A"); try t.git("commit", "-qm", "c2 notes, sent: only *.log is ignored")
        try t.write("docker/Dockerfile.dockerignore", "*.md\n")
        try t.git("add", "-A"); try t.git("commit", "-qm", "c3 the Dockerfile's own ignore file")
        try t.write("notes.md", "b\n")
        try t.git("commit", "-qam", "c4 notes, now ignored")
        try t.write("run.log", "x\n")
        try t.git("add", "-A"); try t.git("commit", "-qm", "c5 a log, no longer ignored")
        var sim = CacheSimulator(engine: .buildkit)
        let source = try GitReplay.locate(dockerfile: t.path + "/docker/Dockerfile", contextDirectory: t.path)
        var builds: [BuildPrediction] = []
        try GitReplay.replay(source, range: "HEAD", simulator: &sim) { builds.append($0) }
        #expect(builds.count == 5)
        #expect(misses(builds[1]) == ["COPY . /app", "RUN make"])
        #expect(misses(builds[3]).isEmpty)
        #expect(misses(builds[4]) == ["COPY . /app", "RUN make"])
        #expect(builds[4].step("COPY . /app")?.reason == "run.log changed (COPY . /app)")
    }

    @Test func classicReplay() throws {
        let t = try makeRepo()
        let builds = try replay(t, engine: .classic)
        #expect(misses(builds[1]) == ["COPY . /app"])
        #expect(builds[3].missCount == 0)
        // c5: COPY . misses and the new CMD step after it too.
        #expect(misses(builds[4]) == ["COPY . /app", "CMD [\"python\", \"/app/app.py\"]"])
        #expect(builds[5].step("RUN pip install")?.status == .hit)
    }

    @Test func rangeStartsFromTheParentTree() throws {
        let t = try makeRepo()
        let builds = try replay(t, engine: .buildkit, range: "HEAD~2..HEAD")
        #expect(builds.count == 3)
        #expect(builds[0].baseline)
        #expect(builds[1].missCount == 1)  // c5
    }

    @Test func subdirectoryContextIgnoresOutsideChanges() throws {
        let t = try makeRepo(prefix: "svc")
        let builds = try replay(t, engine: .buildkit, prefix: "svc")
        #expect(builds.count == 7)
        #expect(misses(builds[1]) == ["COPY . /app"])
        #expect(builds[3].missCount == 0)
        #expect(builds[6].missCount == 0)  // outside.txt is not in the context
    }

    @Test func badRangeAndNonRepository() throws {
        let t = try makeRepo()
        let source = try GitReplay.locate(dockerfile: t.path + "/Dockerfile", contextDirectory: t.path)
        var sim = CacheSimulator()
        #expect(throws: GitReplayError.self) { try GitReplay.replay(source, range: "nope..HEAD", simulator: &sim) { _ in } }
        let plain = try TempDir()
        #expect(throws: GitReplayError.self) { try GitReplay.locate(dockerfile: plain.path + "/Dockerfile", contextDirectory: plain.path) }
    }

    @Test func missingDockerfileAtACommitIsAFailedBuild() throws {
        let t = try TempDir()
        try t.git("init", "-q")
        try t.write("a.txt", "a\n")
        try t.git("add", "-A"); try t.git("commit", "-qm", "no dockerfile yet")
        try t.write("Dockerfile", "FROM alpine\nCOPY a.txt /\n")
        try t.git("add", "-A"); try t.git("commit", "-qm", "dockerfile")
        let builds = try replay(t, engine: .buildkit)
        #expect(builds[0].errors == ["no Dockerfile at \(builds[0].label)"])
        #expect(builds[1].missCount == 2)
    }

    /// `simulate --git --churn PATH --per-build-arg NAME`: the assumptions of lint's history
    /// evidence, stated on the command line. A churned path gets new content in every commit
    /// (a checkout's `.git`), so `COPY . /app` re-runs in each; a per-build argument takes the
    /// commit id, so the RUN that has it in its environment re-runs in each.
    @Test func churnAndPerBuildArguments() throws {
        let t = try makeRepo()
        try t.write("Dockerfile", "FROM python:3.12\nARG COMMIT\nRUN echo $COMMIT > /rev\nCOPY . /app\n")
        try t.git("commit", "-qam", "c7 commit argument")
        try t.write("notes.log", "ignored\n")
        try t.git("add", "-A"); try t.git("commit", "-qm", "c8 ignored file")
        func run(churn: [String], perBuild: [String]) throws -> [BuildPrediction] {
            var sim = CacheSimulator(engine: .buildkit)
            let source = try GitReplay.locate(dockerfile: t.path + "/Dockerfile", contextDirectory: t.path)
            var out: [BuildPrediction] = []
            try GitReplay.replay(source, range: "HEAD~1..HEAD", perBuildArgs: perBuild, churn: churn, simulator: &sim) { out.append($0) }
            return out
        }
        #expect(misses(try run(churn: [], perBuild: [])[1]) == [])
        #expect(misses(try run(churn: [".git/HEAD"], perBuild: [])[1]) == ["COPY . /app"])
        #expect(misses(try run(churn: [], perBuild: ["COMMIT"])[1]) == ["RUN echo $COMMIT > /rev", "COPY . /app"])
    }

    /// A fix's variant replayed only to count (`explains` off, keys shared with the file's
    /// simulator) re-runs the same steps at the same keys and costs as when it is explained,
    /// on both engines, and carries no explanations; the file's own builds keep theirs.
    @Test func countingVariantsMatchExplainedOnes() throws {
        let t = try makeRepo()
        let source = try GitReplay.locate(dockerfile: t.path + "/Dockerfile", contextDirectory: t.path)
        // The fix: the source COPY moved below a new RUN (a changed step after shared ones).
        let fix = ReplayVariant { own in
            own.map { Array(String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "COPY . /app\n", with: "RUN true\nCOPY . /app\n").utf8) }
        }
        for engine in [BuilderKind.buildkit, .classic] {
            func run(counting: Bool) throws -> [[VariantBuild]] {
                var quiet = SimulatorOptions()
                quiet.explains = !counting
                let shared = SharedStepHashes(simulators: 2)
                var sims = [CacheSimulator(engine: engine), CacheSimulator(engine: engine, options: quiet)]
                if counting { for k in sims.indices { sims[k].sharedHashes = shared } }
                var out: [[VariantBuild]] = []
                try GitReplay.replayVariants(source, range: "HEAD", variants: [.asIs, fix], simulators: &sims) { out.append($0) }
                return out
            }
            let explained = try run(counting: false), counted = try run(counting: true)
            #expect(explained.count == 6 && counted.count == 6)
            for (a, b) in zip(explained, counted) {
                for k in 0..<2 {
                    let x = a[k].prediction.steps, y = b[k].prediction.steps
                    #expect(x.map(\.status) == y.map(\.status))
                    #expect(x.map(\.key) == y.map(\.key))
                    #expect(x.map(\.costSeconds) == y.map(\.costSeconds))
                    #expect(x.map(\.identity) == y.map(\.identity))
                }
                // The file as it is keeps its explanations; the counted variant has none.
                #expect(a[0].prediction.steps.map(\.reason) == b[0].prediction.steps.map(\.reason))
                #expect(zip(a[1].prediction.steps, b[1].prediction.steps).allSatisfy { $1.reason.isEmpty || $1.reason == $0.reason })
                #expect(b[1].prediction.steps.allSatisfy { $0.inputKey == nil || $0.instruction == "FROM" })
                #expect(a[1].prediction.steps.allSatisfy { $0.inputKey != nil || $0.instruction == "FROM" || $0.status == .notBuilt })
            }
            #expect(counted.dropFirst().contains { $0[1].prediction.steps.contains { $0.status == .hit && $0.reason.isEmpty } })
            // The variant re-runs its new RUN and the COPY after a source edit (c2).
            #expect(counted[1][1].prediction.steps.filter { $0.status == .miss }.map(\.text) == ["COPY . /app"])
        }
    }
}
