import DockerlintCore
import DockerlintModel

/// With `strict-labels`, only labels of the schema may be set.
final class SuperfluousLabelRule: LintRule {
    static let code = "DL3050"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard context.configuration.strictLabels else { return }
        for p in Labels.pairs(i) where context.configuration.labelSchema[p.key] == nil {
            sink.report(p.keyRange, "Superfluous label `\(p.key)` present.")
        }
    }
}
