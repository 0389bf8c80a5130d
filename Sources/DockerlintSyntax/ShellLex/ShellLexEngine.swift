/// One run of the lexer over one word: BuildKit's `shellWord`, re-implemented on UTF-8
/// bytes with scalars decoded only where a character matters.
struct ShellLexEngine<Env: EnvironmentLookup> {
    typealias Reason = ShellLexError.Reason

    private static var eof: UInt32 { ShellLexText.eof }

    let input: [UInt8]
    var pos: Int
    let env: Env
    let escape: UInt32
    let rawQuotes: Bool
    let skipUnsetEnv: Bool
    let skipProcessQuotes: Bool
    /// Changes while processing `${x#p}`-style words (BuildKit toggles it the same way).
    var rawEscapes: Bool
    let capture: Bool
    let wantWords: Bool

    var matched: Set<String> = []
    var unmatched: Set<String> = []

    // Word splitting state of the top-level word. The buffer is shared with nested
    // `${...}` words exactly as BuildKit shares `shellWord.wordsBuffer`: a nested word
    // resets it, dropping the partial word before `${x:-...}`/`${x#...}`/`${x/...}`.
    var words: [String] = []
    var wordBuffer: [UInt8] = []
    var inWord = false

    init(_ word: String, lexer: ShellLexer, env: Env, capture: Bool, wantWords: Bool) {
        let bytes = Array(word.utf8)
        // Go's text/scanner skips a byte-order mark at the very start.
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        self.input = bytes
        self.pos = start
        self.env = env
        self.escape = lexer.escapeToken.value
        self.rawQuotes = lexer.rawQuotes
        self.skipUnsetEnv = lexer.skipUnsetEnv
        self.skipProcessQuotes = lexer.skipProcessQuotes
        self.rawEscapes = lexer.rawEscapes
        self.capture = capture
        self.wantWords = wantWords
    }

    // MARK: scanner

    @inline(__always)
    private func peek() -> (UInt32, Int) {
        pos < input.count ? ShellLexText.decode(input, at: pos) : (Self.eof, 0)
    }

    @inline(__always)
    private mutating func next() -> UInt32 {
        let (c, w) = peek()
        pos += w
        return c
    }

    @inline(__always)
    private var atEnd: Bool { pos >= input.count }

    // MARK: words

    @inline(__always)
    private mutating func addChar(_ c: UInt32) {
        if ShellLexText.isSpace(c) {
            if inWord && !wordBuffer.isEmpty {
                words.append(ShellLexText.string(wordBuffer))
                wordBuffer.removeAll(keepingCapacity: true)
                inWord = false
            }
        } else {
            addRawChar(c)
        }
    }

    @inline(__always)
    private mutating func addRawChar(_ c: UInt32) {
        ShellLexText.append(c, to: &wordBuffer)
        inWord = true
    }

    private mutating func addString(_ bytes: [UInt8]) {
        var i = 0
        while i < bytes.count {
            let (c, w) = ShellLexText.decode(bytes, at: i)
            addChar(c)
            i += w
        }
    }

    private mutating func addRawString(_ bytes: [UInt8]) {
        wordBuffer.append(contentsOf: bytes)
        inWord = true
    }

    private mutating func finishWords() {
        if !wordBuffer.isEmpty {
            words.append(ShellLexText.string(wordBuffer))
            wordBuffer.removeAll(keepingCapacity: true)
            inWord = false
        }
    }

    // MARK: processing

    /// Processes the whole input (BuildKit's `processStopOn(scanner.EOF, rawEscapes)`).
    mutating func run() throws(Reason) -> [UInt8] {
        let result = try processStopOn(Self.eof, rawEscapes: rawEscapes, topLevel: true)
        if wantWords { finishWords() }
        return result
    }

