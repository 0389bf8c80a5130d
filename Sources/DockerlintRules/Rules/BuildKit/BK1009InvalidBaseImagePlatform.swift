import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// Judged statically: `FROM --platform=<constant> <stage>` where the stage it builds on was
/// itself declared with a different constant `--platform`. BuildKit builds the stage for
/// the platform it was declared with, so the flag on the later FROM does not hold.
/// Image bases (whose platforms are only known from a registry) are not judged.
final class InvalidBaseImagePlatformRule: LintRule {
    static let code = "BK1009"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard case .from(let f)? = i.typed?.command, let p = f.platform, let s = i.stageIndex,
              case .stage(let j) = context.model.stages[s].base,
              let expected = Self.constantPlatform(p.value, context) else { return }
        // The platform of the base stage: its own constant flag, following FROM <stage> chains.
        var cur = j
        var actual: (os: String, arch: String, text: String)?
        while true {
            let st = context.model.stages[cur]
            if let bp = st.fromCommand?.platform {
                actual = Self.constantPlatform(bp.value, context)
                break
            }
            guard case .stage(let k) = st.base, k < cur else { break }
            cur = k
        }
        guard let actual, actual.os != expected.os || actual.arch != expected.arch else { return }
        sink.report(p.range, "Base image \(f.image.value) was pulled with platform \(goQuote(actual.text)), expected \(goQuote(expected.text)) for current build")
    }

    /// A `--platform` value without variables (global ARG defaults are not constants).
    static func constantPlatform(_ value: String, _ context: LintContext) -> (os: String, arch: String, text: String)? {
        guard let res = BuildKitSupport.expandGlobal(value, context), res.matched.isEmpty, res.unmatched.isEmpty,
              let p = BuildKitSupport.parsePlatform(res.result) else { return nil }
        return (p.os, p.arch, res.result)
    }
}
