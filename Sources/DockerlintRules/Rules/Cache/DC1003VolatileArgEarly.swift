import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// An ARG whose value changes on every build (BUILD_DATE, VCS_REF, VERSION, CACHEBUST ...)
/// declared before RUN steps that do not use it: both builders put every in-scope ARG with
/// a value into the RUN's environment, so each new value re-runs all of them.
final class VolatileArgEarlyRule: LintRule {
    static let code = "DC1003"
    init() {}

    static let exactNames: Set<String> = [
        "VERSION", "APP_VERSION", "BUILD_VERSION", "RELEASE_VERSION", "IMAGE_VERSION", "PROJECT_VERSION", "RELEASE",
        "REVISION", "GIT_REVISION", "COMMIT", "BUILD_NUMBER", "BUILD_ID", "BUILD_REF", "GIT_TAG", "TAG", "SOURCE_COMMIT",
    ]
    static let fragments = ["DATE", "TIMESTAMP", "BUILD_TIME", "BUILDTIME", "_SHA", "SHA1", "COMMIT", "VCS_REF", "GIT_REF",
                            "CACHEBUST", "CACHE_BUST", "CACHEBUSTER", "GIT_HASH", "COMMIT_HASH"]

    static func isVolatile(_ name: String) -> Bool {
        let u = name.uppercased()
        if exactNames.contains(u) { return true }
        if u == "SHA" || u.hasPrefix("GIT_SHA") || u.hasPrefix("GITHUB_SHA") { return true }
        return fragments.contains { u.contains($0) }
    }

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.stageIndex != nil, !i.isOnbuildTrigger, case .arg(let arg)? = i.typed?.command else { return }
        let insts = context.stageInstructions(i)
        guard let idx = insts.firstIndex(where: { $0.syntax.range.start.offset == i.syntax.range.start.offset }) else { return }
        for def in arg.definitions where VolatileArgEarlyRule.isVolatile(def.key) {
            var runs: [ModelInstruction] = []
            var firstUse: ModelInstruction? = nil
            var opaque = false
            for n in insts[(idx + 1)...] {
                if VolatileArgEarlyRule.uses(n, def.key) { firstUse = n; break }
                if n.syntax.kind == .arg, case .arg(let a)? = n.typed?.command, a.definitions.contains(where: { $0.key == def.key }) { break }
                if n.syntax.kind == .run {
                    runs.append(n)
                    if let acc = CacheKnowledge.access(n, context), !acc.opaque {} else { opaque = true }
                }
            }
            guard let first = runs.first else { continue }
            let where_ = firstUse.map { "just before its first use, \(CacheMessage.step($0))" } ?? "at the end of the stage (nothing in it uses it)"
            let message = "ARG \(def.key) is declared before \(CacheMessage.step(first))\(runs.count > 1 ? " and \(runs.count - 1) more RUN step(s)" : "") "
                + "that do\(runs.count == 1 ? "es" : "") not use it: every new value of \(def.key) re-runs \(runs.count == 1 ? "it" : "them") (both builders); declare it \(where_)"
            var fix: Fix? = nil
            if arg.definitions.count == 1 {
                let lines = InstructionLines.of(i.syntax, context.dockerfile)
                let src = context.source
                let text = LineEdits.text(lines.first, lines.last, src)
                let insert: TextEdit
                if let u = firstUse {
                    let at = InstructionLines.of(u.syntax, context.dockerfile).first
                    insert = LineEdits.insert(text, after: at - 1, src)
                } else {
                    let lastInst = insts.last!
                    insert = LineEdits.insert(text, after: InstructionLines.of(lastInst.syntax, context.dockerfile, withComments: false).last, src)
                }
                fix = Fix(title: "Move ARG \(def.key) down to where it is used",
                          edits: [LineEdits.delete(lines.first, lines.last, src), insert], applicability: opaque ? .unsafe : .safe)
            }
            sink.report(def.argument.range, message, fix: fix, relatedLines: runs.map(\.syntax.startLine))
        }
    }

    /// True when the instruction's text refers to `$name` / `${name...}`.
    static func uses(_ n: ModelInstruction, _ name: String) -> Bool {
        if n.matchedVariables.contains(name) || n.unmatchedVariables.contains(name) { return true }
        let t = n.syntax.original + n.syntax.heredocs.map(\.content).joined()
        if t.contains("${" + name) { return true }
        var rest = Substring(t)
        while let r = rest.range(of: "$" + name) {
            let after = rest[r.upperBound...].first
            if after == nil || !(after!.isLetter || after!.isNumber || after! == "_") { return true }
            rest = rest[r.upperBound...]
        }
        return false
    }
}
