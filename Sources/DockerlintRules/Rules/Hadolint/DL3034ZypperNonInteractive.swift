import DockerlintCore
import DockerlintModel
import DockerlintShell

/// zypper install/remove/source-install/patch without a non-interactive switch (+ONBUILD).
final class ZypperNonInteractiveRule: LintRule {
    static let code = "DL3034"
    init() {}
    static let subcommands: Set<String> = ["install", "in", "remove", "rm", "source-install", "si", "patch"]

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let (rs, cmds) = RunScript.packageCommands(i, context, [.zypper]) else { return }
        for c in cmds where Self.subcommands.contains(c.subcommand.first ?? "") && !c.isNonInteractive {
            sink.report(rs.subcommandRange(c), "Non-interactive switch missing from `zypper` command: `zypper install -y`")
        }
    }
}
