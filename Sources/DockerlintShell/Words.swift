// Static values of words, and the post-parse pass that attaches heredoc bodies.

extension WordPart {
    /// True when the part's value does not depend on expansions.
    public var isStatic: Bool {
        switch kind {
        case .literal, .escaped, .singleQuoted, .ansiCQuoted: return true
        case .doubleQuoted(let parts): return parts.allSatisfy(\.isStatic)
        default: return false
        }
    }

    func appendUnquoted(to s: inout String) {
        switch kind {
        case .literal(let t), .escaped(let t), .singleQuoted(let t), .ansiCQuoted(let t): s += t
        case .doubleQuoted(let parts): for p in parts { p.appendUnquoted(to: &s) }
        default: s += source
        }
    }
}

extension Word {
    /// The value after quote removal when the word contains no expansion; nil otherwise.
    /// Glob characters and a leading `~` are kept as written (see `hasUnquotedGlob`).
    public var staticValue: String? {
        guard isStatic else { return nil }
        return unquoted
    }

    /// True when the word contains no parameter, command or arithmetic expansion.
    public var isStatic: Bool { parts.allSatisfy(\.isStatic) }

    /// The value after quote removal, with each expansion kept as its source text
    /// (`"foo=${V}"` gives `foo=${V}`). Useful for pin checks on non-static words.
    public var unquoted: String {
        if parts.count == 1, case .literal(let t) = parts[0].kind { return t }
        var s = ""
        for p in parts { p.appendUnquoted(to: &s) }
        return s
    }

    /// True when an unquoted literal part contains `*`, `?` or `[`.
    public var hasUnquotedGlob: Bool {
        parts.contains { p in
            if case .literal(let t) = p.kind { return t.utf8.contains { $0 == 0x2A || $0 == 0x3F || $0 == 0x5B } }
            return false
        }
    }

    /// True when any part is quoted (single, double, `$'...'`) or escaped.
    public var hasQuotes: Bool {
        parts.contains { p in
            switch p.kind {
            case .singleQuoted, .doubleQuoted, .ansiCQuoted, .escaped: return true
            default: return false
            }
        }
    }

    /// The static value together with the source offset of each of its UTF-8 bytes (plus
    /// one end entry), for parsing the value again (`sh -c '...'`) with exact offsets.
    public var staticValueWithOffsets: (value: String, offsets: [Int])? {
        isStatic ? valueWithOffsets : nil
    }

    /// The value after quote removal with each expansion kept as its source text (as
    /// `unquoted`), together with the source offset of each of its UTF-8 bytes (plus one end
    /// entry): `sh -c "apt-get install $PKGS && rm -rf /var/lib/apt/lists/*"` read as the
    /// script the inner shell runs, with exact offsets.
    public var valueWithOffsets: (value: String, offsets: [Int]) {
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        func add(_ parts: [WordPart]) {
            for p in parts {
                switch p.kind {
                case .literal(let t):
                    var k = 0
                    for b in t.utf8 { bytes.append(b); offsets.append(min(p.range.start + k, max(p.range.end - 1, p.range.start))); k += 1 }
                case .singleQuoted(let t):
                    var k = 0
                    for b in t.utf8 { bytes.append(b); offsets.append(p.range.start + 1 + k); k += 1 }
                case .escaped(let t):
                    var k = 0
                    for b in t.utf8 { bytes.append(b); offsets.append(p.range.start + 1 + k); k += 1 }
                case .ansiCQuoted(let t):
                    for b in t.utf8 { bytes.append(b); offsets.append(p.range.start + 2) }
                case .doubleQuoted(let inner):
                    add(inner)
                default:
                    // An expansion: its source text, byte for byte where it is written.
                    var k = 0
                    for b in p.source.utf8 { bytes.append(b); offsets.append(min(p.range.start + k, max(p.range.end - 1, p.range.start))); k += 1 }
                }
            }
        }
        add(parts)
        var endOffset = range.end
        if let last = parts.last {
            switch last.kind {
            case .singleQuoted, .doubleQuoted, .ansiCQuoted: endOffset = last.range.end - 1
            default: endOffset = last.range.end
            }
        }
        offsets.append(max(endOffset, offsets.last ?? endOffset))
        return (String(decoding: bytes, as: UTF8.self), offsets)
    }
}

// MARK: - Attaching heredoc bodies

extension CommandList {
    mutating func attachHereDocs(_ docs: [Int: HereDoc]) {
        for i in items.indices { items[i].andOr.attachHereDocs(docs) }
    }
}

extension AndOrList {
    mutating func attachHereDocs(_ docs: [Int: HereDoc]) {
        for i in pipelines.indices {
            for j in pipelines[i].commands.indices { pipelines[i].commands[j].attachHereDocs(docs) }
        }
    }
}

extension Redirection {
    mutating func attachHereDocs(_ docs: [Int: HereDoc]) {
        if op == .hereDoc || op == .hereDocStripTabs, hereDoc == nil, let d = docs[range.start] { hereDoc = d }
        target.attachHereDocs(docs)
    }
}

extension Word {
    mutating func attachHereDocs(_ docs: [Int: HereDoc]) {
        for i in parts.indices { parts[i].attachHereDocs(docs) }
    }
}

extension WordPart {
    mutating func attachHereDocs(_ docs: [Int: HereDoc]) {
        switch kind {
        case .doubleQuoted(var inner):
            for i in inner.indices { inner[i].attachHereDocs(docs) }
            kind = .doubleQuoted(inner)
        case .commandSubstitution(var list, let bq):
            list.attachHereDocs(docs)
            kind = .commandSubstitution(list, backquoted: bq)
        case .processSubstitution(var list, let input):
            list.attachHereDocs(docs)
            kind = .processSubstitution(list, input: input)
        case .parameter(var pe):
            if var w = pe.operand {
                w.attachHereDocs(docs)
                pe.operand = w
                kind = .parameter(pe)
            }
        default: break
        }
    }
}

extension Command {
    mutating func attachHereDocs(_ docs: [Int: HereDoc]) {
        for i in redirections.indices { redirections[i].attachHereDocs(docs) }
        switch kind {
        case .simple(var s):
            for i in s.redirections.indices { s.redirections[i].attachHereDocs(docs) }
            for i in s.words.indices { s.words[i].attachHereDocs(docs) }
            for i in s.assignments.indices { s.assignments[i].value?.attachHereDocs(docs) }
            kind = .simple(s)
        case .subshell(var l):
            l.attachHereDocs(docs); kind = .subshell(l)
        case .braceGroup(var l):
            l.attachHereDocs(docs); kind = .braceGroup(l)
        case .ifClause(var c):
            for i in c.branches.indices {
                c.branches[i].condition.attachHereDocs(docs)
                c.branches[i].body.attachHereDocs(docs)
            }
            c.elseBody?.attachHereDocs(docs)
            kind = .ifClause(c)
        case .forClause(var f):
            f.body.attachHereDocs(docs); kind = .forClause(f)
        case .loop(var l):
            l.condition.attachHereDocs(docs); l.body.attachHereDocs(docs); kind = .loop(l)
        case .caseClause(var c):
            for i in c.items.indices { c.items[i].body.attachHereDocs(docs) }
            kind = .caseClause(c)
        case .function(var f):
            f.body.attachHereDocs(docs); kind = .function(f)
        case .arithmetic, .conditional: break
        }
    }
}
