import DockerlintCore
import DockerlintModel

/// LABEL keys should follow Docker's key format.
final class InvalidLabelKeyRule: LintRule {
    static let code = "DL3048"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        for p in Labels.pairs(i) {
            if let why = LabelValidators.labelKeyProblem(p.key) {
                sink.report(p.keyRange, "Invalid label key `\(p.key)`: it \(why).")
            }
        }
    }
}
