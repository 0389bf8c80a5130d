// The script level: command lists, and-or lists and pipelines.

extension Parser {
    // MARK: - Script and lists

    mutating func parseScript(source: String) -> ShellScript {
        let body = parseList(stops: [], closeParen: false, caseItem: false)
        if !pending.isEmpty {
            for p in pending {
                error("heredoc '\(String(decoding: p.delimiter, as: UTF8.self))' has no body", at: n)
            }
            pending.removeAll()
        }
        var script = ShellScript(body: body, comments: comments, errors: errors, source: source)
        if !hereDocs.isEmpty { script.body.attachHereDocs(hereDocs) }
        return script
    }

    mutating func parseList(stops: Set<String>, closeParen: Bool, caseItem: Bool) -> CommandList {
        let start = pos
        var items: [CommandList.Item] = []
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth {
            error("nesting too deep", at: pos)
            pos = n
            return CommandList(items: [], range: range(start, n))
        }
        while true {
            skipBlanks()
            if pos < n, bytes[pos] == 0x0A {
                if let last = items.indices.last, items[last].separator == nil {
                    items[last].separator = .newline
                }
                consumeNewline()
                continue
            }
            if atEnd { break }
            let b = bytes[pos]
            if b == 0x29 {  // ')'
                if closeParen || caseItem { break }
                error("unexpected ')'", at: pos)
                pos += 1
                continue
            }
            if caseItem, b == 0x3B, at(pos + 1) == 0x3B || at(pos + 1) == 0x26 { break }
            if let w = peekReservedWord(), stops.contains(w) || (caseItem && w == "esac") { break }
            if let last = items.last, last.separator == nil {
                // Two commands with nothing between them: the previous one ended at a
                // token it could not take (for example `}` or `fi` out of place).
                error("unexpected '\(tokenText())'", at: pos)
                skipToken()
                continue
            }
            let before = pos
            guard let andOr = parseAndOr() else {
                error("unexpected '\(tokenText())'", at: pos)
                if pos == before { skipToken() }
                continue
            }
            var item = CommandList.Item(andOr: andOr, separator: nil)
            skipBlanks()
            if pos < n {
                let s = bytes[pos]
                if s == 0x3B, at(pos + 1) != 0x3B, at(pos + 1) != 0x26 {
                    item.separator = .semicolon
                    pos += 1
                } else if s == 0x26, at(pos + 1) != 0x26, at(pos + 1) != 0x3E {
                    item.separator = .background
                    pos += 1
                } else if s == 0x0A {
                    item.separator = .newline
                    consumeNewline()
                }
            }
            items.append(item)
            if pos == before { skipToken() }
        }
        let end = items.last?.andOr.range.end ?? off(start)
        return CommandList(items: items, range: ByteRange(items.first?.andOr.range.start ?? off(start), end))
    }

    /// A short description of the token at `pos` for error messages.
    func tokenText() -> String {
        if atEnd { return "end of input" }
        var i = pos
        if Parser.isMeta(bytes[i]) {
            while i < n, i - pos < 3, Parser.isMeta(bytes[i]), bytes[i] != 0x20, bytes[i] != 0x09 { i += 1 }
            if i == pos { i += 1 }
            let t = text(pos, i)
            return t == "\n" ? "newline" : t
        }
        while i < n, !Parser.isMeta(bytes[i]), i - pos < 20 { i += 1 }
        return text(pos, i)
    }

    /// Skips one token for error recovery (always advances).
    mutating func skipToken() {
        if atEnd { return }
        if Parser.isMeta(bytes[pos]) {
            if bytes[pos] == 0x0A { consumeNewline() } else { pos += 1 }
            return
        }
        let start = pos
        _ = parseWord(mode: .normal)
        if pos == start { pos += 1 }
    }

    mutating func parseAndOr() -> AndOrList? {
        guard let first = parsePipeline() else { return nil }
        var pipelines = [first]
        var ops: [AndOrOperator] = []
        while true {
            skipBlanks()
            let op: AndOrOperator
            if c() == 0x26, c(1) == 0x26 { op = .and } else if c() == 0x7C, c(1) == 0x7C { op = .or } else { break }
            let opPos = pos
            pos += 2
            skipBlanksAndNewlines()
            guard let next = parsePipeline() else {
                error("expected a command after '\(op.rawValue)'", at: atEnd ? opPos : pos)
                break
            }
            ops.append(op)
            pipelines.append(next)
        }
        return AndOrList(pipelines: pipelines, operators: ops,
                         range: ByteRange(first.range.start, pipelines.last!.range.end))
    }

    mutating func parsePipeline() -> Pipeline? {
        skipBlanks()
        let start = pos
        var negated = false
        var timed = false
        while true {
            if peekReservedWord() == "time" {
                timed = true
                pos += 4
                skipBlanks()
                if c() == 0x2D, c(1) == 0x70, Parser.isMeta(c(2)) || pos + 2 >= n {
                    pos += 2
                    skipBlanks()
                }
                continue
            }
            if c() == 0x21, pos + 1 >= n || Parser.isMeta(c(1)) {
                negated = true
                pos += 1
                skipBlanks()
                continue
            }
            break
        }
        guard let first = parseCommand() else {
            if negated || timed {
                // `!` alone is a valid (if odd) pipeline in bash; report nothing special.
                if negated, !timed { error("expected a command after '!'", at: pos) }
            }
            if pos != start, !(negated || timed) { pos = start }
            return nil
        }
        var commands = [first]
        var ops: [PipeOperator] = []
        while true {
            skipBlanks()
            guard c() == 0x7C, c(1) != 0x7C else { break }
            let opPos = pos
            let op: PipeOperator = c(1) == 0x26 ? .pipeAll : .pipe
            pos += op == .pipeAll ? 2 : 1
            skipBlanksAndNewlines()
            guard let next = parseCommand() else {
                error("expected a command after '\(op.rawValue)'", at: atEnd ? opPos : pos)
                break
            }
            ops.append(op)
            commands.append(next)
        }
        return Pipeline(negated: negated, timed: timed, commands: commands, operators: ops,
                        range: ByteRange(off(start), commands.last!.range.end))
    }
}
