import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `dnf`/`microdnf install` without `-y` (+ONBUILD).
final class DnfAssumeYesRule: LintRule {
    static let code = "DL3038"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let (rs, cmds) = RunScript.packageCommands(i, context, [.dnf, .microdnf]) else { return }
        for c in cmds where c.isInstall && !c.isNonInteractive {
            sink.report(rs.subcommandRange(c), "Use the -y switch to avoid manual input `dnf install -y <package>`")
        }
    }
}
