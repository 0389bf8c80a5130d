/// The shell patterns of `${x#p}`, `${x%p}` and `${x/p/r}`, with BuildKit's semantics.
///
/// BuildKit turns the pattern into a Go regular expression (`convertShellPatternToRegex`):
/// `*` becomes `.*` (greedy) or `.*?` (lazy), `?` becomes `.`, `\*` `\?` `\\` are literal,
/// `\}` and `\/` drop the backslash, any other escape is an error, and everything else is
/// literal (no bracket expressions). Go's `.` does not match a newline, and Go matches
/// leftmost-first (backtracking priority order). This is a small backtracking matcher with
/// memoisation over Unicode scalars that reproduces exactly those results.
struct ShellGlobPattern {
    enum Token: Equatable {
        case literal(UInt32)
        case any
        case star
    }

    let tokens: [Token]
    let greedy: Bool
    private let starCount: Int

    /// Compiles `pattern` (scalars). Throws the reason text BuildKit gives, e.g.
    /// `invalid escape '\x'` (U+FFFD stands for a backslash at the end).
    init(_ pattern: [UInt32], greedy: Bool) throws(ShellGlobPatternError) {
        var tokens: [Token] = []
        tokens.reserveCapacity(pattern.count)
        var stars = 0
        var i = 0
        let n = pattern.count
        while i < n {
            let c = pattern[i]
            i += 1
            switch c {
            case 0x2A: // *
                tokens.append(.star)
                stars += 1
            case 0x3F: // ?
                tokens.append(.any)
            case 0x5C: // backslash
                let next = i < n ? pattern[i] : ShellLexText.eof
                if next == 0x7D || next == 0x2F { continue } // \} and \/: the escape is not part of the pattern
                i += 1
                if next != 0x2A && next != 0x3F && next != 0x5C {
                    var reason: [UInt8] = Array("invalid escape '\\".utf8)
                    ShellLexText.append(next == ShellLexText.eof ? ShellLexText.replacement : next, to: &reason)
                    reason.append(UInt8(ascii: "'"))
                    throw ShellGlobPatternError(reason: ShellLexText.string(reason))
                }
                tokens.append(.literal(next))
            default:
                tokens.append(.literal(c))
            }
        }
        self.tokens = tokens
        self.greedy = greedy
        self.starCount = stars
    }

    /// A matcher over one subject; memoises star positions so several stars stay linear-ish.
    struct Matcher {
        let pattern: ShellGlobPattern
        let subject: [UInt32]
        private var memo: [Int32]
        private var starIndex: [Int]

        init(_ pattern: ShellGlobPattern, _ subject: [UInt32]) {
            self.pattern = pattern
            self.subject = subject
            self.memo = []
            var idx = [Int](repeating: -1, count: pattern.tokens.count)
            var k = 0
            for (i, t) in pattern.tokens.enumerated() where t == .star {
                idx[i] = k
                k += 1
            }
            self.starIndex = idx
        }

        /// End of the first match (in priority order) of tokens[pi...] starting at subject[vi], or -1.
        mutating func matchEnd(_ pi0: Int, _ vi0: Int) -> Int {
            var pi = pi0
            var vi = vi0
            let tokens = pattern.tokens
            let n = subject.count
            while pi < tokens.count {
                switch tokens[pi] {
                case .literal(let c):
                    guard vi < n, subject[vi] == c else { return -1 }
                    pi += 1
                    vi += 1
                case .any:
                    guard vi < n, subject[vi] != 0x0A else { return -1 }
                    pi += 1
                    vi += 1
                case .star:
                    if memo.isEmpty {
                        memo = [Int32](repeating: -2, count: pattern.starCount * (n + 1))
                    }
                    let key = starIndex[pi] * (n + 1) + vi
                    let cached = memo[key]
                    if cached != -2 { return Int(cached) }
                    var limit = vi
                    while limit < n && subject[limit] != 0x0A { limit += 1 }
                    var found = -1
                    if pattern.greedy {
                        var j = limit
                        while j >= vi {
                            let r = matchEnd(pi + 1, j)
                            if r >= 0 { found = r; break }
                            j -= 1
                        }
                    } else {
                        var j = vi
                        while j <= limit {
                            let r = matchEnd(pi + 1, j)
                            if r >= 0 { found = r; break }
                            j += 1
                        }
                    }
                    memo[key] = Int32(found)
                    return found
                }
            }
            return vi
        }

        /// Leftmost-first unanchored search from `from`: (start, end) or nil.
        mutating func find(from: Int) -> (Int, Int)? {
            var s = from
            while s <= subject.count {
                let e = matchEnd(0, s)
                if e >= 0 { return (s, e) }
                s += 1
            }
            return nil
        }
    }

