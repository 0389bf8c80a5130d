// The convenience layer rules use: every simple command in a script (recursing into
// compound commands, substitutions and static `sh -c '...'` strings), with its name,
// static arguments, position and the operator joining it to the next command.

/// How a command is joined to whatever follows it.
public enum CommandJoiner: String, Hashable, Sendable {
    case and = "&&"
    case or = "||"
    case pipe = "|"
    case pipeAll = "|&"
    case semicolon = ";"
    case background = "&"
    case newline = "\n"
}

/// The constructs a command sits inside, outermost first.
public enum CommandContext: Hashable, Sendable {
    case subshell
    case braceGroup
    case commandSubstitution
    case processSubstitution
    /// The static script of `sh -c '...'` (or bash/dash/ash/zsh/ksh, `su -c`).
    case shellString
    /// A heredoc fed to a shell's standard input (`bash <<EOF ... EOF`).
    case hereDocScript
    /// The condition of `if`/`elif`/`while`/`until`.
    case condition
    /// The body of `if`/`elif`/`else`.
    case conditionalBody
    case loopBody
    case caseItem
    case function(String)
    /// The command after a wrapper such as `sudo` or `env` (see `effective`).
    case wrapped(String)
}

/// One simple command found in a script.
public struct CommandInvocation: Hashable, Sendable {
    /// The syntax node.
    public var command: SimpleCommand
    /// The command word (first word), if any.
    public var commandWord: Word?
    /// The static command word as written (`/usr/bin/apt-get`), nil when dynamic.
    public var path: String?
    /// The basename of `path` (`apt-get`), nil when the command word is dynamic or absent.
    public var name: String?
    /// The words after the command word.
    public var arguments: [Word]
    /// Assignments before the command (`A=1 cmd`).
    public var assignments: [Assignment]
    public var range: ByteRange
    /// True when the command is part of a pipeline of two or more commands.
    public var isInPipeline: Bool
    /// Index within its pipeline.
    public var pipelineIndex: Int
    /// The operator after this command (`|` inside a pipeline, else `&&`/`||`, else the
    /// list separator), nil at the end of its list.
    public var nextOperator: CommandJoiner?
    /// The operator before this command, nil at the start of its list.
    public var previousOperator: CommandJoiner?
    /// Enclosing constructs, outermost first.
    public var contexts: [CommandContext]
    /// Wrapper commands stripped to reach this one (`sudo`, `env`, ...), outermost first.
    public var wrappers: [String]

    /// The static value of each argument (nil where dynamic).
    public var argumentValues: [String?] { arguments.map(\.staticValue) }

    /// True when some argument's static value equals `value`.
    public func hasArgument(_ value: String) -> Bool { arguments.contains { $0.staticValue == value } }

    /// True when `-x` (in any short cluster such as `-xyz`) or `--long` / `--long=value`
    /// appears before `--`. Pass names without dashes; one character means a short flag.
    public func hasFlag(_ names: String...) -> Bool {
        for a in arguments {
            guard let v = a.staticValue else { continue }
            if v == "--" { return false }
            for name in names {
                if name.count == 1 {
                    if v.hasPrefix("-"), !v.hasPrefix("--"), v.count > 1, v.dropFirst().contains(Character(name)) { return true }
                } else if v == "--" + name || v.hasPrefix("--" + name + "=") {
                    return true
                }
            }
        }
        return false
    }

    /// The command run through wrappers: `sudo -u x apt-get install` → `apt-get install`.
    /// Returns self when the command is not a wrapper. Handles sudo, env, nice, nohup,
    /// exec, command, builtin, time, stdbuf, timeout, xargs, gosu, su-exec, chroot,
    /// tini/dumb-init.
    public var effective: CommandInvocation {
        var cur = self
        var guardCount = 0
        while guardCount < 8, let next = cur.unwrapOnce() {
            cur = next
            guardCount += 1
        }
        return cur
    }

