// Small re-implementations of the Go library functions whose behaviour shows in BuildKit's
// instruction errors: strconv's number and bool parsing, time.ParseDuration, the
// Levenshtein "did you mean" search of util/suggest.
import DockerlintSyntax

enum GoStrconv {
    /// `strconv.ParseBool`.
    static func parseBool(_ s: String) -> Bool? {
        switch s {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }

    enum NumError: Error { case syntax, range }

    /// `strconv.ParseUint(s, base, bits)` for base 8 or 10 (no prefixes, no underscores).
    static func parseUint(_ s: String, base: UInt64, bits: Int) -> Result<UInt64, NumError> {
        if s.isEmpty { return .failure(.syntax) }
        let maxVal: UInt64 = bits >= 64 ? UInt64.max : (UInt64(1) << UInt64(bits)) - 1
        var n: UInt64 = 0
        var overflow = false
        for c in s.utf8 {
            guard c >= 0x30, UInt64(c &- 0x30) < base else { return .failure(.syntax) }
            let d = UInt64(c - 0x30)
            if overflow { continue }
            let (m, o1) = n.multipliedReportingOverflow(by: base)
            let (a, o2) = m.addingReportingOverflow(d)
            if o1 || o2 || a > maxVal { overflow = true; continue }
            n = a
        }
        return overflow ? .failure(.range) : .success(n)
    }

    /// `strconv.ParseInt(s, 10, bits)`.
    static func parseInt(_ s: String, bits: Int) -> Result<Int64, NumError> {
        var body = Substring(s)
        var neg = false
        if let f = body.first, f == "+" || f == "-" { neg = f == "-"; body = body.dropFirst() }
        switch parseUint(String(body), base: 10, bits: 64) {
        case .failure(let e): return .failure(e)
        case .success(let u):
            let cutoff = UInt64(1) << UInt64(bits - 1)
            if !neg && u >= cutoff { return .failure(.range) }
            if neg && u > cutoff { return .failure(.range) }
            if neg { return .success(u == cutoff ? -Int64(bitPattern: cutoff &- 1) - 1 : -Int64(u)) }
            return .success(Int64(u))
        }
    }

    /// The message of a `*strconv.NumError` from ParseInt/ParseUint.
    static func message(_ fn: String, _ s: String, _ e: NumError) -> String {
        "strconv.\(fn): parsing \(goQuote(s)): " + (e == .syntax ? "invalid syntax" : "value out of range")
    }

    /// `strconv.Atoi` (used for `COPY --from=<index>`).
    static func atoi(_ s: String) -> Int? {
        if case .success(let v) = parseInt(s, bits: 64) { return Int(v) }
        return nil
    }
}

struct DurationError: Error { var message: String }

/// Go's `time.ParseDuration`, in nanoseconds.
enum GoDuration {
    static let units: [String: UInt64] = [
        "ns": 1, "us": 1_000, "\u{00B5}s": 1_000, "\u{03BC}s": 1_000, "ms": 1_000_000,
        "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
    ]

