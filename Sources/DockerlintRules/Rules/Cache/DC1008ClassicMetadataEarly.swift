import DockerlintAnalysis
import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// Classic builder only: LABEL, ENV and EXPOSE are steps there, and one whose value changes
/// between builds (it expands a build argument) misses along with every step after it.
/// BuildKit does not make them steps, so the rule runs only for `--builder classic`.
final class ClassicMetadataEarlyRule: LintRule {
    static let code = "DC1008"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard context.configuration.builder == .classic, !i.isOnbuildTrigger, i.stageIndex != nil else { return }
        let kind = i.syntax.kind
        guard kind == .label || kind == .env || kind == .expose else { return }
        let insts = context.stageInstructions(i)
        guard let idx = insts.firstIndex(where: { $0.syntax.range.start.offset == i.syntax.range.start.offset }) else { return }
        // Changing values: build arguments of the stage, and ENV values made from them.
        var changing = Set<String>()
        for n in insts[..<idx] {
            if case .arg(let a)? = n.typed?.command { for d in a.definitions { changing.insert(d.key) } }
            if case .env(let e)? = n.typed?.command {
                for p in e.pairs where changing.contains(where: { VolatileArgEarlyRule.uses(n, $0) }) { changing.insert(p.key.value) }
            }
        }
        let used = changing.filter { VolatileArgEarlyRule.uses(i, $0) }.sorted()
        guard !used.isEmpty else { return }
        let later = insts[(idx + 1)...].filter { [.run, .copy, .add].contains($0.syntax.kind) }
        guard let first = later.first else { return }
        // Nothing to gain when the very next step reads the value anyway.
        var names = used
        if case .env(let e)? = i.typed?.command { names += e.pairs.map(\.key.value) }
        if names.contains(where: { VolatileArgEarlyRule.uses(first, $0) }) { return }
        let keyword = kind.keyword
        var message = "with the classic builder `\(i.shortText)` is a step whose value changes with \(used.map { "$" + $0 }.joined(separator: ", ")): "
            + "each new value re-runs it and every step after it, \(CacheMessage.step(first))\(later.count > 1 ? " and \(later.count - 1) more" : "")"
        var fix: Fix? = nil
        if kind == .env {
            message += "; move it as late as the steps that read it allow"
        } else {
            message += "; move the \(keyword) to the end of the stage"
            let graph = context.stepGraph
            // The move must not change the value: no later ENV/ARG of a name it expands.
            if let id = graph.id(of: i), let lastID = graph.id(of: insts.last!), !context.moves.moveBelow(id, lastID).isSafe {
                sink.report(i.syntax.keywordRange, message, fix: nil, relatedLines: later.map(\.syntax.startLine))
                return
            }
            let lines = InstructionLines.of(i.syntax, context.dockerfile)
            let last = InstructionLines.of(insts.last!.syntax, context.dockerfile, withComments: false).last
            // An ARG it expands must stay declared before it: the ARG is earlier, so moving down is fine.
            fix = Fix(title: "Move the \(keyword) to the end of the stage",
                      edits: LineEdits.move(lines.first, lines.last, after: last, context.source), applicability: .safe)
        }
        sink.report(i.syntax.keywordRange, message, fix: fix, relatedLines: later.map(\.syntax.startLine))
    }
}
