import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// A variable is expanded (ENV, LABEL, ARG default, COPY/ADD, WORKDIR, USER, EXPOSE, VOLUME,
/// STOPSIGNAL, RUN --mount) before anything defines it.
///
/// BuildKit also knows the base image's environment; dockerlint does not. In a stage whose
/// base chain starts at an image, a name written in upper case (the convention for image
/// variables such as `PYTHON_VERSION`) is only reported when a defined name is a likely
/// typo of it; names with lower-case letters, and every name in a `scratch`-based stage,
/// are reported as BuildKit does.
final class UndefinedVarRule: LintRule {
    static let code = "BK1006"
    static let nonEnvArgs: Set<String> = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"]
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let s = i.stageIndex, i.syntax.kind != .from, !i.unmatchedVariables.isEmpty else { return }
        let scope = i.scope
        // The names to suggest, built only when a name is undefined (a lookup per name otherwise).
        var options: [String]? = nil
        let fromImage = !BuildKitSupport.rootIsScratch(s, context.model)
        for name in i.unmatchedVariables where !scope.contains(name: name) && !Self.nonEnvArgs.contains(name) {
            if options == nil {
                var o = scope.names
                // ARG definitions earlier in the same instruction are in scope for later ones.
                if case .arg(let a)? = i.typed?.command { o += a.definitions.map(\.key) }
                options = o
            }
            let hint = Suggest.search(name, options!, caseSensitive: true)
            if fromImage && hint == nil && name == name.uppercased() { continue }
            let range = BuildKitSupport.variableReference(name, in: SourceRange(start: i.syntax.keywordRange.end, end: i.syntax.range.end), context.source)
                ?? i.syntax.keywordRange
            sink.report(range, "Usage of undefined variable '$\(name)'" + (hint.map { " (did you mean $\($0)?)" } ?? ""))
        }
    }
}
