import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// `FROM x as y` / `from x AS y`: the AS keyword should match the case of FROM.
final class FromAsCasingRule: LintRule {
    static let code = "BK1002"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .from, case .from(let f)? = i.typed?.command, let asWord = f.asKeyword else { return }
        let from = i.syntax.keyword
        let isLower = from == from.lowercased(), isUpper = from == from.uppercased()
        // Mixed-case FROM is ConsistentInstructionCasing's business.
        guard isLower || isUpper else { return }
        let wanted = isLower ? asWord.value.lowercased() : asWord.value.uppercased()
        guard asWord.value != wanted else { return }
        sink.report(asWord.range, "'\(asWord.value)' and '\(from)' keywords' casing do not match",
                    fix: Fix(title: "Write '\(wanted)' to match '\(from)'", edits: [TextEdit(range: asWord.range, replacement: wanted)],
                             applicability: .safe))
    }
}
