import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `zypper dist-upgrade` / `dup` in an image build (+ONBUILD).
final class ZypperDistUpgradeRule: LintRule {
    static let code = "DL3035"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let (rs, cmds) = RunScript.packageCommands(i, context, [.zypper]) else { return }
        for c in cmds where c.subcommand.first == "dist-upgrade" || c.subcommand.first == "dup" {
            sink.report(rs.subcommandRange(c), "Do not use `zypper dist-upgrade`.")
        }
    }
}
