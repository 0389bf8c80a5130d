// Commands: compound commands (if, for, case, functions, [[ ]]), simple commands,
// assignments and redirections.

extension Parser {
    // MARK: - Commands

    mutating func parseCommand() -> Command? {
        skipBlanks()
        if atEnd { return nil }
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth {
            error("nesting too deep", at: pos)
            pos = n
            return nil
        }
        let start = pos
        let b = bytes[pos]
        if b == 0x28 {  // '('
            if c(1) == 0x28, let end = matchDoubleParen(from: pos + 2) {
                let expr = text(pos + 2, end)
                pos = end + 2
                return finishCompound(.arithmetic(expr), start: start)
            }
            pos += 1
            let body = parseList(stops: [], closeParen: true, caseItem: false)
            skipBlanksAndNewlines()
            if c() == 0x29 { pos += 1 } else { error("expected ')' to close subshell", at: start) }
            return finishCompound(.subshell(body), start: start)
        }
        if b == 0x3B || b == 0x26 || b == 0x7C || b == 0x29 || b == 0x0A { return nil }
        if let w = peekReservedWord() {
            switch w {
            case "{":
                pos += 1
                let body = parseList(stops: ["}"], closeParen: false, caseItem: false)
                _ = expectReserved("}", opening: "{", at: start)
                return finishCompound(.braceGroup(body), start: start)
            case "if": return parseIf(start: start)
            case "for", "select": return parseFor(start: start, keyword: w)
            case "while", "until":
                pos += w.utf8.count
                let cond = parseList(stops: ["do"], closeParen: false, caseItem: false)
                _ = expectReserved("do", opening: w, at: start)
                let body = parseList(stops: ["done"], closeParen: false, caseItem: false)
                _ = expectReserved("done", opening: w, at: start)
                return finishCompound(.loop(LoopClause(isUntil: w == "until", condition: cond, body: body)), start: start)
            case "case": return parseCase(start: start)
            case "function": return parseFunctionKeyword(start: start)
            case "[[": return parseConditional(start: start)
            default:
                if closingWords.contains(w) { return nil }
            }
        }
        guard let simple = parseSimpleCommand() else { return nil }
        // `name() compound-command`
        if simple.assignments.isEmpty, simple.redirections.isEmpty, simple.words.count == 1,
           let name = simple.words[0].staticValue {
            let save = pos
            skipBlanks()
            if c() == 0x28 {
                var i = pos + 1
                while i < n, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
                if at(i) == 0x29 {
                    pos = i + 1
                    skipBlanksAndNewlines()
                    if let body = parseCommand() {
                        return Command(kind: .function(FunctionDefinition(name: name, body: body)),
                                       range: ByteRange(off(start), body.range.end))
                    }
                    error("expected a function body", at: pos)
                    return Command(kind: .simple(simple), range: simple.range)
                }
            }
            pos = save
        }
        return Command(kind: .simple(simple), range: simple.range)
    }

    mutating func finishCompound(_ kind: Command.Kind, start: Int) -> Command {
        var redirections: [Redirection] = []
        var end = pos
        while true {
            skipBlanks()
            guard let r = parseRedirectionIfPresent() else { break }
            redirections.append(r)
            end = pos
        }
        if redirections.isEmpty { pos = end }
        return Command(kind: kind, redirections: redirections, range: range(start, end))
    }

    /// Index of the first `)` of the `))` closing an arithmetic expression starting at `i`,
    /// or nil when the parentheses do not close as `))` at depth zero.
    func matchDoubleParen(from i: Int) -> Int? {
        var depth = 0
        var j = i
        while j < n {
            let b = bytes[j]
            switch b {
            case 0x28: depth += 1
            case 0x29:
                if depth == 0 { return at(j + 1) == 0x29 ? j : nil }
                depth -= 1
            case 0x27, 0x22:
                // quotes inside arithmetic: skip to the matching quote
                var k = j + 1
                while k < n, bytes[k] != b { if bytes[k] == 0x5C { k += 1 }; k += 1 }
                j = k
            case 0x0A:
                if depth == 0, at(j - 1) != 0x5C { return nil }
            default: break
            }
            j += 1
        }
        return nil
    }

