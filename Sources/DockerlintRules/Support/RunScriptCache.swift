@_exported import DockerlintAnalysis
import DockerlintCore
import DockerlintModel

extension RunScript {
    /// The script of a RUN or `ONBUILD RUN` instruction, parsed once per file (kept in
    /// `context.analysis`); nil for other instructions and for heredoc scripts in another
    /// language.
    public static func of(_ i: ModelInstruction, _ context: LintContext) -> RunScript? {
        // Every RUN rule asks at every instruction: only a RUN or an ONBUILD has a script
        // (`make` answers nil for the others), so they need no lookup.
        guard i.syntax.kind == .run || i.syntax.kind == .onbuild else { return nil }
        let analysis = context.analysis
        let key = i.syntax.range.start.offset
        if let cached = analysis.scripts[key] { return cached }
        let made = make(i, in: context.dockerfile)
        analysis.scripts[key] = .some(made)
        return made
    }

    /// `of` for plain RUN only (rules not marked +ONBUILD in hadolint).
    public static func ofRun(_ i: ModelInstruction, _ context: LintContext) -> RunScript? {
        guard i.syntax.kind == .run else { return nil }
        return of(i, context)
    }
}
