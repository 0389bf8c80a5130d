import DockerlintCore
import DockerlintModel

/// A `email`-typed label of the schema must hold a valid value.
final class LabelInvalidEmailRule: LintRule {
    static let code = "DL3058"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        for p in Labels.pairs(i) where Labels.type(p.key, context) == "email" && !p.value.isEmpty && !LabelValidators.isEmail(p.value) {
            sink.report(p.valueRange, "Label `\(p.key)` is not a valid email format - must conform to RFC5322.")
        }
    }
}
