import DockerlintAnalysis
import DockerlintCore
import DockerlintModel

/// What rules derive from one file's instructions, computed once per instruction and
/// shared: every RUN rule reads the same parsed script, the cache rules the same
/// copy writes. Keyed by the instruction's start offset (unique per file).
final class FileAnalysis {
    var scripts: [Int: RunScript?] = [:]
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

    /// The stage and index of `i` among its stage's instructions, as the step graph numbers
    /// its steps (read off the model: the graph need not be built).
    func stepPosition(_ i: ModelInstruction) -> (stage: Int, index: Int)? {
        let offset = i.syntax.range.start.offset
        for (s, stage) in model.stages.enumerated() {
            if let k = stage.instructions.firstIndex(where: { $0.syntax.range.start.offset == offset }) { return (s, k) }
        }
        return nil
    }

    /// The stage of `i` as the step graph numbers it.
    func stepStage(_ i: ModelInstruction) -> Int? { stepPosition(i)?.stage }

    /// Whether a RUN step follows `i` in its stage: rules whose findings move a step past a
    /// later RUN ask this before building the step graph. True when `i` is not found.
    func runFollows(_ i: ModelInstruction) -> Bool {
        guard let (s, k) = stepPosition(i) else { return true }
        return model.stages[s].instructions[(k + 1)...].contains { $0.syntax.kind == .run }
    }

    /// Whether a RUN step follows `i` in its stage or in a later stage (one built FROM it or
    /// copying from it comes later in the file): for findings about installs of derived stages.
    func runFollowsInFile(_ i: ModelInstruction) -> Bool {
        guard let (s, _) = stepPosition(i) else { return true }
        return runFollows(i) || model.stages.dropFirst(s + 1).contains { $0.instructions.contains { $0.syntax.kind == .run } }
    }
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
        let g = StepGraph(model: model, context: own, scripts: { self.script($0, in: model) })
        if graph == nil { graph = g }
        return g
    }

    /// The script of `mi`, an instruction of `model` (the file the rules linted), parsed once
    /// per file: the rules' parse when they made one.
    func script(_ mi: ModelInstruction, in model: DockerfileModel) -> RunScript? {
        let key = mi.syntax.range.start.offset
        if let cached = scripts[key] { return cached }
        let made = RunScript.make(mi, in: model.dockerfile)
        scripts[key] = .some(made)
        return made
    }
}
