import DockerlintCore
import DockerlintModel

/// A label of the schema must not be empty.
final class EmptyLabelRule: LintRule {
    static let code = "DL3051"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        for p in Labels.pairs(i) where Labels.type(p.key, context) != nil && p.value.isEmpty {
            sink.report(p.valueRange, "Label `\(p.key)` is empty.")
        }
    }
}
