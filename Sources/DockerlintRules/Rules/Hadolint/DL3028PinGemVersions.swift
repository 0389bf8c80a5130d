import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `gem install pkg` without `:version` (and without `-v`): reported at each unpinned gem.
final class PinGemVersionsRule: LintRule {
    static let code = "DL3028"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let rs = RunScript.of(i, context) else { return }
        reportUnpinned(rs, managers: [.gem], subcommands: ["install", "i"], { _ in
            "Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`"
        }, &sink)
    }
}
