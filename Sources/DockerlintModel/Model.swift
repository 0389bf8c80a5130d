import DockerlintSyntax

/// The values BuildKit expands for one instruction (nil where it expands nothing).
public struct ResolvedValues: Equatable, Sendable {
    /// FROM: the base name after global ARG expansion.
    public var baseName: String?
    /// FROM: `--platform` after global ARG expansion.
    public var platform: String?
    /// COPY/ADD path sources.
    public var sources: [String]?
    /// COPY/ADD inline sources (bodies expanded when the delimiter was not quoted).
    public var inlineSources: [InlineSource]?
    /// COPY/ADD destination as expanded.
    public var destination: String?
    /// The destination made absolute against the working directory.
    public var absoluteDestination: String?
    public var chown: String?
    public var chmod: String?
    public var checksum: String?
    /// WORKDIR: the new working directory (absolute, cleaned).
    public var workdir: String?
    public var user: String?
    /// ENV and LABEL pairs.
    public var pairs: [ResolvedPair]?
    /// EXPOSE: the words after expansion and splitting, and their parse.
    public var ports: [String]?
    public var exposedPorts: [ExposedPort]?
    public var volumes: [String]?
    public var stopSignal: String?
    /// RUN: the mounts with values expanded.
    public var mounts: [RunMount]?
    /// ARG: each definition's value (nil when it has none).
    public var args: [ResolvedArg]?

    public init() {}
}

public struct ResolvedPair: Equatable, Sendable {
    public var key: String
    public var value: String
}

public struct ResolvedArg: Equatable, Sendable {
    public var key: String
    public var value: String?
    public var source: ScopedVariable.ValueSource
}

/// An instruction placed in its stage, with its scope and expanded values.
public struct ModelInstruction: Equatable, Sendable {
    public var syntax: Instruction
    /// Nil when BuildKit rejects the instruction (the error is in `DockerfileModel.errors`).
    public var typed: TypedInstruction?
    /// Nil for global ARGs.
    public var stageIndex: Int?
    /// Variables in scope when the instruction runs (before its own definitions).
    public var scope: [ScopedVariable]
    public var workingDirectory: String
    public var user: String
    public var resolved: ResolvedValues?
    /// Variables the expansions referenced that were defined / undefined, sorted.
    public var matchedVariables: [String]
    public var unmatchedVariables: [String]
    /// True for an ONBUILD trigger of the base stage, run at the start of this stage.
    public var isOnbuildTrigger: Bool
}

/// What a stage is built on.
public enum StageBase: Equatable, Sendable {
    case scratch
    case image(String)
    /// An earlier stage, by index.
    case stage(Int)
}

/// Why one stage needs another.
public struct StageDependency: Equatable, Sendable {
    public enum Kind: String, Sendable { case base, copyFrom, mountFrom }
    public var kind: Kind
    /// The stage depended on, or nil for an image (`COPY --from=alpine`).
    public var stage: Int?
    /// The image name when `stage` is nil.
    public var image: String?
    /// The reference as written.
    public var reference: String
    public var range: SourceRange
}

public struct Stage: Equatable, Sendable {
    public var index: Int
    /// Lower-cased `AS` name.
    public var name: String?
    public var from: ModelInstruction
    public var fromCommand: FromCommand?
    /// The base name after global ARG expansion.
    public var baseName: String
    public var base: StageBase
    public var platform: String?
    /// ONBUILD triggers inherited from a stage base, run first.
    public var onbuildTriggers: [ModelInstruction]
    public var instructions: [ModelInstruction]
    public var dependencies: [StageDependency]

    /// BuildKit's display name: the name or `stage-N`.
    public var displayName: String { name ?? "stage-\(index)" }
}

/// The whole Dockerfile as BuildKit reads it for one build.
public struct DockerfileModel: Sendable {
    public var dockerfile: Dockerfile
    public var options: BuildOptions
    /// ARG instructions before the first FROM.
    public var metaArgs: [ModelInstruction]
    /// The global scope after the meta ARGs (builtins, then global ARGs).
    public var globalScope: [ScopedVariable]
    public var stages: [Stage]
    /// Syntax errors, instruction errors and resolution errors, in source order.
    public var errors: [SyntaxError]

