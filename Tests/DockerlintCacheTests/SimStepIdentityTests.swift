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
}
