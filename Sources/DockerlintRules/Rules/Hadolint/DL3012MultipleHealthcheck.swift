import DockerlintCore
import DockerlintModel

/// More than one HEALTHCHECK in a stage: only the last one counts.
final class MultipleHealthcheckRule: LintRule {
    static let code = "DL3012"
    var seen: Set<Int> = []
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .healthcheck, let s = i.stageIndex else { return }
        if !seen.insert(s).inserted {
            sink.report(i.syntax.keywordRange, "Multiple `HEALTHCHECK` instructions")
        }
    }
}
