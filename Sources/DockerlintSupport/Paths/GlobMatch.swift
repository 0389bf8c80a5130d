/// Globs written by users (configuration `per-path` entries, report gates), as opposed to
/// Go's `path.Match` (`goPathMatch`), which follows the builders.
public enum GlobMatch {
    /// A path glob: `*` and `?` within a segment, `**` across segments; a pattern without `/`
    /// matches the file name at any depth; a leading `./` of the path is ignored and a pattern
    /// with `/` may match below any directory (`a/*.df` matches `x/a/b.df`).
    public static func matches(pattern: String, path: String) -> Bool {
        let p = Array(pattern.utf8), s = Array(path.utf8)
        if !p.contains(UInt8(ascii: "/")) {
            let base = s.lastIndex(of: UInt8(ascii: "/")).map { Array(s[($0 + 1)...]) } ?? s
            return match(p, 0, base, 0)
        }
        var stripped = s
        if stripped.starts(with: Array("./".utf8)) { stripped.removeFirst(2) }
        return match(p, 0, stripped, 0) || match(Array("**/".utf8) + p, 0, stripped, 0)
    }

    /// A whole-text wildcard: `*` any run of characters (`/` included), `?` one character.
    public static func wildcard(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern), t = Array(text)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == "?" || p[pi] == t[ti]) { pi += 1; ti += 1 }
            else if pi < p.count && p[pi] == "*" { star = pi; mark = ti; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count && p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    static func match(_ p: [UInt8], _ pi: Int, _ s: [UInt8], _ si: Int) -> Bool {
        var pi = pi, si = si
        while pi < p.count {
            let c = p[pi]
            if c == UInt8(ascii: "*") {
                if pi + 1 < p.count, p[pi + 1] == UInt8(ascii: "*") {
                    var next = pi + 2
                    if next < p.count, p[next] == UInt8(ascii: "/") { next += 1 }
                    var k = si
                    while k <= s.count {
                        if match(p, next, s, k) { return true }
                        k += 1
                    }
                    return false
                }
                var k = si
                while true {
                    if match(p, pi + 1, s, k) { return true }
                    if k >= s.count || s[k] == UInt8(ascii: "/") { return false }
                    k += 1
                }
            }
            guard si < s.count else { return false }
            if c != UInt8(ascii: "?") && c != s[si] { return false }
            if c == UInt8(ascii: "?") && s[si] == UInt8(ascii: "/") { return false }
            pi += 1; si += 1
        }
        return si == s.count
    }
}
