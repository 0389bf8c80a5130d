import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `cd` in RUN where WORKDIR would do. A `cd` inside a subshell, a command substitution or
/// an `sh -c '…'` string is not reported: it changes nothing outside it, which is the usual
/// idiom for building in a temporary directory (or as another user, `su -c`).
final class UseWorkdirRule: LintRule {
    static let code = "DL3003"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let rs = RunScript.ofRun(i, context) else { return }
        for c in rs.effectiveCommands where c.name == "cd" {
            if c.contexts.contains(where: { $0 == .subshell || $0 == .commandSubstitution || $0 == .processSubstitution || $0 == .shellString }) { continue }
            sink.report(rs.range(of: c), "Use WORKDIR to switch to a directory")
        }
    }
}
