import DockerlintAnalysis
import DockerlintCore
import DockerlintModel

/// What rules derive from one file's instructions, computed once per instruction and
/// shared: every RUN rule reads the same parsed script, the cache rules the same
/// accesses and copy writes. Keyed by the instruction's start offset (unique per file).
final class FileAnalysis {
    var scripts: [Int: RunScript?] = [:]
    var accesses: [Int: RunAccess] = [:]
    var copyWrites: [Int: CopyWrite?] = [:]
    /// The step graph of the file (built on first use by a cache rule).
    var graph: StepGraph?
}

extension LintContext {
    var analysis: FileAnalysis {
        if let state = ruleState { return unsafeDowncast(state, to: FileAnalysis.self) }
        let made = FileAnalysis()
        ruleState = made
        return made
    }

    /// What every step reads and writes, with the build context's files when the context
    /// is known: built once per file.
    var stepGraph: StepGraph {
        let a = analysis
        if let g = a.graph { return g }
        let ctx = contextDirectory.map { BuildContext.disk(directory: $0, dockerfile: path) }
        let g = StepGraph(model: model, context: ctx, scripts: { RunScript.of($0, self) })
        a.graph = g
        return g
    }

    var moves: Moves { Moves(stepGraph) }
}
