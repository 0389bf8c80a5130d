// The commands a RUN runs through shell scripts the build context put in the image
// (`RUN /opt/app/bin/build.sh "$SRC"`, `bash ./ci/build.sh`), with where each comes from.
//
// One reader: a RUN's own commands are the shell parser's (`RunScript`); a script it runs is
// found through the step graph's COPY map (image path → context path), parsed with the same
// parser, and walked in the order the shell runs it: positional parameters bound from the
// static arguments, variables assigned from static values, `cd` followed, functions called,
// `for` loops over static words and over globs of context directories unrolled, `source`/`.`
// and nested scripts followed. The walk is linear in the scripts' sizes (each file is parsed
// once; a budget bounds the commands walked through loops and calls), nested at most
// `maxDepth` deep, and a file that sources or runs itself again is a cycle. Where the walk
// cannot be exact it gives up with the reason: a script or sourced file named by a value not
// known, one that is not from the build context, a script read from a pipe (a download),
// `eval`, `sh -c`, a program whose name is not known, `make` (its recipes are read by
// `MakeTargets` alone, in one narrow form).

import DockerlintModel
import DockerlintShell

/// One command a context script runs.
public struct ScriptCommand: Sendable {
    /// The command seen through wrappers (`sudo`, `env`, ...), as written in the script.
    public var invocation: CommandInvocation
    /// The package-manager command, with variable arguments expanded where their values are
    /// known (`mvn $MAVEN_ARGUMENTS package` with `ARG MAVEN_ARGUMENTS=-DskipTests`).
    public var package: PackageCommand?
    /// True when every argument's value is known (static, or from known values).
    public var argumentsKnown: Bool
    /// The context path of the script the command is written in, and its line (1-based).
    public var file: String
    public var line: Int
    /// The directory the command runs in (nil when not known).
    public var cwd: String?
    /// The values known where the command runs.
    public var values: ShellValues
    /// The scripts that led here, outermost first, each as `path:line` of the command that
    /// ran or sourced the next one (the RUN's own command not included).
    public var via: [String]

    /// `path:line`.
    public var location: String { "\(file):\(line)" }
}

/// What a RUN runs through context scripts.
public enum ScriptRun: Sendable {
    /// Every command the scripts run, in order, and every script file read (context paths).
    case known(commands: [ScriptCommand], scripts: [String])
    /// The scripts' commands cannot be told exactly: why.
    case notKnown(String)
}

/// A dependency install or build a context script runs, read as the same command in the RUN
/// itself would be (`RunEffects`): what it reads, where it runs.
public struct ScriptInstall: Sendable {
    public var install: InstallRead
    public var command: ScriptCommand
}

extension StepGraph {
    /// The commands RUN step `id` runs through scripts of the build context; nil when the
    /// RUN runs no script by path (or there is no build context). Walked once per step.
    public func scriptRun(_ id: StepID) -> ScriptRun? {
        if let cached = scriptRuns[id] { return cached }
        var result: ScriptRun? = nil
        if step(id).kind == .run, let context, let rs = script(of: id) {
            result = ScriptWalker(graph: self, context: context, id: id).run(rs)
        }
        scriptRuns[id] = .some(result)
        return result
    }

    /// The installs and builds of package managers the context scripts of RUN step `id` run,
    /// when every command of the scripts is known (`scriptRun`); empty otherwise.
    public func scriptInstalls(_ id: StepID) -> [ScriptInstall] {
        guard case .known(let commands, _)? = scriptRun(id) else { return [] }
        var out: [ScriptInstall] = []
        for c in commands {
            guard let pc = c.package, c.cwd != nil else { continue }
            var st = Step(id: id, instruction: step(id).instruction)
            var state = RunEffects.State(cwd: c.cwd, values: c.values)
            RunEffects.package(pc, c.invocation, &st, &state, self)
            for ins in st.installs { out.append(ScriptInstall(install: ins, command: c)) }
        }
        return out
    }
}

/// The shell state a walk carries: known values (positional parameters included, as `1`,
/// `2`, ... and `#`) and the working directory.
struct ScriptState {
    var values: ShellValues
    var cwd: String?

    mutating func set(_ name: String, _ value: String?) {
        if let value {
            values.values[name] = value
        } else {
            values.values.removeValue(forKey: name)
            values.environmentNames.remove(name)
        }
    }

