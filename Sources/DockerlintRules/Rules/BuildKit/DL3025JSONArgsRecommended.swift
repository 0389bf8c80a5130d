import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// CMD / ENTRYPOINT in shell form while no SHELL instruction is in effect.
final class JSONArgsRecommendedRule: LintRule {
    static let code = "DL3025"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let typed = i.typed, let s = i.stageIndex else { return }
        switch typed.command {
        case .cmd(let c), .entrypoint(let c):
            guard c.prependShell, !Self.shellSet(before: i, stage: s, context.model) else { return }
            sink.report(i.syntax.keywordRange,
                        "JSON arguments recommended for \(i.syntax.keyword) to prevent unintended behavior related to OS signals")
        default: return
        }
    }

    /// True when a SHELL instruction ran earlier in the stage or anywhere in a base stage.
    static func shellSet(before i: ModelInstruction, stage: Int, _ model: DockerfileModel) -> Bool {
        let st = model.stages[stage]
        if (st.onbuildTriggers + st.instructions).contains(where: { $0.syntax.kind == .shell && $0.syntax.range.start.offset < i.syntax.range.start.offset }) {
            return true
        }
        for j in BuildKitSupport.baseChain(stage, model) {
            let b = model.stages[j]
            if (b.onbuildTriggers + b.instructions).contains(where: { $0.syntax.kind == .shell }) { return true }
        }
        return false
    }
}
