import DockerlintSyntax

// MARK: - Building

struct StageState {
    var scope = Scope()
    var workdir = "/"
    var user = ""
}

struct ModelBuilder {
    let dockerfile: Dockerfile
    let options: BuildOptions
    let parser: InstructionParser
    let expander: Expander
    var errors: [SyntaxError]
    var unlessArgumentsSet: [ArgumentDependentError] = []
    /// The global scope: builtins, then meta ARGs (BuildKit's `globalArgs`).
    var global = Scope()

    init(dockerfile: Dockerfile, options: BuildOptions) {
        self.dockerfile = dockerfile
        self.options = options
        self.parser = InstructionParser(dockerfile)
        self.expander = Expander(escapeToken: dockerfile.escapeToken)
        self.errors = dockerfile.errors
    }

    mutating func error(_ message: String, _ range: SourceRange) {
        errors.append(SyntaxError(message: message, range: range))
    }

    /// An error of one instruction at build time (see `SyntaxError.Kind.build`).
    mutating func buildError(_ message: String, _ range: SourceRange) {
        errors.append(SyntaxError(message: message, range: range, kind: .build))
    }

    func blank(_ inst: Instruction, stage: Int?) -> ModelInstruction {
        ModelInstruction(syntax: inst, typed: nil, stageIndex: stage, scope: [], workingDirectory: "/", user: "",
                         resolved: nil, matchedVariables: [], unmatchedVariables: [], isOnbuildTrigger: false)
    }

    /// The stages of the file as BuildKit's dispatch sees them: each FROM with the
    /// instructions after it, every instruction typed (nil when it does not parse).
    typealias StageGroup = (from: Instruction, typedFrom: TypedInstruction?, body: [(Instruction, TypedInstruction?)])

    /// The model; `typed`: the file's typing, made before (`DockerfileModel.typed`).
    mutating func run(typed: DockerfileModel.Typed? = nil) -> DockerfileModel {
        let metaInsts: [(Instruction, ArgCommand?)], groups: [StageGroup]
        if let typed {
            (metaInsts, groups) = (typed.meta, typed.groups)
            errors = typed.errors
        } else {
            (metaInsts, groups) = typeAndGroup()
        }
        let metaArgs = defineGlobalScope(metaInsts, lastStage: groups.last)
        var stages = stageHeaders(groups)
        dispatchStages(&stages, groups)
        // Cross-stage checks: cycles, then references to stages not built yet.
        checkDependencies(stages)

        errors.sort { ($0.range.start.offset, $0.range.end.offset) < ($1.range.start.offset, $1.range.end.offset) }
        var unique: [SyntaxError] = []
        for e in errors where unique.last != e { unique.append(e) }
        return DockerfileModel(dockerfile: dockerfile, options: options, metaArgs: metaArgs,
                               globalScope: global.variables, stages: stages, errors: unique,
                               unlessArgumentsSet: unlessArgumentsSet)
    }

    /// Types every instruction and splits the meta ARGs (before the first FROM) from the stages.
    mutating func typeAndGroup() -> (meta: [(Instruction, ArgCommand?)], groups: [StageGroup]) {
        var metaInsts: [(Instruction, ArgCommand?)] = []
        var groups: [StageGroup] = []
        for inst in dockerfile.instructions {
            var typed: TypedInstruction?
            switch parser.parse(inst) {
            case .success(let t): typed = t
            case .failure(let e): errors.append(e)
            }
            if inst.kind == .from {
                groups.append((inst, typed, []))
            } else if groups.isEmpty {
                if inst.kind == .arg {
                    if case .arg(let a)? = typed?.command { metaInsts.append((inst, a)) } else { metaInsts.append((inst, nil)) }
                } else if typed != nil {
                    error("no build stage in current context", inst.keywordRange)
                }
            } else {
                groups[groups.count - 1].body.append((inst, typed))
            }
        }
        if groups.isEmpty && !dockerfile.instructions.isEmpty && errors.isEmpty {
            let first = dockerfile.instructions[0]
            error("dockerfile contains no stages to build", first.keywordRange)
        }
        return (metaInsts, groups)
    }

