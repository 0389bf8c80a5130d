import DockerlintCore
import DockerlintModel

/// `COPY --from=stage / /` copies a whole filesystem over the current one.
final class CopyWholeFilesystemRule: LintRule {
    static let code = "DL3067"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .copy, case .copy(let c)? = i.typed?.command, c.from != nil,
              c.sources.count == 1, c.inlineSources.isEmpty,
              Labels.unquote(c.sources[0].value) == "/", Labels.unquote(c.destination.value) == "/" else { return }
        sink.report(c.sources[0].range, "Do not copy an entire filesystem from another stage")
    }
}