    mutating func parseIf(start: Int) -> Command {
        pos += 2
        var branches: [IfClause.Branch] = []
        var elseBody: CommandList?
        var keyword = "if"
        while true {
            let cond = parseList(stops: ["then"], closeParen: false, caseItem: false)
            if !expectReserved("then", opening: keyword, at: start) {
                branches.append(.init(condition: cond, body: CommandList(items: [], range: ByteRange(off(pos), off(pos)))))
                return finishCompound(.ifClause(IfClause(branches: branches, elseBody: nil)), start: start)
            }
            let body = parseList(stops: ["elif", "else", "fi"], closeParen: false, caseItem: false)
            branches.append(.init(condition: cond, body: body))
            skipBlanksAndNewlines()
            if peekReservedWord() == "elif" {
                pos += 4
                keyword = "elif"
                continue
            }
            if peekReservedWord() == "else" {
                pos += 4
                elseBody = parseList(stops: ["fi"], closeParen: false, caseItem: false)
            }
            break
        }
        _ = expectReserved("fi", opening: "if", at: start)
        return finishCompound(.ifClause(IfClause(branches: branches, elseBody: elseBody)), start: start)
    }

    mutating func parseFor(start: Int, keyword: String) -> Command {
        pos += keyword.utf8.count
        skipBlanks()
        var arithmetic: String?
        var variable = ""
        var items: [Word]?
        if c() == 0x28, c(1) == 0x28 {
            if let end = matchDoubleParen(from: pos + 2) {
                arithmetic = text(pos + 2, end)
                pos = end + 2
            } else {
                error("unterminated '((' in for", at: pos)
                pos = n
            }
        } else {
            let nameStart = pos
            while pos < n, Parser.isNameChar(bytes[pos]) { pos += 1 }
            variable = text(nameStart, pos)
            if variable.isEmpty {
                error("expected a variable name after '\(keyword)'", at: pos)
                if !atEnd, !Parser.isMeta(bytes[pos]) { _ = parseWord(mode: .normal) }
            }
            skipBlanksAndNewlines()
            if peekReservedWord() == nil, startsWith("in", at: pos), pos + 2 >= n || Parser.isMeta(at(pos + 2)) {
                pos += 2
                var list: [Word] = []
                while true {
                    skipBlanks()
                    if atEnd || Parser.isMeta(bytes[pos]) { break }
                    let before = pos
                    let w = parseWord(mode: .normal)
                    if pos == before { break }
                    list.append(w)
                }
                items = list
            }
        }
        skipBlanks()
        if c() == 0x3B { pos += 1 }
        skipBlanksAndNewlines()
        let body: CommandList
        if peekReservedWord() == "{" {
            // bash: for x in a b; { ...; }
            pos += 1
            body = parseList(stops: ["}"], closeParen: false, caseItem: false)
            _ = expectReserved("}", opening: "{", at: start)
        } else {
            _ = expectReserved("do", opening: keyword, at: start)
            body = parseList(stops: ["done"], closeParen: false, caseItem: false)
            _ = expectReserved("done", opening: keyword, at: start)
        }
        return finishCompound(.forClause(ForClause(variable: variable, items: items, arithmetic: arithmetic, body: body)), start: start)
    }

    mutating func parseCase(start: Int) -> Command {
        pos += 4
        skipBlanks()
        let subjectStart = pos
        let subject = parseWord(mode: .normal)
        if pos == subjectStart { error("expected a word after 'case'", at: pos) }
        skipBlanksAndNewlines()
        if startsWith("in", at: pos), pos + 2 >= n || Parser.isMeta(at(pos + 2)) {
            pos += 2
        } else {
            error("expected 'in' after 'case' word", at: pos)
        }
        var items: [CaseClause.Item] = []
        while true {
            skipBlanksAndNewlines()
            if atEnd {
                error("expected 'esac' to close 'case' before end of input", at: n)
                break
            }
            if peekReservedWord() == "esac" {
                pos += 4
                break
            }
            let itemStart = pos
            if c() == 0x28 { pos += 1 }
            var patterns: [Word] = []
            while true {
                skipBlanks()
                let before = pos
                if atEnd || Parser.isMeta(bytes[pos]) { break }
                patterns.append(parseWord(mode: .normal))
                if pos == before { break }
                skipBlanks()
                if c() == 0x7C { pos += 1; continue }
                break
            }
            if c() == 0x29 {
                pos += 1
            } else {
                error("expected ')' after case pattern", at: pos)
                if pos == itemStart { skipToken() }
                // Recover: skip to esac or end.
                var guardCount = 0
                while !atEnd, peekReservedWord() != "esac", guardCount < 100_000 {
                    skipToken()
                    skipBlanksAndNewlines()
                    guardCount += 1
                }
                continue
            }
            let body = parseList(stops: ["esac"], closeParen: false, caseItem: true)
            skipBlanksAndNewlines()
            var terminator: String?
            if startsWith(";;&", at: pos) { terminator = ";;&"; pos += 3 }
            else if startsWith(";;", at: pos) { terminator = ";;"; pos += 2 }
            else if startsWith(";&", at: pos) { terminator = ";&"; pos += 2 }
            else if c() == 0x29 {
                error("unexpected ')' in case item", at: pos)
                pos += 1
            }
            items.append(.init(patterns: patterns, body: body, terminator: terminator, range: range(itemStart, pos)))
            if pos == itemStart { skipToken() }
        }
        return finishCompound(.caseClause(CaseClause(subject: subject, items: items)), start: start)
    }

