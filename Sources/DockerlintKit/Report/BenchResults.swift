import DockerlintSupport
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
        try JSONDecoder().decode(BenchResults.self, from: data)
    }
}

/// Lenient reading: a member of another type than expected counts as absent, except the few
/// a report cannot do without (`version`, `builds`, their `steps` and `wallSeconds`).
extension BenchResults: Decodable {
    public init(from decoder: any Decoder) throws {
        guard let root = try? decoder.container(keyedBy: JSONKey.self) else {
            throw BenchFormatError(message: "the top level is not an object")
        }
        guard root.lenient(Int.self, "version") == 1 else { throw BenchFormatError(message: "version is not 1") }
        guard var list = try? root.nestedUnkeyedContainer(forKey: JSONKey("builds")) else {
            throw BenchFormatError(message: "builds is missing or of the wrong type")
        }
        var builds: [Build] = []
        while !list.isAtEnd {
            let i = builds.count, at = "builds[\(i)]."
            guard let b = try? list.nestedContainer(keyedBy: JSONKey.self) else {
                throw BenchFormatError(message: "builds is missing or of the wrong type")
            }
            guard var stepList = try? b.nestedUnkeyedContainer(forKey: JSONKey("steps")) else {
                throw BenchFormatError(message: "\(at)steps is missing or of the wrong type")
            }
            var steps: [Step] = []
            while !stepList.isAtEnd {
                guard let s = try? stepList.nestedContainer(keyedBy: JSONKey.self) else {
                    throw BenchFormatError(message: "\(at)steps is missing or of the wrong type")
                }
                let pred = try? s.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("prediction"))
                steps.append(Step(line: s.lenient(Int.self, "line"), instruction: s.lenient(String.self, "instruction") ?? "",
                                  stage: s.lenient(String.self, "stage") ?? "", status: s.lenient(String.self, "status") ?? "",
                                  seconds: s.lenient(Double.self, "seconds") ?? 0, predictedStatus: pred?.lenient(String.self, "status"),
                                  predictedSeconds: pred?.lenient(Double.self, "seconds"), agrees: s.lenient(Bool.self, "agrees")))
            }
            guard let wall = b.lenient(Double.self, "wallSeconds") else { throw BenchFormatError(message: "\(at)wallSeconds is missing") }
            builds.append(Build(run: b.lenient(Int.self, "run") ?? 1, index: b.lenient(Int.self, "index") ?? i + 1,
                                scenario: b.lenient(String.self, "scenario") ?? "build \(i + 1)", builder: b.lenient(String.self, "builder") ?? "",
                                wallSeconds: wall, imageBytes: b.lenient(Int.self, "imageBytes"),
                                newLayerBytes: b.lenient(Int.self, "newLayerBytes"), error: b.lenient(String.self, "error"), steps: steps))
        }
        let summary = try? root.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("summary"))
        let engine = try? root.nestedContainer(keyedBy: JSONKey.self, forKey: JSONKey("engine"))
        self.init(dockerfile: root.lenient(String.self, "dockerfile") ?? "", context: root.lenient(String.self, "context") ?? "",
                  builder: root.lenient(String.self, "builder") ?? "", builderSummary: root.lenient(String.self, "builderSummary") ?? "",
                  predictor: root.lenient(String.self, "predictor") ?? "", runs: root.lenient(Int.self, "runs") ?? 1, builds: builds,
                  comparedSteps: summary?.lenient(Int.self, "comparedSteps") ?? 0,
                  agreeingSteps: summary?.lenient(Int.self, "agreeingSteps") ?? 0,
                  agreementRate: summary?.lenient(Double.self, "agreementRate") ?? 0,
                  engineSummary: engine?.lenient(String.self, "summary"), ciCache: root.lenient(String.self, "ciCache") ?? "local",
                  release: engine?.lenient(String.self, "release"))
    }
}
