// The per-instruction argument parsers of BuildKit's `parser/line_parsers.go` and
// `split_command.go`, on a logical line, with every word's source range kept.

/// A word of the logical line: value and logical start/end offsets.
struct Word {
    var value: String
    var start: Int
    var end: Int
}

extension Instruction {
    /// RUN/COPY/ADD (also wrapped in ONBUILD) in shell form may carry heredocs.
    var canContainHeredoc: Bool {
        var node = self
        if node.kind == .onbuild, let c = node.child?.value { node = c }
        switch node.kind {
        case .run, .copy, .add: return !node.isJSON
        default: return false
        }
    }
}

extension ParserState {
    /// BuildKit's `newNodeFromLine` on the whole logical line. `start`/`end` are the
    /// source offsets of the instruction's first and last content byte.
    mutating func parseInstruction(_ line: LogicalLine, start: Int, end: Int) -> Instruction? {
        line.bytes.withUnsafeBufferPointer { b in
            parseNode(b, line, 0, b.count)
        }
    }

    func srcRange(_ line: LogicalLine, _ s: Int, _ e: Int) -> SourceRange {
        let ss = line.sourceStart(s)
        let ee = e <= s ? ss : line.sourceEnd(e)
        return source.range(ss, max(ss, ee))
    }

    func arg(_ line: LogicalLine, _ w: Word) -> Argument {
        Argument(value: w.value, range: srcRange(line, w.start, w.end))
    }

    mutating func lineError(_ message: String, _ line: LogicalLine, _ s: Int, _ e: Int) {
        errors.append(SyntaxError(message: message, range: srcRange(line, s, e)))
    }

    mutating func parseNode(_ b: UnsafeBufferPointer<UInt8>, _ line: LogicalLine, _ from: Int, _ to: Int) -> Instruction? {
        // splitCommand: trim, split off the command word on [\t\v\f\r ]+.
        let ts = skipGoSpace(b, from, to)
        let te = trimGoSpaceRight(b, ts, to)
        var cmdEnd = ts
        while cmdEnd < te, !isReWhitespace(b[cmdEnd]) { cmdEnd += 1 }
        let keyword = makeString(b, ts, cmdEnd)
        var flags: [Word] = []
        var argsStart = te
        if cmdEnd < te {
            var r = cmdEnd
            while r < te, isReWhitespace(b[r]) { r += 1 }
            let (rest, fl) = extractBuilderFlags(b, r, te)
            flags = fl
            argsStart = rest
        }
        let as_ = skipGoSpace(b, argsStart, te)
        let ae = trimGoSpaceRight(b, as_, te)
        let kind = InstructionKind(keyword: keyword)
        var inst = Instruction(
            keyword: keyword, kind: kind, keywordRange: srcRange(line, ts, cmdEnd),
            range: srcRange(line, ts, te), flags: flags.map { Flag(text: $0.value, range: srcRange(line, $0.start, $0.end)) },
            arguments: [], keyValues: [], isJSON: false, child: nil, heredocs: [],
            original: makeString(b, from, to), argumentsRange: srcRange(line, as_, ae),
            comments: [], emptyContinuationLines: [])
        switch kind {
        case .add, .copy, .volume:
            switch maybeJSON(b, line, as_, ae) {
            case .failure: return nil
            case .success(let words?): inst.arguments = words.map { arg(line, $0) }; inst.isJSON = true
            case .success(nil): inst.arguments = whitespaceDelimited(b, as_, ae).map { arg(line, $0) }
            }
        case .run, .cmd, .entrypoint, .shell:
            if as_ == ae { break }
            switch maybeJSON(b, line, as_, ae) {
            case .failure: return nil
            case .success(let words?): inst.arguments = words.map { arg(line, $0) }; inst.isJSON = true
            case .success(nil): inst.arguments = [arg(line, Word(value: makeString(b, as_, ae), start: as_, end: ae))]
            }
        case .env, .label:
            guard let kvs = nameVal(b, line, as_, ae, key: kind == .env ? "ENV" : "LABEL") else { return nil }
            inst.keyValues = kvs
            for kv in kvs {
                inst.arguments.append(kv.key)
                inst.arguments.append(kv.value)
                inst.arguments.append(Argument(value: kv.hasEquals ? "=" : "", range: SourceRange(at: kv.value.range.end)))
            }
        case .arg:
            inst.arguments = parseWords(b, as_, ae).map { arg(line, $0) }
        case .expose, .from:
            inst.arguments = whitespaceDelimited(b, as_, ae).map { arg(line, $0) }
        case .maintainer, .user, .workdir, .stopsignal:
            if as_ < ae { inst.arguments = [arg(line, Word(value: makeString(b, as_, ae), start: as_, end: ae))] }
        case .healthcheck:
            var sep = as_
            while sep < ae, !isGoSpaceByte(b[sep]) { sep += 1 }
            if sep == as_ { break }
            var next = sep
            while next < ae, isGoSpaceByte(b[next]) { next += 1 }
            inst.arguments = [arg(line, Word(value: makeString(b, as_, sep), start: as_, end: sep))]
            if next < ae {
                switch maybeJSON(b, line, next, ae) {
                case .failure: return nil
                case .success(let words?): inst.arguments += words.map { arg(line, $0) }; inst.isJSON = true
                case .success(nil): inst.arguments.append(arg(line, Word(value: makeString(b, next, ae), start: next, end: ae)))
                }
            }
        case .onbuild:
            if as_ < ae {
                guard let child = parseNode(b, line, as_, ae) else { return nil }
                inst.child = Box(child)
            }
        case .unknown:
            break
        }
        return inst
    }