    /// Positional parameters `1...` from `args` (nil: not known); `#` their count.
    mutating func bindPositional(_ args: [String?]) {
        for k in 1...9 { set(String(k), k <= args.count ? args[k - 1] : "") }
        set("#", String(args.count))
    }

    /// The state after one of several paths ran: values that differ are no longer known.
    mutating func merge(_ others: [ScriptState]) {
        for o in others {
            for k in Set(values.values.keys).union(o.values.values.keys) where values.values[k] != o.values.values[k] { set(k, nil) }
            if cwd != o.cwd { cwd = nil }
        }
    }
}

/// One parsed file of the walk.
final class ScriptFrame {
    let file: String?
    let script: ShellScript
    /// Where each line of the script starts, worked out when a line is asked for.
    private(set) lazy var lineStarts: [Int] = {
        var starts = [0]
        var k = 0
        for b in script.source.utf8 {
            k += 1
            if b == 0x0A { starts.append(k) }
        }
        return starts
    }()
    let invocations: [ByteRange: CommandInvocation]
    let via: [String]

    /// `commands`: the script's `commands` when they are at hand (a RUN's, parsed once).
    init(file: String?, script: ShellScript, via: [String], commands: [CommandInvocation]? = nil) {
        self.file = file
        self.script = script
        self.via = via
        var inv: [ByteRange: CommandInvocation] = [:]
        for c in commands ?? script.commands where inv[c.command.range] == nil { inv[c.command.range] = c }
        invocations = inv
    }

    func line(_ offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo + 1
    }
}

final class ScriptWalker {
    static let maxDepth = 8
    static let maxLoopItems = 64
    static let maxBytes = 1 << 20

    let graph: StepGraph
    let context: BuildContext
    let id: StepID
    let environment: ShellValues
    var out: [ScriptCommand] = []
    var scripts: [String] = []
    var failure: String? = nil
    var ranScript = false
    /// Commands walked (loops and calls walk a body again): bounded.
    var budget = 20_000
    var bytes = 0
    /// Files being run or sourced, outermost first (a cycle is one seen again).
    var stack: [String] = []
    var functions: [String: (body: Command, frame: ScriptFrame)] = [:]
    var parsed: [String: ShellScript] = [:]

    init(graph: StepGraph, context: BuildContext, id: StepID) {
        self.graph = graph
        self.context = context
        self.id = id
        environment = ShellValues(graph.step(id).instruction)
    }

    func run(_ rs: RunScript) -> ScriptRun? {
        let mi = graph.step(id).instruction
        var state = ScriptState(values: environment, cwd: ImagePath.workdir(mi.workingDirectory))
        let frame = ScriptFrame(file: nil, script: rs.script, via: [], commands: rs.commands)
        walk(rs.script.body, &state, frame)
        guard ranScript || failure != nil else { return nil }
        if let failure { return .notKnown(failure) }
        return .known(commands: out, scripts: scripts)
    }

    func fail(_ why: String) { if failure == nil { failure = why } }

    /// A failure that matters only inside a script (the RUN's own commands are the RUN
    /// analysis's business: `make`, `eval`, `sh -c` there do not make a script unknown).
    func failInScript(_ why: String, _ frame: ScriptFrame) { if frame.file != nil { fail(why) } }

    // MARK: - Walking the AST

    func walk(_ list: CommandList, _ state: inout ScriptState, _ frame: ScriptFrame) {
        for item in list.items {
            for p in item.andOr.pipelines {
                if failure != nil { return }
                if p.commands.count == 1 {
                    command(p.commands[0], &state, frame, inPipeline: false)
                } else {
                    // Each part of a pipeline runs in a subshell.
                    for (k, c) in p.commands.enumerated() {
                        var s = state
                        command(c, &s, frame, inPipeline: k > 0)
                    }
                }
            }
        }
    }

    /// Lists that may or may not run (branches, loop bodies): each on a copy, then merged.
    func branches(_ lists: [CommandList], _ state: inout ScriptState, _ frame: ScriptFrame, mayRunNone: Bool) {
        var results: [ScriptState] = []
        for l in lists {
            var s = state
            walk(l, &s, frame)
            results.append(s)
        }
        if !mayRunNone, let first = results.first {
            state = first
            state.merge(Array(results.dropFirst()))
        } else {
            state.merge(results)
        }
    }