    /// The global scope: builtins, then the meta ARGs (build args override defaults).
    mutating func defineGlobalScope(_ metaInsts: [(Instruction, ArgCommand?)], lastStage: StageGroup?) -> [ModelInstruction] {
        let bp = options.buildPlatform
        let tp = options.targetPlatform ?? bp
        var lastName = ""
        if case .from(let f)? = lastStage?.typedFrom?.command { lastName = f.stageName ?? "" }
        let targetName = options.target ?? lastName
        let builtins: [(String, String)] = [
            ("BUILDPLATFORM", bp.description), ("BUILDOS", bp.os), ("BUILDOSVERSION", ""), ("BUILDARCH", bp.architecture),
            ("BUILDVARIANT", bp.variant), ("TARGETPLATFORM", tp.description), ("TARGETOS", tp.os), ("TARGETOSVERSION", ""),
            ("TARGETARCH", tp.architecture), ("TARGETVARIANT", tp.variant), ("TARGETSTAGE", targetName.isEmpty ? "default" : targetName),
        ]
        for (k, v) in builtins {
            let over = options.buildArgs[k]
            global.define(ScopedVariable(name: k, value: over ?? v, origin: .builtin, valueSource: over == nil ? .builtin : .buildArg))
        }
        var metaArgs: [ModelInstruction] = []
        for (inst, argCmd) in metaInsts {
            var mi = blank(inst, stage: nil)
            mi.typed = argCmd.map { TypedInstruction(syntax: inst, command: .arg($0)) }
            mi.scope = global.view
            guard let argCmd else { metaArgs.append(mi); continue }
            var use = VariableUse()
            var resolved: [ResolvedArg] = []
            for def in argCmd.definitions {
                var value: String?
                var source = ScopedVariable.ValueSource.none
                if let v = options.buildArgs[def.key] {
                    value = v; source = .buildArg
                } else if let d = def.defaultValue {
                    switch expander.word(d, global, &use) {
                    case .success(let v): value = v; source = .default
                    case .failure(let e): buildError(e.description, def.argument.range)
                    }
                }
                resolved.append(ResolvedArg(key: def.key, value: value, source: source))
                var v = ScopedVariable(name: def.key, value: value, origin: .globalArg, valueSource: source, range: def.keyRange)
                if source == .default, let d = def.defaultValue {
                    var u = VariableUse()
                    _ = expander.word(d, global, &u)
                    v.dependsOnBuildArgument = global.dependsOnBuildArgument(u.matched.union(u.unmatched))
                }
                global.define(v)
            }
            var r = ResolvedValues()
            r.args = resolved
            mi.resolved = r
            mi.matchedVariables = use.matched.sorted()
            mi.unmatchedVariables = use.unmatched.sorted()
            metaArgs.append(mi)
        }
        return metaArgs
    }

    /// Each stage's FROM: its base name and platform after global ARG expansion, and its base.
    mutating func stageHeaders(_ groups: [StageGroup]) -> [Stage] {
        var stages: [Stage] = []
        for (i, g) in groups.enumerated() {
            var fromMI = blank(g.from, stage: i)
            fromMI.typed = g.typedFrom
            fromMI.scope = global.view
            var fc: FromCommand?
            if case .from(let f)? = g.typedFrom?.command { fc = f }
            var use = VariableUse()
            var baseName = fc?.image.value ?? g.from.arguments.first?.value ?? ""
            var platform: String?
            var r = ResolvedValues()
            if let fc {
                switch expander.word(fc.image.value, global, &use) {
                case .success(let v):
                    baseName = v
                    // Blank only because a build argument has no value: BuildKit fails such a
                    // build unless the argument is given, which is not a malformed file. The
                    // InvalidDefaultArgInFrom check reports it.
                    if v.isEmpty && !fc.image.value.contains("$") {
                        buildError("base name (\(fc.image.value)) should not be blank", fc.image.range)
                    }
                case .failure(let e):
                    // `${X:?message}` fails only when the build argument is not given: a
                    // property of the build, not of the file.
                    if case .requiredVariable = e.reason {} else { buildError(e.description, fc.image.range) }
                }
                if let p = fc.platform {
                    switch expander.word(p.value, global, &use) {
                    case .success(let v):
                        platform = v
                        if v.isEmpty && !p.value.contains("$") { buildError("empty platform value from expression \(p.value)", p.range) }
                    case .failure(let e): buildError("failed to process arguments for platform : " + e.description, p.range)
                    }
                }
                r.baseName = baseName
                r.platform = platform
                fromMI.resolved = r
            }
            fromMI.matchedVariables = use.matched.sorted()
            fromMI.unmatchedVariables = use.unmatched.sorted()
            // `addState`: an earlier stage whose (lower-cased) name equals the expanded base name.
            let base: StageBase
            if let j = stages.lastIndex(where: { $0.name != nil && $0.name == baseName }) {
                base = .stage(j)
            } else if baseName == "scratch" {
                base = .scratch
            } else {
                base = .image(baseName)
            }
            var deps: [StageDependency] = []
            if case .stage(let j) = base {
                deps.append(StageDependency(kind: .base, stage: j, image: nil, reference: fc?.image.value ?? baseName,
                                            range: fc?.image.range ?? g.from.keywordRange))
            }
            stages.append(Stage(index: i, name: fc?.stageName, from: fromMI, fromCommand: fc, baseName: baseName, base: base,
                                platform: platform, onbuildTriggers: [], instructions: [], dependencies: deps))
        }
        return stages
    }