    public static func parse(_ text: String, options: BuildOptions = BuildOptions()) -> DockerfileModel {
        build(DockerfileParser.parse(text), options: options)
    }

    public static func build(_ dockerfile: Dockerfile, options: BuildOptions = BuildOptions()) -> DockerfileModel {
        var b = ModelBuilder(dockerfile: dockerfile, options: options)
        return b.run()
    }

    /// The stage BuildKit finds for a name (case-insensitive; the last stage of that name).
    public func stageIndex(named name: String) -> Int? {
        let n = name.lowercased()
        return stages.lastIndex { $0.name == n }
    }

    /// The target stage: `target` by name, or the last stage. The error is BuildKit's.
    public func targetStage(_ target: String? = nil) -> Result<Int, TargetError> {
        guard !stages.isEmpty else { return .failure(TargetError(message: "dockerfile contains no stages to build")) }
        guard let t = target ?? options.target, !t.isEmpty else { return .success(stages.count - 1) }
        if let i = stageIndex(named: t) { return .success(i) }
        let names = stages.map(\.displayName)
        return .failure(TargetError(message: Suggest.wrap("target stage \(goQuote(t)) could not be found", t, names, caseSensitive: true)))
    }

    /// The stages BuildKit builds for a target (`allReachableStages`): the target, its base
    /// chain, `COPY --from` and `RUN --mount from=` stages, recursively. Sorted.
    public func reachableStages(target: String? = nil) -> Result<[Int], TargetError> {
        targetStage(target).map { t in
            var seen = Set<Int>()
            var stack = [t]
            while let s = stack.popLast() {
                guard seen.insert(s).inserted else { continue }
                for d in stages[s].dependencies { if let i = d.stage { stack.append(i) } }
            }
            return seen.sorted()
        }
    }

    /// The stages the classic builder builds: every stage up to and including the target.
    public func classicStages(target: String? = nil) -> Result<[Int], TargetError> {
        targetStage(target).map { Array(0...$0) }
    }

    /// Every instruction in file order with its model (meta ARGs, FROMs, stage bodies).
    public var allInstructions: [ModelInstruction] {
        var out = metaArgs
        for s in stages { out.append(s.from); out += s.instructions }
        return out.sorted { $0.syntax.range.start.offset < $1.syntax.range.start.offset }
    }
}

