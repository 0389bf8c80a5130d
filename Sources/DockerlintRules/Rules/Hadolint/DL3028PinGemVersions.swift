import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `gem install pkg` without `:version` (and without `-v`): one finding per install command, naming its unpinned packages.
final class PinGemVersionsRule: LintRule {
    static let code = "DL3028"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        reportUnpinned(i, context, managers: [.gem], selects: { ["install", "i"].contains($0.subcommand.first ?? "") },
                       lead: "Pin versions in gem install",
                       advice: "Instead of `gem install <gem>` use `gem install <gem>:<version>`", &sink)
    }
}
