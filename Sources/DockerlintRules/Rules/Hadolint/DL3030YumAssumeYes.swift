import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `yum install` without `-y`: the build stops at the confirmation prompt (+ONBUILD).
final class YumAssumeYesRule: LintRule {
    static let code = "DL3030"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let (rs, cmds) = RunScript.packageCommands(i, context, [.yum]) else { return }
        for c in cmds where c.isInstall && !c.isNonInteractive {
            sink.report(rs.subcommandRange(c), "Use the -y switch to avoid manual input `yum install -y <package>`")
        }
    }
}
