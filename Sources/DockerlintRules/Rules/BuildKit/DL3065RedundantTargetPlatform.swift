import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// `FROM --platform=$TARGETPLATFORM`: the default already.
final class RedundantTargetPlatformRule: LintRule {
    static let code = "DL3065"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard case .from(let f)? = i.typed?.command, let p = f.platform,
              let res = BuildKitSupport.expandGlobal(p.value, context) else { return }
        // Only the one variable TARGETPLATFORM, expanding to exactly its value.
        guard res.matched == ["TARGETPLATFORM"], res.unmatched.isEmpty,
              let tp = context.model.globalScope.last(where: { $0.name == "TARGETPLATFORM" })?.value, res.result == tp else { return }
        sink.report(p.range, "Setting platform to predefined \(p.value) in FROM is redundant as this is the default behavior")
    }
}