    mutating func parseFunctionKeyword(start: Int) -> Command? {
        pos += 8
        skipBlanks()
        let nameStart = pos
        while pos < n, !Parser.isMeta(bytes[pos]) { pos += 1 }
        let name = text(nameStart, pos)
        if name.isEmpty { error("expected a function name", at: pos) }
        skipBlanks()
        if c() == 0x28 {
            var i = pos + 1
            while i < n, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
            if at(i) == 0x29 { pos = i + 1 }
        }
        skipBlanksAndNewlines()
        guard let body = parseCommand() else {
            error("expected a function body", at: pos)
            return nil
        }
        return Command(kind: .function(FunctionDefinition(name: name, body: body)), range: ByteRange(off(start), body.range.end))
    }

    mutating func parseConditional(start: Int) -> Command {
        pos += 2
        var words: [Word] = []
        while true {
            skipBlanksAndNewlines()
            if atEnd {
                error("expected ']]' to close '[['", at: n)
                break
            }
            if startsWith("]]", at: pos), pos + 2 >= n || Parser.isMeta(at(pos + 2)) {
                pos += 2
                break
            }
            let b = bytes[pos]
            if Parser.isMeta(b) {
                var len = 1
                if (b == 0x26 && c(1) == 0x26) || (b == 0x7C && c(1) == 0x7C) { len = 2 }
                if b == 0x3B {
                    error("unexpected ';' inside '[['", at: pos)
                }
                let s = pos
                pos += len
                words.append(Word(parts: [WordPart(.literal(text(s, pos)), range(s, pos), source: text(s, pos))],
                                  range: range(s, pos), source: text(s, pos)))
                continue
            }
            let before = pos
            words.append(parseWord(mode: .normal))
            if pos == before { pos += 1 }
        }
        return finishCompound(.conditional(words), start: start)
    }

    mutating func parseSimpleCommand() -> SimpleCommand? {
        let start = pos
        var assignments: [Assignment] = []
        var words: [Word] = []
        var redirections: [Redirection] = []
        var end = pos
        while true {
            skipBlanks()
            if atEnd { break }
            if let r = parseRedirectionIfPresent() {
                redirections.append(r)
                end = pos
                continue
            }
            let b = bytes[pos]
            if b == 0x0D, c(1) == 0x0A { break }
            if Parser.isMeta(b) {
                if (b == 0x3C || b == 0x3E), c(1) == 0x28 {
                    // process substitution starts a word
                } else {
                    break
                }
            }
            if words.isEmpty, let a = parseAssignmentIfPresent() {
                assignments.append(a)
                end = pos
                continue
            }
            // After assignments or redirections, a closing reserved word ends the command
            // (`{ A=1 }` is an error in sh, but `}` must still close the group).
            if words.isEmpty, !(assignments.isEmpty && redirections.isEmpty),
               let w = peekReservedWord(), closingWords.contains(w) { break }
            let before = pos
            let w = parseWord(mode: .normal)
            if pos == before { break }
            words.append(w)
            end = pos
        }
        pos = end
        if assignments.isEmpty && words.isEmpty && redirections.isEmpty { pos = start; return nil }
        return SimpleCommand(assignments: assignments, words: words, redirections: redirections, range: range(start, end))
    }

