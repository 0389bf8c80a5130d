/// Reads a Dockerfile the way BuildKit's `frontend/dockerfile/parser` does: lines,
/// parser directives, comments, continuations, instruction dispatch, heredocs.
public enum DockerfileParser {
    /// BuildKit reads lines with Go's `bufio.Scanner`, whose tokens are at most 64 KiB.
    public static let maxLineLength = 65536

    public static func parse(_ text: String) -> Dockerfile { parse(Array(text.utf8)) }

    public static func parse(_ bytes: [UInt8]) -> Dockerfile {
        var state = ParserState(source: SourceText(bytes))
        bytes.withUnsafeBufferPointer { state.run($0) }
        return Dockerfile(source: state.source, directives: state.directives, escapeToken: state.escape,
                          instructions: state.instructions, comments: state.comments, errors: state.errors)
    }
}

/// One piece of the logical line: `length` bytes copied from source offset `source`.
struct Segment {
    var logical: Int
    var source: Int
    var length: Int
}

/// A logical line (continuations joined) with a map back to source offsets.
struct LogicalLine {
    var bytes: [UInt8] = []
    var segments: [Segment] = []

    mutating func append(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        guard end > start else { return }
        segments.append(Segment(logical: bytes.count, source: start, length: end - start))
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<end]))
    }

    /// Source offset of logical offset `o` taken as a start position.
    func sourceStart(_ o: Int) -> Int {
        for s in segments where o < s.logical + s.length { return s.source + max(0, o - s.logical) }
        if let last = segments.last { return last.source + last.length }
        return 0
    }

    /// Source offset of logical offset `o` taken as an end position.
    func sourceEnd(_ o: Int) -> Int {
        for s in segments where o <= s.logical + s.length { return s.source + max(0, o - s.logical) }
        if let last = segments.last { return last.source + last.length }
        return 0
    }
}

struct ParserState {
    let source: SourceText
    var escape: UInt8 = 0x5C
    var directives: [ParserDirective] = []
    var directivesDone = false
    var seenDirectives: Set<String> = []
    var instructions: [Instruction] = []
    var comments: [Comment] = []
    var errors: [SyntaxError] = []
    var prevComments: [String] = []

    init(source: SourceText) { self.source = source }

    /// Bounds of line `i` (0-based): start, end including the newline.
    @inline(__always)
    func lineBounds(_ i: Int) -> (Int, Int) {
        let s = i == 0 ? 0 : source.lineStarts[i]
        let e = i + 1 < source.lineStarts.count ? source.lineStarts[i + 1] : source.bytes.count
        return (s, e)
    }

