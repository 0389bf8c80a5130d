import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `yum install` without `yum clean all` (or removing /var/cache/yum) later in the same RUN (+ONBUILD).
final class YumCleanCacheRule: LintRule {
    static let code = "DL3032"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let (rs, cmds) = RunScript.packageCommands(i, context, [.yum]) else { return }
        if rs.hasCacheMount(paths: ["/var/cache/yum"]) { return }
        for c in cmds where c.isInstall {
            let off = c.invocation.range.start
            if rs.cleans(after: off, managers: [.yum], all: true) || rs.removes("/var/cache/yum", after: off, recursively: false) { continue }
            sink.report(rs.range(of: c.invocation), "`yum clean all` missing after yum command.")
        }
    }
}
