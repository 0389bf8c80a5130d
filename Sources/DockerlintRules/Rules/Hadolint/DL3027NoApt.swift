import DockerlintCore
import DockerlintModel

/// `apt` is an interactive front end without a stable CLI; scripts use apt-get/apt-cache.
final class NoAptRule: LintRule {
    static let code = "DL3027"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let rs = RunScript.of(i, context) else { return }
        for c in rs.effectiveCommands where c.name == "apt" {
            sink.report(rs.range(of: c), "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead")
        }
    }
}
