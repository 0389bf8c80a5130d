// Go's `path.Clean`, `path.Join` and `path.Match` (== `filepath` on Unix), which Docker's builders
// use for `.dockerignore` cleaning, COPY/ADD wildcard sources and working directories.

/// Go's `path.Join`: the elements joined with `/`, then cleaned; empty elements ignored.
public func goPathJoin(_ a: String, _ b: String) -> String {
    if a.isEmpty && b.isEmpty { return "" }
    if a.isEmpty { return goPathClean(b) }
    if b.isEmpty { return goPathClean(a) }
    return goPathClean(a + "/" + b)
}


/// Go's `path.Clean` for slash paths: lexical `.`/`..` removal, duplicate slashes collapsed.
public func goPathClean(_ path: String) -> String {
    if goPathIsClean(path) { return path }
    if path.isEmpty { return "." }
    let rooted = path.hasPrefix("/")
    var out: [Substring] = []
    // An ASCII path is split on its bytes (the same components: on ASCII a byte is a
    // character), without breaking the whole path into characters.
    let comps: [Substring] = path.utf8.allSatisfy({ $0 < 0x80 })
        ? path.utf8.split(separator: UInt8(ascii: "/")).map { Substring($0) }
        : path.split(separator: "/", omittingEmptySubsequences: true)
    for comp in comps {
        if comp == "." { continue }
        if comp == ".." {
            if let last = out.last, last != ".." {
                out.removeLast()
            } else if !rooted {
                out.append(comp)
            }
            continue
        }
        out.append(comp)
    }
    let joined = out.joined(separator: "/")
    if rooted { return "/" + joined }
    return joined.isEmpty ? "." : joined
}

/// Whether `goPathClean` returns `path` as it is, decided on its bytes without building
/// anything: no empty, `.` or `..` component, no trailing `/` (a leading one is kept). Paths
/// with non-ASCII bytes answer false and take the full cleaning.
public func goPathIsClean(_ path: String) -> Bool {
    var length = 0, dots = 0
    var first = true
    for b in path.utf8 {
        if b >= 0x80 { return false }
        if b == UInt8(ascii: "/") {
            if first { first = false; continue }
            if length == 0 || (dots == length && length <= 2) { return false }
            length = 0
            dots = 0
        } else {
            first = false
            length += 1
            if b == UInt8(ascii: ".") { dots += 1 }
        }
    }
    if first { return false }  // "" cleans to "."
    if length == 0 { return path.utf8.count == 1 }  // "/" is clean, "a/" is not
    return !(dots == length && length <= 2)
}

/// Error of Go's `filepath.Match` for a malformed pattern (`ErrBadPattern`).
public struct GoBadPatternError: Error, Sendable, Equatable {
    public let pattern: String
}

/// Go's `path.Match(pattern, name)`: `*` any run of non-`/`, `?` one non-`/` character,
/// `[...]` classes with `^` negation and ranges, `\` escapes. Throws on a malformed pattern.
public func goPathMatch(_ pattern: String, _ name: String) throws -> Bool {
    let p = Array(pattern.unicodeScalars)
    let n = Array(name.unicodeScalars)
    switch GoGlob.match(p, n) {
    case .bad: throw GoBadPatternError(pattern: pattern)
    case .matched(let m): return m
    }
}

/// True if Go's `filepath.Match` would reject `pattern` as malformed.
public func goPatternIsMalformed(_ pattern: String) -> Bool {
    if case .bad = GoGlob.match(Array(pattern.unicodeScalars), Array(".".unicodeScalars)) { return true }
    return false
}

/// Why Go's `filepath.Match` rejects `pattern` ("unterminated character class", "trailing
/// backslash", …), or nil when it does not.
public func goPatternProblem(_ pattern: String) -> String? {
    guard goPatternIsMalformed(pattern) else { return nil }
    let p = Array(pattern.unicodeScalars)
    var i = 0
    while i < p.count {
        switch p[i] {
        case "\\":
            if i + 1 >= p.count { return "trailing backslash" }
            i += 2
        case "[":
            i += 1
            if i < p.count && p[i] == "^" { i += 1 }
            var n = 0
            while true {
                guard i < p.count else { return "unterminated character class" }
                if p[i] == "]" {
                    if n == 0 { return "empty character class" }
                    i += 1
                    break
                }
                if p[i] == "-" { return "bad range in character class" }
                if p[i] == "\\" { i += 1; if i >= p.count { return "trailing backslash in character class" } }
                i += 1
                if i < p.count && p[i] == "-" {
                    i += 1
                    guard i < p.count else { return "unterminated character class" }
                    if p[i] == "]" || p[i] == "-" { return "bad range in character class" }
                    if p[i] == "\\" { i += 1; if i >= p.count { return "trailing backslash in character class" } }
                    i += 1
                }
                n += 1
            }
        default:
            i += 1
        }
    }
    return "syntax error in pattern"
}

