import Foundation
@testable import DockerlintCache
import DockerlintModel

/// A context directory built by both engines after each mutation, as the §7 experiments did.
final class SimLab {
    let dir: TempDir
    var bk = CacheSimulator(engine: .buildkit)
    var classic = CacheSimulator(engine: .classic)

    init(_ files: [String: String]) throws {
        dir = try TempDir()
        for (k, v) in files { try dir.write(k, v) }
    }

    func build(_ args: [String: String] = [:], context: String? = nil, target: String? = nil) throws -> (bk: BuildPrediction, classic: BuildPrediction) {
        let ctx = context ?? dir.path
        var s1 = try BuildState.load(dockerfile: ctx + "/Dockerfile", contextDirectory: ctx, buildArgs: args, target: target,
                                     label: "build \(bk.buildCount + 1)")
        var s2 = s1
        return (bk.simulate(&s1), classic.simulate(&s2))
    }
}

extension BuildPrediction {
    /// The first step whose one-line text starts with `prefix` (e.g. "COPY a.txt").
    func step(_ prefix: String) -> StepPrediction? { steps.first { $0.text.hasPrefix(prefix) } }
    func status(_ prefix: String) -> StepStatus? { step(prefix)?.status }
    func reason(_ prefix: String) -> String { step(prefix)?.reason ?? "<no step \(prefix)>" }
    var statuses: [String] { steps.map { "\($0.line) \($0.instruction) \($0.status.rawValue): \($0.reason)" } }
}
