import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `pip install` without `--no-cache-dir` leaves pip's wheel cache in the layer (+ONBUILD).
final class PipNoCacheDirRule: LintRule {
    static let code = "DL3042"
    init() {}

    static func truthy(_ v: String?) -> Bool {
        guard let v = v?.lowercased() else { return false }
        return ["1", "true", "yes", "on"].contains(v)
    }

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let (rs, cmds) = RunScript.packageCommands(i, context, [.pip]) else { return }
        if let v = i.scope.variable(named: "PIP_NO_CACHE_DIR"), Self.truthy(v.value) { return }
        if rs.hasCacheMount(suffixes: [".cache/pip"]) { return }
        // `export PIP_NO_CACHE_DIR=1` earlier in the script.
        let exports = rs.commands(named: "export").filter { e in
            e.arguments.contains { a in
                let t = a.unquoted
                return t.hasPrefix("PIP_NO_CACHE_DIR=") && Self.truthy(String(t.dropFirst(17)))
            }
        }
        for c in cmds where c.isInstall && !c.disablesCache {
            if c.invocation.assignments.contains(where: { $0.name == "PIP_NO_CACHE_DIR" && Self.truthy($0.value?.staticValue) }) { continue }
            if exports.contains(where: { $0.range.start < c.invocation.range.start }) { continue }
            sink.report(rs.subcommandRange(c), "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`")
        }
    }
}
