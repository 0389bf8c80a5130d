import DockerlintSyntax

/// BuildKit's `parser.MustParseHeredoc` for one word, used by COPY/ADD to tell inline
/// sources (and a forbidden heredoc destination) from paths.
enum HeredocSyntax {
    struct Marker { var name: String; var chomp: Bool; var expand: Bool; var fd: Int }

    static func marker(_ word: String) -> Marker? {
        guard let m = HeredocMarker.parse(word) else { return nil }
        return Marker(name: m.name, chomp: m.chomp, expand: m.expand, fd: m.fd)
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