    /// `parseJSON`: nil words mean "not JSON" (use the other form); failure means the
    /// hard error for a non-string element, already recorded.
    mutating func maybeJSON(_ b: UnsafeBufferPointer<UInt8>, _ line: LogicalLine, _ s: Int, _ e: Int) -> Result<[Word]?, SyntaxError> {
        switch GoJSONArray.parse(b, s, e) {
        case .invalid: return .success(nil)
        case .nonString(let at):
            let err = SyntaxError(message: "when using JSON array syntax, arrays must be comprised of strings only",
                                  range: srcRange(line, at, e))
            errors.append(err)
            return .failure(err)
        case .strings(let items): return .success(items.map { Word(value: $0.value, start: $0.start, end: $0.end) })
        }
    }

    /// `parseStringsWhitespaceDelimited`.
    func whitespaceDelimited(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> [Word] {
        var words: [Word] = []
        var i = s
        if s >= e { return [] }
        var wordStart = s
        while i < e {
            if isReWhitespace(b[i]) {
                words.append(Word(value: makeString(b, wordStart, i), start: wordStart, end: i))
                while i < e, isReWhitespace(b[i]) { i += 1 }
                wordStart = i
                continue
            }
            i += 1
        }
        words.append(Word(value: makeString(b, wordStart, e), start: wordStart, end: e))
        return words
    }

    /// `extractBuilderFlags`: leading `--` words. Works byte by byte as BuildKit does
    /// (a byte >= 0x80 is taken as the Latin-1 rune of that value).
    func extractBuilderFlags(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> (Int, [Word]) {
        var words: [Word] = []
        var buf: [UInt8] = []
        var phase = 0 // 0 spaces, 1 word, 2 quote
        var quote: UInt8 = 0
        var blankOK = false
        var wordStart = s
        var pos = s
        func put(_ c: UInt8) {
            if c < 0x80 { buf.append(c) } else { buf.append(0xC0 | (c >> 6)); buf.append(0x80 | (c & 0x3F)) }
        }
        while pos <= e {
            let ch: UInt8 = pos < e ? b[pos] : 0
            if phase == 0 {
                if pos == e { break }
                if isGoSpaceByte(ch) { pos += 1; continue }
                if ch != 0x2D || pos + 1 == e || b[pos + 1] != 0x2D { return (pos, words) }
                phase = 1
                wordStart = pos
            }
            if (phase == 1 || phase == 2) && pos == e {
                let w = String(decoding: buf, as: UTF8.self)
                if w != "--" && (blankOK || !buf.isEmpty) { words.append(Word(value: w, start: wordStart, end: pos)) }
                break
            }
            if phase == 1 {
                if isGoSpaceByte(ch) {
                    let w = String(decoding: buf, as: UTF8.self)
                    phase = 0
                    if w == "--" { return (pos, words) }
                    if blankOK || !buf.isEmpty { words.append(Word(value: w, start: wordStart, end: pos)) }
                    buf.removeAll(keepingCapacity: true)
                    blankOK = false
                    pos += 1
                    continue
                }
                if ch == 0x27 || ch == 0x22 {
                    quote = ch
                    blankOK = true
                    phase = 2
                    pos += 1
                    continue
                }
                var c = ch
                if ch == escape {
                    if pos + 1 == e { pos += 1; continue }
                    pos += 1
                    c = b[pos]
                }
                put(c)
                pos += 1
                continue
            }
            if phase == 2 {
                if ch == quote { phase = 1; pos += 1; continue }
                var c = ch
                if ch == escape {
                    if pos + 1 == e { phase = 1; pos += 1; continue }
                    pos += 1
                    c = b[pos]
                }
                put(c)
                pos += 1
            }
        }
        return (e, words)
    }

    /// `parseWords`: space-separated words, quotes kept, escapes kept except at the end.
    func parseWords(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> [Word] {
        var words: [Word] = []
        var buf: [UInt8] = []
        var phase = 0
        var quote: UInt32 = 0
        var blankOK = false
        var wordStart = s
        var pos = s
        var ch: UInt32 = 0
        var width = 1
        func put(_ at: Int, _ w: Int, _ valid: Bool) {
            if valid { buf.append(contentsOf: UnsafeBufferPointer(rebasing: b[at..<(at + w)])) } else {
                buf.append(0xEF); buf.append(0xBF); buf.append(0xBD)
            }
        }
        var valid = true
        while pos <= e {
            if pos != e {
                let (sc, w) = decodeRune(b, pos, e)
                ch = sc ?? 0xFFFD
                valid = sc != nil
                width = w
            }
            if phase == 0 {
                if pos == e { break }
                if isGoSpace(ch) { pos += width; continue }
                phase = 1
                wordStart = pos
            }
            if (phase == 1 || phase == 2) && pos == e {
                if blankOK || !buf.isEmpty { words.append(Word(value: String(decoding: buf, as: UTF8.self), start: wordStart, end: pos)) }
                break
            }
            if phase == 1 {
                if isGoSpace(ch) {
                    phase = 0
                    if blankOK || !buf.isEmpty { words.append(Word(value: String(decoding: buf, as: UTF8.self), start: wordStart, end: pos)) }
                    buf.removeAll(keepingCapacity: true)
                    blankOK = false
                    pos += width
                    continue
                }
                if ch == 0x27 || ch == 0x22 {
                    quote = ch
                    blankOK = true
                    phase = 2
                }
                if ch == UInt32(escape) {
                    if pos + width == e { pos += width; continue }
                    put(pos, width, valid)
                    pos += width
                    let (sc, w) = decodeRune(b, pos, e)
                    ch = sc ?? 0xFFFD; valid = sc != nil; width = w
                }
                put(pos, width, valid)
                pos += width
                continue
            }
            if phase == 2 {
                if ch == quote { phase = 1 }
                if ch == UInt32(escape) && quote != 0x27 {
                    if pos + width == e { phase = 1; pos += width; continue }
                    put(pos, width, valid)
                    pos += width
                    let (sc, w) = decodeRune(b, pos, e)
                    ch = sc ?? 0xFFFD; valid = sc != nil; width = w
                }
                put(pos, width, valid)
                pos += width
            }
        }
        return words
    }

    /// `parseNameVal` for ENV and LABEL.
    mutating func nameVal(_ b: UnsafeBufferPointer<UInt8>, _ line: LogicalLine, _ s: Int, _ e: Int, key: String) -> [KeyValue]? {
        let words = parseWords(b, s, e)
        if words.isEmpty { return [] }
        if !words[0].value.utf8.contains(0x3D) {
            // Legacy `KEY name value`: split the raw text on the first whitespace run.
            var k = s
            while k < e, !isReWhitespace(b[k]) { k += 1 }
            if k >= e {
                lineError("\(key) must have two arguments", line, s, e)
                return nil
            }
            var v = k
            while v < e, isReWhitespace(b[v]) { v += 1 }
            return [KeyValue(key: arg(line, Word(value: makeString(b, s, k), start: s, end: k)),
                             value: arg(line, Word(value: makeString(b, v, e), start: v, end: e)), hasEquals: false)]
        }
        var out: [KeyValue] = []
        for w in words {
            let u = Array(w.value.utf8)
            guard let eq = u.firstIndex(of: 0x3D) else {
                lineError("Syntax error - can't find = in \(goQuote(w.value)). Must be of the form: name=value", line, w.start, w.end)
                return nil
            }
            let keyText = String(decoding: u[..<eq], as: UTF8.self)
            let valText = String(decoding: u[(eq + 1)...], as: UTF8.self)
            // The key's bytes map one to one to the source up to the first `=`.
            let keyEnd = w.start + eq
            out.append(KeyValue(key: arg(line, Word(value: keyText, start: w.start, end: keyEnd)),
                                value: arg(line, Word(value: valText, start: min(keyEnd + 1, w.end), end: w.end)),
                                hasEquals: true))
        }
        return out
    }
}
