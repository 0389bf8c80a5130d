import DockerlintCore
import DockerlintModel

/// What rules derive from one file's instructions, computed once per instruction and
/// shared: every RUN rule reads the same parsed script, the cache rules the same
/// accesses and copy writes. Keyed by the instruction's start offset (unique per file).
final class FileAnalysis {
    var scripts: [Int: RunScript?] = [:]
    var accesses: [Int: RunAccess] = [:]
    var copyWrites: [Int: CopyWrite?] = [:]
}

extension LintContext {
    var analysis: FileAnalysis {
        if let state = ruleState { return unsafeDowncast(state, to: FileAnalysis.self) }
        let made = FileAnalysis()
        ruleState = made
        return made
    }
}
