import DockerlintCore
import DockerlintModel

/// `FROM image` without a tag or digest.
final class TagBaseImageRule: LintRule {
    static let code = "DL3006"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .from, case .from(let f)? = i.typed?.command, let stage = context.stage(of: i) else { return }
        if case .stage = stage.base { return }
        if case .scratch = stage.base { return }
        let written = f.image.value
        if written.hasPrefix("$") { return }
        // With ARGs in the name, judge the expanded name (nothing when it cannot be expanded).
        let name = written.contains("$") ? stage.baseName : written
        if name.isEmpty || name.contains("$") || name.lowercased() == "scratch" { return }
        let ref = ImageReference(name)
        if ref.tag == nil && ref.digest == nil {
            sink.report(f.image.range, "Always tag the version of an image explicitly")
        }
    }
}
