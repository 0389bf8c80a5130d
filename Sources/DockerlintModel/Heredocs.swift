import DockerlintSyntax

/// BuildKit's `parser.MustParseHeredoc` for one word, used by COPY/ADD to tell inline
/// sources (and a forbidden heredoc destination) from paths.
/// (Kept here until the syntax layer's `HeredocMarker.parse` is filled in; then this
/// forwards to it.)
enum HeredocSyntax {
    struct Marker { var name: String; var chomp: Bool; var expand: Bool; var fd: Int }

    static func marker(_ word: String) -> Marker? {
        if let m = HeredocMarker.parse(word) { return Marker(name: m.name, chomp: m.chomp, expand: m.expand, fd: m.fd) }
        // ^(\d*)<<(-?)\s*([^<]*)$
        let u = Array(word.utf8)
        var i = 0
        while i < u.count, u[i] >= 0x30, u[i] <= 0x39 { i += 1 }
        let fdText = String(decoding: u[0..<i], as: UTF8.self)
        guard i + 1 < u.count, u[i] == 0x3C, u[i + 1] == 0x3C else { return nil }
        i += 2
        var chomp = false
        if i < u.count, u[i] == 0x2D { chomp = true; i += 1 }
        while i < u.count, u[i] == 0x20 || u[i] == 0x09 || u[i] == 0x0A || u[i] == 0x0C || u[i] == 0x0D { i += 1 }
        let rest = Array(u[i...])
        if rest.contains(0x3C) || rest.isEmpty { return nil }
        let restText = String(decoding: rest, as: UTF8.self)
        let lex = ShellLexer(escapeToken: "\\", skipUnsetEnv: true)
        guard let words = try? lex.processWords(restText, env: ShellEnvironment.empty), words.count == 1 else { return nil }
        var rawLex = lex
        rawLex.rawQuotes = true
        guard let raw = try? rawLex.processWords(restText, env: ShellEnvironment.empty), raw.count == 1 else { return nil }
        func quotes(_ s: String) -> Int { s.utf8.reduce(0) { $0 + ($1 == 0x27 || $1 == 0x22 ? 1 : 0) } }
        return Marker(name: words[0], chomp: chomp, expand: quotes(words[0]) == quotes(raw[0]), fd: Int(fdText) ?? 0)
    }

    /// `ChompHeredocContent`: leading tabs removed from every line.
    static func chomp(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var atLineStart = true
        for ch in s.unicodeScalars {
            if atLineStart && ch == "\t" { continue }
            atLineStart = ch == "\n"
            out.unicodeScalars.append(ch)
        }
        return out
    }
}