    func command(_ c: Command, _ state: inout ScriptState, _ frame: ScriptFrame, inPipeline: Bool) {
        budget -= 1
        if budget <= 0 { fail("the scripts run more commands than are followed"); return }
        switch c.kind {
        case .simple(let sc):
            simple(sc, &state, frame, inPipeline: inPipeline)
        case .subshell(let l):
            var s = state
            walk(l, &s, frame)
        case .braceGroup(let l):
            walk(l, &state, frame)
        case .ifClause(let ic):
            for b in ic.branches { walk(b.condition, &state, frame) }
            branches(ic.branches.map(\.body) + (ic.elseBody.map { [$0] } ?? []), &state, frame, mayRunNone: ic.elseBody == nil)
        case .caseClause(let cc):
            substitutions([cc.subject], &state, frame)
            branches(cc.items.map(\.body), &state, frame, mayRunNone: true)
        case .loop(let l):
            var s = state
            walk(l.condition, &s, frame)
            walk(l.body, &s, frame)
            state.merge([s])
        case .forClause(let f):
            forLoop(f, &state, frame)
        case .function(let f):
            functions[f.name] = (f.body, frame)
        case .arithmetic, .conditional:
            break
        }
    }

    func forLoop(_ f: ForClause, _ state: inout ScriptState, _ frame: ScriptFrame) {
        var items: [String]? = []
        if let words = f.items {
            substitutions(words, &state, frame)
            for w in words {
                guard let v = state.values.expand(w) else { items = nil; break }
                if isUnquotedGlob(w) {
                    guard let matches = glob(v, state) else { items = nil; break }
                    items? += matches
                } else if w.parts.contains(where: { if case .parameter = $0.kind { return true }; return false }), !isQuoted(w) {
                    items? += v.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
                } else {
                    items?.append(v)
                }
            }
        } else {
            items = nil  // `for x; do`: the positional parameters
        }
        guard let items, items.count <= Self.maxLoopItems else {
            var s = state
            s.set(f.variable, nil)
            walk(f.body, &s, frame)
            state.merge([s])
            state.set(f.variable, nil)
            return
        }
        for v in items {
            if failure != nil { return }
            state.set(f.variable, v)
            walk(f.body, &state, frame)
        }
    }

    func isUnquotedGlob(_ w: Word) -> Bool {
        w.parts.contains { p in
            if case .literal(let t) = p.kind { return t.contains("*") || t.contains("?") || t.contains("[") }
            return false
        }
    }

    func isQuoted(_ w: Word) -> Bool {
        w.parts.allSatisfy { p in
            switch p.kind {
            case .doubleQuoted, .singleQuoted, .ansiCQuoted: return true
            default: return false
            }
        }
    }

    /// The image files a glob in the last path component matches, as the context sends them
    /// to the directory a COPY puts there (sorted, as the shell sorts them); nil when the
    /// directory is not a copy of a context directory.
    func glob(_ pattern: String, _ state: ScriptState) -> [String]? {
        guard let abs = RunEffects.path(pattern, RunEffects.State(cwd: state.cwd, values: state.values)) else { return nil }
        let dir = ImagePath.dirname(abs), name = ImagePath.basename(abs)
        if dir.contains("*") || dir.contains("?") || dir.contains("[") { return nil }
        guard let cdir = graph.contextPath(ofImagePath: dir, stage: id.stage, before: id.index), context.sends(cdir),
              let names = context.files.list(cdir) else { return nil }
        let matched = names.filter { n in
            !n.hasPrefix(".") && ImagePath.globMatch(name, n) && context.sends(ImagePath.contextJoin(cdir, n))
        }.sorted()
        if matched.isEmpty { return [abs] }  // a glob that matches nothing stays as written
        return matched.map { dir == "/" ? "/" + $0 : dir + "/" + $0 }
    }

    /// Commands inside `$(...)` and `<(...)` of `words` run too (in subshells).
    func substitutions(_ words: [Word], _ state: inout ScriptState, _ frame: ScriptFrame) {
        func parts(_ ps: [WordPart]) {
            for p in ps {
                switch p.kind {
                case .doubleQuoted(let inner): parts(inner)
                case .commandSubstitution(let l, _), .processSubstitution(let l, _):
                    var s = state
                    walk(l, &s, frame)
                case .parameter(let pe): if let o = pe.operand { parts(o.parts) }
                default: break
                }
            }
        }
        for w in words { parts(w.parts) }
    }

    // MARK: - Simple commands

