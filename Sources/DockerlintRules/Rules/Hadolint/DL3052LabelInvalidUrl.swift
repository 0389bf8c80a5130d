import DockerlintCore
import DockerlintModel

/// A `url`-typed label of the schema must hold a valid value.
final class LabelInvalidUrlRule: LintRule {
    static let code = "DL3052"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        for p in Labels.pairs(i) where Labels.type(p.key, context) == "url" && !p.value.isEmpty && !LabelValidators.isURL(p.value) {
            sink.report(p.valueRange, "Label `\(p.key)` is not a valid URL.")
        }
    }
}
