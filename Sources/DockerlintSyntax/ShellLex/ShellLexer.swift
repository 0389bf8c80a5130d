/// BuildKit's shell word lexer (`frontend/dockerfile/shell.Lex`): quote removal, escapes
/// and `$var`/`${var...}` expansion for Dockerfile instruction words, with Unix semantics.
///
/// A value type with no shared state: safe to use from any number of threads at once.
public struct ShellLexer: Sendable, Equatable {
    /// The escape character: `\` (default) or `` ` `` (set by the `# escape=` directive).
    public var escapeToken: Unicode.Scalar
    /// Keep the quote characters in the output (`'a'` stays `'a'`).
    public var rawQuotes: Bool
    /// Keep the escape characters in the output (`a\ b` stays `a\ b`). Words of `${x-w}`,
    /// `${x+w}` and `${x?w}` are processed without it; `#`, `%` and `/` patterns always with it.
    public var rawEscapes: Bool
    /// Leave references to undefined variables as written (`$x`, `${x}`, `${x:-w}`) instead
    /// of expanding them; also skips the modifier's semantics (and errors) for those.
    public var skipUnsetEnv: Bool
    /// Treat `'` and `"` as ordinary characters.
    public var skipProcessQuotes: Bool

    public init(
        escapeToken: Unicode.Scalar = "\\",
        rawQuotes: Bool = false,
        rawEscapes: Bool = false,
        skipUnsetEnv: Bool = false,
        skipProcessQuotes: Bool = false
    ) {
        self.escapeToken = escapeToken
        self.rawQuotes = rawQuotes
        self.rawEscapes = rawEscapes
        self.skipUnsetEnv = skipUnsetEnv
        self.skipProcessQuotes = skipProcessQuotes
    }

    /// Expands `word` into one string, without word splitting (BuildKit's `ProcessWord`).
    public func processWord(_ word: String, env: some EnvironmentLookup) throws(ShellLexError) -> String {
        if let unchanged = passthrough(word) { return unchanged }
        var engine = ShellLexEngine(word, lexer: self, env: env, capture: false, wantWords: false)
        do {
            return ShellLexText.string(try engine.run())
        } catch {
            throw ShellLexError(error, word: word)
        }
    }

    /// Expands `word` and splits the result into words on (unquoted, unescaped) whitespace,
    /// as BuildKit's `ProcessWords` does: whitespace that comes from a variable value splits
    /// too, whitespace inside quotes or escaped does not, and empty words are dropped.
    public func processWords(_ word: String, env: some EnvironmentLookup) throws(ShellLexError) -> [String] {
        var engine = ShellLexEngine(word, lexer: self, env: env, capture: false, wantWords: true)
        do {
            _ = try engine.run()
            return engine.words
        } catch {
            throw ShellLexError(error, word: word)
        }
    }

    /// Expands `word` and reports which variables it referenced that were defined (`matched`)
    /// and not defined (`unmatched`) — BuildKit's `ProcessWordWithMatches`.
    public func processWordWithMatches(_ word: String, env: some EnvironmentLookup) throws(ShellLexError) -> ShellWordResult {
        let (result, error) = processWordCollectingMatches(word, env: env)
        if let error { throw error }
        return result
    }

    /// Like `processWordWithMatches`, but never throws: on failure `result.result` is empty,
    /// `words` is empty, and `matched`/`unmatched` hold the names looked up before the error.
    /// BuildKit's linter reports unmatched names even when expansion then fails; this is the
    /// call that allows the same.
    public func processWordCollectingMatches(_ word: String, env: some EnvironmentLookup) -> (result: ShellWordResult, error: ShellLexError?) {
        var engine = ShellLexEngine(word, lexer: self, env: env, capture: true, wantWords: true)
        do {
            let bytes = try engine.run()
            return (ShellWordResult(result: ShellLexText.string(bytes), words: engine.words,
                                    matched: engine.matched, unmatched: engine.unmatched), nil)
        } catch {
            return (ShellWordResult(result: "", words: [], matched: engine.matched, unmatched: engine.unmatched),
                    ShellLexError(error, word: word))
        }
    }

    /// The word itself when nothing in it can change (no `$ ' " <`, no escape token, no
    /// leading byte-order mark): the common case in a Dockerfile, answered in one byte scan.
    private func passthrough(_ word: String) -> String? {
        let escape = escapeToken.value
        guard escape < 0x80 else { return nil }
        let escapeByte = UInt8(truncatingIfNeeded: escape)
        let quotesSpecial = !skipProcessQuotes
        let clean: Bool? = word.utf8.withContiguousStorageIfAvailable { buffer -> Bool in
            if buffer.count >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { return false }
            for b in buffer {
                switch b {
                case 0x24, 0x3C: return false
                case 0x22, 0x27: if quotesSpecial { return false }
                default: if b == escapeByte { return false }
                }
            }
            return true
        }
        return clean == true ? word : nil
    }
}

/// The outcome of `processWordWithMatches`.
public struct ShellWordResult: Sendable, Equatable {
    /// The expanded word, without splitting.
    public var result: String
    /// The expanded word split as `processWords` splits it.
    public var words: [String]
    /// Referenced variables that were defined (even if empty).
    public var matched: Set<String>
    /// Referenced variables that were not defined (for the UndefinedVar check).
    public var unmatched: Set<String>

    public init(result: String, words: [String], matched: Set<String>, unmatched: Set<String>) {
        self.result = result
        self.words = words
        self.matched = matched
        self.unmatched = unmatched
    }
}
