import Foundation

/// Measured builds from `dockerlint bench --format json`
/// (reports/schemas/bench-output.schema.json), the parts a report shows. Unknown members
/// are ignored so that later additions to the bench output do not break reports.
public struct BenchResults: Sendable {
    public struct Step: Sendable {
        public var line: Int?
        public var instruction: String
        public var stage: String
        /// hit, miss or notRun as measured.
        public var status: String
        public var seconds: Double
        public var predictedStatus: String?
        public var predictedSeconds: Double?
        public var agrees: Bool?
    }

    public struct Build: Sendable {
        public var run: Int
        public var index: Int
        public var scenario: String
        public var builder: String
        public var wallSeconds: Double
        public var imageBytes: Int?
        public var newLayerBytes: Int?
        public var error: String?
        public var steps: [Step]

        public var measuredStepSeconds: Double { steps.reduce(0) { $0 + $1.seconds } }
    }

    public var dockerfile: String
    public var context: String
    public var builder: String
    public var builderSummary: String
    public var predictor: String
    public var runs: Int
    public var builds: [Build]
    public var comparedSteps: Int
    public var agreeingSteps: Int
    public var agreementRate: Double
    /// `Docker 26.1.5 (API 1.45), modelled as docker-26 …` (nil in benches from before engines were recorded).
    public var engineSummary: String? = nil
    /// The cache the bench's builds started from (`local` when not recorded).
    public var ciCache: String = "local"
    /// The engine release the bench detected (`docker-26`), when it recorded one.
    public var release: String? = nil

    /// The builds of the first run (the ones charted).
    public var firstRun: [Build] { builds.filter { $0.run == (builds.first?.run ?? 1) } }

    public static func load(_ path: String) throws(CommandError) -> BenchResults {
        let bytes = try FileIO.read(path)
        do { return try parse(Data(bytes)) } catch let e as BenchFormatError {
            throw CommandError("\(path): error: not a dockerlint bench JSON file (\(e.message))")
        } catch {
            throw CommandError("\(path): error: not a dockerlint bench JSON file (\(error.localizedDescription))")
        }
    }

    struct BenchFormatError: Error { var message: String }

    static func parse(_ data: Data) throws -> BenchResults {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw BenchFormatError(message: "the top level is not an object")
        }
        func need<T>(_ o: [String: Any], _ k: String, _ where_: String) throws -> T {
            guard let v = o[k] as? T else { throw BenchFormatError(message: "\(where_)\(k) is missing or of the wrong type") }
            return v
        }
        func double(_ v: Any?) -> Double? { (v as? NSNumber).map(\.doubleValue) }
        func int(_ v: Any?) -> Int? { (v as? NSNumber).map(\.intValue) }
        guard int(root["version"]) == 1 else { throw BenchFormatError(message: "version is not 1") }
        let buildsJSON: [[String: Any]] = try need(root, "builds", "")
        var builds: [Build] = []
        for (i, b) in buildsJSON.enumerated() {
            let at = "builds[\(i)]."
            let stepsJSON: [[String: Any]] = try need(b, "steps", at)
            var steps: [Step] = []
            for s in stepsJSON {
                let pred = s["prediction"] as? [String: Any]
                steps.append(Step(line: int(s["line"]), instruction: s["instruction"] as? String ?? "",
                                  stage: s["stage"] as? String ?? "", status: s["status"] as? String ?? "",
                                  seconds: double(s["seconds"]) ?? 0, predictedStatus: pred?["status"] as? String,
                                  predictedSeconds: double(pred?["seconds"]), agrees: s["agrees"] as? Bool))
            }
            guard let wall = double(b["wallSeconds"]) else { throw BenchFormatError(message: "\(at)wallSeconds is missing") }
            builds.append(Build(run: int(b["run"]) ?? 1, index: int(b["index"]) ?? i + 1, scenario: b["scenario"] as? String ?? "build \(i + 1)",
                                builder: b["builder"] as? String ?? "", wallSeconds: wall, imageBytes: int(b["imageBytes"]),
                                newLayerBytes: int(b["newLayerBytes"]), error: b["error"] as? String, steps: steps))
        }
        let summary = root["summary"] as? [String: Any] ?? [:]
        return BenchResults(dockerfile: root["dockerfile"] as? String ?? "", context: root["context"] as? String ?? "",
                            builder: root["builder"] as? String ?? "", builderSummary: root["builderSummary"] as? String ?? "",
                            predictor: root["predictor"] as? String ?? "", runs: int(root["runs"]) ?? 1, builds: builds,
                            comparedSteps: int(summary["comparedSteps"]) ?? 0, agreeingSteps: int(summary["agreeingSteps"]) ?? 0,
                            agreementRate: double(summary["agreementRate"]) ?? 0,
                            engineSummary: (root["engine"] as? [String: Any])?["summary"] as? String,
                            ciCache: root["ciCache"] as? String ?? "local",
                            release: (root["engine"] as? [String: Any])?["release"] as? String)
    }
}
