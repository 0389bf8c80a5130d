import DockerlintBuilders
@testable import DockerlintKit
import Foundation
import Testing

func richBenchReport() -> BenchReport {
    let p = PredictedStep(line: 2, instruction: "RUN x", stage: "stage-0", status: .hit, reason: "cached", seconds: 1.25, identity: "0:RUN#1",
                          stageIndex: 0, keyword: "RUN", cause: "unchanged")
    func steps(_ t: Double) -> [BenchStep] {
        [
            BenchStep(line: 1, instruction: "FROM a", stage: "stage-0", status: .hit, seconds: 1.7881393432617188e-05, builderInstruction: "FROM docker.io/a",
                      predicted: PredictedStep(line: 1, instruction: "FROM a", stage: "stage-0", status: .hit)),
            BenchStep(line: 2, instruction: "RUN x \"q\" / é", stage: "stage-0", status: .miss, seconds: t, stageIndex: 0, keyword: "RUN",
                      builderInstruction: "RUN x", error: "exit 1", predicted: p),
            BenchStep(line: nil, instruction: "[internal] load", stage: "stage-0", status: .notRun, seconds: 0, builderInstruction: "x", predicted: nil),
            BenchStep(line: 4, instruction: "COPY . /app", stage: "stage-0", status: .miss, seconds: 0.5, builderInstruction: "COPY . /app", predicted: nil),
        ]
    }
    let b1 = BenchBuild(index: 1, run: 1, runID: "r", scenario: "cold", builder: .buildkit, wallSeconds: 4.272230262999983, steps: steps(3),
                        imageID: "sha256:abc", imageBytes: 194445707, newLayerBytes: 1000, newLayers: 3, error: nil,
                        unmatchedPredictions: [PredictedStep(line: 3, instruction: "COPY", stage: "stage-0", status: .miss, seconds: 2)],
                        push: BenchPush(reference: "127.0.0.1:5000/x:b1", uploaded: 1, existing: 2, mounted: 0, bytesSent: 10, predictedNewLayers: 1, predictedNewBytes: 10))
    let b2 = BenchBuild(index: 2, run: 1, runID: "r", scenario: "edit app.py", builder: .buildkit, wallSeconds: 0.5, steps: steps(2),
                        imageID: nil, imageBytes: nil, newLayerBytes: nil, newLayers: nil, error: "failed",
                        unmatchedPredictions: [])
    let b3 = BenchBuild(index: 1, run: 2, runID: "r2", scenario: "cold", builder: .buildkit, wallSeconds: 3, steps: steps(4),
                        imageID: "sha256:def", imageBytes: 100, newLayerBytes: 7, newLayers: 1, error: nil, unmatchedPredictions: [])
    var r = BenchReport(builder: .buildkit, builderSummary: "bk", predictor: "t", dockerfile: "D", context: ".", runs: 2, builds: [b1, b2, b3])
    r.engine = BenchEngine(version: "26.1.5", apiVersion: "1.45", release: .docker26, exact: false)
    r.ciCache = .registryMin
    r.registry = "127.0.0.1:5000"
    return r
}

/// The whole bench document (two runs, a push, an engine, a failed build, a step with no
/// prediction, predictions with and without seconds) against the schema, and the members the
/// schema requires written as null when absent.
@Test func fullBenchDocumentMatchesTheSchema() throws {
    let r = richBenchReport()
    let json = BenchOutput.json(r)
    try validateBenchJSON(json)
    let doc = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
    let builds = doc["builds"] as! [[String: Any]]
    #expect(builds[1]["imageId"] is NSNull && builds[1]["push"] is NSNull && builds[0]["error"] is NSNull)
    let steps = builds[0]["steps"] as! [[String: Any]]
    #expect(steps[2]["prediction"] is NSNull && steps[2]["agrees"] is NSNull && steps[2]["line"] is NSNull)
    let bare = steps[0]["prediction"] as! [String: Any]
    #expect(bare["reason"] is NSNull && bare["seconds"] == nil && bare["cause"] == nil)
    let full = steps[1]["prediction"] as! [String: Any]
    #expect(full["seconds"] as? Double == 1.25 && full["cause"] as? String == "unchanged" && full["identity"] == nil)
    #expect((doc["summary"] as! [String: Any])["sequence"] is [Any])
    var bare2 = r
    bare2.engine = nil
    bare2.registry = nil
    let doc2 = try JSONSerialization.jsonObject(with: Data(BenchOutput.json(bare2).utf8)) as! [String: Any]
    #expect(doc2["engine"] is NSNull && doc2["registry"] is NSNull)
    try validateBenchJSON(BenchOutput.json(bare2))
    // The costs file leaves absent members out.
    let costs = try JSONSerialization.jsonObject(with: Data(BenchOutput.costs(r).utf8)) as! [String: Any]
    let costSteps = costs["steps"] as! [[String: Any]]
    #expect(costSteps.count == 2 && costSteps[0]["identity"] as? String == "0:RUN#1")
    #expect(costSteps[1]["line"] as? Int == 4 && costSteps[1].keys.sorted() == ["line", "seconds", "status", "text"])
}
