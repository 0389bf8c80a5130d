import DockerlintCore
import DockerlintModel
import DockerlintShell

/// dnf/microdnf install/upgrade/reinstall without `dnf clean all` (or removing the dnf
/// cache) later in the same RUN (+ONBUILD).
final class DnfCleanCacheRule: LintRule {
    static let code = "DL3040"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let (rs, cmds) = RunScript.packageCommands(i, context, [.dnf, .microdnf]) else { return }
        if rs.hasCacheMount(paths: ["/var/cache/libdnf5", "/var/cache/dnf", "/var/cache/yum"]) { return }
        for c in cmds where c.isInstall || c.isUpgrade {
            let off = c.invocation.range.start
            if rs.cleans(after: off, managers: [.dnf, .microdnf, .yum], all: true)
                || ["/var/cache/libdnf5", "/var/cache/dnf", "/var/cache/yum"].contains { rs.removes($0, after: off, recursively: false) } { continue }
            sink.report(rs.range(of: c.invocation), "`dnf clean all` missing after dnf command.")
        }
    }
}
