import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// `FROM image:latest` without a digest.
final class NoLatestTagRule: LintRule {
    static let code = "DL3007"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .from, case .from(let f)? = i.typed?.command, let stage = context.stage(of: i) else { return }
        if case .stage = stage.base { return }
        let written = f.image.value
        let writtenRef = ImageReference(written)
        let ref = written.contains("$") ? ImageReference(stage.baseName) : writtenRef
        guard ref.tag == "latest", ref.digest == nil else { return }
        var range = f.image.range
        // Point at `:latest` when it is written literally.
        if writtenRef.tag == "latest", let off = writtenRef.tagOffset,
           range.end.offset - range.start.offset == written.utf8.count {
            range = context.source.range(range.start.offset + off, range.end.offset)
        }
        sink.report(range, "Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag")
    }
}
