import DockerlintCore
import DockerlintModel

/// A stage without HEALTHCHECK (its own or one inherited from the stage it is built on).
final class MissingHealthcheckRule: LintRule {
    static let code = "DL3057"
    init() {}

    func finish(_ context: LintContext, _ sink: inout FindingSink) {
        var has: [Bool] = []
        for s in context.model.stages {
            var h = s.instructions.contains { $0.syntax.kind == .healthcheck }
            if case .stage(let j) = s.base, j < has.count { h = h || has[j] }
            has.append(h)
            if !h { sink.report(s.from.syntax.keywordRange, "`HEALTHCHECK` instruction missing.") }
        }
    }
}
