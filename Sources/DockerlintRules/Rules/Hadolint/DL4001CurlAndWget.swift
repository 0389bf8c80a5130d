import DockerlintCore
import DockerlintModel
import DockerlintShell

/// A stage uses both curl and wget: one download tool is enough (+ONBUILD). The first
/// tool a stage uses is its choice; every use of the other one is reported.
final class CurlAndWgetRule: LintRule {
    static let code = "DL4001"
    init() {}
    var first: [Int: String] = [:]

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let s = i.stageIndex, !i.isOnbuildTrigger, let rs = RunScript.of(i, context) else { return }
        for c in rs.commands(named: "curl", "wget") {
            guard let name = c.name else { continue }
            if first[s] == nil { first[s] = name; continue }
            if first[s] != name {
                sink.report(rs.range(of: c), "Either use Wget or Curl but not both")
            }
        }
    }
}
