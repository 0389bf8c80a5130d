import DockerlintCore
import DockerlintModel
import DockerlintShell

/// Unpinned packages of `zypper install` (+ONBUILD); the finding is at the package word.
final class ZypperVersionPinRule: LintRule {
    static let code = "DL3037"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let (rs, cmds) = RunRulesB.packageCommands(i, context, [.zypper]) else { return }
        for c in cmds where c.isInstall {
            for t in c.unpinnedTargets {
                sink.report(rs.range(of: t.word), "Specify version with `zypper install -y <package>=<version>`.")
            }
        }
    }
}
