/// A heredoc marker word such as `<<-"EOF"` or `3<<EOF`.
public struct HeredocMarker: Hashable, Sendable {
    public var name: String
    public var nameBytes: [UInt8]
    public var fd: Int
    public var chomp: Bool
    public var expand: Bool
}

extension ParserState {
    /// The words of a logical line as BuildKit's heredoc scan sees them.
    func heredocWords(_ line: [UInt8]) -> [String] {
        HeredocMarker.words(of: String(decoding: line, as: UTF8.self))
    }

    func parseHeredocWord(_ word: String) -> HeredocMarker? { HeredocMarker.parse(word) }
}

extension HeredocMarker {
    /// BuildKit's `heredocsFromLine` word split: the shell lexer with raw quotes, raw
    /// escapes and unset variables kept, always with `\` as the escape character.
    static func words(of line: String) -> [String] {
        let lexer = ShellLexer(escapeToken: "\\", rawQuotes: true, rawEscapes: true, skipUnsetEnv: true)
        return (try? lexer.processWords(line, env: ShellEnvironment.empty)) ?? []
    }

    /// BuildKit's `ParseHeredoc`: `^(\d*)<<(-?)\s*([^<]*)$`, then the delimiter word is
    /// unquoted; any quoting turns expansion off.
    public static func parse(_ word: String) -> HeredocMarker? {
        let b = Array(word.utf8)
        var i = 0
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
        let digits = i
        guard i + 1 < b.count, b[i] == 0x3C, b[i + 1] == 0x3C else { return nil }
        i += 2
        var chomp = false
        if i < b.count, b[i] == 0x2D { chomp = true; i += 1 }
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0C || b[i] == 0x0D { i += 1 }
        let rest = Array(b[i...])
        if rest.contains(0x3C) { return nil }
        if rest.isEmpty { return nil }
        let restText = String(decoding: rest, as: UTF8.self)
        let plain = ShellLexer(escapeToken: "\\", rawQuotes: false, skipUnsetEnv: true)
        guard let words = try? plain.processWords(restText, env: ShellEnvironment.empty), words.count == 1 else { return nil }
        let raw = ShellLexer(escapeToken: "\\", rawQuotes: true, skipUnsetEnv: true)
        guard let rawWords = try? raw.processWords(restText, env: ShellEnvironment.empty), rawWords.count == 1 else { return nil }
        func quotes(_ s: String) -> Int { s.utf8.reduce(0) { $0 + ($1 == 0x27 || $1 == 0x22 ? 1 : 0) } }
        let fd = digits == 0 ? 0 : Int(String(decoding: b[0..<digits], as: UTF8.self)) ?? 0
        return HeredocMarker(name: words[0], nameBytes: Array(words[0].utf8), fd: fd, chomp: chomp,
                             expand: quotes(words[0]) == quotes(rawWords[0]))
    }
}
