import DockerlintCore
import DockerlintModel
import DockerlintSyntax

/// One LABEL pair: the key and value after BuildKit's expansion, with the ranges of the
/// words as written.
struct LabelPair {
    var key: String
    var value: String
    var keyRange: SourceRange
    var valueRange: SourceRange
}

enum Labels {
    /// The pairs of a LABEL instruction (expanded values where the model has them).
    static func pairs(_ i: ModelInstruction) -> [LabelPair] {
        guard i.syntax.kind == .label, case .label(let kv)? = i.typed?.command else { return [] }
        let resolved = i.resolved?.pairs
        var out: [LabelPair] = []
        for (n, p) in kv.pairs.enumerated() {
            let r = resolved.flatMap { n < $0.count ? $0[n] : nil }
            out.append(LabelPair(key: r?.key ?? unquote(p.key.value), value: r?.value ?? unquote(p.value.value),
                                 keyRange: p.key.range, valueRange: p.value.range))
        }
        return out
    }

    static func unquote(_ s: String) -> String {
        if s.count >= 2, let f = s.first, f == "\"" || f == "'", s.last == f { return String(s.dropFirst().dropLast()) }
        return s
    }

    /// The schema type of a label, when the configuration has the label.
    static func type(_ key: String, _ context: LintContext) -> String? { context.configuration.labelSchema[key] }
}

