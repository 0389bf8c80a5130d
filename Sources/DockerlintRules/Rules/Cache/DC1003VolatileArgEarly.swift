import DockerlintAnalysis
import DockerlintCore
import DockerlintModel
import DockerlintSyntax
import Foundation

/// A build argument whose value changes on every build (a commit, a date, a build number;
/// by its name or because the project's CI passes such a value) declared, or carried into
/// an ENV, before RUN steps that do not read it: both builders put every in-scope ARG with a
/// value, and every ENV, into a RUN's environment, so each new value re-runs all of them.
/// A RUN "reads" the value when it names it or runs a program that may read any variable
/// (`make`, a build script, a language package manager): the step analysis decides.
final class VolatileArgEarlyRule: LintRule {
    static let code = "DC1003"
    init() {}

    /// Build arguments made volatile by the project's CI files, per context (read once).
    var ciValues: [String: String]? = nil

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.stageIndex != nil, !i.isOnbuildTrigger, case .arg(let arg)? = i.typed?.command else { return }
        // The step graph only for an ARG whose value changes in every build.
        let whys = arg.definitions.map { volatility($0, context) }
        guard whys.contains(where: { $0 != nil }) else { return }
        let graph = context.stepGraph
        guard let id = graph.id(of: i) else { return }
        for (def, why) in zip(arg.definitions, whys) {
            guard let why else { continue }
            report(def, why: why, id: id, arg: arg, i, context, graph, &sink)
        }
    }

    func volatility(_ def: ArgDefinition, _ context: LintContext) -> String? {
        if ciValues == nil { ciValues = Self.ciValues(context.contextDirectory, project: context.projectCI) }
        return Self.volatility(def, ci: ciValues ?? [:])
    }

    /// The per-build values the project's CI files pass (read once per run when `project` is given).
    static func ciValues(_ contextDirectory: String?, project: ProjectCI? = nil) -> [String: String] {
        guard let dir = contextDirectory else { return [:] }
        if let project { return project.perBuildValues(contextDirectory: dir) }
        return VolatileValues.fromCI(DiskProjectFiles(root: VolatileValues.repositoryRoot(of: dir)))
    }

    /// Why an ARG's value changes in every build; nil when nothing says it does.
    static func volatility(_ def: ArgDefinition, ci: [String: String]) -> String? {
        volatileOrigin(def, ci: ci)?.reason
    }

    /// Why an ARG's value changes in every build, and from where that is known; nil when
    /// nothing says it does.
    static func volatileOrigin(_ def: ArgDefinition, ci: [String: String]) -> (origin: EvidenceReplay.PerBuildArg.Origin, reason: String)? {
        if let why = ci[def.key] { return (.ci, why) }
        if let d = def.defaultValue, d.contains("$(date") || d.contains("`date") { return (.default, "its default runs `date`") }
        return VolatileValues.byName(def.key).map { (.name, $0) }
    }

    /// The stage ARGs of `model` whose value changes in every build, each with why (the first
    /// declaration of a name that says so).
    static func perBuildArguments(_ model: DockerfileModel, contextDirectory: String?, project: ProjectCI? = nil) -> [EvidenceReplay.PerBuildArg] {
        var ci: [String: String]? = nil  // the CI files are read only for a file with an ARG
        var out: [EvidenceReplay.PerBuildArg] = []
        for s in model.stages {
            for i in s.instructions {
                guard case .arg(let a)? = i.typed?.command else { continue }
                if ci == nil { ci = ciValues(contextDirectory, project: project) }
                for d in a.definitions where !out.contains(where: { $0.name == d.key }) {
                    if let why = volatileOrigin(d, ci: ci!) { out.append(EvidenceReplay.PerBuildArg(name: d.key, origin: why.origin, reason: why.reason)) }
                }
            }
        }
        return out
    }

    func report(_ def: ArgDefinition, why: String, id: StepID, arg: ArgCommand, _ i: ModelInstruction, _ context: LintContext,
                _ graph: StepGraph, _ sink: inout FindingSink) {
        let steps = graph.stages[id.stage]
        var names: Set<String> = [def.key]
        var carriers: [Step] = []
        var reached: [Step] = []
        var firstReader: Step? = nil
        var nonReaders: [Step] = []
        for n in steps[(id.index + 1)...] {
            // A later ARG/ENV of the same name ends this value's reach.
            if n.writes.env.names.contains(def.key) && (n.kind == .arg || n.kind == .env) && !n.reads.env.names.contains(def.key) { break }
            let readsIt = n.reads.env.all || !n.reads.env.names.isDisjoint(with: names)
            if n.kind == .env, !n.reads.env.names.isDisjoint(with: names) {
                names.formUnion(n.writes.env.names)
                // An ENV right after the ARG carries the value and moves with it; one after a
                // step it spares is where the value is first read.
                if firstReader == nil {
                    if nonReaders.isEmpty { carriers.append(n) } else { firstReader = n }
                }
                continue
            }
            if n.kind == .run {
                reached.append(n)
                if readsIt { if firstReader == nil { firstReader = n } } else if firstReader == nil { nonReaders.append(n) }
            } else if readsIt, firstReader == nil {
                // COPY/ADD expanding it, a LABEL, WORKDIR or USER using it.
                firstReader = n
            }
        }
        // Stages built on this one inherit its ENVs (not its ARGs).
        var inherited = 0
        if !carriers.isEmpty {
            for (k, s) in graph.model.stages.enumerated() where k > id.stage {
                if case .stage(let b) = s.base, b == id.stage { inherited += graph.stages[k].filter { $0.kind == .run }.count }
            }
        }
        if nonReaders.isEmpty, firstReader == nil, inherited > 0 {
            reportInherited(def, why: why, id: id, carriers: carriers, graph, &sink)
            return
        }
        guard !nonReaders.isEmpty else { return }
        let via = carriers.isEmpty ? "" : " (through \(carriers.map { "`\($0.instruction.shortText)`" }.joined(separator: ", ")))"
        let first = nonReaders[0].instruction
        var message = "ARG \(def.key) changes on every build (\(why))\(via) and is in the environment of "
            + "\(CacheMessage.step(first))\(nonReaders.count > 1 ? " and \(nonReaders.count - 1) more RUN step(s)" : "") that do\(nonReaders.count == 1 ? "es" : "") not read it: "
            + "every new value re-runs \(nonReaders.count == 1 ? "it" : "them") (both builders)"
        let readers = reached.filter { r in !nonReaders.contains { $0.id == r.id } }
        if !readers.isEmpty {
            message += "; it reaches \(readers.count) more RUN step(s) that may read it, from \(CacheMessage.step(readers[0].instruction))"
        }
        if inherited > 0 { message += "; the ENV also reaches \(inherited) RUN step(s) of stages built on this one" }
        let target = firstReader.map { "just before its first reader, \(CacheMessage.step($0.instruction))" } ?? "at the end of the stage"
        let lines = ([i] + carriers.map(\.instruction)).map { "`\($0.shortText)`" }
        message += "; declare \(lines.joined(separator: " and ")) \(target)"
        var fix: Fix? = nil
        let blockIDs = [id] + carriers.map(\.id)
        let dest = firstReader.map { StepID(stage: id.stage, index: $0.id.index - 1) } ?? StepID(stage: id.stage, index: steps.count - 1)
        if arg.definitions.count == 1, inherited == 0, context.moves.moveBlockBelow(blockIDs, dest).isSafe {
            fix = VolatileArgEarlyRule.moveFix(blockIDs.map { graph.step($0).instruction }, before: firstReader?.instruction,
                                               end: steps.last!.instruction, context)
        }
        sink.report(def.argument.range, message, fix: fix, relatedLines: nonReaders.map(\.instruction.syntax.startLine), subject: [def.key])
    }

    /// The value reaches no RUN of its own stage, but its ENV is in the environment of every
    /// RUN of the stages built on this one: each new value re-runs them all. Reported without
    /// a fix when none of them names it (the running application may be what reads it): the
    /// move out of the shared stage is the user's call, since programs that may read any
    /// variable (a package manager, a build script) cannot be ruled out.
    func reportInherited(_ def: ArgDefinition, why: String, id: StepID, carriers: [Step], _ graph: StepGraph,
                         _ sink: inout FindingSink) {
        // The names that carry the value: the ARG, and each ENV key whose value expands one.
        var names: Set<String> = [def.key]
        let lexer = ShellLexer()
        for c in carriers {
            guard case .env(let e)? = c.instruction.typed?.command else { continue }
            for p in e.pairs {
                let used = lexer.processWordCollectingMatches(p.value.value, env: [String: String]()).result
                if !used.unmatched.union(used.matched).isDisjoint(with: names) { names.insert(p.key.value) }
            }
        }
        var runs: [Step] = []
        var derived: Set<Int> = [id.stage]
        for (k, s) in graph.model.stages.enumerated() where k > id.stage {
            guard case .stage(let b) = s.base, derived.contains(b) else { continue }
            derived.insert(k)
            for n in graph.stages[k] {
                // A later ARG/ENV of one of the names in that stage: out of this finding's reach.
                if (n.kind == .arg || n.kind == .env) && !n.writes.env.names.isDisjoint(with: names) { return }
                // A step that names the value uses it in the build: nothing to suggest.
                if !n.reads.env.names.isDisjoint(with: names) { return }
                if n.kind == .run { runs.append(n) }
            }
        }
        guard let first = runs.first else { return }
        let via = carriers.map { "`\($0.instruction.shortText)`" }.joined(separator: ", ")
        let message = "ARG \(def.key) changes on every build (\(why)) and, through \(via), is in the environment of the "
            + "\(runs.count) RUN step(s) of the stages built on this one, from \(CacheMessage.step(first.instruction)): every new value "
            + "re-runs them (both builders), and none of them names it; if only the running application reads it, declare the ARG "
            + "and the ENV in the stage that is shipped instead, after its RUN steps (no fix is offered: some of these steps run "
            + "programs that may read any variable)"
        sink.report(def.argument.range, message, fix: nil, relatedLines: runs.prefix(8).map(\.instruction.syntax.startLine), subject: [def.key])
    }

    /// Moves the instructions (each with its comments) to just before `before`, or after `end`.
    static func moveFix(_ block: [ModelInstruction], before: ModelInstruction?, end: ModelInstruction, _ context: LintContext) -> Fix {
        let src = context.source
        var text = ""
        var edits: [TextEdit] = []
        for mi in block {
            let lines = InstructionLines.of(mi.syntax, context.dockerfile)
            text += LineEdits.text(lines.first, lines.last, src)
            edits.append(LineEdits.delete(lines.first, lines.last, src))
        }
        if let before {
            let at = InstructionLines.of(before.syntax, context.dockerfile).first
            edits.append(LineEdits.insert(text, after: at - 1, src))
        } else {
            edits.append(LineEdits.insert(text, after: InstructionLines.of(end.syntax, context.dockerfile, withComments: false).last, src))
        }
        return Fix(title: "Move the volatile value down to where it is read", edits: edits, applicability: .safe)
    }

    /// True when the instruction's text refers to `$name` / `${name...}`.
    static func uses(_ n: ModelInstruction, _ name: String) -> Bool {
        if n.matchedVariables.contains(name) || n.unmatchedVariables.contains(name) { return true }
        let t = n.syntax.original + n.syntax.heredocs.map(\.content).joined()
        if t.contains("${" + name) { return true }
        var rest = Substring(t)
        while let r = rest.range(of: "$" + name) {
            let after = rest[r.upperBound...].first
            if after == nil || !(after!.isLetter || after!.isNumber || after! == "_") { return true }
            rest = rest[r.upperBound...]
        }
        return false
    }
}
