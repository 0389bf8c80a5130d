// Words: quoting, parameter expansion, command and arithmetic substitution.

extension Parser {
    // MARK: - Words

    /// Appends the literal text from `start` up to the current position, if any, as a part.
    @inline(__always) func flushLiteral(_ parts: inout [WordPart], from start: Int) {
        if start < pos {
            let t = text(start, pos)
            parts.append(WordPart(.literal(t), range(start, pos), source: t))
        }
    }

    mutating func parseWord(mode: WordMode) -> Word {
        let start = pos
        var parts: [WordPart] = []
        var litStart = pos
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
                flushLiteral(&parts, from: litStart)
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
                flushLiteral(&parts, from: litStart)
                let s = pos
                pos += 1
                while pos < n, bytes[pos] != 0x27 { pos += 1 }
                let inner = text(s + 1, pos)
                if pos < n { pos += 1 } else { error("unterminated single quote", at: s) }
                parts.append(WordPart(.singleQuoted(inner), range(s, pos), source: text(s, pos)))
                litStart = pos
            case 0x22:  // "
                flushLiteral(&parts, from: litStart)
                parts.append(parseDoubleQuoted(dollarPrefixed: false))
                litStart = pos
            case 0x24:  // $
                flushLiteral(&parts, from: litStart)
                let before = pos
                if let part = parseDollar(inDoubleQuotes: false) {
                    parts.append(part)
                    litStart = pos
                } else {
                    pos = before + 1
                    litStart = before
                }
            case 0x60:  // `
                flushLiteral(&parts, from: litStart)
                if let part = parseBackquote(inDoubleQuotes: false) { parts.append(part) }
                litStart = pos
            default:
                pos += 1
            }
        }
        flushLiteral(&parts, from: litStart)
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
                flushLiteral(&parts, from: litStart)
                pos += 1
                closed = true
                break
            } else if b == 0x5C {
                let nb = c(1)
                if nb == 0x24 || nb == 0x60 || nb == 0x22 || nb == 0x5C || nb == 0x0A {
                    flushLiteral(&parts, from: litStart)
                    let e = pos
                    pos += 2
                    if nb != 0x0A { parts.append(WordPart(.escaped(text(e + 1, pos)), range(e, pos), source: text(e, pos))) }
                    litStart = pos
                } else {
                    pos += 1
                }
            } else if b == 0x24 {
                flushLiteral(&parts, from: litStart)
                let before = pos
                if let part = parseDollar(inDoubleQuotes: true) {
                    parts.append(part)
                    litStart = pos
                } else {
                    pos = before + 1
                    litStart = before
                }
            } else if b == 0x60 {
                flushLiteral(&parts, from: litStart)
                if let part = parseBackquote(inDoubleQuotes: true) { parts.append(part) }
                litStart = pos
            } else {
                pos += 1
            }
        }
        if !closed {
            flushLiteral(&parts, from: litStart)
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
