import DockerlintCore
import DockerlintModel
import DockerlintShell

/// Unpinned packages of `yum install` (+ONBUILD): one finding per install command, naming its unpinned packages.
final class YumVersionPinRule: LintRule {
    static let code = "DL3033"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        reportUnpinned(i, context, managers: [.yum], selects: { $0.isInstall }, lead: "Specify version with `yum install -y <package>-<version>`",
                       advice: "", &sink)
    }
}
