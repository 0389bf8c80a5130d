import DockerlintCore
import DockerlintModel

/// The last USER of an image stage is root.
final class LastUserNotRootRule: LintRule {
    static let code = "DL3002"
    /// Last USER instruction per stage.
    var lastUser: [Int: ModelInstruction] = [:]
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .user, let s = i.stageIndex else { return }
        lastUser[s] = i
    }

    func finish(_ context: LintContext, _ sink: inout FindingSink) {
        let stages = context.model.stages
        for (s, i) in lastUser.sorted(by: { $0.key < $1.key }) {
            // Only stages that become an image: the last one or one another stage builds on
            // (COPY --from takes files, not the USER).
            let isLast = s == stages.count - 1
            let reused = stages.contains { if case .stage(let j) = $0.base { return j == s } else { return false } }
            guard isLast || reused else { continue }
            guard case .user(let u)? = i.typed?.command else { continue }
            let value = i.resolved?.user ?? u.value.value
            guard isRootUser(value) || isRootUser(u.value.value) else { continue }
            sink.report(u.value.range, "Last USER should not be root")
        }
    }
}