    static func parse(_ orig: String) -> Result<Int64, DurationError> {
        let s = Array(orig.utf8)
        var i = 0
        var neg = false
        let invalid = DurationError(message: "time: invalid duration " + quote(orig))
        if !s.isEmpty, s[0] == 0x2D || s[0] == 0x2B { neg = s[0] == 0x2D; i = 1 }
        if s.count - i == 1 && s[i] == 0x30 { return .success(0) }
        if i == s.count { return .failure(invalid) }
        var d: UInt64 = 0
        let limit: UInt64 = 1 << 63
        func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        while i < s.count {
            guard s[i] == 0x2E || isDigit(s[i]) else { return .failure(invalid) }
            var v: UInt64 = 0
            let pl = i
            while i < s.count, isDigit(s[i]) {
                if v > limit / 10 { return .failure(invalid) }
                v = v * 10 + UInt64(s[i] - 0x30)
                if v > limit { return .failure(invalid) }
                i += 1
            }
            let pre = pl != i
            var f: UInt64 = 0
            var scale = 1.0
            var post = false
            if i < s.count, s[i] == 0x2E {
                i += 1
                let fl = i
                var overflow = false
                while i < s.count, isDigit(s[i]) {
                    if !overflow {
                        if f > (UInt64.max >> 1) / 10 { overflow = true } else {
                            let y = f * 10 + UInt64(s[i] - 0x30)
                            if y > limit { overflow = true } else { f = y; scale *= 10 }
                        }
                    }
                    i += 1
                }
                post = fl != i
            }
            if !pre && !post { return .failure(invalid) }
            let us = i
            while i < s.count, !(s[i] == 0x2E || isDigit(s[i])) { i += 1 }
            if us == i { return .failure(DurationError(message: "time: missing unit in duration " + quote(orig))) }
            let u = String(decoding: s[us..<i], as: UTF8.self)
            guard let unit = units[u] else {
                return .failure(DurationError(message: "time: unknown unit " + quote(u) + " in duration " + quote(orig)))
            }
            if v > limit / unit { return .failure(invalid) }
            v *= unit
            if f > 0 {
                v += UInt64(Double(f) * (Double(unit) / scale))
                if v > limit { return .failure(invalid) }
            }
            d += v
            if d > limit { return .failure(invalid) }
        }
        if neg { return .success(d == limit ? Int64.min : -Int64(d)) }
        if d > limit - 1 { return .failure(invalid) }
        return .success(Int64(d))
    }

    /// The `quote` of Go's time package: double quotes, control bytes as `\x`.
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            if u == "\"" || u == "\\" { out += "\\" + String(u) } else if u.value < 0x20 || u.value == 0x7F {
                let h = String(u.value, radix: 16)
                out += "\\x" + (h.count < 2 ? "0" + h : h)
            } else { out.unicodeScalars.append(u) }
        }
        return out + "\""
    }

    /// Go's `Duration.String()`.
    static func format(_ ns: Int64) -> String {
        if ns == 0 { return "0s" }
        let neg = ns < 0
        var u = ns.magnitude
        var out: String
        if u < 1_000_000_000 {
            let (unit, div): (String, UInt64) = u < 1_000 ? ("ns", 1) : u < 1_000_000 ? ("\u{00B5}s", 1_000) : ("ms", 1_000_000)
            out = fraction(u, div) + unit
        } else {
            let h = u / 3_600_000_000_000
            u -= h * 3_600_000_000_000
            let m = u / 60_000_000_000
            u -= m * 60_000_000_000
            out = fraction(u, 1_000_000_000) + "s"
            if h > 0 { out = "\(h)h\(m)m" + out } else if m > 0 { out = "\(m)m" + out }
        }
        return (neg ? "-" : "") + out
    }

    private static func fraction(_ v: UInt64, _ div: UInt64) -> String {
        let whole = v / div
        var rem = v % div
        if rem == 0 { return String(whole) }
        var digits = ""
        var d = div
        while rem > 0 { d /= 10; digits += String(rem / d); rem %= d }
        return "\(whole).\(digits)"
    }
}

/// BuildKit's `util/suggest`: the closest option by Levenshtein distance (< 3).
public enum Suggest {
    /// Levenshtein distance over Unicode scalars.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count)
        var cur = prev
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }

    public static func search(_ val: String, _ options: [String], caseSensitive: Bool) -> String? {
        let v = caseSensitive ? val : val.lowercased()
        var match = ""
        var minDist = 3
        for o in options {
            let opt = caseSensitive ? o : o.lowercased()
            if v == opt { return nil }
            let d = distance(v, opt)
            if d < minDist {
                match = caseSensitive ? opt : matchCase(opt, val)
                minDist = d
            }
        }
        return match.isEmpty ? nil : match
    }

    /// `suggest.WrapError`: appends ` (did you mean X?)` when an option is close.
    static func wrap(_ message: String, _ val: String, _ options: [String], caseSensitive: Bool) -> String {
        guard let m = search(val, options, caseSensitive: caseSensitive) else { return message }
        return message + " (did you mean " + m + "?)"
    }

    private static func matchCase(_ val: String, _ orig: String) -> String {
        if orig == orig.lowercased() { return val.lowercased() }
        if orig == orig.uppercased() { return val.uppercased() }
        return val
    }
}