/// Validators for the label-schema types. Hand-written byte parsers (no regular expressions).
enum LabelValidators {
    static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
    static func isAlpha(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
    static func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70) }

    /// A label key as Docker recommends: lower-case alphanumerics, `.`, `-`, `/` (and `_`
    /// as hadolint allows), starting with a letter, ending with a letter or digit, no `..`
    /// or `--`, and no reserved namespace. Returns the reason when invalid.
    static func labelKeyProblem(_ key: String) -> String? {
        let b = Array(key.utf8)
        guard let first = b.first, let last = b.last else { return "is empty" }
        for reserved in ["com.docker.", "io.docker.", "org.dockerproject."] where key.hasPrefix(reserved) {
            return "uses the reserved namespace `\(reserved)`"
        }
        if !(first >= 97 && first <= 122) { return "must start with a lower-case letter" }
        if !((last >= 97 && last <= 122) || isDigit(last)) { return "must end with a lower-case letter or a digit" }
        for c in b where !((c >= 97 && c <= 122) || isDigit(c) || c == 46 || c == 45 || c == 47 || c == 95) {
            return "may only contain lower-case letters, digits, `.`, `-`, `_` and `/`"
        }
        if key.contains("..") { return "must not contain `..`" }
        if key.contains("--") { return "must not contain `--`" }
        return nil
    }

    /// An absolute URI (RFC 3986): a scheme, `:`, then URI characters with valid
    /// percent-escapes.
    static func isURL(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard let colon = b.firstIndex(of: 58), colon > 0, isAlpha(b[0]) else { return false }
        for c in b[1..<colon] where !(isAlpha(c) || isDigit(c) || c == 43 || c == 45 || c == 46) { return false }
        let allowed = Set(Array("-._~:/?#[]@!$&'()*+,;=".utf8))
        var i = colon + 1
        var hashes = 0
        while i < b.count {
            let c = b[i]
            if c == 37 {  // %
                guard i + 2 < b.count, isHex(b[i + 1]), isHex(b[i + 2]) else { return false }
                i += 3
                continue
            }
            if c == 35 { hashes += 1; if hashes > 1 { return false } }
            guard isAlpha(c) || isDigit(c) || allowed.contains(c) else { return false }
            i += 1
        }
        return true
    }

    /// RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, `T`/`Z` in either case,
    /// with calendar checks.
    static func isRFC3339(_ s: String) -> Bool {
        let b = Array(s.utf8)
        var i = 0
        func num(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in i..<(i + n) { guard isDigit(b[k]) else { return nil }; v = v * 10 + Int(b[k] - 48) }
            i += n
            return v
        }
        func lit(_ c: UInt8...) -> Bool {
            guard i < b.count, c.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let y = num(4), lit(45), let mo = num(2), lit(45), let d = num(2), lit(84, 116),
              let h = num(2), lit(58), let mi = num(2), lit(58), let sec = num(2) else { return false }
        guard (1...12).contains(mo), h <= 23, mi <= 59, sec <= 60 else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]
        guard d >= 1 && d <= days else { return false }
        if i < b.count, b[i] == 46 {
            i += 1
            let start = i
            while i < b.count, isDigit(b[i]) { i += 1 }
            guard i > start else { return false }
        }
        if lit(90, 122) { return i == b.count }
        guard lit(43, 45), let oh = num(2), lit(58), let om = num(2), oh <= 23, om <= 59 else { return false }
        return i == b.count
    }

    /// An SPDX license expression (SPDX 2.3 annex D): license ids from the SPDX list (case-
    /// insensitive, optional `+`), `LicenseRef-…`/`DocumentRef-…:LicenseRef-…`, `WITH`
    /// exceptions, `AND`/`OR` and parentheses.
    static func isSPDX(_ s: String) -> Bool {
        // Tokens: words and parentheses.
        var tokens: [String] = []
        var cur = ""
        for ch in s {
            if ch == "(" || ch == ")" || ch == " " || ch == "\t" {
                if !cur.isEmpty { tokens.append(cur); cur = "" }
                if ch != " " && ch != "\t" { tokens.append(String(ch)) }
            } else { cur.append(ch) }
        }
        if !cur.isEmpty { tokens.append(cur) }
        var pos = 0
        func idstring(_ t: Substring) -> Bool {
            !t.isEmpty && t.utf8.allSatisfy { isAlpha($0) || isDigit($0) || $0 == 45 || $0 == 46 }
        }
        func licenseRef(_ t: String) -> Bool {
            var t = Substring(t)
            if t.hasPrefix("DocumentRef-") {
                guard let colon = t.firstIndex(of: ":"), idstring(t[t.index(t.startIndex, offsetBy: 12)..<colon]) else { return false }
                t = t[t.index(after: colon)...]
            }
            guard t.hasPrefix("LicenseRef-") else { return false }
            return idstring(t.dropFirst(11))
        }
        func simple() -> Bool {
            guard pos < tokens.count else { return false }
            var t = tokens[pos]
            if licenseRef(t) { pos += 1; return true }
            if t.hasSuffix("+") { t.removeLast() }
            guard SPDXList.licensesLower.contains(t.lowercased()) else { return false }
            pos += 1
            return true
        }
        func primary() -> Bool {
            guard pos < tokens.count else { return false }
            if tokens[pos] == "(" {
                pos += 1
                guard orExpr(), pos < tokens.count, tokens[pos] == ")" else { return false }
                pos += 1
                return true
            }
            guard simple() else { return false }
            if pos < tokens.count, tokens[pos].uppercased() == "WITH" {
                pos += 1
                guard pos < tokens.count, SPDXList.exceptionsLower.contains(tokens[pos].lowercased()) || licenseRef(tokens[pos]) else { return false }
                pos += 1
            }
            return true
        }
        func andExpr() -> Bool {
            guard primary() else { return false }
            while pos < tokens.count, tokens[pos].uppercased() == "AND" { pos += 1; guard primary() else { return false } }
            return true
        }
        func orExpr() -> Bool {
            guard andExpr() else { return false }
            while pos < tokens.count, tokens[pos].uppercased() == "OR" { pos += 1; guard andExpr() else { return false } }
            return true
        }
        return orExpr() && pos == tokens.count
    }

    /// A git commit hash: 7 (short) or 40 lower-case hexadecimal characters (as hadolint).
    static func isGitHash(_ s: String) -> Bool {
        let b = Array(s.utf8)
        return (b.count == 7 || b.count == 40) && b.allSatisfy { isDigit($0) || ($0 >= 97 && $0 <= 102) }
    }

    /// Semantic Versioning 2.0.0, strictly: no leading zeros in the numbers or in numeric
    /// pre-release identifiers, no `v` prefix.
    static func isSemver(_ s: String) -> Bool {
        var main = Substring(s)
        var build: Substring?
        if let plus = main.firstIndex(of: "+") { build = main[main.index(after: plus)...]; main = main[..<plus] }
        var pre: Substring?
        if let dash = main.firstIndex(of: "-") { pre = main[main.index(after: dash)...]; main = main[..<dash] }
        func numeric(_ p: Substring) -> Bool {
            !p.isEmpty && p.utf8.allSatisfy(isDigit) && !(p.count > 1 && p.first == "0")
        }
        func ident(_ p: Substring) -> Bool {
            !p.isEmpty && p.utf8.allSatisfy { isAlpha($0) || isDigit($0) || $0 == 45 }
        }
        let nums = main.split(separator: ".", omittingEmptySubsequences: false)
        guard nums.count == 3, nums.allSatisfy(numeric) else { return false }
        if let pre {
            for p in pre.split(separator: ".", omittingEmptySubsequences: false) {
                guard ident(p) else { return false }
                if p.utf8.allSatisfy(isDigit) && !numeric(p) { return false }
            }
        }
        if let build {
            guard build.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(ident) else { return false }
        }
        return true
    }

    /// An RFC 5322 addr-spec: dot-atom or quoted-string local part, `@`, dot-atom domain or
    /// domain literal. Display names (`Name <a@b>`) are not an address.
    static func isEmail(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard let at = b.lastIndex(of: 64), at > 0, at < b.count - 1 else { return false }
        let atext = Set(Array("!#$%&'*+-/=?^_`{|}~".utf8))
        func dotAtom(_ p: ArraySlice<UInt8>) -> Bool {
            guard let f = p.first, let l = p.last, f != 46, l != 46 else { return false }
            var prevDot = false
            for c in p {
                if c == 46 { if prevDot { return false }; prevDot = true; continue }
                prevDot = false
                guard isAlpha(c) || isDigit(c) || atext.contains(c) || c >= 0x80 else { return false }
            }
            return true
        }
        let local = b[..<at], domain = b[(at + 1)...]
        var localOK = dotAtom(local)
        if !localOK, local.count >= 2, local.first == 34, local.last == 34 {
            localOK = true
            var esc = false
            for c in local.dropFirst().dropLast() {
                if esc { esc = false; continue }
                if c == 92 { esc = true; continue }
                if c == 34 || c < 32 && c != 9 { localOK = false; break }
            }
            if esc { localOK = false }
        }
        guard localOK else { return false }
        if domain.first == 91 {
            guard domain.last == 93 else { return false }
            return domain.dropFirst().dropLast().allSatisfy { $0 > 32 && $0 < 127 && $0 != 91 && $0 != 93 && $0 != 92 }
        }
        return dotAtom(domain)
    }
}
