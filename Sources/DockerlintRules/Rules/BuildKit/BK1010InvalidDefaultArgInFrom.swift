import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// With only the global ARG defaults (no build arguments), a FROM's base name expands to an
/// empty or invalid image reference.
final class InvalidDefaultArgInFromRule: LintRule {
    static let code = "BK1010"
    init() {}
    private var defaults: ShellEnvironment?

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard case .from(let f)? = i.typed?.command, f.image.value.contains("$") else { return }
        let lexer = BuildKitSupport.lexer(context)
        if defaults == nil { defaults = Self.defaultMetaArgs(context, lexer) }
        guard let env = defaults else { return }
        let (res, err) = lexer.processWordCollectingMatches(f.image.value, env: env)
        if err != nil { return }
        guard !BuildKitSupport.isValidImageReference(res.result) else { return }
        sink.report(f.image.range, "Default value for ARG \(f.image.value) results in empty or invalid base image name")
    }

    /// The global scope built from the builtins and the meta ARGs' defaults only.
    static func defaultMetaArgs(_ context: LintContext, _ lexer: ShellLexer) -> ShellEnvironment? {
        var env = ShellEnvironment(context.model.globalScope.filter { $0.origin == .builtin }.compactMap { v in v.value.map { (v.name, $0) } })
        for m in context.model.metaArgs {
            guard case .arg(let a)? = m.typed?.command else { continue }
            for d in a.definitions {
                guard let dv = d.defaultValue else { continue }
                let (r, e) = lexer.processWordCollectingMatches(dv, env: env)
                if e != nil { return nil }
                env.define(d.key, r.result)
            }
        }
        return env
    }
}
