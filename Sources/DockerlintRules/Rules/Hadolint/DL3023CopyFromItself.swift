import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// `COPY --from` naming the stage it is in. BuildKit rejects that in a plain COPY (the model
/// reports DF001); in an ONBUILD trigger it is only resolved in the child build.
final class CopyFromItselfRule: LintRule {
    static let code = "DL3023"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let stage = context.stage(of: i) else { return }
        var from: (value: String, range: SourceRange)?
        if i.syntax.kind == .copy, case .copy(let c)? = i.typed?.command, let f = c.from {
            from = (f.value, f.range)
        } else if i.syntax.kind == .onbuild, let child = i.syntax.child?.value, child.kind == .copy,
                  let f = child.flags.last(where: { $0.name == "from" }), let v = f.value {
            from = (v, f.range)
        }
        guard let from else { return }
        let v = from.value.lowercased()
        if v == stage.name || (i.syntax.kind == .copy && Int(v) == stage.index) {
            sink.report(from.range, "`COPY --from` cannot reference its own `FROM` alias")
        }
    }
}
