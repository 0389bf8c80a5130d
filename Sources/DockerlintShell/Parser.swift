// A hand-written recursive-descent parser for POSIX sh plus the bash-isms common in
// Dockerfiles. It works on UTF-8 bytes, never throws, never loops without consuming
// input, and caps nesting depth, so arbitrary input yields a partial AST plus errors.

/// Entry points for parsing shell text.
public enum ShellParser {
    /// Parses `text`; every offset in the result is `baseOffset` plus the UTF-8 byte offset
    /// into `text`.
    public static func parse(_ text: String, baseOffset: Int = 0) -> ShellScript {
        var p = Parser(bytes: Array(text.utf8), map: nil, base: baseOffset, depth: 0)
        return p.parseScript(source: text)
    }

    /// Parses `text` where `offsetMap[i]` is the caller's offset for byte `i` of `text`
    /// (`offsetMap.count == text.utf8.count + 1`; the last entry is the end offset). Use it
    /// when `text` was assembled from non-contiguous source (for example a Dockerfile line
    /// with continuation comments removed).
    public static func parse(_ text: String, offsetMap: [Int]) -> ShellScript {
        let bytes = Array(text.utf8)
        var map = offsetMap
        if map.count < bytes.count + 1 {
            let last = map.last ?? 0
            var next = map.isEmpty ? 0 : last + 1
            while map.count < bytes.count + 1 {
                map.append(next)
                next += 1
            }
        }
        var p = Parser(bytes: bytes, map: map, base: 0, depth: 0)
        return p.parseScript(source: text)
    }
}

private let reservedWords: Set<String> = [
    "if", "then", "elif", "else", "fi", "do", "done", "case", "esac", "while", "until",
    "for", "select", "function", "{", "}", "[[", "!", "time",
]

/// Reserved words that close a construct: never a command name.
private let closingWords: Set<String> = ["then", "elif", "else", "fi", "do", "done", "esac", "}"]

enum WordMode {
    case normal
    /// Inside `${name op ...}`: blanks and operators are literal; stops at `}`.
    case parameterOperand
}

struct Parser {
    static let maxDepth = 150

    let bytes: [UInt8]
    let n: Int
    let map: [Int]?
    let base: Int
    var pos = 0
    var depth: Int
    var errors: [ShellParseError] = []
    var comments: [Comment] = []
    var pending: [PendingHereDoc] = []
    var hereDocs: [Int: HereDoc] = [:]

    struct PendingHereDoc {
        var key: Int
        var delimiter: [UInt8]
        var quoted: Bool
        var stripTabs: Bool
    }

    init(bytes: [UInt8], map: [Int]?, base: Int, depth: Int) {
        self.bytes = bytes
        self.n = bytes.count
        self.map = map
        self.base = base
        self.depth = depth
    }

    // MARK: - Basics

    @inline(__always) func off(_ i: Int) -> Int {
        if let map {
            return i < map.count ? map[i] : (map.last ?? 0) + (i - map.count + 1)
        }
        return base + i
    }

    @inline(__always) func range(_ a: Int, _ b: Int) -> ByteRange { ByteRange(off(a), off(b)) }

    @inline(__always) func text(_ a: Int, _ b: Int) -> String {
        a < b ? String(decoding: bytes[a..<b], as: UTF8.self) : ""
    }

    @inline(__always) func at(_ i: Int) -> UInt8 { i < n && i >= 0 ? bytes[i] : 0 }

    @inline(__always) var atEnd: Bool { pos >= n }

    @inline(__always) func c(_ k: Int = 0) -> UInt8 { at(pos + k) }

    mutating func error(_ message: String, at i: Int) {
        if errors.count < 200 { errors.append(ShellParseError(message: message, offset: off(min(i, n)))) }
    }

    func startsWith(_ s: StaticString, at i: Int) -> Bool {
        let count = s.utf8CodeUnitCount
        if i + count > n { return false }
        let p = s.utf8Start
        for k in 0..<count where bytes[i + k] != p[k] { return false }
        return true
    }

