import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `zypper install` without `zypper clean`/`cc` later in the same RUN (+ONBUILD).
final class ZypperCleanCacheRule: LintRule {
    static let code = "DL3036"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let (rs, cmds) = RunScript.packageCommands(i, context, [.zypper]) else { return }
        if rs.hasCacheMount(paths: ["/var/cache/zypp"]) { return }
        for c in cmds where c.isInstall {
            let off = c.invocation.range.start
            if rs.cleans(after: off, managers: [.zypper], all: false) || rs.removes("/var/cache/zypp", after: off, recursively: false) { continue }
            sink.report(rs.range(of: c.invocation), "`zypper clean` missing after zypper use.")
        }
    }
}