    mutating func parseAssignmentIfPresent() -> Assignment? {
        guard pos < n, Parser.isNameStart(bytes[pos]) else { return nil }
        var i = pos
        while i < n, Parser.isNameChar(bytes[i]) { i += 1 }
        let nameEnd = i
        if at(i) == 0x5B {  // name[index]=
            var depth = 0
            while i < n {
                if bytes[i] == 0x5B { depth += 1 }
                if bytes[i] == 0x5D { depth -= 1; if depth == 0 { break } }
                if Parser.isMeta(bytes[i]) { return nil }
                i += 1
            }
            guard at(i) == 0x5D else { return nil }
            i += 1
        }
        var append = false
        if at(i) == 0x2B, at(i + 1) == 0x3D { append = true; i += 2 } else if at(i) == 0x3D { i += 1 } else { return nil }
        let start = pos
        let name = text(pos, nameEnd)
        pos = i
        if c() == 0x28 {
            pos += 1
            var elements: [Word] = []
            while true {
                skipBlanksAndNewlines()
                if atEnd { error("expected ')' to close array assignment", at: start); break }
                if c() == 0x29 { pos += 1; break }
                let before = pos
                if Parser.isMeta(bytes[pos]) { error("unexpected '\(tokenText())' in array", at: pos); pos += 1; continue }
                elements.append(parseWord(mode: .normal))
                if pos == before { pos += 1 }
            }
            return Assignment(name: name, append: append, value: nil, arrayValue: elements, range: range(start, pos))
        }
        let value = parseWord(mode: .normal)
        return Assignment(name: name, append: append, value: value, arrayValue: nil, range: range(start, pos))
    }

    mutating func parseRedirectionIfPresent() -> Redirection? {
        guard pos < n else { return nil }
        let start = pos
        var i = pos
        var fd: Int?
        if Parser.isDigit(bytes[i]) {
            while i < n, Parser.isDigit(bytes[i]), i - pos < 4 { i += 1 }
            guard at(i) == 0x3C || at(i) == 0x3E else { return nil }
            fd = Int(text(pos, i))
        } else if bytes[i] == 0x7B {
            // bash `{var}>file`: treat the name as part of the redirection
            var k = i + 1
            while k < n, Parser.isNameChar(bytes[k]) { k += 1 }
            guard k > i + 1, at(k) == 0x7D, at(k + 1) == 0x3C || at(k + 1) == 0x3E else { return nil }
            i = k + 1
        }
        let op: Redirection.Operator
        let b = at(i)
        if b == 0x26 {
            guard fd == nil, at(i + 1) == 0x3E else { return nil }
            op = at(i + 2) == 0x3E ? .appendOutputAndError : .outputAndError
        } else if b == 0x3C {
            if at(i + 1) == 0x28 { return nil }  // <( process substitution
            if at(i + 1) == 0x3C {
                if at(i + 2) == 0x3C { op = .hereString } else if at(i + 2) == 0x2D { op = .hereDocStripTabs } else { op = .hereDoc }
            } else if at(i + 1) == 0x26 { op = .duplicateInput } else if at(i + 1) == 0x3E { op = .readWrite } else { op = .input }
        } else if b == 0x3E {
            if at(i + 1) == 0x28 { return nil }  // >( process substitution
            if at(i + 1) == 0x3E { op = .append } else if at(i + 1) == 0x26 { op = .duplicateOutput } else if at(i + 1) == 0x7C { op = .clobber } else { op = .output }
        } else {
            return nil
        }
        pos = i + op.rawValue.utf8.count
        skipBlanks()
        let targetStart = pos
        var target = Word(parts: [], range: range(pos, pos), source: "")
        if !atEnd, !Parser.isMeta(bytes[pos]) || ((bytes[pos] == 0x3C || bytes[pos] == 0x3E) && c(1) == 0x28) {
            target = parseWord(mode: .normal)
        }
        if pos == targetStart {
            error("expected a word after '\(op.rawValue)'", at: pos)
        }
        if op == .hereDoc || op == .hereDocStripTabs {
            let (delim, quoted) = hereDocDelimiter(target)
            pending.append(PendingHereDoc(key: off(start), delimiter: Array(delim.utf8), quoted: quoted,
                                          stripTabs: op == .hereDocStripTabs))
        }
        return Redirection(fd: fd, op: op, target: target, hereDoc: nil, range: range(start, pos))
    }
}
