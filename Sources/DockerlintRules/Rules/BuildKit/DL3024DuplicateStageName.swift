import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// Two stages with the same name (compared as BuildKit does: lower-cased).
final class DuplicateStageNameRule: LintRule {
    static let code = "DL3024"
    init() {}

    func finish(_ context: LintContext, _ sink: inout FindingSink) {
        var seen = Set<String>()
        for s in context.model.stages {
            guard let name = s.name, !name.isEmpty else { continue }
            if !seen.insert(name).inserted {
                let range = s.fromCommand?.stageNameArgument?.range ?? s.from.syntax.range
                sink.report(range, "Duplicate stage name \(goQuote(name)), stage names should be unique")
            }
        }
    }
}
