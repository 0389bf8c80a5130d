// A compact, stable S-expression rendering of the AST, for tests and debugging.

extension ShellScript {
    /// The AST as an S-expression, e.g. `(and (cmd "a") (pipe (cmd "b") (cmd "c")))`.
    public var outline: String { body.outline }
}

extension CommandList {
    public var outline: String {
        let parts = items.map { item -> String in
            let s = item.andOr.outline
            switch item.separator {
            case .background?: return "(bg \(s))"
            default: return s
            }
        }
        return parts.count == 1 ? parts[0] : "(seq \(parts.joined(separator: " ")))"
    }
}

extension AndOrList {
    public var outline: String {
        var s = pipelines[0].outline
        for (i, op) in operators.enumerated() {
            s = "(\(op == .and ? "and" : "or") \(s) \(pipelines[i + 1].outline))"
        }
        return s
    }
}

extension Pipeline {
    public var outline: String {
        var s = commands.count == 1 ? commands[0].outline
            : "(\(operators.contains(.pipeAll) ? "pipe&" : "pipe") \(commands.map(\.outline).joined(separator: " ")))"
        if negated { s = "(not \(s))" }
        if timed { s = "(time \(s))" }
        return s
    }
}

extension Command {
    public var outline: String {
        var s: String
        switch kind {
        case .simple(let c):
            var items: [String] = c.assignments.map { a in
                if let arr = a.arrayValue { return "\(a.name)=(\(arr.map(\.outline).joined(separator: " ")))" }
                return "\(a.name)\(a.append ? "+=" : "=")\(a.value?.outline ?? "\"\"")"
            }
            items += c.words.map(\.outline)
            items += c.redirections.map(\.outline)
            return "(cmd \(items.joined(separator: " ")))"
        case .subshell(let l): s = "(subshell \(l.outline))"
        case .braceGroup(let l): s = "(group \(l.outline))"
        case .ifClause(let c):
            var parts = c.branches.map { "\($0.condition.outline) \($0.body.outline)" }
            if let e = c.elseBody { parts.append("(else \(e.outline))") }
            s = "(if \(parts.joined(separator: " ")))"
        case .forClause(let f):
            if let a = f.arithmetic { s = "(for ((\(a))) \(f.body.outline))" } else {
                s = "(for \(f.variable)\(f.items.map { " in [" + $0.map(\.outline).joined(separator: " ") + "]" } ?? "") \(f.body.outline))"
            }
        case .loop(let l): s = "(\(l.isUntil ? "until" : "while") \(l.condition.outline) \(l.body.outline))"
        case .caseClause(let c):
            s = "(case \(c.subject.outline)" + c.items.map { " ([\($0.patterns.map(\.outline).joined(separator: "|"))] \($0.body.items.isEmpty ? "()" : $0.body.outline))" }.joined() + ")"
        case .function(let f): s = "(function \(f.name) \(f.body.outline))"
        case .arithmetic(let e): s = "(arith \"\(e)\")"
        case .conditional(let ws): s = "([[ \(ws.map(\.outline).joined(separator: " ")))"
        }
        if !redirections.isEmpty { s = "(redir \(s) \(redirections.map(\.outline).joined(separator: " ")))" }
        return s
    }
}

extension Redirection {
    public var outline: String {
        var s = "\(fd.map(String.init) ?? "")\(op.rawValue)\(target.outline)"
        if let h = hereDoc { s += "{\(escapeForOutline(h.body))}" }
        return s
    }
}

func escapeForOutline(_ s: String) -> String {
    var out = ""
    for ch in s {
        switch ch {
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        default: out.append(ch)
        }
    }
    return out
}

extension Word {
    /// Static words render as a quoted value; others list their parts.
    public var outline: String {
        if let v = staticValue { return "\"\(escapeForOutline(v))\"" }
        return "[" + parts.map(\.outline).joined(separator: " ") + "]"
    }
}

extension WordPart {
    public var outline: String {
        switch kind {
        case .literal(let t), .escaped(let t), .singleQuoted(let t), .ansiCQuoted(let t): return "\"\(escapeForOutline(t))\""
        case .doubleQuoted(let parts): return "(dq " + parts.map(\.outline).joined(separator: " ") + ")"
        case .parameter(let p):
            var s = "$" + (p.isLength ? "#" : "") + (p.isIndirect ? "!" : "") + p.name
            if let i = p.index { s += "[\(i)]" }
            if let op = p.op { s += op + (p.operand?.outline ?? "") }
            return p.braced ? "${\(s.dropFirst())}" : s
        case .commandSubstitution(let l, let bq): return "(\(bq ? "bq" : "sub") \(l.items.isEmpty ? "()" : l.outline))"
        case .arithmetic(let e): return "(arith \"\(e)\")"
        case .processSubstitution(let l, let input): return "(\(input ? "<" : ">")proc \(l.outline))"
        }
    }
}