    /// `${x#p}` / `${x##p}`: drop the anchored match from the front.
    static func trimPrefix(pattern: [UInt32], value: [UInt32], greedy: Bool) throws(ShellLexError.Reason) -> [UInt32] {
        let glob: ShellGlobPattern
        do {
            glob = try ShellGlobPattern(pattern, greedy: greedy)
        } catch {
            throw .invalidPattern(pattern: ShellLexText.string(scalars: pattern), reason: error.reason)
        }
        var m = Matcher(glob, value)
        let end = m.matchEnd(0, 0)
        return end >= 0 ? Array(value[end...]) : value
    }

    /// `${x%p}` / `${x%%p}`: BuildKit reverses pattern and value and trims a prefix, so an
    /// error names the reversed pattern, as BuildKit's does.
    static func trimSuffix(pattern: [UInt32], value: [UInt32], greedy: Bool) throws(ShellLexError.Reason) -> [UInt32] {
        let trimmed = try trimPrefix(pattern: reversePattern(pattern), value: value.reversed(), greedy: greedy)
        return trimmed.reversed()
    }

    /// Reverses a pattern keeping each `\x` pair in order (`a\*c` -> `c\*a`); a trailing
    /// backslash moves to the front.
    static func reversePattern(_ p: [UInt32]) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: p.count)
        let last = p.count - 1
        var i = 0
        while i <= last {
            let c = p[i]
            let o = last - i
            if c == 0x5C && i != last {
                out[o - 1] = c
                out[o] = p[i + 1]
                i += 2
            } else {
                out[o] = c
                i += 1
            }
        }
        return out
    }

    /// `${x/p/r}` (first match) and `${x//p/r}` (all matches). The pattern is greedy and
    /// unanchored. Like BuildKit (Go's `ReplaceAllString`), the all-matches form expands `$`
    /// templates in the replacement: `$$` is `$`, `$0`/`${0}` is the matched text, other
    /// `$name`/`${name}` are empty; the first-match form inserts the replacement literally.
    static func replace(pattern: [UInt32], replacement: [UInt32], value: [UInt32], all: Bool) throws(ShellLexError.Reason) -> [UInt32] {
        let glob: ShellGlobPattern
        do {
            glob = try ShellGlobPattern(pattern, greedy: true)
        } catch {
            throw .invalidPattern(pattern: ShellLexText.string(scalars: pattern), reason: error.reason)
        }
        var m = Matcher(glob, value)
        if !all {
            guard let (s, e) = m.find(from: 0) else { return value }
            return Array(value[..<s]) + replacement + Array(value[e...])
        }
        var out: [UInt32] = []
        out.reserveCapacity(value.count)
        var lastMatchEnd = 0
        var searchPos = 0
        while searchPos <= value.count {
            guard let (a0, a1) = m.find(from: searchPos) else { break }
            out.append(contentsOf: value[lastMatchEnd..<a0])
            if a1 > lastMatchEnd || a0 == 0 {
                expandTemplate(replacement, match: value[a0..<a1], into: &out)
            }
            lastMatchEnd = a1
            searchPos = searchPos + 1 > a1 ? searchPos + 1 : a1
        }
        out.append(contentsOf: value[lastMatchEnd...])
        return out
    }

    /// Go's `Regexp.Expand` for a regexp whose only group is the whole match.
    static func expandTemplate(_ template: [UInt32], match: ArraySlice<UInt32>, into out: inout [UInt32]) {
        var i = 0
        let n = template.count
        while i < n {
            let c = template[i]
            if c != 0x24 { // $
                out.append(c)
                i += 1
                continue
            }
            i += 1
            if i < n && template[i] == 0x24 {
                out.append(0x24)
                i += 1
                continue
            }
            // extract: optional {, a non-empty run of letters/digits/_, then } if braced
            var j = i
            let brace = j < n && template[j] == 0x7B
            if brace { j += 1 }
            let nameStart = j
            while j < n && (ShellLexText.isLetter(template[j]) || ShellLexText.isDigit(template[j]) || template[j] == 0x5F) {
                j += 1
            }
            var ok = j > nameStart
            if ok && brace {
                if j < n && template[j] == 0x7D { j += 1 } else { ok = false }
            }
            if !ok {
                out.append(0x24) // malformed: the $ is literal
                continue
            }
            // Only group 0 exists: "$0"/"${0}" is the match; leading zeros ("$00") are names.
            if j - (brace ? 1 : 0) - nameStart == 1 && template[nameStart] == 0x30 {
                out.append(contentsOf: match)
            }
            i = j
        }
    }
}

struct ShellGlobPatternError: Error {
    let reason: String
}
