import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// The first WORKDIR of a stage (its base stages included) is relative: it depends on the
/// base image's working directory.
final class WorkdirRelativePathRule: LintRule {
    static let code = "DL3000"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard case .workdir(let w)? = i.typed?.command, let s = i.stageIndex else { return }
        let model = context.model
        // Only the first WORKDIR of the build of this stage counts (BuildKit's workdirSet).
        let st = model.stages[s]
        if st.instructions.contains(where: { $0.syntax.kind == .workdir && $0.syntax.range.start.offset < i.syntax.range.start.offset }) { return }
        for j in BuildKitSupport.baseChain(s, model) where model.stages[j].instructions.contains(where: { $0.syntax.kind == .workdir }) { return }
        // The path as BuildKit sees it: expanded.
        let written = w.value.value
        let env = BuildKitSupport.environment(i.scope)
        let (res, err) = BuildKitSupport.lexer(context).processWordCollectingMatches(written, env: env)
        if err != nil { return }
        let path = res.result
        if path.hasPrefix("/") || Self.isWindowsAbsolute(path) { return }
        // A value made of variables whose values are not known here (base image or build
        // arguments) is not judged, as hadolint allows `$VAR` paths.
        if !res.unmatched.isEmpty || (written.hasPrefix("$") && path.isEmpty) { return }
        if written.hasPrefix("$") && res.matched.contains(where: { i.scope.variable(named: $0)?.valueSource == ScopedVariable.ValueSource.none }) { return }
        sink.report(w.value.range, "Relative workdir \(goQuote(path)) can have unexpected results if the base image changes")
    }

    static func isWindowsAbsolute(_ p: String) -> Bool {
        let u = Array(p.utf8)
        return u.count >= 3 && ((u[0] | 0x20) >= 97 && (u[0] | 0x20) <= 122) && u[1] == UInt8(ascii: ":") && (u[2] == UInt8(ascii: "/") || u[2] == UInt8(ascii: "\\"))
    }
}
