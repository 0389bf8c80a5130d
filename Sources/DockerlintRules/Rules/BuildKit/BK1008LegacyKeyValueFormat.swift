import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// `ENV key value` / `LABEL key value`: the legacy whitespace-separated form. The fix
/// writes `key=value`, quoting the value when it holds white space.
final class LegacyKeyValueFormatRule: LintRule {
    static let code = "BK1008"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .env || i.syntax.kind == .label else { return }
        for kv in i.syntax.keyValues where !kv.hasEquals {
            let name = i.syntax.keyword
            sink.report(kv.key.range, "\"\(name) key=value\" should be used instead of legacy \"\(name) key value\" format",
                        fix: Self.fix(kv, context))
        }
    }

    static func fix(_ kv: KeyValue, _ context: LintContext) -> Fix? {
        guard kv.key.range.start.line == kv.value.range.end.line else { return nil }
        let key = BuildKitSupport.text(kv.key.range, context)
        let value = BuildKitSupport.text(kv.value.range, context)
        let escape = Character(Unicode.Scalar(context.dockerfile.escapeToken))
        var newValue = value
        if value.contains(where: { $0 == " " || $0 == "\t" }) {
            // Double quotes keep the value as one word with the same expansion, as long as
            // the value has no quotes or escapes of its own.
            guard !value.contains(where: { $0 == "\"" || $0 == "'" || $0 == escape || $0 == "\\" }) else { return nil }
            newValue = "\"" + value + "\""
        } else if value.isEmpty {
            newValue = "\"\""
        }
        return Fix(title: "Write \(key)=\(newValue)",
                   edits: [TextEdit(range: SourceRange(start: kv.key.range.start, end: kv.value.range.end), replacement: key + "=" + newValue)],
                   applicability: .safe)
    }
}
