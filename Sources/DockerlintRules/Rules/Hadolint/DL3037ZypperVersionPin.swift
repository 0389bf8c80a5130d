import DockerlintCore
import DockerlintModel
import DockerlintShell

/// Unpinned packages of `zypper install` (+ONBUILD); the finding is at the package word.
final class ZypperVersionPinRule: LintRule {
    static let code = "DL3037"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        reportUnpinned(i, context, managers: [.zypper], selects: { $0.isInstall }, message: "Specify version with `zypper install -y <package>=<version>`.", &sink)
    }
}
