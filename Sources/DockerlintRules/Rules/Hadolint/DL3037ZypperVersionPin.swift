import DockerlintCore
import DockerlintModel
import DockerlintShell

/// Unpinned packages of `zypper install` (+ONBUILD): one finding per install command, naming its unpinned packages.
final class ZypperVersionPinRule: LintRule {
    static let code = "DL3037"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        reportUnpinned(i, context, managers: [.zypper], selects: { $0.isInstall }, lead: "Specify version with `zypper install -y <package>=<version>`",
                       advice: "", &sink)
    }
}
