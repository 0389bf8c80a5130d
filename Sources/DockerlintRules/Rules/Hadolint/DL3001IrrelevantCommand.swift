import DockerlintCore
import DockerlintModel

/// Commands that make no sense in an image build (`ssh`, `vim`, `service`, ...).
final class IrrelevantCommandRule: LintRule {
    static let code = "DL3001"
    static let names: Set<String> = ["free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"]
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let rs = RunScript.of(i, context) else { return }
        for c in rs.effectiveCommands {
            guard let name = c.name, Self.names.contains(name) else { continue }
            sink.report(rs.range(of: c), "For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`")
        }
    }
}