    /// Processes up to (and consuming) `stop`, or to the end when `stop` is `eof`.
    /// Only the top-level call splits words; a nested call (inside `${...}`) just clears
    /// the shared word buffer, which is its only lasting effect on splitting in BuildKit.
    private mutating func processStopOn(_ stop: UInt32, rawEscapes newRawEscapes: Bool, topLevel: Bool) throws(Reason) -> [UInt8] {
        let splitting = topLevel && wantWords
        if !topLevel { wordBuffer.removeAll(keepingCapacity: true) }
        let savedRawEscapes = rawEscapes
        rawEscapes = newRawEscapes
        defer { rawEscapes = savedRawEscapes }

        var result: [UInt8] = []
        scan: while pos < input.count {
            let (ch, width) = peek()
            if ch == stop {
                pos += width
                return result
            }
            switch ch {
            case 0x24: // $
                let tmp = try processDollar()
                result.append(contentsOf: tmp)
                if splitting { addString(tmp) }
            case 0x3C: // <
                let tmp = processPossibleHeredoc()
                result.append(contentsOf: tmp)
                if splitting { addRawString(tmp) }
            case 0x27 where !skipProcessQuotes: // '
                let tmp = try processSingleQuote()
                result.append(contentsOf: tmp)
                if splitting { addRawString(tmp) }
            case 0x22 where !skipProcessQuotes: // "
                let tmp = try processDoubleQuote()
                result.append(contentsOf: tmp)
                if splitting { addRawString(tmp) }
            default:
                pos += width
                if ch == escape {
                    if rawEscapes {
                        if splitting { addRawChar(ch) }
                        ShellLexText.append(ch, to: &result)
                    }
                    // The escape token escapes the next character; at the end it vanishes.
                    let (escaped, w2) = peek()
                    if escaped == Self.eof { break scan }
                    pos += w2
                    if splitting { addRawChar(escaped) }
                    ShellLexText.append(escaped, to: &result)
                } else {
                    if splitting { addChar(ch) }
                    if ch < 0x80 {
                        result.append(UInt8(truncatingIfNeeded: ch))
                    } else {
                        result.append(contentsOf: input[(pos - width)..<pos])
                    }
                }
            }
        }
        if stop != Self.eof {
            // BuildKit: "unexpected end of statement while looking for matching }" — every
            // caller turns it into the "missing" error below because this is at the end.
            throw stop == 0x2F ? .missingSlash : .missingClosingBrace
        }
        return result
    }

    private mutating func processSingleQuote() throws(Reason) -> [UInt8] {
        // Everything up to the next ' is literal; there is no escaping inside.
        let open = pos
        pos += 1
        var i = pos
        while i < input.count && input[i] != 0x27 { i += 1 }
        guard i < input.count else {
            pos = input.count
            throw .unterminatedSingleQuote
        }
        let result = rawQuotes ? Array(input[open...i]) : Array(input[pos..<i])
        pos = i + 1
        return result
    }

    private mutating func processDoubleQuote() throws(Reason) -> [UInt8] {
        // Literal except `$`; the escape token escapes only `"`, `$` and itself (otherwise
        // it stays). With rawEscapes the token is kept as well (BuildKit then writes it
        // twice before a character it does not escape).
        var result: [UInt8] = []
        pos += 1
        if rawQuotes { result.append(0x22) }
        while true {
            let (ch, width) = peek()
            switch ch {
            case Self.eof:
                throw .unterminatedDoubleQuote
            case 0x22:
                pos += width
                if rawQuotes { result.append(0x22) }
                return result
            case 0x24:
                result.append(contentsOf: try processDollar())
            default:
                pos += width
                var out = ch
                if ch == escape {
                    if rawEscapes { ShellLexText.append(ch, to: &result) }
                    let (nextCh, w2) = peek()
                    if nextCh == Self.eof { continue } // then fails: no closing quote
                    if nextCh == 0x22 || nextCh == 0x24 || nextCh == escape {
                        pos += w2
                        out = nextCh
                    }
                }
                ShellLexText.append(out, to: &result)
            }
        }
    }

    private mutating func processPossibleHeredoc() -> [UInt8] {
        pos += 1
        guard pos < input.count, input[pos] == 0x3C else { return [0x3C] }
        pos += 1
        var result: [UInt8] = [0x3C, 0x3C]
        // "<<" keeps the blanks after it, so "<< EOF" stays one word.
        while pos < input.count, input[pos] == 0x20 || input[pos] == 0x09 || input[pos] == 0x0D {
            result.append(input[pos])
            pos += 1
        }
        return result
    }

    /// A name after `$` or `${`: a run of digits (positional), one special parameter
    /// character, or letters/digits/underscores.
    private mutating func processName() -> String {
        let start = pos
        let (first, w0) = peek()
        if first == Self.eof { return "" }
        if ShellLexText.isDigit(first) {
            pos += w0
            while true {
                let (c, w) = peek()
                guard c != Self.eof, ShellLexText.isDigit(c) else { break }
                pos += w
            }
            return ShellLexText.string(Array(input[start..<pos]))
        }
        switch first {
        case 0x40, 0x2A, 0x23, 0x3F, 0x2D, 0x24, 0x21, 0x30: // @ * # ? - $ ! 0
            pos += w0
            return ShellLexText.string([UInt8(truncatingIfNeeded: first)])
        default:
            break
        }
        while true {
            let (c, w) = peek()
            guard c != Self.eof, ShellLexText.isLetter(c) || ShellLexText.isDigit(c) || c == 0x5F else { break }
            pos += w
        }
        return ShellLexText.string(Array(input[start..<pos]))
    }

    private mutating func getEnv(_ name: String) -> String? {
        let value = env.lookup(name)
        if capture {
            if value != nil { matched.insert(name) } else { unmatched.insert(name) }
        }
        return value
    }

