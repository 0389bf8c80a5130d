import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `apt-get install` that also installs recommended packages.
final class AptNoInstallRecommendsRule: LintRule {
    static let code = "DL3015"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let rs = RunScript.of(i, context) else { return }
        for pc in rs.packageCommands(.aptGet) where pc.subcommand.first == "install" && pc.installsRecommends == true {
            sink.report(rs.commandRange(pc), "Avoid additional packages by specifying `--no-install-recommends`",
                        fix: rs.insertAfterSubcommand(pc, "--no-install-recommends", title: "Add --no-install-recommends", .unsafe))
        }
    }
}