public struct TargetError: Error, Equatable, Sendable {
    public var message: String
}

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

    func blank(_ inst: Instruction, stage: Int?) -> ModelInstruction {
        ModelInstruction(syntax: inst, typed: nil, stageIndex: stage, scope: [], workingDirectory: "/", user: "",
                         resolved: nil, matchedVariables: [], unmatchedVariables: [], isOnbuildTrigger: false)
    }

    mutating func run() -> DockerfileModel {
        // 1. Type every instruction; split meta ARGs and stages.
        var metaInsts: [(Instruction, ArgCommand?)] = []
        var groups: [(from: Instruction, typedFrom: TypedInstruction?, body: [(Instruction, TypedInstruction?)])] = []
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

        // 2. Global scope: builtins, then the meta ARGs (build args override defaults).
        let bp = options.buildPlatform
        let tp = options.targetPlatform ?? bp
        var lastName = ""
        if case .from(let f)? = groups.last?.typedFrom?.command { lastName = f.stageName ?? "" }
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
            mi.scope = global.variables
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
                    case .failure(let e): error(e.description, def.argument.range)
                    }
                }
                resolved.append(ResolvedArg(key: def.key, value: value, source: source))
                global.define(ScopedVariable(name: def.key, value: value, origin: .globalArg, valueSource: source,
                                             range: def.keyRange))
            }
            var r = ResolvedValues()
            r.args = resolved
            mi.resolved = r
            mi.matchedVariables = use.matched.sorted()
            mi.unmatchedVariables = use.unmatched.sorted()
            metaArgs.append(mi)
        }

        // 3. Stages: FROM expansion and base resolution.
        var stages: [Stage] = []
        var finalStates: [StageState] = []
        for (i, g) in groups.enumerated() {
            var fromMI = blank(g.from, stage: i)
            fromMI.typed = g.typedFrom
            fromMI.scope = global.variables
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
                        error("base name (\(fc.image.value)) should not be blank", fc.image.range)
                    }
                case .failure(let e):
                    // `${X:?message}` fails only when the build argument is not given: a
                    // property of the build, not of the file.
                    if case .requiredVariable = e.reason {} else { error(e.description, fc.image.range) }
                }
                if let p = fc.platform {
                    switch expander.word(p.value, global, &use) {
                    case .success(let v):
                        platform = v
                        if v.isEmpty && !p.value.contains("$") { error("empty platform value from expression \(p.value)", p.range) }
                    case .failure(let e): error("failed to process arguments for platform : " + e.description, p.range)
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

        // 4. Dependencies of COPY --from and RUN --mount from= (BuildKit's `toCommand`), then
        //    each stage's instructions with their scopes, in stage order.
        var nameIndex: [String: Int] = [:]
        for s in stages { if let n = s.name { nameIndex[n] = s.index } }
        for i in stages.indices {
            var state = StageState()
            if case .stage(let j) = stages[i].base {
                state = finalStates[j]
                // ONBUILD triggers of the base stage run first.
                for mi in stages[j].instructions {
                    guard case .onbuild(let ob)? = mi.typed?.command, let trig = ob.trigger else { continue }
                    var t = dispatch(trig.syntax, trig, stage: i, state: &state, deps: &stages[i].dependencies,
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
                    body.append(dispatch(inst, typed, stage: i, state: &state, deps: &stages[i].dependencies,
                                         nameIndex: nameIndex, stages: stages))
                } else {
                    var mi = blank(inst, stage: i)
                    mi.scope = state.scope.variables
                    mi.workingDirectory = state.workdir
                    mi.user = state.user
                    body.append(mi)
                }
            }
            stages[i].instructions = body
            finalStates.append(state)
        }

        // 5. Cross-stage checks: cycles, then references to stages not built yet.
        checkDependencies(stages)

        errors.sort { ($0.range.start.offset, $0.range.end.offset) < ($1.range.start.offset, $1.range.end.offset) }
        var unique: [SyntaxError] = []
        for e in errors where unique.last != e { unique.append(e) }
        return DockerfileModel(dockerfile: dockerfile, options: options, metaArgs: metaArgs,
                               globalScope: global.variables, stages: stages, errors: unique)
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

    // MARK: - Dispatch of one instruction

    mutating func dispatch(_ inst: Instruction, _ typed: TypedInstruction, stage: Int, state: inout StageState,
                           deps: inout [StageDependency], nameIndex: [String: Int], stages: [Stage]) -> ModelInstruction {
        var mi = blank(inst, stage: stage)
        mi.typed = typed
        mi.scope = state.scope.variables
        mi.workingDirectory = state.workdir
        mi.user = state.user
        var use = VariableUse()
        var r = ResolvedValues()
        var failed = false
        let env = state.scope
        func expand(_ w: String, _ range: SourceRange, raw: Bool = false) -> String? {
            switch expander.word(w, env, &use, raw: raw) {
            case .success(let v): return v
            case .failure(let e):
                if !failed { errors.append(SyntaxError(message: e.description, range: range)) }
                failed = true
                return nil
            }
        }
        switch typed.command {
        case .env(let kv), .label(let kv):
            var pairs: [ResolvedPair] = []
            for p in kv.pairs {
                guard let k = expand(p.key.value, p.key.range), let v = expand(p.value.value, p.value.range) else { break }
                pairs.append(ResolvedPair(key: k, value: v))
            }
            if failed { break }
            r.pairs = pairs
            if case .env = typed.command {
                for (p, syn) in zip(pairs, kv.pairs) {
                    state.scope.define(ScopedVariable(name: p.key, value: p.value, origin: .env, valueSource: .default,
                                                      range: syn.key.range, stageIndex: stage))
                }
            }

        case .arg(let a):
            var resolved: [ResolvedArg] = []
            for def in a.definitions {
                var value: String?
                var source = ScopedVariable.ValueSource.none
                if let v = options.buildArgs[def.key] {
                    value = v; source = .buildArg
                } else if let d = def.defaultValue {
                    switch expander.word(d, state.scope, &use) {
                    case .success(let v): value = v; source = .default
                    case .failure(let e):
                        errors.append(SyntaxError(message: e.description, range: def.argument.range))
                        failed = true
                    }
                } else if let g = globalValue(def.key) {
                    value = g; source = .global
                }
                if failed { break }
                resolved.append(ResolvedArg(key: def.key, value: value, source: source))
                if def.key == "BUILDKIT_SBOM_SCAN_CONTEXT" || def.key == "BUILDKIT_SBOM_SCAN_STAGE" { continue }
                state.scope.define(ScopedVariable(name: def.key, value: value, origin: .stageArg, valueSource: source,
                                                  range: def.keyRange, stageIndex: stage))
            }
            r.args = resolved

        case .workdir(let w):
            guard let p = expand(w.value.value, w.value.range) else { break }
            let wd = normalizePath(parent: state.workdir, p, keepSlash: false)
            r.workdir = wd
            state.workdir = wd

        case .user(let u):
            guard let v = expand(u.value.value, u.value.range) else { break }
            r.user = v
            state.user = v

        case .stopsignal(let s):
            guard let v = expand(s.value.value, s.value.range) else { break }
            r.stopSignal = v
            if !Signals.isValid(v) { error("invalid signal: \(v)", s.value.range) }

        case .volume(let vol):
            var out: [String] = []
            for a in vol.volumes {
                guard let v = expand(a.value, a.range) else { break }
                if v.isEmpty { error("VOLUME specified can not be an empty string", a.range); failed = true; break }
                out.append(v)
            }
            if !failed { r.volumes = out }

        case .expose(let e):
            var words: [String] = []
            var parsed: [ExposedPort] = []
            for a in e.ports {
                switch expander.words(a.value, state.scope, &use) {
                case .failure(let err): error(err.description, a.range); failed = true
                case .success(let ws):
                    words += ws
                    for w in ws where !failed {
                        switch ExposedPort.parse(w) {
                        case .success(let p): parsed.append(p)
                        case .failure(let pe): error(pe.message, a.range); failed = true
                        }
                    }
                }
                if failed { break }
            }
            r.ports = words
            if !failed { r.exposedPorts = parsed }

        case .copy(let c), .add(let c):
            var ok = true
            if let f = c.chown { r.chown = expand(f.value, f.range); ok = ok && r.chown != nil }
            if ok, let f = c.chmod { r.chmod = expand(f.value, f.range); ok = ok && r.chmod != nil }
            if ok, let f = c.checksum { r.checksum = expand(f.value, f.range); ok = ok && r.checksum != nil }
            if ok {
                var srcs: [String] = []
                for s in c.sources {
                    guard let v = expand(s.value, s.range) else { ok = false; break }
                    srcs.append(v)
                }
                if ok { r.sources = srcs }
            }
            if ok, let d = expand(c.destination.value, c.destination.range) {
                r.destination = d
                r.absoluteDestination = destinationPath(d, workdir: state.workdir)
            }
            if !failed {
                var inline: [InlineSource] = []
                for s in c.inlineSources {
                    var s2 = s
                    if s.expand { guard let v = expand(s.data, c.destination.range, raw: true) else { break }; s2.data = v }
                    inline.append(s2)
                }
                if !failed { r.inlineSources = inline }
            }
            if let from = c.from { copyFromDependency(from, deps: &deps, nameIndex: nameIndex, stageCount: stages.count) }
            if let f = c.chmod, let v = r.chmod { checkChmod(v, f.range) }
            if let f = c.checksum, let v = r.checksum, !v.isEmpty, let srcs = r.sources {
                if srcs.count != 1 {
                    error("checksum can't be specified for multiple sources", f.range)
                } else if !Self.isRemoteSource(srcs[0]) {
                    error("checksum requires HTTP(S) or Git sources", f.range)
                }
            }

        case .run(let run):
            var mounts: [RunMount] = []
            let ex = expander
            var mountUse = VariableUse()
            for f in run.mountFlags {
                let parsed = MountParser.parse(f.value) { w in
                    switch ex.word(w, env, &mountUse) {
                    case .success(let v): return .success(v)
                    case .failure(let e): return .failure(Msg(e.description))
                    }
                }
                switch parsed {
                case .success(let m): mounts.append(m)
                case .failure(let e):
                    errors.append(SyntaxError(message: e.message, range: parser.flagSubrange(f, name: "mount", e.span)))
                    failed = true
                }
                if failed { break }
            }
            use.matched.formUnion(mountUse.matched)
            use.unmatched.formUnion(mountUse.unmatched)
            if !failed { r.mounts = mounts }
            // Dependencies use the parse-time mounts (`from` as written), as `detectRunMount` does.
            for (m, f) in zip(run.mounts, run.mountFlags) {
                let from = m.from ?? ""
                let ref = from.isEmpty ? "scratch" : from
                if let j = nameIndex[ref.lowercased()] {
                    deps.append(StageDependency(kind: .mountFrom, stage: j, image: nil, reference: from.isEmpty ? ref : from, range: f.range))
                } else if !from.isEmpty {
                    deps.append(StageDependency(kind: .mountFrom, stage: nil, image: from, reference: from, range: f.range))
                }
            }

        case .onbuild, .cmd, .entrypoint, .shell, .healthcheck, .maintainer, .from:
            break
        }
        if typed.command.expands { mi.resolved = r }
        mi.matchedVariables = use.matched.sorted()
        mi.unmatchedVariables = use.unmatched.sorted()
        return mi
    }

    func globalValue(_ key: String) -> String? {
        // The global scope after all meta ARGs (BuildKit's `opt.globalArgs`).
        global.lookup(key)
    }

    /// `toCommand` for `COPY --from`: no variables; an index or a stage name, else an image.
    mutating func copyFromDependency(_ from: FlagValue, deps: inout [StageDependency], nameIndex: [String: Int], stageCount: Int) {
        let v = from.value
        if v.isEmpty { return }
        switch expander.lexer.processWordCollectingMatches(v, env: ShellEnvironment.empty) {
        case (_, let e?):
            error(e.description, from.range)
            return
        case (let res, nil):
            if res.result != v {
                error("variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround", from.range)
                return
            }
        }
        if let idx = GoStrconv.atoi(v) {
            if idx < 0 || idx >= stageCount {
                error("invalid stage index \(idx)", from.range)
                return
            }
            deps.append(StageDependency(kind: .copyFrom, stage: idx, image: nil, reference: v, range: from.range))
        } else if let j = nameIndex[v.lowercased()] {
            deps.append(StageDependency(kind: .copyFrom, stage: j, image: nil, reference: v, range: from.range))
        } else {
            deps.append(StageDependency(kind: .copyFrom, stage: nil, image: v, reference: v, range: from.range))
        }
    }

    /// HTTP(S) URLs and the common Git remote forms (`isHTTPSource`/`isGitSource`, approximated).
    static func isRemoteSource(_ s: String) -> Bool {
        s.hasPrefix("http://") || s.hasPrefix("https://") || s.hasPrefix("git@") || s.hasPrefix("git://")
            || s.hasPrefix("ssh://") || s.contains(".git#") || s.hasSuffix(".git")
    }

    /// `dispatchCopy`'s chmod check for numeric modes (symbolic modes are accepted).
    mutating func checkChmod(_ v: String, _ range: SourceRange) {
        guard !v.isEmpty else { return }
        let msg = "invalid chmod parameter: '\(v)'. it should be octal string and between 0 and 07777"
        switch GoStrconv.parseUint(v, base: 8, bits: 32) {
        case .success(let p): if p > 0o7777 { error(msg, range) }
        case .failure:
            // A value made only of digits (e.g. `0789`) is "numeric" for BuildKit.
            if v.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { error(msg, range) }
        }
    }
}

extension TypedCommand {
    /// The instructions BuildKit expands words of (or resolves, for ARG and FROM).
    var expands: Bool {
        switch self {
        case .env, .label, .arg, .workdir, .user, .stopsignal, .volume, .expose, .copy, .add, .run, .from: return true
        case .onbuild, .cmd, .entrypoint, .shell, .healthcheck, .maintainer: return false
        }
    }
}