    func unwrapOnce() -> CommandInvocation? {
        guard let name else { return nil }
        let args = arguments
        var i = 0
        func value(_ k: Int) -> String? { k < args.count ? args[k].staticValue : nil }
        func skipOptions(withValues: Set<String>, longWithValues: Set<String> = [], allowNumeric: Bool = false) {
            while i < args.count, let v = value(i), v.hasPrefix("-"), v != "-" {
                if v == "--" { i += 1; return }
                if v.hasPrefix("--") {
                    let key = String(v.dropFirst(2).prefix { $0 != "=" })
                    i += 1
                    if !v.contains("="), longWithValues.contains(key) { i += 1 }
                    continue
                }
                if allowNumeric, v.dropFirst().allSatisfy(\.isNumber) { i += 1; continue }
                let flags = Array(v.dropFirst())
                i += 1
                for (k, f) in flags.enumerated() where withValues.contains(String(f)) {
                    if k == flags.count - 1 { i += 1 }
                    break
                }
            }
        }
        switch name {
        case "sudo":
            skipOptions(withValues: ["u", "g", "C", "h", "p", "U", "r", "t", "D", "T"],
                        longWithValues: ["user", "group", "close-from", "host", "prompt", "other-user", "role", "type", "chdir", "command-timeout"])
        case "env":
            while i < args.count {
                guard let v = value(i) else { break }
                if v == "-u" || v == "-C" || v == "-S" || v == "--unset" || v == "--chdir" || v == "--split-string" { i += 2; continue }
                if v.hasPrefix("-") { i += 1; continue }
                if v.contains("="), let f = v.first, f == "_" || f.isLetter { i += 1; continue }
                break
            }
        case "nice": skipOptions(withValues: ["n"], longWithValues: ["adjustment"], allowNumeric: true)
        case "nohup", "builtin": if value(0) == "--" { i = 1 }
        case "exec": skipOptions(withValues: ["a"])
        case "command":
            if let v = value(0), v == "-v" || v == "-V" { return nil }
            skipOptions(withValues: [])
        case "time": skipOptions(withValues: ["o", "f"], longWithValues: ["output", "format"])
        case "stdbuf": skipOptions(withValues: ["i", "o", "e"], longWithValues: ["input", "output", "error"])
        case "timeout":
            skipOptions(withValues: ["s", "k"], longWithValues: ["signal", "kill-after"])
            i += 1
        case "xargs":
            skipOptions(withValues: ["I", "n", "P", "L", "d", "E", "s", "a", "i", "l", "e"],
                        longWithValues: ["max-args", "max-procs", "max-lines", "delimiter", "eof", "max-chars", "arg-file", "replace", "process-slot-var"])
        case "gosu", "su-exec", "chroot":
            skipOptions(withValues: [])
            i += 1
        case "tini", "dumb-init":
            skipOptions(withValues: ["s", "p", "e", "l", "g"])
        default:
            return nil
        }
        guard i < args.count else { return nil }
        var next = self
        next.commandWord = args[i]
        next.path = args[i].staticValue
        next.name = next.path.map(basename)
        next.arguments = Array(args[(i + 1)...])
        next.wrappers.append(name)
        next.contexts.append(.wrapped(name))
        return next
    }
}

func basename(_ path: String) -> String {
    // Most command names hold no slash: they are their own basename.
    if !path.utf8.contains(UInt8(ascii: "/")) { return path }
    var p = Substring(path)
    while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
    if let slash = p.lastIndex(of: "/") { return String(p[p.index(after: slash)...]) }
    return String(p)
}

