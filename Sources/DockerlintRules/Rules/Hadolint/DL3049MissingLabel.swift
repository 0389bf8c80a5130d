import DockerlintCore
import DockerlintModel

/// Every label of the configured label schema must be set in each stage that is an
/// image of its own (not the base of a later stage); labels of base stages count.
final class MissingLabelRule: LintRule {
    static let code = "DL3049"
    init() {}

    func finish(_ context: LintContext, _ sink: inout FindingSink) {
        let schema = context.configuration.labelSchema
        guard !schema.isEmpty else { return }
        let stages = context.model.stages
        var own: [Set<String>] = stages.map { s in Set(s.instructions.flatMap { Labels.pairs($0).map(\.key) }) }
        // Inherit through FROM <stage> (stages refer only to earlier stages).
        for s in stages { if case .stage(let j) = s.base { own[s.index].formUnion(own[j]) } }
        var isBase = Set<Int>()
        for s in stages { if case .stage(let j) = s.base { isBase.insert(j) } }
        for s in stages where !isBase.contains(s.index) {
            for label in schema.keys.sorted() where !own[s.index].contains(label) {
                sink.report(s.from.syntax.keywordRange, "Label `\(label)` is missing.")
            }
        }
    }
}
