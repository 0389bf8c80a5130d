import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// `FROM --platform=<constant>`, unless the stage name mentions the platform's OS or
/// architecture (the per-architecture stage pattern).
final class FromPlatformFlagConstDisallowedRule: LintRule {
    static let code = "DL3029"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard case .from(let f)? = i.typed?.command, let p = f.platform,
              let res = BuildKitSupport.expandGlobal(p.value, context),
              res.matched.isEmpty, res.unmatched.isEmpty,
              let plat = BuildKitSupport.parsePlatform(res.result) else { return }
        let name = f.stageName ?? ""
        if name.contains(plat.os) || name.contains(plat.arch) { return }
        sink.report(p.range, "FROM --platform flag should not use constant value \(goQuote(res.result))")
    }
}
