import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `apt-get install` that would stop to ask for confirmation.
final class AptGetYesRule: LintRule {
    static let code = "DL3014"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let rs = RunScript.of(i, context) else { return }
        for pc in rs.packageCommands(.aptGet) where pc.subcommand.first == "install" && !pc.isNonInteractive {
            sink.report(rs.commandRange(pc), "Use the `-y` switch to avoid manual input `apt-get -y install <package>`",
                        fix: rs.insertAfterSubcommand(pc, "-y", title: "Add -y", .safe))
        }
    }
}
