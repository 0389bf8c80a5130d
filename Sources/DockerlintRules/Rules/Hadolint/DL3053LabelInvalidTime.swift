import DockerlintCore
import DockerlintModel

/// A `rfc3339`-typed label of the schema must hold a valid value.
final class LabelInvalidTimeRule: LintRule {
    static let code = "DL3053"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        for p in Labels.pairs(i) where Labels.type(p.key, context) == "rfc3339" && !p.value.isEmpty && !LabelValidators.isRFC3339(p.value) {
            sink.report(p.valueRange, "Label `\(p.key)` is not a valid time format - must conform to RFC3339.")
        }
    }
}
