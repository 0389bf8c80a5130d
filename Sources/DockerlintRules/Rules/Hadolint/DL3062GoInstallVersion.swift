import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `go install`/`go get`/`go run` of a remote package without `@version` (+ONBUILD).
final class GoInstallVersionRule: LintRule {
    static let code = "DL3062"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let (rs, cmds) = RunRulesB.packageCommands(i, context, [.go]) else { return }
        for c in cmds where ["install", "get", "run"].contains(c.subcommand.first ?? "") {
            for t in c.unpinnedTargets {
                sink.report(rs.range(of: t.word), "Pin versions in go. Instead of `go install <package>` use `go install <package>@<version>`")
            }
        }
    }
}
