import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// A stage named `scratch` or `context` (BuildKit's reserved names).
final class ReservedStageNameRule: LintRule {
    static let code = "DL3063"
    static let reserved: Set<String> = ["context", "scratch"]
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard case .from(let f)? = i.typed?.command, let name = f.stageName, Self.reserved.contains(name) else { return }
        sink.report(f.stageNameArgument?.range ?? i.syntax.range, "Stage name should not use the same name as reserved stage \(goQuote(name))")
    }
}