private let shellNames: Set<String> = ["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "busybox"]

extension CommandInvocation {
    /// For `sh -c 'script'` (any shell above, any option cluster containing `c`) and
    /// `su [user] -c 'script'`, the word holding the script.
    public var shellCommandStringWord: Word? {
        let eff = self
        guard let name = eff.name else { return nil }
        let args = eff.arguments
        if name == "su" || name == "runuser" {
            for (k, a) in args.enumerated() {
                let v = a.staticValue
                if v == "-c" || v == "--command", k + 1 < args.count { return args[k + 1] }
                if let v, v.hasPrefix("--command=") { return nil }
            }
            return nil
        }
        guard shellNames.contains(name) else { return nil }
        var k = 0
        if name == "busybox" {
            guard let v = args.first?.staticValue, v == "sh" || v == "ash" else { return nil }
            k = 1
        }
        var sawC = false
        while k < args.count {
            guard let v = args[k].staticValue else { return sawC ? args[k] : nil }
            if v == "--" { k += 1; continue }
            if (v.hasPrefix("-") || v.hasPrefix("+")), v.count > 1, !v.hasPrefix("--") {
                if v.contains("c") { sawC = true }
                if v.hasSuffix("o") || v.hasSuffix("O") { k += 1 }
                k += 1
                continue
            }
            if v.hasPrefix("--") { k += 1; continue }
            return sawC ? args[k] : nil
        }
        return nil
    }
}

extension CommandInvocation {
    /// For a shell reading its script from a heredoc (`bash <<EOF`, `sh -s <<'EOF'`,
    /// no `-c`, no script file operand), the heredoc.
    public var shellStdinHereDoc: HereDoc? {
        guard let name, shellNames.contains(name), name != "busybox" else { return nil }
        for a in arguments {
            guard let v = a.staticValue, v.hasPrefix("-") || v.hasPrefix("+") else { return nil }
            if !v.hasPrefix("--"), v.contains("c") { return nil }
        }
        return command.redirections.last { ($0.op == .hereDoc || $0.op == .hereDocStripTabs) && ($0.fd ?? 0) == 0 }?.hereDoc
    }
}

extension ShellScript {
    /// Every simple command in source order (an enclosing command before the commands in
    /// its substitutions), recursing into compound commands, command and process
    /// substitutions and static `sh -c` strings. Wrappers are kept as written; use
    /// `effective` on each result to see through `sudo`, `env`, ...
    public var commands: [CommandInvocation] {
        var out: [CommandInvocation] = []
        var walker = CommandWalker(out: [], depth: 0)
        walker.walk(body, contexts: [])
        out = walker.out
        return out
    }

    /// Commands whose effective name (after unwrapping `sudo`, `env`, ...) is one of `names`.
    public func commands(named names: String...) -> [CommandInvocation] {
        let set = Set(names)
        return commands.map(\.effective).filter { $0.name.map(set.contains) ?? false }
    }

    /// All `cd` (and `pushd`) invocations.
    public var cdUsages: [CommandInvocation] { commands(named: "cd", "pushd") }

    /// Shell option changes made with `set` (`-e`, `-o pipefail`, `+o pipefail`, ...), in
    /// source order. Short flags map to long names (e → errexit, u → nounset,
    /// x → xtrace, v → verbose, f → noglob, n → noexec, a → allexport, C → noclobber).
    public var optionChanges: [ShellOptionChange] { Self.optionChanges(effective: commands.map(\.effective)) }

    /// `optionChanges` of the script whose commands, seen through wrappers, are `effective`.
    public static func optionChanges(effective: [CommandInvocation]) -> [ShellOptionChange] {
        var out: [ShellOptionChange] = []
        for cmd in effective where cmd.name == "set" {
            var k = 0
            let args = cmd.arguments
            while k < args.count {
                guard let v = args[k].staticValue else { k += 1; continue }
                guard let sign = v.first, sign == "-" || sign == "+", v.count > 1, v != "--" else { break }
                let enabled = sign == "-"
                var flagsConsumedValue = false
                for f in v.dropFirst() {
                    if f == "o" {
                        if k + 1 < args.count, let name = args[k + 1].staticValue, !flagsConsumedValue {
                            out.append(ShellOptionChange(option: name, enabled: enabled, range: args[k + 1].range))
                            flagsConsumedValue = true
                        }
                    } else if let long = shortOptionNames[f] {
                        out.append(ShellOptionChange(option: long, enabled: enabled, range: args[k].range))
                    }
                }
                k += flagsConsumedValue ? 2 : 1
            }
        }
        return out
    }

    /// True when `set -o pipefail` (or `-eo pipefail`, ...) is in effect at the end.
    public var setsPipefail: Bool {
        var on = false
        for c in optionChanges where c.option == "pipefail" { on = c.enabled }
        return on
    }

    /// True when pipefail is switched on before `offset`.
    public func pipefailEnabled(before offset: Int) -> Bool { Self.pipefailEnabled(before: offset, in: optionChanges) }

    /// `pipefailEnabled(before:)` given the script's `optionChanges`.
    public static func pipefailEnabled(before offset: Int, in changes: [ShellOptionChange]) -> Bool {
        var on = false
        for c in changes where c.option == "pipefail" && c.range.start < offset { on = c.enabled }
        return on
    }

    /// Every pipeline with two or more commands, recursively (not inside `sh -c` strings).
    public var pipelines: [Pipeline] {
        var out: [Pipeline] = []
        func list(_ l: CommandList) { for item in l.items { for p in item.andOr.pipelines { pipeline(p) } } }
        func pipeline(_ p: Pipeline) {
            if p.commands.count > 1 { out.append(p) }
            for c in p.commands { command(c) }
        }
        func words(_ ws: [Word]) { for w in ws { for part in w.parts { wordPart(part) } } }
        func wordPart(_ part: WordPart) {
            switch part.kind {
            case .commandSubstitution(let l, _), .processSubstitution(let l, _): list(l)
            case .doubleQuoted(let inner): for q in inner { wordPart(q) }
            default: break
            }
        }
        func command(_ c: Command) {
            switch c.kind {
            case .simple(let s): words(s.words); words(s.assignments.compactMap(\.value))
            case .subshell(let l), .braceGroup(let l): list(l)
            case .ifClause(let i):
                for b in i.branches { list(b.condition); list(b.body) }
                if let e = i.elseBody { list(e) }
            case .forClause(let f): list(f.body)
            case .loop(let l): list(l.condition); list(l.body)
            case .caseClause(let cc): for it in cc.items { list(it.body) }
            case .function(let f): command(f.body)
            case .arithmetic, .conditional: break
            }
        }
        list(body)
        return out
    }

    /// True when any pipeline joins two or more commands (including in `sh -c` strings).
    public var hasPipes: Bool { commands.contains { $0.isInPipeline } }
}

private let shortOptionNames: [Character: String] = [
    "e": "errexit", "u": "nounset", "x": "xtrace", "v": "verbose", "f": "noglob",
    "n": "noexec", "a": "allexport", "C": "noclobber", "b": "notify", "h": "hashall", "m": "monitor",
]

/// One `set` option change.
public struct ShellOptionChange: Hashable, Sendable {
    public var option: String
    public var enabled: Bool
    public var range: ByteRange
    public init(option: String, enabled: Bool, range: ByteRange) {
        self.option = option
        self.enabled = enabled
        self.range = range
    }
}

struct CommandWalker {
    var out: [CommandInvocation]
    var depth: Int

    mutating func walk(_ list: CommandList, contexts: [CommandContext]) {
        var previous: CommandJoiner?
        for item in list.items {
            let andOr = item.andOr
            for (pi, p) in andOr.pipelines.enumerated() {
                let afterPipeline: CommandJoiner? = pi < andOr.operators.count
                    ? (andOr.operators[pi] == .and ? .and : .or)
                    : item.separator.map { s in s == .semicolon ? .semicolon : s == .background ? .background : .newline }
                for (ci, c) in p.commands.enumerated() {
                    let next: CommandJoiner? = ci < p.operators.count ? (p.operators[ci] == .pipe ? .pipe : .pipeAll) : afterPipeline
                    walkCommand(c, contexts: contexts, inPipeline: p.commands.count > 1, index: ci, previous: previous, next: next)
                    previous = next
                }
            }
        }
    }

    mutating func walkCommand(_ c: Command, contexts: [CommandContext], inPipeline: Bool, index: Int,
                              previous: CommandJoiner?, next: CommandJoiner?) {
        for r in c.redirections { walkWord(r.target, contexts: contexts) }
        switch c.kind {
        case .simple(let s):
            let first = s.words.first
            let path = first?.staticValue
            let inv = CommandInvocation(
                command: s, commandWord: first, path: path, name: path.map(basename),
                arguments: Array(s.words.dropFirst()), assignments: s.assignments, range: s.range,
                isInPipeline: inPipeline, pipelineIndex: index, nextOperator: next, previousOperator: previous,
                contexts: contexts, wrappers: [])
            out.append(inv)
            for a in s.assignments {
                if let v = a.value { walkWord(v, contexts: contexts) }
                for w in a.arrayValue ?? [] { walkWord(w, contexts: contexts) }
            }
            for w in s.words { walkWord(w, contexts: contexts) }
            for r in s.redirections { walkWord(r.target, contexts: contexts) }
            let eff = inv.effective
            // The script of `sh -c '…'`; expansions in it (`sh -c "apt-get install $PKGS"`) are
            // kept as written, which is what the inner shell expands.
            if depth < 8, let scriptWord = eff.shellCommandStringWord {
                let (value, offsets) = scriptWord.valueWithOffsets
                let nested = ShellParser.parse(value, offsetMap: offsets)
                depth += 1
                walk(nested.body, contexts: contexts + [.shellString])
                depth -= 1
            } else if depth < 8, let doc = eff.shellStdinHereDoc {
                let nested = ShellParser.parse(doc.body, offsetMap: doc.bodyOffsets)
                depth += 1
                walk(nested.body, contexts: contexts + [.hereDocScript])
                depth -= 1
            }
        case .subshell(let l): walk(l, contexts: contexts + [.subshell])
        case .braceGroup(let l): walk(l, contexts: contexts + [.braceGroup])
        case .ifClause(let i):
            for b in i.branches {
                walk(b.condition, contexts: contexts + [.condition])
                walk(b.body, contexts: contexts + [.conditionalBody])
            }
            if let e = i.elseBody { walk(e, contexts: contexts + [.conditionalBody]) }
        case .forClause(let f):
            for w in f.items ?? [] { walkWord(w, contexts: contexts) }
            walk(f.body, contexts: contexts + [.loopBody])
        case .loop(let l):
            walk(l.condition, contexts: contexts + [.condition])
            walk(l.body, contexts: contexts + [.loopBody])
        case .caseClause(let cc):
            walkWord(cc.subject, contexts: contexts)
            for it in cc.items { walk(it.body, contexts: contexts + [.caseItem]) }
        case .function(let f):
            walkCommand(f.body, contexts: contexts + [.function(f.name)], inPipeline: false, index: 0, previous: nil, next: nil)
        case .arithmetic: break
        case .conditional(let ws): for w in ws { walkWord(w, contexts: contexts) }
        }
    }

    mutating func walkWord(_ w: Word, contexts: [CommandContext]) {
        for p in w.parts { walkPart(p, contexts: contexts) }
    }

    mutating func walkPart(_ p: WordPart, contexts: [CommandContext]) {
        switch p.kind {
        case .commandSubstitution(let l, _): walk(l, contexts: contexts + [.commandSubstitution])
        case .processSubstitution(let l, _): walk(l, contexts: contexts + [.processSubstitution])
        case .doubleQuoted(let inner): for q in inner { walkPart(q, contexts: contexts) }
        case .parameter(let pe): if let w = pe.operand { walkWord(w, contexts: contexts) }
        default: break
        }
    }
}
