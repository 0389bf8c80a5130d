import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `ln … /bin/sh` replaces the shell for every later RUN behind Docker's back; SHELL says
/// it in the Dockerfile (+ONBUILD).
final class LinkBinShRule: LintRule {
    static let code = "DL4005"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let rs = RunScript.of(i, context) else { return }
        for c in rs.commands(named: "ln") {
            let operands = c.arguments.filter { !($0.unquoted.hasPrefix("-") && $0.unquoted.count > 1) }
            guard operands.count >= 2, let last = operands.last, last.unquoted == "/bin/sh" else { continue }
            sink.report(rs.range(of: last), "Use SHELL to change the default shell")
        }
    }
}
