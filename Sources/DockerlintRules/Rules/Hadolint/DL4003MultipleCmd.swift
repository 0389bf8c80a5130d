import DockerlintCore
import DockerlintModel

/// More than one CMD in a stage: only the last takes effect.
final class MultipleCmdRule: LintRule {
    static let code = "DL4003"
    init() {}
    var seen = Set<Int>()

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .cmd, !i.isOnbuildTrigger, let s = i.stageIndex else { return }
        if !seen.insert(s).inserted {
            sink.report(i.syntax.keywordRange, "Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect")
        }
    }
}
