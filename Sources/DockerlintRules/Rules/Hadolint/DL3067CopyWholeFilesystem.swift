import DockerlintCore
import DockerlintModel

/// `COPY --from=stage / /` copies a whole filesystem over the current one.
final class CopyWholeFilesystemRule: LintRule {
    static let code = "DL3067"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .copy, case .copy(let c)? = i.typed?.command, c.from != nil,
              c.sources.count == 1, c.inlineSources.isEmpty,
              Labels.unquote(c.sources[0].value) == "/", Labels.unquote(c.destination.value) == "/",
              let from = c.from?.value else { return }
        // Only another stage (by name or index): copying a whole tool image such as
        // `--from=docker/buildx-bin` is a common, deliberate pattern.
        let stages = context.model.stages
        let isStage = context.model.stageIndex(named: from) != nil
            || (Int(from).map { $0 >= 0 && $0 < stages.count } ?? false)
        guard isStage else { return }
        sink.report(c.sources[0].range, "Do not copy an entire filesystem from another stage")
    }
}
