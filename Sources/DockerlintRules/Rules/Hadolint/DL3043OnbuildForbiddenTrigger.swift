import DockerlintCore
import DockerlintModel

/// `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER` are not allowed triggers.
final class OnbuildForbiddenTriggerRule: LintRule {
    static let code = "DL3043"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .onbuild, let child = i.syntax.child?.value,
              [.onbuild, .from, .maintainer].contains(child.kind) else { return }
        sink.report(child.keywordRange, "`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.")
    }
}
