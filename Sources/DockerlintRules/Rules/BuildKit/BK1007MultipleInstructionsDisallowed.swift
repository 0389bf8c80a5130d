import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// More than one CMD, ENTRYPOINT or HEALTHCHECK in a stage: every one but the last is
/// reported (the ones that have no effect).
final class MultipleInstructionsDisallowedRule: LintRule {
    static let code = "BK1007"
    init() {}

    func finish(_ context: LintContext, _ sink: inout FindingSink) {
        for st in context.model.stages {
            var last: [InstructionKind: Instruction] = [:]
            for mi in st.instructions {
                let k = mi.syntax.kind
                guard k == .cmd || k == .entrypoint || k == .healthcheck, mi.typed != nil else { continue }
                if let prev = last[k] {
                    sink.report(prev.keywordRange, "Multiple \(mi.syntax.keyword) instructions should not be used in the same stage because only the last one will be used")
                }
                last[k] = mi.syntax
            }
        }
    }
}
