import DockerlintCore
import DockerlintModel

/// More than one ENTRYPOINT in a stage: only the last takes effect.
final class MultipleEntrypointRule: LintRule {
    static let code = "DL4004"
    init() {}
    var seen = Set<Int>()

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .entrypoint, !i.isOnbuildTrigger, let s = i.stageIndex else { return }
        if !seen.insert(s).inserted {
            sink.report(i.syntax.keywordRange, "Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect")
        }
    }
}
