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
    /// The build context's files (nil inside: no context directory), read once per file.
    var context: BuildContext??
}

extension LintContext {
    var analysis: FileAnalysis {
        if let state = ruleState { return unsafeDowncast(state, to: FileAnalysis.self) }
        let made = FileAnalysis()
        ruleState = made
        return made
    }

    /// The build context (its files and `.dockerignore`) when a context directory is known:
    /// the one way rules read the project's files, opened once per file.
    var buildContext: BuildContext? {
        let a = analysis
        if let c = a.context { return c }
        let made = contextDirectory.map { BuildContext.disk(directory: $0, dockerfile: path) }
        a.context = .some(made)
        return made
    }

    /// What every step reads and writes, with the build context's files when the context
    /// is known: built once per file.
    var stepGraph: StepGraph {
        let a = analysis
        if let g = a.graph { return g }
        let g = StepGraph(model: model, context: buildContext, scripts: { RunScript.of($0, self) })
        a.graph = g
        return g
    }

    var moves: Moves { Moves(stepGraph) }
}

extension FileAnalysis {
    /// The step graph of `model` with the context directory's files, as `LintContext.stepGraph`
    /// builds it (the same context and parsed scripts): the one the rules built, else built now
    /// and kept. For the cache evidence of the file the rules linted (same model and context).
    func graph(_ model: DockerfileModel, contextDirectory: String, dockerfile: String) -> StepGraph {
        // The rules' graph, unless they ran without the context directory.
        if let g = graph, g.context != nil { return g }
        if context == nil { context = .some(BuildContext.disk(directory: contextDirectory, dockerfile: dockerfile)) }
        let own = context.flatMap { $0 } ?? BuildContext.disk(directory: contextDirectory, dockerfile: dockerfile)
        let g = StepGraph(model: model, context: own, scripts: { mi in
            let key = mi.syntax.range.start.offset
            if let cached = self.scripts[key] { return cached }
            let made = RunScript.make(mi, in: model.dockerfile)
            self.scripts[key] = .some(made)
            return made
        })
        if graph == nil { graph = g }
        return g
    }
}
