import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `apt-get install pkg` without `=version`: one finding per install command, naming its unpinned packages.
final class PinAptGetVersionsRule: LintRule {
    static let code = "DL3008"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        reportUnpinned(i, context, managers: [.aptGet], selects: { ["install"].contains($0.subcommand.first ?? "") },
                       lead: "Pin versions in apt get install",
                       advice: "Instead of `apt-get install <package>` use `apt-get install <package>=<version>`", &sink)
    }
}
