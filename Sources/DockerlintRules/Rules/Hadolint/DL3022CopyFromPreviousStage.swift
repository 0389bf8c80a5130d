import DockerlintCore
import DockerlintModel

/// `COPY --from=X` where X is neither an earlier stage nor clearly an image.
final class CopyFromPreviousStageRule: LintRule {
    static let code = "DL3022"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .copy, case .copy(let c)? = i.typed?.command, let from = c.from, let s = i.stageIndex else { return }
        let v = from.value
        if v.contains("$") || v.contains(":") || v.contains("/") || v.contains("@") { return }
        let stages = context.model.stages
        if let n = Int(v) {
            if n >= 0 && n < s { return }
        } else if stages.prefix(s).contains(where: { $0.name == v.lowercased() }) {
            return
        }
        if stages.indices.contains(s), stages[s].name == v.lowercased() { return } // DL3023's case
        sink.report(from.range, "`COPY --from` should reference a previously defined `FROM` alias")
    }
}
