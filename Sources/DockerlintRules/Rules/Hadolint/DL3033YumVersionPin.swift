import DockerlintCore
import DockerlintModel
import DockerlintShell

/// Unpinned packages of `yum install` (+ONBUILD); the finding is at the package word.
final class YumVersionPinRule: LintRule {
    static let code = "DL3033"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        reportUnpinned(i, context, managers: [.yum], selects: { $0.isInstall }, message: "Specify version with `yum install -y <package>-<version>`.", &sink)
    }
}
