import DockerlintCore
import DockerlintModel

/// `COPY src dest` with a relative destination before any WORKDIR of the stage (or of
/// the stages it is built on): the destination depends on the base image's WORKDIR.
final class CopyRelativeWithoutWorkdirRule: LintRule {
    static let code = "DL3045"
    init() {}

    /// Stages (by index) that set a WORKDIR by their end.
    var stagesWithWorkdir = Set<Int>()
    var current: Int?
    var workdirSet = false

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard let s = i.stageIndex else { return }
        if current != s {
            if let c = current, workdirSet { stagesWithWorkdir.insert(c) }
            current = s
            workdirSet = false
            if let stage = context.stage(of: i), case .stage(let j) = stage.base { workdirSet = stagesWithWorkdir.contains(j) }
        }
        switch i.syntax.kind {
        case .workdir: workdirSet = true
        case .copy:
            guard !workdirSet, case .copy(let c)? = i.typed?.command else { return }
            // Quotes are removed by BuildKit's expansion: `"${HOME}"/x` starts with a variable.
            let dest = String(c.destination.value.unicodeScalars.filter { $0 != "\"" && $0 != "'" })
            if Self.isAbsoluteOrVariable(dest) { return }
            sink.report(c.destination.range, "`COPY` to a relative destination without `WORKDIR` set.")
        default: break
        }
        if workdirSet { stagesWithWorkdir.insert(s) }
    }

    static func isAbsoluteOrVariable(_ d: String) -> Bool {
        let b = Array(d.utf8)
        guard let f = b.first else { return true }
        if f == 47 || f == 36 || f == 92 { return true }  // / $ \
        return b.count >= 2 && LabelValidators.isAlpha(f) && b[1] == 58  // C:
    }
}
