// The values of shell words in a RUN, as far as the Dockerfile tells: ARG/ENV values in
// scope and the script's own static assignments substituted; anything else unknown.

import DockerlintModel
import DockerlintShell

/// The environment a RUN's shell starts with (ARGs with a value, ENVs) plus what the script
/// assigns, for expanding words and for telling which names are read from the environment.
public struct ShellValues: Sendable {
    /// Values known for names in the environment (or assigned by the script).
    public var values: [String: String]
    /// Names in the RUN's environment that come from this Dockerfile (ARGs with a value, ENVs),
    /// but for those whose value depends on a build argument the file leaves unset.
    public var environmentNames: Set<String>

    public init(values: [String: String], environmentNames: Set<String>) {
        self.values = values
        self.environmentNames = environmentNames
    }

    /// The environment of `mi` as the Dockerfile defines it. `HOME` is known for root.
    public init(_ mi: ModelInstruction) {
        var v: [String: String] = [:]
        var names = Set<String>()
        for s in mi.scope where s.origin != .builtin {
            // A value that depends on a `--build-arg` the file leaves unset is not known.
            guard let value = s.value, !s.dependsOnBuildArgument else { continue }
            v[s.name] = value
            names.insert(s.name)
        }
        if v["HOME"] == nil, mi.runsAsRoot {
            v["HOME"] = "/root"
        }
        self.init(values: v, environmentNames: names)
    }

    /// The value of `w` after expansion and quote removal; nil when a part is unknown
    /// (command substitution, an unknown variable, arithmetic).
    public func expand(_ w: Word) -> String? {
        var out = ""
        return append(w.parts, &out) ? out : nil
    }

    private func append(_ parts: [WordPart], _ out: inout String) -> Bool {
        for p in parts {
            switch p.kind {
            case .literal(let t), .escaped(let t), .singleQuoted(let t), .ansiCQuoted(let t): out += t
            case .doubleQuoted(let inner): if !append(inner, &out) { return false }
            case .parameter(let pe):
                guard let v = parameter(pe) else { return false }
                out += v
            default: return false
            }
        }
        return true
    }

    private func parameter(_ pe: ParameterExpansion) -> String? {
        guard !pe.isIndirect, !pe.isLength, pe.index == nil else { return nil }
        let value = values[pe.name]
        guard let op = pe.op else { return value }
        let operand = pe.operand.flatMap(expand) ?? (pe.operand == nil ? "" : nil)
        switch op {
        case ":-", "-", ":=", "=":
            if let value, !(op.hasPrefix(":") && value.isEmpty) { return value }
            if value == nil, !environmentNames.contains(pe.name), values[pe.name] == nil {
                // Not set by this Dockerfile: may still come from the base image.
                return nil
            }
            return operand
        case ":+", "+":
            guard let value else { return nil }
            if op == ":+" && value.isEmpty { return "" }
            return operand
        default:
            return nil
        }
    }
}

extension Word {
    /// Every parameter name the word expands, command substitutions included, with the byte
    /// offset where it is referenced.
    public var parameterReferences: [(name: String, offset: Int)] {
        var out: [(String, Int)] = []
        func walk(_ parts: [WordPart]) {
            for p in parts {
                switch p.kind {
                case .doubleQuoted(let inner): walk(inner)
                case .parameter(let pe):
                    out.append((pe.name, p.range.start))
                    if let o = pe.operand { walk(o.parts) }
                case .commandSubstitution(let list, _), .processSubstitution(let list, _):
                    for c in list.allSimpleCommands {
                        for w in c.words { out += w.parameterReferences }
                        for a in c.assignments { if let v = a.value { out += v.parameterReferences } }
                        for r in c.redirections { out += r.target.parameterReferences }
                    }
                case .arithmetic(let expr):
                    // Names inside $(( )) are read too.
                    var name = ""
                    for ch in expr + " " {
                        if ch == "_" || ch.isLetter || (!name.isEmpty && ch.isNumber) { name.append(ch) } else {
                            if !name.isEmpty { out.append((name, p.range.start)) }
                            name = ""
                        }
                    }
                default: break
                }
            }
        }
        walk(parts)
        return out
    }
}

extension CommandList {
    /// Every simple command in the list, compound commands entered (not substitutions).
    var allSimpleCommands: [SimpleCommand] {
        allCommands.compactMap { if case .simple(let s) = $0.kind { return s }; return nil }
    }

    /// Every command in the list, compound ones and those inside them (not substitutions).
    var allCommands: [Command] {
        var out: [Command] = []
        func list(_ l: CommandList) { for i in l.items { for p in i.andOr.pipelines { for c in p.commands { command(c) } } } }
        func command(_ c: Command) {
            out.append(c)
            switch c.kind {
            case .simple: break
            case .subshell(let l), .braceGroup(let l): list(l)
            case .ifClause(let ic):
                for b in ic.branches { list(b.condition); list(b.body) }
                if let e = ic.elseBody { list(e) }
            case .forClause(let f): list(f.body)
            case .loop(let l): list(l.condition); list(l.body)
            case .caseClause(let cc): for it in cc.items { list(it.body) }
            case .function(let f): command(f.body)
            case .arithmetic, .conditional: break
            }
        }
        list(self)
        return out
    }
}

extension CommandInvocation {
    /// The command's words as written, joined by one space (for messages).
    public var displayText: String {
        let t = command.words.map(\.source).joined(separator: " ")
        return t.count > 60 ? String(t.prefix(57)) + "..." : t
    }
}
