import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `apk add` that leaves the package index cache in the layer.
final class ApkNoCacheRule: LintRule {
    static let code = "DL3019"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let rs = RunScript.of(i, context) else { return }
        if rs.hasCacheOrTmpfsMount(at: "/var/cache/apk") { return }
        // `--no-network` downloads nothing, so there is nothing to cache.
        for pc in rs.packageCommands(.apk) where pc.subcommand.first == "add" && !pc.disablesCache && !pc.hasOption("no-network") {
            // The cache removed later in the same RUN leaves nothing in the layer either.
            if rs.removes("/var/cache/apk", after: pc.invocation.range.end, recursively: true) { continue }
            if rs.packageCommands(.apk).contains(where: { $0.subcommand == ["cache", "clean"] && $0.invocation.range.start > pc.invocation.range.end }) { continue }
            sink.report(rs.commandRange(pc), "Use the `--no-cache` switch to avoid the need to use `--update` and remove `/var/cache/apk/*` when done installing packages",
                        fix: rs.insertAfterSubcommand(pc, "--no-cache", title: "Add --no-cache", .safe))
        }
    }
}
