import DockerlintCore
import DockerlintModel

/// A `spdx`-typed label of the schema must hold a valid value.
final class LabelInvalidSpdxRule: LintRule {
    static let code = "DL3054"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        for p in Labels.pairs(i) where Labels.type(p.key, context) == "spdx" && !p.value.isEmpty && !LabelValidators.isSPDX(p.value) {
            sink.report(p.valueRange, "Label `\(p.key)` is not a valid SPDX license expression.")
        }
    }
}
