import DockerlintCore
import DockerlintSupport

extension EvidenceReplay {
    /// What a finding's cache evidence replayed and assumed, as one JSON object: lint's JSON
    /// `evidence` (reports/schemas/lint-output.schema.json) and, the same object, a SARIF
    /// result's `properties.evidence`. The one encoder of the evidence for every format that
    /// carries it.
    var jsonValue: JSONValue {
        var o: [String: JSONValue] = [
            "source": .string(source.rawValue),
            "commits": .int(commits),
            "perBuildArgs": .array(perBuildArgs.map { a in
                ["name": .string(a.name), "origin": .string(a.origin.rawValue), "reason": .string(a.reason)]
            }),
            "churn": .array(churn.map(JSONValue.string)),
            "builder": .string(builder),
            "engine": .string(engine),
            "ciCache": .string(ciCache),
            "step": .string(step),
            "reruns": .int(reruns),
        ]
        o.setIfPresent("range", range.map(JSONValue.string))
        o.setIfPresent("ignoreFile", ignoreFile.map(JSONValue.string))
        if !ignoreAppended.isEmpty { o["ignoreAppended"] = .array(ignoreAppended.map(JSONValue.string)) }
        o.setIfPresent("rerunsWithFix", rerunsWithFix.map(JSONValue.int))
        o.setIfPresent("stepBuilds", stepBuilds.map(JSONValue.int))
        return .object(o)
    }
}
