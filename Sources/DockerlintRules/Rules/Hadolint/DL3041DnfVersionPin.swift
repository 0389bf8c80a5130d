import DockerlintCore
import DockerlintModel
import DockerlintShell

/// Unpinned packages of `dnf install` (+ONBUILD); the finding is at the package word.
final class DnfVersionPinRule: LintRule {
    static let code = "DL3041"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        reportUnpinned(i, context, managers: [.dnf, .microdnf], selects: { $0.isInstall }, message: "Specify version with `dnf install -y <package>-<version>`.", &sink)
    }
}