    /// Each stage's instructions with their scopes, in stage order (a stage built on another
    /// starts from that stage's final state and runs its ONBUILD triggers first), and the
    /// dependencies of COPY --from and RUN --mount from= (BuildKit's `toCommand`).
    mutating func dispatchStages(_ stages: inout [Stage], _ groups: [StageGroup]) {
        var finalStates: [StageState] = []
        var nameIndex: [String: Int] = [:]
        for s in stages { if let n = s.name { nameIndex[n] = s.index } }
        for i in stages.indices {
            var state = StageState()
            // The stage's dependencies are filled here and stored at the end: passing
            // `&stages[i].dependencies` with `stages` itself copied the whole array per instruction.
            var deps = stages[i].dependencies
            if case .stage(let j) = stages[i].base {
                state = finalStates[j]
                // ONBUILD triggers of the base stage run first.
                for mi in stages[j].instructions {
                    guard case .onbuild(let ob)? = mi.typed?.command, let trig = ob.trigger else { continue }
                    var t = dispatch(trig.syntax, trig, stage: i, state: &state, deps: &deps,
                                     nameIndex: nameIndex, stages: stages)
                    t.isOnbuildTrigger = true
                    stages[i].onbuildTriggers.append(t)
                }
            } else {
                state.scope.define(ScopedVariable(name: "PATH", value: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                                  origin: .defaultPath, valueSource: .default, stageIndex: i))
            }
            var body: [ModelInstruction] = []
            for (inst, typed) in groups[i].body {
                if let typed {
                    body.append(dispatch(inst, typed, stage: i, state: &state, deps: &deps,
                                         nameIndex: nameIndex, stages: stages))
                } else {
                    var mi = blank(inst, stage: i)
                    mi.scope = state.scope.view
                    mi.workingDirectory = state.workdir
                    mi.user = state.user
                    body.append(mi)
                }
            }
            stages[i].dependencies = deps
            stages[i].instructions = body
            finalStates.append(state)
        }
    }

    /// `validateCircularDependency` and the dispatch-time "needs to be defined before" errors.
    mutating func checkDependencies(_ stages: [Stage]) {
        // deps exclude the FROM base, as in BuildKit.
        let deps = stages.map { s in s.dependencies.filter { $0.kind != .base && $0.stage != nil } }
        var visited = Set<Int>()
        var reported = false
        for start in stages.indices where !reported {
            var path = Set<Int>()
            func visit(_ s: Int) -> StageDependency? {
                if visited.contains(s) { return nil }
                visited.insert(s)
                path.insert(s)
                for d in deps[s] {
                    if path.contains(d.stage!) { return d }
                    if let c = visit(d.stage!) { return c }
                }
                path.remove(s)
                return nil
            }
            if let d = visit(start) {
                error("circular dependency detected on stage: \(stages[start].displayName)", d.range)
                reported = true
            }
        }
        if reported { return }
        for s in stages {
            for d in s.dependencies {
                guard let j = d.stage, j >= s.index, d.kind != .base else { continue }
                switch d.kind {
                case .copyFrom:
                    error("cannot copy from stage \(goQuote(d.reference)), it needs to be defined before current stage \(goQuote(s.displayName))", d.range)
                case .mountFrom:
                    error("cannot mount from stage \(goQuote(d.reference)) to \(goQuote(mountTarget(s, d))), stage needs to be defined before current command", d.range)
                case .base: break
                }
            }
        }
    }

    func mountTarget(_ s: Stage, _ d: StageDependency) -> String {
        for mi in s.onbuildTriggers + s.instructions where mi.syntax.range.start.offset <= d.range.start.offset && d.range.end.offset <= mi.syntax.range.end.offset {
            if let m = mi.resolved?.mounts?.first(where: { $0.from == d.reference }) { return m.target ?? "" }
        }
        return ""
    }
}
