import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// `ENV A=1 B=$A`: BuildKit expands every value of one ENV with the environment from
/// before the instruction, so `$A` is not the `1` set beside it.
final class EnvSelfReferenceRule: LintRule {
    static let code = "DL3044"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .env, case .env(let kv)? = i.typed?.command else { return }
        let scope = i.scope
        var definedHere = Set<String>()
        for p in kv.pairs {
            for ref in Self.references(p.value.value, escape: context.dockerfile.escapeToken)
            where definedHere.contains(ref.name) && !scope.contains(name: ref.name) {
                let v = p.value
                var range = v.range
                if v.range.end.offset - v.range.start.offset == v.value.utf8.count {
                    range = context.source.range(v.range.start.offset + ref.start, v.range.start.offset + ref.end)
                }
                sink.report(range, "Do not refer to an environment variable within the same `ENV` statement where it is defined.")
            }
            definedHere.insert(p.key.value)
        }
    }

    /// `$NAME` and `${NAME…}` references outside single quotes, with byte offsets in `s`.
    static func references(_ s: String, escape: UInt8) -> [(name: String, start: Int, end: Int)] {
        let b = Array(s.utf8)
        var out: [(String, Int, Int)] = []
        var i = 0
        var single = false, double = false
        func nameChar(_ c: UInt8) -> Bool { LabelValidators.isAlpha(c) || LabelValidators.isDigit(c) || c == 95 }
        while i < b.count {
            let c = b[i]
            if c == escape && !single { i += 2; continue }
            if c == 39 && !double { single.toggle(); i += 1; continue }
            if c == 34 && !single { double.toggle(); i += 1; continue }
            if c == 36 && !single, i + 1 < b.count {
                let start = i
                var j = i + 1
                let braced = b[j] == 123
                if braced { j += 1 }
                let ns = j
                while j < b.count, nameChar(b[j]) { j += 1 }
                if j > ns, !LabelValidators.isDigit(b[ns]) {
                    let name = String(decoding: b[ns..<j], as: UTF8.self)
                    var end = j
                    if braced { while end < b.count, b[end] != 125 { end += 1 }; end = min(end + 1, b.count) }
                    out.append((name, start, end))
                    i = end
                    continue
                }
            }
            i += 1
        }
        return out
    }
}
