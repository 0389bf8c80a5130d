// The one question the optimizer asks about safety: may two steps of a stage change their
// relative order without changing the image? The analysis answers (`Moves.commute`: neither
// reads what the other writes, files, environment, working directory, user and shell
// included, with each ecosystem's semantics); every order the search considers keeps each
// pair it does not clear in the file's order, so every candidate is a linear extension of
// these constraints (independent steps commute; dependent ones never cross).

import DockerlintAnalysis
import DockerlintModel
import DockerlintSyntax

struct MoveSafety {
    let graph: StepGraph
    let moves: Moves
    /// Pairs (stage, earlier index, later index) known to commute although the graph says
    /// otherwise: a COPY whose manifests a split copies first, and the install it may now
    /// follow (the split's verdict covers it).
    var cleared: Set<[Int]> = []
    /// Pairs (stage, earlier index, later index) that keep their order although they commute:
    /// the copies one split adds stay in the order they are written, one block.
    var chained: Set<[Int]> = []

    init(model: DockerfileModel, contextDirectory: String?, dockerfile: String) {
        let ctx = contextDirectory.map { BuildContext.disk(directory: $0, dockerfile: dockerfile) }
        graph = StepGraph(model: model, context: ctx, scripts: { RunScript.make($0, in: model.dockerfile) })
        moves = Moves(graph)
    }

    /// Why the step at `later` may not move above the step at `earlier` (indices in the
    /// stage's instructions, `earlier` < `later`), or nil when they commute.
    func constraint(stage: Int, _ earlier: Int, _ later: Int) -> String? {
        let a = graph.step(StepID(stage: stage, index: earlier)), b = graph.step(StepID(stage: stage, index: later))
        // Instructions that only set image metadata keep their place: moving them changes no
        // cache key on BuildKit, and on the classic builder their cost is a tenth of a second.
        if MoveSafety.isPinned(a.kind) || MoveSafety.isPinned(b.kind) { return "metadata instructions keep their place" }
        if chained.contains([stage, earlier, later]) { return "the copies of one split keep their order" }
        if cleared.contains([stage, earlier, later]) { return nil }
        return moves.commute(a, b).reason
    }

    static func isPinned(_ k: InstructionKind) -> Bool {
        switch k {
        case .cmd, .entrypoint, .expose, .label, .healthcheck, .stopsignal, .maintainer, .onbuild: return true
        default: return false
        }
    }
}
