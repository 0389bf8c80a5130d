import DockerlintCore
import DockerlintModel

/// MAINTAINER is deprecated: use a label.
final class MaintainerDeprecatedRule: LintRule {
    static let code = "DL4000"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .maintainer else { return }
        sink.report(i.syntax.range, "Maintainer instruction is deprecated in favor of using label")
    }
}
