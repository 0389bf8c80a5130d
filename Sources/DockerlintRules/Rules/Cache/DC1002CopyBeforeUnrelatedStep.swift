import DockerlintAnalysis
import DockerlintCore
import DockerlintModel
import DockerlintShell
import DockerlintSyntax

/// A frequently edited COPY before RUN steps that do not read it (and are not dependency
/// installs, which DC1001 reports): the COPY can move below them. "Does not read it" and
/// "the move keeps the image" are the step analysis's call (`Moves`).
final class CopyBeforeUnrelatedStepRule: LintRule {
    static let code = "DC1002"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let cw = CopyWrite.of(i, context), cw.changesOften, !i.isOnbuildTrigger else { return }
        let graph = context.stepGraph
        guard let id = graph.id(of: i) else { return }
        // DC1001 reports the COPY when an install follows it.
        if let r = SourceCopiedBeforeInstallRule.firstInstall(after: id, graph), context.moves.moveBelow(id, r.id).isSafe { return }
        let moves = context.moves
        var skipped: [ModelInstruction] = []
        var last: Step? = nil
        for n in graph.stages[id.stage][(id.index + 1)...] {
            if n.kind == .run, !n.installs.isEmpty { break }
            guard moves.moveBelow(id, n.id).isSafe else { break }
            if n.kind == .run {
                // A RUN of shell built-ins only (`echo`, `true`) is not worth a move.
                if n.reads.paths.isEmpty && n.writes.paths.isEmpty && !n.readsNetwork { continue }
                skipped.append(n.instruction)
                last = n
            }
        }
        guard let last else { return }
        let runs = skipped.map { CacheMessage.step($0) }
        let what = cw.copiesTree ? "the copied files" : cw.sources.map { "`\($0)`" }.joined(separator: ", ")
        let message = "`\(i.shortText)` can move below \(runs.count == 1 ? runs[0] : "\(runs[0]) and \(runs.count - 1) more RUN step(s)"), "
            + "which do\(runs.count == 1 ? "es" : "") not read it: every edit to \(what) re-runs \(runs.count == 1 ? "it" : "them")"
        let lines = InstructionLines.of(i.syntax, context.dockerfile)
        let after = InstructionLines.of(last.instruction.syntax, context.dockerfile, withComments: false).last
        let fix = Fix(title: "Move the COPY below the steps that do not read it",
                      edits: LineEdits.move(lines.first, lines.last, after: after, context.source), applicability: .safe)
        sink.report(i.syntax.keywordRange, message, fix: fix, relatedLines: skipped.map(\.syntax.startLine))
    }
}
