import DockerlintCore
import DockerlintModel
import DockerlintShell

/// Unpinned packages of `yum install` (+ONBUILD); the finding is at the package word.
final class YumVersionPinRule: LintRule {
    static let code = "DL3033"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let (rs, cmds) = RunRulesB.packageCommands(i, context, [.yum]) else { return }
        for c in cmds where c.isInstall {
            for t in c.unpinnedTargets {
                sink.report(rs.range(of: t.word), "Specify version with `yum install -y <package>-<version>`.")
            }
        }
    }
}
