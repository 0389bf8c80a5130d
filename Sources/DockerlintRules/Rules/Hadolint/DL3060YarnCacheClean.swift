import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `yarn install` without a later `yarn cache clean` in the same RUN, in a stage whose
/// layers ship (the last stage or a stage another stage is built on) (+ONBUILD).
final class YarnCacheCleanRule: LintRule {
    static let code = "DL3060"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let s = i.stageIndex, let (rs, cmds) = RunScript.packageCommands(i, context, [.yarn]) else { return }
        let stages = context.model.stages
        let shipped = s == stages.count - 1 || stages.contains { if case .stage(let j) = $0.base { return j == s }; return false }
        guard shipped || i.syntax.kind == .onbuild else { return }
        if rs.hasCacheMount(suffixes: [".cache/yarn", ".yarn/cache", ".yarn/berry/cache"]) { return }
        for c in cmds where c.isInstall {
            let off = c.invocation.range.start
            let cleaned = rs.packageCommands.contains { k in
                k.manager == .yarn && k.invocation.range.start > off && k.subcommand.first == "cache"
                    && k.invocation.arguments.contains { $0.staticValue == "clean" }
            }
            if !cleaned { sink.report(rs.range(of: c.invocation), "`yarn cache clean` missing after `yarn install` was run.") }
        }
    }
}
