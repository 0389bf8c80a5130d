import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// `EXPOSE 80/TCP`: the protocol should be lower case. The fix lower-cases it where the
/// port is written literally.
final class ExposeProtoCasingRule: LintRule {
    static let code = "BK1013"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard case .expose(let e)? = i.typed?.command else { return }
        for (arg, ports) in ExposeWords.perArgument(e, i, context) {
            for p in ports where p.protoAsWritten != p.protoAsWritten.lowercased() {
                let literal = arg.value == p.raw && BuildKitSupport.text(arg.range, context) == arg.value
                var range = arg.range
                var fix: Fix?
                if literal, let slash = arg.value.utf8.firstIndex(of: UInt8(ascii: "/")) {
                    let from = arg.value.utf8.distance(from: arg.value.utf8.startIndex, to: slash) + 1
                    range = BuildKitSupport.subrange(arg, from: from, length: arg.value.utf8.count - from, context)
                    fix = Fix(title: "Write \(p.protoAsWritten.lowercased())", edits: [TextEdit(range: range, replacement: p.protoAsWritten.lowercased())],
                              applicability: .safe)
                }
                sink.report(range, "Defined protocol '\(p.raw)' in EXPOSE instruction should be lowercase", fix: fix)
            }
        }
    }
}

/// EXPOSE words grouped by the argument they were expanded from.
enum ExposeWords {
    static func perArgument(_ e: ExposeCommand, _ i: ModelInstruction, _ context: LintContext) -> [(Argument, [ExposedPort])] {
        let env = BuildKitSupport.environment(i.scope)
        let lexer = BuildKitSupport.lexer(context)
        var out: [(Argument, [ExposedPort])] = []
        for a in e.ports {
            guard let words = try? lexer.processWords(a.value, env: env) else { continue }
            out.append((a, words.compactMap { try? ExposedPort.parse($0).get() }))
        }
        return out
    }
}