/// True if a COPY/ADD source contains wildcard characters (`*`, `?`, `[`; `\` skips the next
/// character), as both builders' `containsWildcards` decide.
public func goContainsWildcards(_ s: String) -> Bool {
    var it = s.unicodeScalars.makeIterator()
    while let c = it.next() {
        if c == "\\" { _ = it.next(); continue }
        if c == "*" || c == "?" || c == "[" { return true }
    }
    return false
}

enum GoGlob {
    enum Result { case bad, matched(Bool) }
    typealias S = [Unicode.Scalar]

    // Transliteration of Go's path.Match (chunk scanning, leftmost matching, full syntax check).
    static func match(_ pattern: S, _ name: S) -> Result {
        var pat = pattern[...]
        var nm = name[...]
        patternLoop: while !pat.isEmpty {
            let (star, chunk, rest) = scanChunk(pat)
            pat = rest
            if star && chunk.isEmpty {
                return .matched(!nm.contains("/"))
            }
            let (t, ok, err) = matchChunk(chunk, nm)
            if ok && (t.isEmpty || !pat.isEmpty) {
                nm = t
                continue
            }
            if err { return .bad }
            if star {
                var i = nm.startIndex
                while i < nm.endIndex && nm[i] != "/" {
                    let (t2, ok2, err2) = matchChunk(chunk, nm[(i + 1)...])
                    if ok2 {
                        if pat.isEmpty && !t2.isEmpty { i += 1; continue }
                        nm = t2
                        continue patternLoop
                    }
                    if err2 { return .bad }
                    i += 1
                }
            }
            while !pat.isEmpty {
                let (_, c, r) = scanChunk(pat)
                pat = r
                if matchChunk(c, S()[...]).2 { return .bad }
            }
            return .matched(false)
        }
        return .matched(nm.isEmpty)
    }

    static func scanChunk(_ p: ArraySlice<Unicode.Scalar>) -> (Bool, ArraySlice<Unicode.Scalar>, ArraySlice<Unicode.Scalar>) {
        var pattern = p
        var star = false
        while let f = pattern.first, f == "*" {
            pattern = pattern.dropFirst()
            star = true
        }
        var inrange = false
        var i = pattern.startIndex
        scan: while i < pattern.endIndex {
            switch pattern[i] {
            case "\\":
                if i + 1 < pattern.endIndex { i += 1 }
            case "[": inrange = true
            case "]": inrange = false
            case "*": if !inrange { break scan }
            default: break
            }
            i += 1
        }
        return (star, pattern[pattern.startIndex..<i], pattern[i...])
    }

    /// Returns (rest, ok, badPattern). Keeps parsing after a mismatch to detect bad syntax.
    static func matchChunk(_ c: ArraySlice<Unicode.Scalar>, _ s0: ArraySlice<Unicode.Scalar>) -> (ArraySlice<Unicode.Scalar>, Bool, Bool) {
        var chunk = c
        var s = s0
        var failed = false
        while let ch = chunk.first {
            if !failed && s.isEmpty { failed = true }
            switch ch {
            case "[":
                var r: Unicode.Scalar = " "
                if !failed {
                    r = s.first!
                    s = s.dropFirst()
                }
                chunk = chunk.dropFirst()
                var negated = false
                if let f = chunk.first, f == "^" {
                    negated = true
                    chunk = chunk.dropFirst()
                }
                var match = false
                var nrange = 0
                while true {
                    if let f = chunk.first, f == "]", nrange > 0 {
                        chunk = chunk.dropFirst()
                        break
                    }
                    guard let (lo, rest1) = getEsc(chunk) else { return (S()[...], false, true) }
                    chunk = rest1
                    var hi = lo
                    if let f = chunk.first, f == "-" {
                        guard let (h, rest2) = getEsc(chunk.dropFirst()) else { return (S()[...], false, true) }
                        hi = h
                        chunk = rest2
                    }
                    if lo.value <= r.value && r.value <= hi.value { match = true }
                    nrange += 1
                }
                if match == negated { failed = true }
            case "?":
                if !failed {
                    if s.first! == "/" { failed = true }
                    s = s.dropFirst()
                }
                chunk = chunk.dropFirst()
            case "\\":
                chunk = chunk.dropFirst()
                if chunk.isEmpty { return (S()[...], false, true) }
                if !failed {
                    if chunk.first! != s.first! { failed = true }
                    s = s.dropFirst()
                }
                chunk = chunk.dropFirst()
            default:
                if !failed {
                    if ch != s.first! { failed = true }
                    s = s.dropFirst()
                }
                chunk = chunk.dropFirst()
            }
        }
        if failed { return (S()[...], false, false) }
        return (s, true, false)
    }

    static func getEsc(_ c: ArraySlice<Unicode.Scalar>) -> (Unicode.Scalar, ArraySlice<Unicode.Scalar>)? {
        var chunk = c
        guard let f = chunk.first, f != "-", f != "]" else { return nil }
        if f == "\\" {
            chunk = chunk.dropFirst()
            if chunk.isEmpty { return nil }
        }
        let r = chunk.first!
        chunk = chunk.dropFirst()
        if chunk.isEmpty { return nil }
        return (r, chunk)
    }
}
