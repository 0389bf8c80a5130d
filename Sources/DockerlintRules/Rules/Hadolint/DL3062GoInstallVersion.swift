import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `go install`/`go get`/`go run` of a remote package without `@version` (+ONBUILD).
final class GoInstallVersionRule: LintRule {
    static let code = "DL3062"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        reportUnpinned(i, context, managers: [.go], selects: { ["install", "get", "run"].contains($0.subcommand.first ?? "") },
                       lead: "Pin versions in go",
                       advice: "Instead of `go install <package>` use `go install <package>@<version>`", &sink)
    }
}