    /// Blanks, line continuations and comments; not newlines.
    mutating func skipBlanks() {
        while pos < n {
            let b = bytes[pos]
            if b == 0x20 || b == 0x09 {
                pos += 1
            } else if b == 0x5C, at(pos + 1) == 0x0A {
                pos += 2
            } else if b == 0x5C, at(pos + 1) == 0x0D, at(pos + 2) == 0x0A {
                pos += 3
            } else if b == 0x0D, at(pos + 1) == 0x0A {
                pos += 1
            } else if b == 0x23 {  // '#'
                let s = pos
                while pos < n, bytes[pos] != 0x0A { pos += 1 }
                var e = pos
                if e > s, bytes[e - 1] == 0x0D { e -= 1 }
                comments.append(Comment(text: text(s, e), range: range(s, e)))
            } else {
                break
            }
        }
    }

    /// Blanks, comments and newlines (reading pending heredoc bodies).
    mutating func skipBlanksAndNewlines() {
        while true {
            skipBlanks()
            if pos < n, bytes[pos] == 0x0A {
                consumeNewline()
            } else {
                return
            }
        }
    }

    mutating func consumeNewline() {
        pos += 1
        if !pending.isEmpty { readHereDocBodies() }
    }

    @inline(__always) static func isMeta(_ b: UInt8) -> Bool {
        switch b {
        case 0x20, 0x09, 0x0A, 0x3B, 0x26, 0x7C, 0x3C, 0x3E, 0x28, 0x29: return true
        default: return false
        }
    }

