import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// Empty lines inside a continued instruction (one finding per instruction, at the first
/// empty line). The fix deletes the empty lines.
final class NoEmptyContinuationRule: LintRule {
    static let code = "BK1003"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let first = i.syntax.emptyContinuationLines.first else { return }
        let src = context.source
        var edits: [TextEdit] = []
        for l in i.syntax.emptyContinuationLines where l >= 1 && l < src.lineCount {
            edits.append(TextEdit(range: src.range(src.lineStarts[l - 1], src.lineStarts[l]), replacement: ""))
        }
        let start = src.lineStarts[first - 1]
        sink.report(src.range(start, src.lineContentEnd(first)), "Empty continuation line",
                    fix: edits.isEmpty ? nil : Fix(title: "Delete the empty continuation lines", edits: edits, applicability: .safe))
    }
}
