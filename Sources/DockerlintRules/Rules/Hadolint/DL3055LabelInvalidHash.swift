import DockerlintCore
import DockerlintModel

/// A `hash`-typed label of the schema must hold a valid value.
final class LabelInvalidHashRule: LintRule {
    static let code = "DL3055"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        for p in Labels.pairs(i) where Labels.type(p.key, context) == "hash" && !p.value.isEmpty && !LabelValidators.isGitHash(p.value) {
            sink.report(p.valueRange, "Label `\(p.key)` is not a valid git hash.")
        }
    }
}
