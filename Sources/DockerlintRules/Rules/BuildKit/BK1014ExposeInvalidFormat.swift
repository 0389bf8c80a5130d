import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// `EXPOSE 127.0.0.1:80:80` / `EXPOSE 8080:80`: an IP address or host port, which EXPOSE
/// ignores (publishing is decided by `docker run -p`).
final class ExposeInvalidFormatRule: LintRule {
    static let code = "BK1014"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard case .expose(let e)? = i.typed?.command else { return }
        for (arg, ports) in ExposeWords.perArgument(e, i, context) {
            for p in ports where !p.hostIP.isEmpty || !p.hostPort.isEmpty {
                sink.report(arg.range, "EXPOSE instruction should not define an IP address or host-port mapping, found '\(p.raw)'")
            }
        }
    }
}