    func simple(_ sc: SimpleCommand, _ state: inout ScriptState, _ frame: ScriptFrame, inPipeline: Bool) {
        substitutions(sc.words + sc.assignments.compactMap(\.value) + sc.redirections.map(\.target), &state, frame)
        if failure != nil { return }
        guard !sc.words.isEmpty else {
            for a in sc.assignments { state.set(a.name, a.arrayValue == nil ? a.value.map { state.values.expand($0) } ?? "" : nil) }
            return
        }
        guard let raw = frame.invocations[sc.range] else { fail("a command of a script is not understood"); return }
        let inv = raw.effective
        guard let name = inv.name else {
            if let w = inv.commandWord, w.source.contains("/") {
                fail("runs a program whose path is not known (`\(w.source)`)")
                return
            }
            failInScript("a script runs a program whose name is not known (`\(inv.commandWord?.source ?? "")`)", frame)
            return
        }
        let args = inv.arguments.map { state.values.expand($0) }
        record(inv, args, state, frame)
        switch name {
        case "cd", "pushd":
            guard let k = inv.arguments.indices.first(where: { (args[$0] ?? "x").first != "-" }) else {
                state.cwd = state.values.values["HOME"]
                return
            }
            state.cwd = args[k].flatMap { RunEffects.path($0, RunEffects.State(cwd: state.cwd, values: state.values)) }
            return
        case "popd":
            state.cwd = nil
            return
        case "export", "local", "declare", "typeset", "readonly":
            for (k, w) in inv.arguments.enumerated() {
                let text = args[k] ?? w.unquoted
                guard let eq = text.firstIndex(of: "="), !text.hasPrefix("-") else { continue }
                state.set(String(text[..<eq]), args[k].map { String($0[$0.index(after: eq)...]) })
            }
            return
        case "unset":
            for a in args { if let a, !a.hasPrefix("-") { state.set(a, "") } }
            return
        case "read", "getopts", "mapfile", "readarray":
            for a in args { if let a, !a.hasPrefix("-") { state.set(a, nil) } }
            return
        case "shift":
            let n = args.first.flatMap { $0.flatMap(Int.init) } ?? 1
            guard let count = state.values.values["#"].flatMap(Int.init), count >= n, count <= 9 else {
                for k in 1...9 { state.set(String(k), nil) }
                state.set("#", nil)
                return
            }
            state.bindPositional(n < count ? ((n + 1)...count).map { state.values.values[String($0)] } : [])
            return
        case "set":
            if let k = args.firstIndex(of: "--") { state.bindPositional(Array(args[(k + 1)...])) }
            return
        case "eval":
            failInScript("a script runs `eval`", frame)
            return
        case "make", "gmake":
            failInScript("a script runs make, whose recipes are not read here", frame)
            return
        case "source", ".":
            guard let first = args.first else { return }
            guard let p = first.flatMap({ RunEffects.path($0, RunEffects.State(cwd: state.cwd, values: state.values)) }) else {
                fail("a script sources a file whose path is not known (`\(inv.arguments[0].source)`)")
                return
            }
            let extra = Array(args.dropFirst())
            var s = state
            if !extra.isEmpty { s.bindPositional(extra) }
            follow(p, &s, frame, sc)
            if extra.isEmpty { state = s } else {
                // Its positional parameters were its own.
                let saved = state
                state = s
                for k in 1...9 { state.set(String(k), saved.values.values[String(k)]) }
                state.set("#", saved.values.values["#"])
            }
            return
        default:
            break
        }
        if let (body, defFrame) = functions[name].map({ ($0.body, $0.frame) }) {
            guard stack.count + 1 < Self.maxDepth * 4 else { fail("the scripts call functions too deep"); return }
            let saved = (1...9).map { state.values.values[String($0)] } + [state.values.values["#"]]
            state.bindPositional(args)
            stack.append("function " + name)
            command(body, &state, defFrame, inPipeline: false)
            stack.removeLast()
            for k in 1...9 { state.set(String(k), saved[k - 1]) }
            state.set("#", saved[9])
            return
        }
        // A script run by a shell (`bash x.sh a`), or by its path (`./x.sh a`).
        let shells: Set<String> = ["sh", "bash", "dash", "ash", "ksh", "zsh", "mksh"]
        if shells.contains(name) {
            var k = 0
            while k < args.count, let a = args[k], a.hasPrefix("-") || a.hasPrefix("+") {
                if a == "-c" || (!a.hasPrefix("--") && a.contains("c")) {
                    failInScript("`\(name) -c` runs a command string", frame)
                    return
                }
                if a == "-o" || a == "+o" { k += 1 }
                k += 1
            }
            guard k < args.count else {
                fail("`\(name)` runs a script read from its input\(inPipeline ? " (a download)" : "")")
                return
            }
            guard let p = args[k].flatMap({ RunEffects.path($0, RunEffects.State(cwd: state.cwd, values: state.values)) }) else {
                fail("`\(name)` runs a script whose path is not known (`\(inv.arguments[k].source)`)")
                return
            }
            child(p, Array(args[(k + 1)...]), state, frame, sc, byShell: true)
            return
        }
        if let path = inv.path, path.contains("/") {
            guard let v = inv.commandWord.flatMap({ state.values.expand($0) }),
                  let p = RunEffects.path(v, RunEffects.State(cwd: state.cwd, values: state.values)) else {
                fail("runs a program whose path is not known (`\(inv.commandWord?.source ?? path)`)")
                return
            }
            if PackageCommand.parse(inv) != nil { return }  // `./mvnw`, `./gradlew`: a build tool
            if ["/usr/", "/bin/", "/sbin/", "/lib/"].contains(where: { p.hasPrefix($0) }), contextFile(p) == nil { return }
            child(p, args, state, frame, sc, byShell: false)
        }
    }

