import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `apk add pkg` without a version: one finding per install command, naming its unpinned packages.
final class PinApkVersionsRule: LintRule {
    static let code = "DL3018"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        reportUnpinned(i, context, managers: [.apk], selects: { ["add"].contains($0.subcommand.first ?? "") },
                       lead: "Pin versions in apk add",
                       advice: "Instead of `apk add <package>` use `apk add <package>=<version>`", &sink)
    }
}
