import DockerlintCore
import DockerlintModel
import DockerlintShell
import DockerlintSyntax

/// A frequently edited COPY before RUN steps that do not read it (and are not dependency
/// installs, which DC1001 reports): the COPY can move below them.
final class CopyBeforeUnrelatedStepRule: LintRule {
    static let code = "DC1002"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let c = CopyWrite.of(i, context), c.changesOften, !i.isOnbuildTrigger else { return }
        if SourceCopiedBeforeInstallRule.victim(of: c, context) != nil { return }
        let insts = context.stageInstructions(i)
        guard let idx = insts.firstIndex(where: { $0.syntax.range.start.offset == i.syntax.range.start.offset }) else { return }
        var skipped: [ModelInstruction] = []
        var lastMovable: ModelInstruction? = nil
        var fixable = true
        let dest = c.copy.destination.value
        scan: for n in insts[(idx + 1)...] {
            switch n.syntax.kind {
            case .run:
                guard let acc = CacheKnowledge.access(n, context) else { break scan }
                if acc.installsDependencies || c.written.contains(where: acc.touches) { break scan }
                if c.sources.contains(where: { s in acc.commandNames.contains { CachePaths.globMatch(CachePaths.basename(s), $0) } }) { break scan }
                if acc.otherCommandCount == 0 && acc.indexUpdates.isEmpty { break scan }
                skipped.append(n)
                lastMovable = n
            case .copy, .add:
                guard let o = CopyWrite.of(n, context) else { break scan }
                if o.written.contains(where: { w in c.written.contains { CachePaths.overlap($0, w) } }) { break scan }
            case .workdir:
                if !dest.hasPrefix("/") { break scan }
            case .env, .arg:
                if i.syntax.original.contains("$") { fixable = false; break scan }
            case .user, .label, .expose, .cmd, .entrypoint, .healthcheck, .stopsignal, .shell, .volume, .maintainer:
                continue
            default:
                break scan
            }
        }
        guard let last = lastMovable else { return }
        let runs = skipped.map { CacheMessage.step($0) }
        let what = c.copiesTree ? "the copied files" : c.sources.map { "`\($0)`" }.joined(separator: ", ")
        let message = "`\(i.shortText)` can move below \(runs.count == 1 ? runs[0] : "\(runs[0]) and \(runs.count - 1) more RUN step(s)"), "
            + "which do\(runs.count == 1 ? "es" : "") not read it: every edit to \(what) re-runs \(runs.count == 1 ? "it" : "them")"
        var fix: Fix? = nil
        if fixable {
            let lines = InstructionLines.of(i.syntax, context.dockerfile)
            let after = InstructionLines.of(last.syntax, context.dockerfile, withComments: false).last
            fix = Fix(title: "Move the COPY below the steps that do not read it",
                      edits: LineEdits.move(lines.first, lines.last, after: after, context.source), applicability: .unsafe)
        }
        sink.report(i.syntax.keywordRange, message, fix: fix, relatedLines: skipped.map(\.syntax.startLine))
    }
}
