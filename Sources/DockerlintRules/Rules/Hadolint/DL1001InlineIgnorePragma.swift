import DockerlintCore
import DockerlintModel

/// Inline ignore pragmas, for teams that forbid local exceptions (off by default).
final class InlineIgnorePragmaRule: LintRule {
    static let code = "DL1001"
    init() {}

    func finish(_ context: LintContext, _ sink: inout FindingSink) {
        for ig in context.pragmas.allIgnores {
            sink.report(ig.range, "Please refrain from using inline ignore pragmas `# hadolint ignore=DLxxxx`.")
        }
    }
}
