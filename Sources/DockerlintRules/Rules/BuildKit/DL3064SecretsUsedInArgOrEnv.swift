import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// An ARG or ENV (also under ONBUILD) whose name looks like a secret: one of its `_`-separated
/// words is a secret word (BuildKit's list) and none is an allowed word (public, file, version).
final class SecretsUsedInArgOrEnvRule: LintRule {
    static let code = "DL3064"
    static let secretWords: Set<String> = ["apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "secret", "token"]
    static let allowWords: Set<String> = ["public", "file", "version"]
    init() {}

    /// BuildKit's `(?:_|^)(?:word)(?:_|$)` patterns, case-insensitive: words between underscores.
    static func looksSecret(_ key: String) -> Bool {
        let words = key.lowercased().split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        return words.contains(where: secretWords.contains) && !words.contains(where: allowWords.contains)
    }

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.stageIndex != nil, let typed = i.typed else { return }
        check(typed.command, sink: &sink)
        if case .onbuild(let o) = typed.command, let t = o.trigger { check(t.command, sink: &sink) }
    }

    func check(_ c: TypedCommand, sink: inout FindingSink) {
        switch c {
        case .env(let kv):
            for p in kv.pairs where Self.looksSecret(p.key.value) {
                sink.report(p.key.range, "Do not use ARG or ENV instructions for sensitive data (ENV \(goQuote(p.key.value)))")
            }
        case .arg(let a):
            for d in a.definitions where Self.looksSecret(d.key) {
                sink.report(d.keyRange, "Do not use ARG or ENV instructions for sensitive data (ARG \(goQuote(d.key)))")
            }
        default: break
        }
    }
}
