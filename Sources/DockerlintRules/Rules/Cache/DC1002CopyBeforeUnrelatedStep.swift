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
        // Both findings move a COPY and a RUN of its stage past each other: no RUN below it,
        // nothing to analyse.
        if i.syntax.kind == .copy || i.syntax.kind == .add, !context.runFollows(i) { return }
        if reportRunAboveBlock(i, context, &sink) { return }
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

    /// A block of COPY steps of which several change often (trees or sources from the context,
    /// the output of a stage built from them), then a RUN that installs packages and reads
    /// none of them: moving one COPY below the RUN saves nothing while another stays above it,
    /// so the RUN moves up above the first of them. A `COPY --from` alone is such a block too
    /// (DC1001 moves only COPYs from the context). ENV steps between that the RUN reads move up
    /// with it, in their order, when nothing they cross reads or sets what they set. Reported
    /// on that first COPY; true when reported.
    func reportRunAboveBlock(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) -> Bool {
        guard let (r, others, carried) = Self.runAboveBlock(i, context) else { return false }
        let brings = others.isEmpty ? "`\(i.shortText)` brings" : "`\(i.shortText)` and the \(others.count) COPY step(s) below it bring"
        let with = carried.isEmpty ? "" : ", together with \(carried.map { "`\($0.instruction.shortText)` (line \($0.instruction.syntax.startLine))" }.joined(separator: ", ")), which it reads"
        let message = "\(CacheMessage.step(r.instruction)) reads nothing that \(brings), but comes after \(others.isEmpty ? "it" : "them"): "
            + "every change to the copied files re-runs it; move the RUN above the COPY\(with)"
        let src = context.source
        let moved = carried + [r]
        var text = ""
        var edits: [TextEdit] = []
        for m in moved {
            let lines = InstructionLines.of(m.instruction.syntax, context.dockerfile)
            text += LineEdits.text(lines.first, lines.last, src)
            edits.append(LineEdits.delete(lines.first, lines.last, src))
        }
        let copyFirst = InstructionLines.of(i.syntax, context.dockerfile).first
        edits.append(LineEdits.insert(text, after: copyFirst - 1, src))
        let fix = Fix(title: "Move the RUN above the COPY steps it does not read", edits: edits, applicability: .safe)
        sink.report(i.syntax.keywordRange, message, fix: fix, relatedLines: [r.instruction.syntax.startLine])
        return true
    }

    /// The RUN of `reportRunAboveBlock`, the other frequently changed COPY steps between `i`
    /// and it, and the ENV steps that move up with it, when `i` is the first COPY of such a
    /// block; nil otherwise.
    static func runAboveBlock(_ i: ModelInstruction, _ context: LintContext) -> (Step, [Step], [Step])? {
        guard i.syntax.kind == .copy || i.syntax.kind == .add, !i.isOnbuildTrigger else { return nil }
        guard changesOften(i, context) else { return nil }
        let graph = context.stepGraph
        guard let id = graph.id(of: i) else { return nil }
        let stage = graph.stages[id.stage]
        // The first RUN below the COPY, when it installs packages (not any download: a RUN
        // that clones or fetches an unpinned source re-runs today on every change, and moved
        // up it would keep an old copy cached).
        guard let r = stage[(id.index + 1)...].first(where: { $0.kind == .run }), !r.installs.isEmpty else { return nil }
        guard let carried = rise(r, above: id, graph, context.moves) else { return nil }
        // Reported on the first COPY the RUN can move above: none above it in the block.
        for p in stage[..<id.index].reversed() {
            if p.kind == .run { break }
            if p.kind == .copy || p.kind == .add, changesOften(p.instruction, context), rise(r, above: p.id, graph, context.moves) != nil { return nil }
        }
        // Another frequently changed COPY between this one and the RUN: otherwise moving this
        // COPY below the RUN is the fix (DC1001, or the shape below), except for a `COPY
        // --from`, which only this shape moves.
        let others = stage[(id.index + 1)..<r.id.index].filter {
            ($0.kind == .copy || $0.kind == .add) && changesOften($0.instruction, context)
        }
        let fromStage = CopyWrite.of(i, context) == nil
        return others.isEmpty && !fromStage ? nil : (r, Array(others), carried)
    }

    /// The ENV steps between step `b` and RUN `r` that must move up with `r` for it to move to
    /// just before `b` (empty when it moves alone); nil when it cannot. Only ENV steps whose
    /// variables the RUN reads are carried, and only when each commutes with every step it
    /// crosses (a COPY that expands the variable, an ARG or ENV its value reads).
    static func rise(_ r: Step, above b: StepID, _ graph: StepGraph, _ moves: Moves) -> [Step]? {
        guard b.stage == r.id.stage, b.index < r.id.index else { return nil }
        let between = graph.stages[b.stage][b.index..<r.id.index]
        var carried: [Step] = []
        for x in between where !moves.commute(r, x).isSafe {
            guard x.kind == .env, !x.writes.env.all, !x.writes.env.intersection(r.reads.env).isEmpty else { return nil }
            carried.append(x)
        }
        let ids = Set(carried.map(\.id))
        for e in carried {
            for x in between where x.id < e.id && !ids.contains(x.id) {
                guard moves.commute(e, x).isSafe else { return nil }
            }
        }
        return carried
    }

    /// A COPY whose files change often: a tree or source files from the context, or the
    /// output of a stage of this file that copies such files (through its base stages and
    /// the stages it copies from).
    static func changesOften(_ i: ModelInstruction, _ context: LintContext) -> Bool {
        if let cw = CopyWrite.of(i, context) { return cw.changesOften }
        guard let cmd = i.typed?.command else { return false }
        let from: String?
        switch cmd {
        case .copy(let c): from = c.from?.value
        case .add(let c): from = c.from?.value
        default: return false
        }
        guard let from else { return false }
        let model = context.model
        guard let s = model.stageIndex(named: from) ?? Int(from).flatMap({ $0 < (i.stageIndex ?? 0) ? $0 : nil }) else { return false }
        var seen = Set<Int>()
        func takesSources(_ k: Int) -> Bool {
            guard k < model.stages.count, seen.insert(k).inserted else { return false }
            let st = model.stages[k]
            if st.instructions.contains(where: { ($0.syntax.kind == .copy || $0.syntax.kind == .add) && (CopyWrite.of($0, context)?.changesOften ?? false) }) {
                return true
            }
            return st.dependencies.contains { d in d.stage.map(takesSources) ?? false }
        }
        return takesSources(s)
    }
}
