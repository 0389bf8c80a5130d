import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `pip install pkg` without a version specifier: one finding per install command, naming its unpinned packages.
final class PinPipVersionsRule: LintRule {
    static let code = "DL3013"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        reportUnpinned(i, context, managers: [.pip], selects: { ["install"].contains($0.subcommand.first ?? "") },
                       lead: "Pin versions in pip",
                       advice: "Instead of `pip install <package>` use `pip install <package>==<version>` or `pip install --requirement <requirements file>`", &sink)
    }
}