    @inline(__always) static func isNameStart(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    @inline(__always) static func isNameChar(_ b: UInt8) -> Bool {
        isNameStart(b) || (b >= 0x30 && b <= 0x39)
    }

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// The reserved word at `pos`, if the next token is one (unquoted, followed by a
    /// delimiter).
    func peekReservedWord() -> String? {
        var i = pos
        while i < n {
            let b = bytes[i]
            if Parser.isMeta(b) || (b == 0x0D && at(i + 1) == 0x0A) { break }
            if b == 0x27 || b == 0x22 || b == 0x24 || b == 0x5C || b == 0x60 { return nil }
            i += 1
            if i - pos > 8 { return nil }
        }
        if i == pos { return nil }
        let w = text(pos, i)
        return reservedWords.contains(w) ? w : nil
    }

    mutating func consumeWord(_ w: String) {
        pos += w.utf8.count
    }

    mutating func expectReserved(_ w: String, opening: String, at start: Int) -> Bool {
        skipBlanksAndNewlines()
        if peekReservedWord() == w {
            consumeWord(w)
            return true
        }
        error(atEnd ? "expected '\(w)' to close '\(opening)' before end of input"
              : "expected '\(w)' to close '\(opening)'", at: atEnd ? n : pos)
        return false
    }

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

    func hereDocDelimiter(_ w: Word) -> (String, Bool) {
        var s = ""
        var quoted = false
        for p in w.parts {
            switch p.kind {
            case .literal(let t): s += t
            case .escaped(let t): s += t; quoted = true
            case .singleQuoted(let t), .ansiCQuoted(let t): s += t; quoted = true
            case .doubleQuoted(let inner):
                quoted = true
                for q in inner { s += q.source }
            default: s += p.source
            }
        }
        return (s, quoted)
    }

    mutating func readHereDocBodies() {
        let docs = pending
        pending.removeAll()
        for d in docs {
            let bodyStart = pos
            var bodyEnd = n
            var terminated = false
            var lines: [String] = []
            var offsets: [Int] = []
            while pos < n {
                let lineStart = pos
                var lineEnd = pos
                while lineEnd < n, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                var contentStart = lineStart
                if d.stripTabs { while contentStart < lineEnd, bytes[contentStart] == 0x09 { contentStart += 1 } }
                var contentEnd = lineEnd
                if contentEnd > contentStart, bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
                if contentEnd - contentStart == d.delimiter.count,
                   bytes[contentStart..<contentEnd].elementsEqual(d.delimiter) {
                    bodyEnd = lineStart
                    terminated = true
                    pos = lineEnd < n ? lineEnd + 1 : n
                    break
                }
                let lineStop = lineEnd < n ? lineEnd + 1 : n
                if d.stripTabs { lines.append(text(contentStart, lineStop)) }
                for k in (d.stripTabs ? contentStart : lineStart)..<lineStop { offsets.append(off(k)) }
                pos = lineStop
            }
            if !terminated {
                bodyEnd = n
                error("heredoc '\(String(decoding: d.delimiter, as: UTF8.self))' is not terminated", at: n)
            }
            let body = d.stripTabs ? lines.joined() : text(bodyStart, bodyEnd)
            var parts: [WordPart] = []
            if !d.quoted, bodyStart < bodyEnd {
                var sub = Parser(bytes: Array(bytes[bodyStart..<bodyEnd]),
                                 map: (bodyStart...bodyEnd).map { off($0) }, base: 0, depth: depth + 1)
                parts = sub.parseHereDocParts()
                errors += sub.errors
            }
            hereDocs[d.key] = HereDoc(delimiter: String(decoding: d.delimiter, as: UTF8.self), quoted: d.quoted,
                                      stripsTabs: d.stripTabs, body: body, bodyRange: range(bodyStart, bodyEnd),
                                      parts: parts, terminated: terminated, bodyOffsets: offsets + [off(bodyEnd)])
        }
    }

    mutating func parseHereDocParts() -> [WordPart] {
        var parts: [WordPart] = []
        var litStart = pos
        func flush(_ p: inout Parser, _ parts: inout [WordPart], _ litStart: Int) {
            if litStart < p.pos {
                let t = p.text(litStart, p.pos)
                parts.append(WordPart(.literal(t), p.range(litStart, p.pos), source: t))
            }
        }
        while pos < n {
            let b = bytes[pos]
            if b == 0x5C, pos + 1 < n, [0x24, 0x60, 0x5C, 0x0A].contains(bytes[pos + 1]) {
                flush(&self, &parts, litStart)
                let s = pos
                pos += 2
                if bytes[s + 1] != 0x0A {
                    parts.append(WordPart(.escaped(text(s + 1, pos)), range(s, pos), source: text(s, pos)))
                }
                litStart = pos
            } else if b == 0x24 || b == 0x60 {
                flush(&self, &parts, litStart)
                let before = pos
                if let part = b == 0x24 ? parseDollar(inDoubleQuotes: true) : parseBackquote(inDoubleQuotes: false) {
                    parts.append(part)
                    litStart = pos
                } else {
                    pos = before + 1
                    litStart = before
                }
            } else {
                pos += 1
            }
        }
        flush(&self, &parts, litStart)
        return parts
    }

    // MARK: - Words

    mutating func parseWord(mode: WordMode) -> Word {
        let start = pos
        var parts: [WordPart] = []
        var litStart = pos
        @inline(__always) func flush(_ p: inout Parser, _ parts: inout [WordPart], _ litStart: Int) {
            if litStart < p.pos {
                let t = p.text(litStart, p.pos)
                parts.append(WordPart(.literal(t), p.range(litStart, p.pos), source: t))
            }
        }
        loop: while pos < n {
            let b = bytes[pos]
            switch b {
            case 0x20, 0x09, 0x0A, 0x3B, 0x26, 0x7C, 0x3C, 0x3E, 0x28, 0x29:
                if mode == .parameterOperand {
                    pos += 1
                    continue
                }
                if (b == 0x3C || b == 0x3E), c(1) == 0x28, pos == start {
                    let s = pos
                    pos += 2
                    let list = parseList(stops: [], closeParen: true, caseItem: false)
                    skipBlanksAndNewlines()
                    if c() == 0x29 { pos += 1 } else { error("expected ')' to close process substitution", at: s) }
                    parts.append(WordPart(.processSubstitution(list, input: b == 0x3C), range(s, pos), source: text(s, pos)))
                    litStart = pos
                    continue
                }
                if b == 0x28, pos > litStart, [0x40, 0x21, 0x2B, 0x2A, 0x3F].contains(bytes[pos - 1]) {
                    // extglob @(a|b): balanced, literal
                    var d = 0
                    var i = pos
                    while i < n {
                        if bytes[i] == 0x28 { d += 1 } else if bytes[i] == 0x29 { d -= 1; if d == 0 { break } } else if bytes[i] == 0x0A { break }
                        i += 1
                    }
                    if at(i) == 0x29 {
                        pos = i + 1
                        continue
                    }
                }
                break loop
            case 0x0D:
                if mode == .normal, c(1) == 0x0A { break loop }
                pos += 1
            case 0x7D:  // '}'
                if mode == .parameterOperand { break loop }
                pos += 1
            case 0x5C:  // backslash
                flush(&self, &parts, litStart)
                let s = pos
                if c(1) == 0x0A {
                    pos += 2
                } else if c(1) == 0x0D, c(2) == 0x0A {
                    pos += 3
                } else if pos + 1 >= n {
                    pos += 1
                    parts.append(WordPart(.literal("\\"), range(s, pos), source: "\\"))
                } else {
                    pos += 1 + scalarLength(at: pos + 1)
                    parts.append(WordPart(.escaped(text(s + 1, pos)), range(s, pos), source: text(s, pos)))
                }
                litStart = pos
            case 0x27:  // '
                flush(&self, &parts, litStart)
                let s = pos
                pos += 1
                while pos < n, bytes[pos] != 0x27 { pos += 1 }
                let inner = text(s + 1, pos)
                if pos < n { pos += 1 } else { error("unterminated single quote", at: s) }
                parts.append(WordPart(.singleQuoted(inner), range(s, pos), source: text(s, pos)))
                litStart = pos
            case 0x22:  // "
                flush(&self, &parts, litStart)
                parts.append(parseDoubleQuoted(dollarPrefixed: false))
                litStart = pos
            case 0x24:  // $
                flush(&self, &parts, litStart)
                let before = pos
                if let part = parseDollar(inDoubleQuotes: false) {
                    parts.append(part)
                    litStart = pos
                } else {
                    pos = before + 1
                    litStart = before
                }
            case 0x60:  // `
                flush(&self, &parts, litStart)
                if let part = parseBackquote(inDoubleQuotes: false) { parts.append(part) }
                litStart = pos
            default:
                pos += 1
            }
        }
        flush(&self, &parts, litStart)
        return Word(parts: parts, range: range(start, pos), source: text(start, pos))
    }

    func scalarLength(at i: Int) -> Int {
        let b = at(i)
        var len = 1
        if b >= 0xF0 { len = 4 } else if b >= 0xE0 { len = 3 } else if b >= 0xC0 { len = 2 }
        var k = 1
        while k < len, i + k < n, bytes[i + k] & 0xC0 == 0x80 { k += 1 }
        return k
    }

    mutating func parseDoubleQuoted(dollarPrefixed: Bool) -> WordPart {
        let s = pos
        pos += dollarPrefixed ? 2 : 1
        var parts: [WordPart] = []
        var litStart = pos
        func flush(_ p: inout Parser, _ parts: inout [WordPart], _ litStart: Int) {
            if litStart < p.pos {
                let t = p.text(litStart, p.pos)
                parts.append(WordPart(.literal(t), p.range(litStart, p.pos), source: t))
            }
        }
        var closed = false
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth {
            error("nesting too deep", at: pos)
            pos = n
        }
        while pos < n {
            let b = bytes[pos]
            if b == 0x22 {
                flush(&self, &parts, litStart)
                pos += 1
                closed = true
                break
            } else if b == 0x5C {
                let nb = c(1)
                if nb == 0x24 || nb == 0x60 || nb == 0x22 || nb == 0x5C || nb == 0x0A {
                    flush(&self, &parts, litStart)
                    let e = pos
                    pos += 2
                    if nb != 0x0A { parts.append(WordPart(.escaped(text(e + 1, pos)), range(e, pos), source: text(e, pos))) }
                    litStart = pos
                } else {
                    pos += 1
                }
            } else if b == 0x24 {
                flush(&self, &parts, litStart)
                let before = pos
                if let part = parseDollar(inDoubleQuotes: true) {
                    parts.append(part)
                    litStart = pos
                } else {
                    pos = before + 1
                    litStart = before
                }
            } else if b == 0x60 {
                flush(&self, &parts, litStart)
                if let part = parseBackquote(inDoubleQuotes: true) { parts.append(part) }
                litStart = pos
            } else {
                pos += 1
            }
        }
        if !closed {
            flush(&self, &parts, litStart)
            error("unterminated double quote", at: s)
        }
        return WordPart(.doubleQuoted(parts), range(s, pos), source: text(s, pos))
    }

    /// At `$`. Returns nil when the `$` is literal (pos unspecified; caller resets).
    mutating func parseDollar(inDoubleQuotes: Bool) -> WordPart? {
        let s = pos
        let b = c(1)
        switch b {
        case 0x28:  // $(
            if c(2) == 0x28, let end = matchDoubleParen(from: pos + 3) {
                let expr = text(pos + 3, end)
                pos = end + 2
                return WordPart(.arithmetic(expr), range(s, pos), source: text(s, pos))
            }
            pos += 2
            let list = parseList(stops: [], closeParen: true, caseItem: false)
            skipBlanksAndNewlines()
            if c() == 0x29 { pos += 1 } else { error("unterminated '$('", at: s) }
            return WordPart(.commandSubstitution(list, backquoted: false), range(s, pos), source: text(s, pos))
        case 0x7B:  // ${
            return parseBracedParameter()
        case 0x5B:  // $[ ... ] old arithmetic
            var i = pos + 2
            var d = 1
            while i < n { if bytes[i] == 0x5B { d += 1 } else if bytes[i] == 0x5D { d -= 1; if d == 0 { break } }; i += 1 }
            guard i < n else { return nil }
            let expr = text(pos + 2, i)
            pos = i + 1
            return WordPart(.arithmetic(expr), range(s, pos), source: text(s, pos))
        case 0x27 where !inDoubleQuotes:  // $'
            var i = pos + 2
            while i < n, bytes[i] != 0x27 { if bytes[i] == 0x5C { i += 1 }; i += 1 }
            let raw = text(pos + 2, min(i, n))
            if i < n { pos = i + 1 } else { pos = n; error("unterminated $' quote", at: s) }
            return WordPart(.ansiCQuoted(decodeANSIC(raw)), range(s, pos), source: text(s, pos))
        case 0x22 where !inDoubleQuotes:  // $"
            let inner = parseDoubleQuoted(dollarPrefixed: true)
            return WordPart(inner.kind, range(s, pos), source: text(s, pos))
        default:
            if Parser.isNameStart(b) {
                var i = pos + 1
                while i < n, Parser.isNameChar(bytes[i]) { i += 1 }
                let name = text(pos + 1, i)
                pos = i
                return WordPart(.parameter(ParameterExpansion(name: name, braced: false)), range(s, pos), source: text(s, pos))
            }
            if Parser.isDigit(b) || b == 0x40 || b == 0x2A || b == 0x23 || b == 0x3F || b == 0x2D || b == 0x24 || b == 0x21 {
                pos += 2
                return WordPart(.parameter(ParameterExpansion(name: text(s + 1, pos), braced: false)), range(s, pos), source: text(s, pos))
            }
            return nil
        }
    }

    mutating func parseBracedParameter() -> WordPart {
        let s = pos
        pos += 2
        var isLength = false
        var isIndirect = false
        if c() == 0x23, c(1) != 0x7D, Parser.isNameChar(c(1)) || [0x40, 0x2A, 0x23, 0x3F, 0x21, 0x24].contains(c(1)) {
            // ${#name}; but ${#} alone is "number of params" and ${##...} is `#` with op
            if !(c(1) == 0x23 && c(2) != 0x7D) || Parser.isNameChar(c(1)) {
                isLength = true
                pos += 1
            }
        } else if c() == 0x21, c(1) != 0x7D {
            isIndirect = true
            pos += 1
        }
        let nameStart = pos
        if Parser.isNameStart(c()) {
            while pos < n, Parser.isNameChar(bytes[pos]) { pos += 1 }
        } else if Parser.isDigit(c()) {
            while pos < n, Parser.isDigit(bytes[pos]) { pos += 1 }
        } else if [0x40, 0x2A, 0x23, 0x3F, 0x2D, 0x24, 0x21].contains(c()) {
            pos += 1
        }
        let name = text(nameStart, pos)
        var index: String?
        if c() == 0x5B {
            var i = pos + 1
            var d = 1
            while i < n { if bytes[i] == 0x5B { d += 1 } else if bytes[i] == 0x5D { d -= 1; if d == 0 { break } }; i += 1 }
            index = text(pos + 1, min(i, n))
            pos = min(i + 1, n)
        }
        var op: String?
        var operand: Word?
        if name.isEmpty {
            error("bad substitution", at: s)
        }
        if c() != 0x7D, !atEnd {
            let ops: [StaticString] = [":-", ":=", ":?", ":+", "##", "%%", "//", "/#", "/%", "^^", ",,",
                                       "-", "=", "?", "+", "#", "%", "/", "^", ",", "@", ":"]
            for o in ops where startsWith(o, at: pos) {
                op = String(decoding: UnsafeBufferPointer(start: o.utf8Start, count: o.utf8CodeUnitCount), as: UTF8.self)
                pos += o.utf8CodeUnitCount
                break
            }
            if op == nil, !name.isEmpty { error("bad substitution", at: pos) }
            depth += 1
            if depth <= Parser.maxDepth {
                operand = parseWord(mode: .parameterOperand)
            } else {
                error("nesting too deep", at: pos)
                pos = n
            }
            depth -= 1
        }
        if c() == 0x7D {
            pos += 1
        } else {
            error("unterminated '${'", at: s)
        }
        return WordPart(.parameter(ParameterExpansion(name: name, braced: true, isLength: isLength, isIndirect: isIndirect,
                                                      index: index, op: op, operand: operand)),
                        range(s, pos), source: text(s, pos))
    }

    mutating func parseBackquote(inDoubleQuotes: Bool) -> WordPart? {
        let s = pos
        pos += 1
        var inner: [UInt8] = []
        var innerMap: [Int] = []
        var closed = false
        while pos < n {
            let b = bytes[pos]
            if b == 0x60 { closed = true; break }
            if b == 0x5C, pos + 1 < n {
                let nb = bytes[pos + 1]
                if nb == 0x24 || nb == 0x60 || nb == 0x5C || (inDoubleQuotes && nb == 0x22) {
                    inner.append(nb)
                    innerMap.append(off(pos + 1))
                    pos += 2
                    continue
                }
            }
            inner.append(b)
            innerMap.append(off(pos))
            pos += 1
        }
        innerMap.append(off(pos))
        if closed { pos += 1 } else { error("unterminated backquote", at: s) }
        var sub = Parser(bytes: inner, map: innerMap, base: 0, depth: depth + 1)
        var list = CommandList(items: [], range: range(s + 1, s + 1))
        if depth + 1 <= Parser.maxDepth {
            list = sub.parseList(stops: [], closeParen: false, caseItem: false)
            if !sub.pending.isEmpty { sub.error("heredoc without body in backquotes", at: sub.n) }
            if !sub.hereDocs.isEmpty { list.attachHereDocs(sub.hereDocs) }
        } else {
            error("nesting too deep", at: s)
        }
        errors += sub.errors
        comments += sub.comments
        return WordPart(.commandSubstitution(list, backquoted: true), range(s, pos), source: text(s, pos))
    }
}

func decodeANSIC(_ raw: String) -> String {
    var out: [UInt8] = []
    let b = Array(raw.utf8)
    var i = 0
    func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }
    while i < b.count {
        if b[i] == 0x5C, i + 1 < b.count {
            let e = b[i + 1]
            i += 2
            switch e {
            case 0x6E: out.append(0x0A)
            case 0x74: out.append(0x09)
            case 0x72: out.append(0x0D)
            case 0x61: out.append(0x07)
            case 0x62: out.append(0x08)
            case 0x65, 0x45: out.append(0x1B)
            case 0x66: out.append(0x0C)
            case 0x76: out.append(0x0B)
            case 0x78:
                var v: UInt8 = 0
                var k = 0
                while k < 2, i < b.count, let h = hex(b[i]) { v = v &* 16 &+ h; i += 1; k += 1 }
                out.append(v)
            case 0x30...0x37:
                var v: UInt8 = e - 0x30
                var k = 0
                while k < 2, i < b.count, b[i] >= 0x30, b[i] <= 0x37 { v = v &* 8 &+ (b[i] - 0x30); i += 1; k += 1 }
                out.append(v)
            default: out.append(e)
            }
        } else {
            out.append(b[i])
            i += 1
        }
    }
    return String(decoding: out, as: UTF8.self)
}