    /// End of a line's content: trailing `\r` and `\n` removed (Go's TrimRight "\r\n").
    @inline(__always)
    func trimNewline(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int {
        var e = e
        while e > s, b[e - 1] == 0x0A || b[e - 1] == 0x0D { e -= 1 }
        return e
    }

    func isComment(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        let i = skipGoSpace(b, s, e)
        return i < e && b[i] == 0x23
    }

    /// Where a continuation escape starts, when the line (newline already trimmed)
    /// ends with one: BuildKit's `([^\\])\\[ \t]*$|^\\[ \t]*$`.
    func continuationStart(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int? {
        var j = e
        while j > s, b[j - 1] == 0x20 || b[j - 1] == 0x09 { j -= 1 }
        guard j > s, b[j - 1] == escape else { return nil }
        let esc = j - 1
        if esc == s { return esc }
        return b[esc - 1] != escape ? esc : nil
    }

    mutating func error(_ message: String, _ start: Int, _ end: Int) {
        errors.append(SyntaxError(message: message, range: source.range(start, end)))
    }

    mutating func errorAtLine(_ message: String, line: Int) {
        let li = max(0, min(line - 1, source.lineStarts.count - 1))
        let s = li == 0 && source.lineStarts[0] == 3 ? 3 : source.lineStarts[li]
        errors.append(SyntaxError(message: message, range: source.range(s, source.lineContentEnd(li + 1))))
    }

    /// Checks a top-of-file comment for a parser directive. Returns true when it was one.
    mutating func possibleDirective(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        if directivesDone { return false }
        guard s < e, b[s] == 0x23 else { directivesDone = true; return false }
        let i = skipGoSpace(b, s + 1, e)
        // ^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$
        var k = i
        guard k < e, isAlpha(b[k]) else { directivesDone = true; return false }
        while k < e, isAlpha(b[k]) || (b[k] >= 0x30 && b[k] <= 0x39) { k += 1 }
        let keyEnd = k
        while k < e, isRegexSpace(b[k]) { k += 1 }
        guard k < e, b[k] == 0x3D else { directivesDone = true; return false }
        k += 1
        // `\s*(.+?)\s*$`: the value keeps at least one character, even a space.
        guard k < e else { directivesDone = true; return false }
        while k < e - 1, isRegexSpace(b[k]) { k += 1 }
        var ve = e
        while ve > k + 1, isRegexSpace(b[ve - 1]) { ve -= 1 }
        let key = makeString(b, i, keyEnd).lowercased()
        guard key == "syntax" || key == "escape" || key == "check" else { directivesDone = true; return false }
        let value = makeString(b, k, ve)
        if seenDirectives.contains(key) {
            error("only one \(key) parser directive can be used", s, e)
            return true
        }
        seenDirectives.insert(key)
        if key == "escape" {
            if value == "`" { escape = 0x60 } else if value == "\\" { escape = 0x5C } else {
                error("invalid escape token '\(value)' does not match ` or \\", s, e)
                return true
            }
        }
        directives.append(ParserDirective(name: key, value: value, range: source.range(s, e)))
        return true
    }

    @inline(__always) func isAlpha(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }
    /// Go regexp's `\s`: `[\t\n\f\r ]`.
    @inline(__always) func isRegexSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D }

    mutating func run(_ b: UnsafeBufferPointer<UInt8>) {
        let lineCount = source.bytes.isEmpty ? 0 : source.lineStarts.count
        var i = 0
        var lastLine = 0
        while i < lineCount {
            var (s, e) = lineBounds(i)
            if i == 0, e - s >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { s = 3 }
            if let tooLong = checkLength(b, i) { errorAtLine(tooLong, line: i + 1); return }
            let lineNo = i + 1
            lastLine = lineNo
            i += 1
            let comment = isComment(b, s, e)
            if comment {
                let text = trimmedString(b, s + 1, e)
                if text.isEmpty { prevComments = [] } else { prevComments.append(text) }
            }
            // processLine: trim the newline and leading whitespace, check directives.
            let ce = trimNewline(b, s, e)
            let cs = skipGoSpace(b, s, ce)
            if possibleDirective(b, cs, ce) {
                if comment, !prevComments.isEmpty { prevComments.removeLast() }
                continue
            }
            if comment {
                comments.append(Comment(text: trimmedString(b, cs + 1, ce), range: source.range(cs, ce),
                                        insideContinuation: false))
                continue
            }
            var logical = LogicalLine()
            var isEnd = true
            if let esc = continuationStart(b, cs, ce) {
                logical.append(b, cs, esc)
                isEnd = false
            } else {
                logical.append(b, cs, ce)
            }
            if isEnd && logical.bytes.isEmpty { continue }
            var lastContentEnd = ce
            var emptyLines: [Int] = []
            while !isEnd && i < lineCount {
                if let tooLong = checkLength(b, i) { errorAtLine(tooLong, line: i + 1); return }
                let (s2, e2) = lineBounds(i)
                i += 1
                let ce2 = trimNewline(b, s2, e2)
                if isComment(b, s2, e2) {
                    let cs2 = skipGoSpace(b, s2, ce2)
                    comments.append(Comment(text: trimmedString(b, cs2 + 1, ce2), range: source.range(cs2, ce2),
                                            insideContinuation: true))
                    continue
                }
                if skipGoSpace(b, s2, ce2) == ce2 {
                    emptyLines.append(i)
                    continue
                }
                lastContentEnd = ce2
                if let esc = continuationStart(b, s2, ce2) {
                    logical.append(b, s2, esc)
                } else {
                    logical.append(b, s2, ce2)
                    isEnd = true
                }
            }
            let endLine = i
            guard var inst = parseInstruction(logical, start: cs, end: lastContentEnd) else {
                prevComments = []
                continue
            }
            inst.emptyContinuationLines = emptyLines
            inst.comments = prevComments
            // Heredocs.
            if inst.canContainHeredoc, contains(logical.bytes, "<<") {
                let words = heredocWords(logical.bytes)
                for w in words {
                    guard let hd = parseHeredocWord(w) else { continue }
                    var bodyStart = -1
                    var bodyEnd = -1
                    var content: [UInt8] = []
                    var terminated = false
                    var termRange = SourceRange(at: source.position(at: lastContentEnd))
                    while i < lineCount {
                        if let tooLong = checkLength(b, i) { errorAtLine(tooLong, line: i + 1); return }
                        let (s3, e3) = lineBounds(i)
                        i += 1
                        var ts = s3
                        let te = trimNewline(b, s3, e3)
                        if hd.chomp { while ts < te, b[ts] == 0x09 { ts += 1 } }
                        if te - ts == hd.nameBytes.count, hd.nameBytes.withUnsafeBufferPointer({ nb in
                            (0..<nb.count).allSatisfy { b[ts + $0] == nb[$0] }
                        }) {
                            terminated = true
                            termRange = source.range(s3, te)
                            lastContentEnd = te
                            break
                        }
                        if bodyStart < 0 { bodyStart = s3 }
                        bodyEnd = trimNewline(b, s3, e3)
                        content.append(contentsOf: UnsafeBufferPointer(rebasing: b[s3..<e3]))
                    }
                    if !terminated {
                        error("unterminated heredoc", cs, source.bytes.count)
                        inst.range = source.range(cs, source.bytes.count)
                        instructions.append(inst)
                        return
                    }
                    let bodyRange = bodyStart < 0 ? SourceRange(at: termRange.start) : source.range(bodyStart, bodyEnd)
                    let heredoc = Heredoc(name: hd.name, fileDescriptor: hd.fd, expand: hd.expand, chomp: hd.chomp,
                                          content: String(decoding: content, as: UTF8.self),
                                          bodyRange: bodyRange, terminatorRange: termRange)
                    inst.heredocs.append(heredoc)
                }
            }
            _ = endLine
            inst.range = source.range(cs, lastContentEnd)
            instructions.append(inst)
            prevComments = []
        }
        if instructions.isEmpty && errors.isEmpty {
            errorAtLine("file with no instructions", line: max(1, lastLine))
        }
    }

    /// BuildKit's scanner fails on a line longer than its 64 KiB token limit.
    func checkLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> String? {
        let (s, e) = lineBounds(i)
        let len = e - s
        let hasNewline = e > s && b[e - 1] == 0x0A
        if len > DockerfileParser.maxLineLength || (!hasNewline && len >= DockerfileParser.maxLineLength) {
            return "dockerfile line greater than max allowed size of \(DockerfileParser.maxLineLength - 1)"
        }
        return nil
    }

    func trimmedString(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> String {
        let st = skipGoSpace(b, s, e)
        let en = trimGoSpaceRight(b, st, e)
        return makeString(b, st, en)
    }

    func contains(_ bytes: [UInt8], _ needle: StaticString) -> Bool {
        let n = needle.utf8Start[0], m = needle.utf8Start[1]
        if bytes.count < 2 { return false }
        for k in 0..<(bytes.count - 1) where bytes[k] == n && bytes[k + 1] == m { return true }
        return false
    }
}
