import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// `FROM … AS Name`: stage names should be lower case. The fix lower-cases the name and
/// every reference to the stage written with that spelling (FROM, COPY --from, RUN --mount from=).
final class StageNameCasingRule: LintRule {
    static let code = "BK1001"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .from, case .from(let f)? = i.typed?.command, let nameArg = f.stageNameArgument,
              nameArg.value != nameArg.value.lowercased(), let s = i.stageIndex else { return }
        let written = nameArg.value
        let lower = written.lowercased()
        var edits = [TextEdit(range: nameArg.range, replacement: lower)]
        let model = context.model
        for other in model.stages where other.index > s {
            if case .stage(let j) = other.base, j == s, let img = other.fromCommand?.image, img.value == written,
               BuildKitSupport.text(img.range, context) == written {
                edits.append(TextEdit(range: img.range, replacement: lower))
            }
            for d in other.dependencies where d.stage == s && d.reference == written && d.kind != .base {
                let t = BuildKitSupport.text(d.range, context)
                let needle: String
                switch d.kind {
                case .copyFrom: needle = "--from=" + written
                case .mountFrom: needle = "from=" + written
                case .base: continue
                }
                guard let r = t.range(of: needle) else { continue }
                let offset = d.range.start.offset + t.utf8.distance(from: t.startIndex, to: r.lowerBound) + needle.utf8.count - written.utf8.count
                // Only when the name ends the flag or a mount option.
                let after = t[r.upperBound...]
                guard after.isEmpty || after.first == "," else { continue }
                edits.append(TextEdit(range: context.source.range(offset, offset + written.utf8.count), replacement: lower))
            }
        }
        sink.report(nameArg.range, "Stage name '\(written)' should be lowercase",
                    fix: Fix(title: "Lower-case the stage name '\(written)' and its references", edits: edits, applicability: .safe))
    }
}
