import DockerlintSupport
import Foundation
import Testing
@testable import DockerlintCache

/// The lab examples: an edit of app.py with the COPY last (good order) and first (bad order).
@Suite("simulator: lab examples")
struct SimLabExampleTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples").path

    func editAppPy(_ example: String, _ engine: BuilderKind) throws -> BuildPrediction {
        let dir = Self.examples + "/" + example
        var sim = CacheSimulator(engine: engine)
        var base = try BuildState.load(dockerfile: dir + "/Dockerfile", contextDirectory: dir, label: "base")
        var edited = base
        edited.label = "app.py edited"
        #expect(edited.edit(paths: ["app.py"], ignore: .empty) == ["app.py"])
        _ = sim.simulate(&base)
        return sim.simulate(&edited)
    }

    @Test func labMissesOnlyTheCopy() throws {
        let p = try editAppPy("lab", .buildkit)
        #expect(p.steps.filter { $0.status == .miss }.map(\.instruction) == ["COPY"])
        #expect(p.reason("COPY app.py") == "app.py changed (COPY app.py /app.py)")
        #expect(p.status("RUN pip install flask") == .hit)
        let c = try editAppPy("lab", .classic)
        #expect(c.steps.filter { $0.status == .miss }.map(\.instruction) == ["COPY"])
    }

    @Test func badOrderAlsoRerunsPipInstall() throws {
        let p = try editAppPy("lab-bad-order", .buildkit)
        #expect(p.steps.filter { $0.status == .miss }.map(\.instruction) == ["COPY", "RUN"])
        #expect(p.reason("RUN pip install flask") == "parent step re-ran (line 2 COPY)")
        #expect(p.step("RUN pip install flask")?.costSeconds == 30)
        let c = try editAppPy("lab-bad-order", .classic)
        #expect(c.steps.filter { $0.status == .miss }.map(\.instruction) == ["COPY", "RUN", "CMD"])
        #expect(c.step("RUN pip install flask")?.cause == .cacheBusted)
    }

    @Test func revertingAnEditHitsAgain() throws {
        let lab = try SimLab(["Dockerfile": "FROM alpine\nCOPY a.txt /a.txt\nRUN echo r\n", "a.txt": "one\n"])
        _ = try lab.build()
        try lab.dir.write("a.txt", "two\n")
        #expect(try lab.build().bk.status("COPY a.txt") == .miss)
        try lab.dir.write("a.txt", "one\n")
        let (bk, classic) = try lab.build()
        for p in [bk, classic] {
            #expect(p.status("COPY a.txt") == .hit)
            #expect(p.step("COPY a.txt")?.cause == .restored)
            #expect(p.status("RUN") == .hit)
        }
    }

    @Test func linkCopyHitsAfterAnEarlierMiss() throws {
        let lab = try SimLab(["Dockerfile": "FROM alpine\nARG V=1\nRUN echo $V\nCOPY --link a.txt /a.txt\nRUN echo after\n", "a.txt": "a\n"])
        _ = try lab.build()
        let bk = try lab.build(["V": "2"]).bk
        #expect(bk.status("RUN echo $V") == .miss)
        #expect(bk.status("COPY --link") == .hit)
        #expect(bk.step("COPY --link")?.cause == .contentUnchanged)
        #expect(bk.status("RUN echo after") == .miss)
    }

    @Test func targetLimitsTheStagesBuilt() throws {
        let lab = try SimLab(["Dockerfile": "FROM alpine AS a\nRUN echo a\nFROM alpine AS b\nRUN echo b\nFROM a AS c\nRUN echo c\n"])
        let (bk, classic) = try lab.build(target: "b")
        #expect(bk.status("RUN echo a") == .notBuilt)
        #expect(bk.status("RUN echo b") == .miss)
        #expect(classic.status("RUN echo a") == .miss)
        #expect(classic.status("RUN echo c") == .notBuilt)
        #expect(classic.reason("RUN echo c") == "stage after the target b: not built")
    }

    @Test func rebuiltBaseStageMissesItsChildren() throws {
        let lab = try SimLab(["Dockerfile": "FROM alpine AS base\nARG V=1\nRUN echo base\nFROM base\nRUN echo child\n"])
        _ = try lab.build()
        let (bk, classic) = try lab.build(["V": "2"])
        #expect(bk.step("FROM base")?.status == .miss)
        #expect(bk.reason("FROM base") == "base stage base was rebuilt")
        #expect(classic.reason("RUN echo child") == "base stage base was rebuilt")
    }
}
