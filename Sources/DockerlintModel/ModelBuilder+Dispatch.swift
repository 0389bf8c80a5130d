import DockerlintSyntax

extension ModelBuilder {
    // MARK: - Dispatch of one instruction

    mutating func dispatch(_ inst: Instruction, _ typed: TypedInstruction, stage: Int, state: inout StageState,
                           deps: inout [StageDependency], nameIndex: [String: Int], stages: [Stage]) -> ModelInstruction {
        var mi = blank(inst, stage: stage)
        mi.typed = typed
        mi.scope = state.scope.view
        mi.workingDirectory = state.workdir
        mi.user = state.user
        var use = VariableUse()
        var r = ResolvedValues()
        var failed = false
        let env = state.scope
        let scratchRoot = Self.rootIsScratch(stage, stages)
        // A value that comes out empty, or a `${X:?msg}` that fails, is BuildKit's error only
        // when the file says the variables are empty: a variable the file does not define may
        // come from the base image's environment, which BuildKit expands at build time; an
        // ARG without a default is empty only when the build does not set it.
        func judgeEmpty(_ message: String, _ range: SourceRange, _ names: Set<String>) -> Bool {
            switch emptiness(names, env, scratchRoot: scratchRoot) {
            case .known:
                if !failed { buildError(message, range) }
                failed = true
                return true
            case .unlessArguments(let args):
                unlessArgumentsSet.append(ArgumentDependentError(message: message, range: range, arguments: args))
                return false
            case .unknown:
                return false
            }
        }
        func expand(_ w: String, _ range: SourceRange, raw: Bool = false) -> String? {
            switch expander.word(w, env, &use, raw: raw) {
            case .success(let v): return v
            case .failure(let e):
                if case .requiredVariable(let name, _) = e.reason {
                    _ = judgeEmpty(e.description, range, [name])
                    if !failed { return "" }
                    return nil
                }
                if !failed { buildError(e.description, range) }
                failed = true
                return nil
            }
        }
        /// The variables a word refers to (for judging an empty value).
        func names(_ w: String) -> Set<String> {
            var u = VariableUse()
            _ = expander.word(w, env, &u)
            return u.matched.union(u.unmatched)
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
                    var v = ScopedVariable(name: p.key, value: p.value, origin: .env, valueSource: .default,
                                           range: syn.key.range, stageIndex: stage)
                    v.dependsOnBuildArgument = env.dependsOnBuildArgument(names(syn.value.value))
                    state.scope.define(v)
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
                        // BuildKit rejects this ARG; it is still declared for what follows.
                        buildError(e.description, def.argument.range)
                        failed = true
                    }
                } else if let g = globalValue(def.key) {
                    value = g; source = .global
                }
                resolved.append(ResolvedArg(key: def.key, value: value, source: source))
                if def.key == "BUILDKIT_SBOM_SCAN_CONTEXT" || def.key == "BUILDKIT_SBOM_SCAN_STAGE" { continue }
                var v = ScopedVariable(name: def.key, value: value, origin: .stageArg, valueSource: source,
                                       range: def.keyRange, stageIndex: stage)
                if source == .default, let d = def.defaultValue { v.dependsOnBuildArgument = state.scope.dependsOnBuildArgument(names(d)) }
                if source == .global { v.dependsOnBuildArgument = globalDependsOnBuildArgument(def.key) }
                state.scope.define(v)
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
            if v.isEmpty {
                _ = judgeEmpty("invalid signal: ", s.value.range, names(s.value.value))
            } else if !Signals.isValid(v) {
                buildError("invalid signal: \(v)", s.value.range)
            }

        case .volume(let vol):
            var out: [String] = []
            for a in vol.volumes {
                guard let v = expand(a.value, a.range) else { break }
                if v.isEmpty {
                    if judgeEmpty("VOLUME specified can not be an empty string", a.range, names(a.value)) { break }
                    continue
                }
                out.append(v)
            }
            if !failed { r.volumes = out }

        case .expose(let e):
            var words: [String] = []
            var parsed: [ExposedPort] = []
            for a in e.ports {
                switch expander.words(a.value, state.scope, &use) {
                case .failure(let err): buildError(err.description, a.range); failed = true
                case .success(let ws):
                    words += ws
                    for w in ws where !failed {
                        switch ExposedPort.parse(w) {
                        case .success(let p): parsed.append(p)
                        case .failure(let pe): buildError(pe.message, a.range); failed = true
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
                    buildError("checksum can't be specified for multiple sources", f.range)
                } else if !Self.isRemoteSource(srcs[0]) {
                    buildError("checksum requires HTTP(S) or Git sources", f.range)
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

    /// True when the global ARG `key`'s value depends on an ARG the build may set.
    func globalDependsOnBuildArgument(_ key: String) -> Bool {
        global.variable(key)?.dependsOnBuildArgument ?? false
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
        case .success(let p): if p > 0o7777 { buildError(msg, range) }
        case .failure:
            // A value made only of digits (e.g. `0789`) is "numeric" for BuildKit.
            if v.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { buildError(msg, range) }
        }
    }

    /// Why a value is empty: the file says so, unless the build sets some ARGs, or the file
    /// cannot know (a variable it does not define may come from the base image).
    enum Emptiness { case known, unlessArguments([String]), unknown }

    func emptiness(_ names: Set<String>, _ scope: Scope, scratchRoot: Bool) -> Emptiness {
        var arguments: [String] = []
        for n in names.sorted() {
            guard let v = scope.variable(n) else {
                if scratchRoot { continue }
                return .unknown
            }
            let isArg = v.origin == .stageArg || v.origin == .globalArg
            if isArg && v.valueSource != .buildArg && (v.value ?? "").isEmpty { arguments.append(n) }
        }
        return arguments.isEmpty ? .known : .unlessArguments(arguments)
    }

    /// True when a stage's chain of bases ends in `scratch` (no environment from an image).
    static func rootIsScratch(_ stage: Int, _ stages: [Stage]) -> Bool {
        var k = stage
        for _ in 0...stages.count {
            guard k < stages.count else { return false }
            switch stages[k].base {
            case .scratch: return true
            case .image: return false
            case .stage(let j): k = j
            }
        }
        return false
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