    private mutating func processDollar() throws(Reason) -> [UInt8] {
        pos += 1 // $
        if peek().0 != 0x7B { // $name
            let name = processName()
            if name.isEmpty { return [0x24] }
            guard let value = getEnv(name) else {
                return skipUnsetEnv ? [0x24] + Array(name.utf8) : []
            }
            return Array(value.utf8)
        }
        pos += 1 // {
        switch peek().0 {
        case Self.eof:
            throw .missingClosingBrace
        case 0x7B, 0x7D, 0x3A: // ${{x}, ${}, ${:x}
            throw .badSubstitution
        default:
            break
        }
        let name = processName()
        var op = next()
        var modifier: [UInt32] = [op == Self.eof ? ShellLexText.replacement : op]
        var nullIsUnset = false

        switch op {
        case 0x7D: // }
            guard let value = getEnv(name) else {
                return skipUnsetEnv ? Array("${\(name)}".utf8) : []
            }
            return Array(value.utf8)

        case 0x3A, 0x2B, 0x2D, 0x3F, 0x23, 0x25: // : + - ? # %
            if op == 0x3A {
                nullIsUnset = true
                op = next()
                modifier.append(op == Self.eof ? ShellLexText.replacement : op)
            }
            let patternWord = op == 0x23 || op == 0x25
            if nullIsUnset && patternWord {
                throw .unsupportedModifier(ShellLexText.string(scalars: modifier))
            }
            var word: [UInt8]
            do {
                word = try processStopOn(0x7D, rawEscapes: patternWord, topLevel: false)
            } catch {
                throw atEnd ? .missingClosingBrace : error
            }
            let value = getEnv(name)
            if skipUnsetEnv && value == nil {
                var raw = Array("${\(name)".utf8)
                for c in modifier { ShellLexText.append(c, to: &raw) }
                raw.append(contentsOf: word)
                raw.append(0x7D)
                return raw
            }
            switch op {
            case 0x2D: // -
                if let value, !(nullIsUnset && value.isEmpty) { return Array(value.utf8) }
                return word
            case 0x2B: // +
                if let value, !(nullIsUnset && value.isEmpty) { return word }
                return []
            case 0x3F: // ?
                guard let value else {
                    throw .requiredVariable(name: name, message: word.isEmpty ? "is not allowed to be unset" : ShellLexText.string(word))
                }
                if nullIsUnset && value.isEmpty {
                    throw .requiredVariable(name: name, message: word.isEmpty ? "is not allowed to be empty" : ShellLexText.string(word))
                }
                return Array(value.utf8)
            case 0x23, 0x25: // # %  — doubled (after expansion) means longest match
                var greedy = false
                if let first = word.first, UInt32(first) == op {
                    greedy = true
                    word.removeFirst()
                }
                let pattern = ShellLexText.scalars(word)
                let subject = Array((value ?? "").unicodeScalars.lazy.map(\.value))
                let trimmed = op == 0x25
                    ? try ShellGlobPattern.trimSuffix(pattern: pattern, value: subject, greedy: greedy)
                    : try ShellGlobPattern.trimPrefix(pattern: pattern, value: subject, greedy: greedy)
                var out: [UInt8] = []
                out.reserveCapacity(trimmed.count)
                for c in trimmed { ShellLexText.append(c, to: &out) }
                return out
            default:
                throw .unsupportedModifier(ShellLexText.string(scalars: modifier))
            }

        case 0x2F: // /
            let all = peek().0 == 0x2F
            if all { pos += 1 }
            let pattern: [UInt8]
            do {
                pattern = try processStopOn(0x2F, rawEscapes: true, topLevel: false)
            } catch {
                throw atEnd ? .missingSlash : error
            }
            let replacement: [UInt8]
            do {
                replacement = try processStopOn(0x7D, rawEscapes: true, topLevel: false)
            } catch {
                throw atEnd ? .missingClosingBrace : error
            }
            let value = getEnv(name)
            if skipUnsetEnv && value == nil {
                // BuildKit rebuilds it with a single slash even for ${x//p/r}.
                return Array("${\(name)/".utf8) + pattern + [0x2F] + replacement + [0x7D]
            }
            let replaced = try ShellGlobPattern.replace(
                pattern: ShellLexText.scalars(pattern),
                replacement: ShellLexText.scalars(replacement),
                value: Array((value ?? "").unicodeScalars.lazy.map(\.value)),
                all: all)
            var out: [UInt8] = []
            out.reserveCapacity(replaced.count)
            for c in replaced { ShellLexText.append(c, to: &out) }
            return out

        default:
            throw .unsupportedModifier(ShellLexText.string(scalars: modifier))
        }
    }
}
