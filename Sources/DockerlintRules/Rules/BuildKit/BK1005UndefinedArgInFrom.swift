import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// FROM (image or --platform) uses a variable that no global ARG declares and that is not
/// a predefined platform ARG.
final class UndefinedArgInFromRule: LintRule {
    static let code = "BK1005"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .from, case .from(let f)? = i.typed?.command else { return }
        let model = context.model
        // Declared global ARGs (with or without value) and every global name.
        var keys: [String] = []
        for m in model.metaArgs { if case .arg(let a)? = m.typed?.command { keys += a.definitions.map(\.key) } }
        keys += model.globalScope.map(\.name)
        var seenKeys = Set<String>()
        keys = keys.filter { seenKeys.insert($0).inserted }
        let env = BuildKitSupport.environment(model.globalScope)
        let lexer = BuildKitSupport.lexer(context)
        var reported = Set<String>()
        var words: [(String, SourceRange)] = [(f.image.value, f.image.range)]
        if let p = f.platform { words.append((p.value, p.range)) }
        for (word, range) in words {
            let (res, _) = lexer.processWordCollectingMatches(word, env: env)
            for name in res.unmatched.sorted() where !seenKeys.contains(name) && reported.insert(name).inserted {
                let hint = Suggest.search(name, keys, caseSensitive: true).map { " (did you mean \($0)?)" } ?? ""
                let at = BuildKitSupport.variableReference(name, in: range, context.source) ?? range
                sink.report(at, "FROM argument '\(name)' is not declared\(hint)")
            }
        }
    }
}