    func record(_ inv: CommandInvocation, _ args: [String?], _ state: ScriptState, _ frame: ScriptFrame) {
        guard let file = frame.file else { return }
        var pc = PackageCommand.parse(inv)
        if let p = pc { pc = RunEffects.withKnownArguments(p, inv, RunEffects.State(cwd: state.cwd, values: state.values)) }
        out.append(ScriptCommand(invocation: inv, package: pc, argumentsKnown: args.allSatisfy { $0 != nil }, file: file,
                                 line: frame.line(inv.range.start), cwd: state.cwd, values: state.values, via: frame.via))
    }

    // MARK: - Files

    /// The context path of image file `p` as this stage has it before the RUN; nil when no
    /// COPY of the context puts a file there.
    func contextFile(_ p: String) -> String? {
        guard let cp = graph.contextPath(ofImagePath: p, stage: id.stage, before: id.index), context.sends(cp),
              context.files.isDirectory(cp) == false else { return nil }
        return cp
    }

    func load(_ p: String, _ sc: SimpleCommand, _ frame: ScriptFrame) -> ScriptFrame? {
        guard let cp = contextFile(p) else {
            fail("runs or sources \(p), which is not a script from the build context")
            return nil
        }
        if stack.contains(cp) { fail("\(cp) sources or runs itself (a cycle)"); return nil }
        guard stack.count < Self.maxDepth else { fail("scripts nest deeper than \(Self.maxDepth)"); return nil }
        let script: ShellScript
        if let s = parsed[cp] { script = s } else {
            guard let text = context.files.text(cp) else { fail("\(cp) cannot be read"); return nil }
            bytes += text.utf8.count
            guard bytes <= Self.maxBytes else { fail("the scripts are larger than \(Self.maxBytes) bytes"); return nil }
            script = ShellParser.parse(text)
            parsed[cp] = script
        }
        guard script.errors.isEmpty else { fail("\(cp) does not parse as a shell script"); return nil }
        if !scripts.contains(cp) { scripts.append(cp) }
        ranScript = true
        let via = frame.file.map { frame.via + ["\($0):\(frame.line(sc.range.start))"] } ?? []
        return ScriptFrame(file: cp, script: script, via: via)
    }

    func follow(_ p: String, _ state: inout ScriptState, _ frame: ScriptFrame, _ sc: SimpleCommand) {
        guard let f = load(p, sc, frame), let file = f.file else { return }
        stack.append(file)
        walk(f.script.body, &state, f)
        stack.removeLast()
    }

    /// A script run as a new process: it starts with the RUN's environment, the working
    /// directory and its own positional parameters; what it assigns stays its own.
    func child(_ p: String, _ args: [String?], _ state: ScriptState, _ frame: ScriptFrame, _ sc: SimpleCommand, byShell: Bool) {
        if !byShell, let cp = contextFile(p), let text = context.files.text(cp), !RunScript.isShellShebang(text) {
            fail("runs \(cp), which is not a shell script")
            return
        }
        var s = ScriptState(values: environment, cwd: state.cwd)
        // Exported names pass to the child; the walk does not tell exported from not: only
        // the RUN's environment is known there.
        s.bindPositional(args)
        follow(p, &s, frame, sc)
    }
}
