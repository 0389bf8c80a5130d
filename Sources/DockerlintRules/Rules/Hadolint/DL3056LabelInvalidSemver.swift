import DockerlintCore
import DockerlintModel

/// A `semver`-typed label of the schema must hold a valid value.
final class LabelInvalidSemverRule: LintRule {
    static let code = "DL3056"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        for p in Labels.pairs(i) where Labels.type(p.key, context) == "semver" && !p.value.isEmpty && !LabelValidators.isSemver(p.value) {
            sink.report(p.valueRange, "Label `\(p.key)` does not conform to semantic versioning.")
        }
    }
}
