import DockerlintCore
import DockerlintModel
import DockerlintShell

/// `apt-get update` whose package lists stay in the image's layer.
final class DeleteAptListsRule: LintRule {
    static let code = "DL3009"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let rs = RunScript.of(i, context) else { return }
        // Only layers that end up in an image: the last stage, or a stage built upon.
        if let s = i.stageIndex {
            let stages = context.model.stages
            let isLast = s == stages.count - 1
            let reused = stages.contains { if case .stage(let j) = $0.base { return j == s } else { return false } }
            if !isLast && !reused { return }
        }
        if rs.hasCacheOrTmpfsMount(at: "/var/lib/apt/lists") { return }
        if rs.hasCacheOrTmpfsMount(at: "/var/lib/apt") && rs.hasCacheOrTmpfsMount(at: "/var/cache/apt") { return }
        let updates = rs.packageCommands(.aptGet, .apt, .aptitude).filter { $0.subcommand.first == "update" }
        guard let last = updates.last else { return }
        if rs.removes("/var/lib/apt/lists", after: last.invocation.range.end, recursively: true) { return }
        // apt 2.7+: `apt-get dist-clean` removes the lists too.
        if rs.packageCommands(.aptGet, .apt).contains(where: {
            ($0.subcommand.first == "dist-clean" || $0.subcommand.first == "distclean") && $0.invocation.range.start > last.invocation.range.end
        }) { return }
        sink.report(rs.commandRange(last), "Delete the apt lists (/var/lib/apt/lists) after installing something")
    }
}
