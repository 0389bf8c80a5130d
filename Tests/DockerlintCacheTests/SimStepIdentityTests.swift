import DockerlintModel
import DockerlintSupport
import DockerlintSyntax
import Foundation
import Testing
@testable import DockerlintCache

/// `stepIdentities` names the steps of a model without simulating: the same names a simulated
/// build gives them (the first step of each line), on the Dockerfiles of the examples and of
/// the cache-rule fixtures, and on files with ONBUILD, SHELL, `WORKDIR /`, unbuilt stages and
/// a missing target.
@Suite("simulator: step identities")
struct SimStepIdentityTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func dockerfiles() -> [[UInt8]] {
        var out: [[UInt8]] = []
        for folder in ["examples", "Tests/DockerlintRulesTests/Fixtures/cache", "Tests/DockerlintKitTests/Fixtures"] {
            let base = root.appendingPathComponent(folder).path
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).sorted() {
                if let data = FileManager.default.contents(atPath: base + "/" + name + "/Dockerfile") { out.append(Array(data)) }
            }
        }
        let inline = [
            "FROM alpine AS base\nONBUILD RUN echo hi\nWORKDIR /\nWORKDIR /app\nSHELL [\"/bin/bash\", \"-c\"]\nRUN echo a\nRUN echo b\n"
                + "FROM base AS unused\nCOPY x /x\nFROM base\nCOPY --from=base /app /app\nRUN echo c\nCMD [\"sh\"]\n",
            "FROM alpine\nRUN echo one\nFROM scratch AS out\nCOPY --from=0 /etc/hostname /\n",
            "ARG V=1\nFROM alpine:${V}\nRUN echo $V\n",
        ]
        return out + inline.map { Array($0.utf8) }
    }

    static func simulated(_ model: DockerfileModel, _ engine: BuilderKind) -> [Int: String] {
        var sim = CacheSimulator(engine: engine)
        var state = BuildState(label: "names", model: model, context: ContextSnapshot(origin: .gitTree), changedPaths: [])
        var out: [Int: String] = [:]
        for s in sim.simulate(&state).steps where out[s.line] == nil { out[s.line] = s.identity }
        return out
    }

    @Test func sameNamesAsASimulatedBuild() {
        let files = Self.dockerfiles()
        #expect(files.count > 10)
        for bytes in files {
            let model = DockerfileModel.build(DockerfileParser.parse(bytes))
            for engine in [BuilderKind.buildkit, .classic] {
                let named = CacheSimulator(engine: engine).stepIdentities(model)
                #expect(!named.isEmpty)
                #expect(named == Self.simulated(model, engine), "\(engine) \(String(decoding: bytes, as: UTF8.self))")
            }
        }
    }

    @Test func targetsNamedAndMissing() {
        let files = Self.dockerfiles()
        let multi = DockerfileParser.parse(files[files.count - 3])
        for engine in [BuilderKind.buildkit, .classic] {
            let missing = DockerfileModel.build(multi, options: BuildOptions(target: "nope"))
            #expect(CacheSimulator(engine: engine).stepIdentities(missing).isEmpty)
            #expect(Self.simulated(missing, engine).isEmpty)
            let unused = DockerfileModel.build(multi, options: BuildOptions(target: "unused"))
            let named = CacheSimulator(engine: engine).stepIdentities(unused)
            #expect(!named.isEmpty)
            #expect(named == Self.simulated(unused, engine))
        }
    }

    /// `alignedIdentities`: today's steps in an older version of the file, found by aligning
    /// the two (identities are ordinals an inserted RUN shifts).
    @Test func alignedAcrossVersions() {
        func model(_ text: String) -> DockerfileModel { DockerfileModel.build(DockerfileParser.parse(Array(text.utf8))) }
        let today = model("FROM rust AS builder\nRUN apt-get update && apt-get install -y build-essential\nCOPY . /app\nWORKDIR /app\n"
            + "RUN cargo build --release --locked\nRUN strip target/release/app\nFROM debian\nCOPY --from=builder /app/target/release/app /app\n")
        // Older: no apt-get RUN, the build edited, the stages in the same order but unnamed below.
        let older = model("FROM rust AS builder\nCOPY . /app\nWORKDIR /app\nRUN cargo build --release\nRUN strip target/release/app\n"
            + "FROM debian\nCOPY --from=builder /app/target/release/app /app\n")
        let map = CacheSimulator(engine: .buildkit).alignedIdentities(from: today, to: older)
        #expect(map["builder:RUN#2"] == "builder:RUN#1", "the edited build maps by its place between aligned neighbours: \(map)")
        #expect(map["builder:RUN#3"] == "builder:RUN#2")
        #expect(map["builder:RUN#1"] == nil, "the inserted RUN has no counterpart")
        #expect(map["builder:COPY#1"] == "builder:COPY#1" && map["builder:FROM"] == "builder:FROM")
        #expect(map["1:COPY#1"] == "1:COPY#1" && map["1:FROM"] == "1:FROM")
        // The same file: every step is itself.
        let same = CacheSimulator(engine: .buildkit).alignedIdentities(from: today, to: today)
        #expect(same.count == CacheSimulator(engine: .buildkit).stepIdentities(today).count && same.allSatisfy { $0.key == $0.value })
        // A RUN inserted in the same gap as an edited one: the edit pairs with the step that shares its words.
        let both = model("FROM rust AS builder\nCOPY . /app\nRUN apt-get install -y clang\nRUN cargo build --release --locked\n")
        let before = model("FROM rust AS builder\nCOPY . /app\nRUN cargo build --release\n")
        let m2 = CacheSimulator(engine: .buildkit).alignedIdentities(from: both, to: before)
        #expect(m2["builder:RUN#2"] == "builder:RUN#1" && m2["builder:RUN#1"] == nil, "\(m2)")
        // A stage added above the others: its steps match no older stage (not the stage that
        // was first then, which keeps its name).
        let staged = model("FROM node AS web\nRUN pnpm install\nFROM rust AS builder\nCOPY . /app\nRUN cargo build --release\n")
        let m3 = CacheSimulator(engine: .buildkit).alignedIdentities(from: staged, to: before)
        #expect(m3["web:RUN#1"] == nil && m3["web:FROM"] == nil && m3["builder:RUN#1"] == "builder:RUN#1", "\(m3)")
    }
}
