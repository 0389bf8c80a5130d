/// Small Unicode and UTF-8 helpers for the shell lexer, matching Go's `unicode` and
/// `strconv` predicates closely enough for BuildKit parity (ASCII fast paths first).
enum ShellLexText {
    /// Stands for end of input in the scanner (Go's `scanner.EOF`). Not a valid scalar.
    static let eof: UInt32 = 0xFFFF_FFFF
    /// What Go prints for `string(rune(-1))`.
    static let replacement: UInt32 = 0xFFFD

    /// Go's `unicode.IsSpace`: the Latin-1 spaces plus the White_Space property.
    @inline(__always)
    static func isSpace(_ c: UInt32) -> Bool {
        if c < 0x80 { return c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        switch c {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Go's `unicode.IsLetter` (general category L).
    @inline(__always)
    static func isLetter(_ c: UInt32) -> Bool {
        if c < 0x80 { return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
        guard let s = Unicode.Scalar(c) else { return false }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return false
        }
    }

    /// Go's `unicode.IsDigit` (general category Nd).
    @inline(__always)
    static func isDigit(_ c: UInt32) -> Bool {
        if c < 0x80 { return c >= 0x30 && c <= 0x39 }
        guard let s = Unicode.Scalar(c) else { return false }
        return s.properties.generalCategory == .decimalNumber
    }

    /// Go's `strconv.IsPrint` of a code point (`goIsPrint` owns the table).
    static func isPrint(_ c: UInt32) -> Bool {
        guard let s = Unicode.Scalar(c) else { return false }
        return goIsPrint(s)
    }

    /// Appends the UTF-8 encoding of `c` (a valid scalar) to `out`.
    @inline(__always)
    static func append(_ c: UInt32, to out: inout [UInt8]) {
        if c < 0x80 {
            out.append(UInt8(truncatingIfNeeded: c))
        } else if c < 0x800 {
            out.append(UInt8(truncatingIfNeeded: 0xC0 | (c >> 6)))
            out.append(UInt8(truncatingIfNeeded: 0x80 | (c & 0x3F)))
        } else if c < 0x10000 {
            out.append(UInt8(truncatingIfNeeded: 0xE0 | (c >> 12)))
            out.append(UInt8(truncatingIfNeeded: 0x80 | ((c >> 6) & 0x3F)))
            out.append(UInt8(truncatingIfNeeded: 0x80 | (c & 0x3F)))
        } else {
            out.append(UInt8(truncatingIfNeeded: 0xF0 | (c >> 18)))
            out.append(UInt8(truncatingIfNeeded: 0x80 | ((c >> 12) & 0x3F)))
            out.append(UInt8(truncatingIfNeeded: 0x80 | ((c >> 6) & 0x3F)))
            out.append(UInt8(truncatingIfNeeded: 0x80 | (c & 0x3F)))
        }
    }

    /// Decodes the scalar starting at `i` of valid UTF-8 `bytes`; returns it and its width.
    @inline(__always)
    static func decode(_ bytes: [UInt8], at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(bytes[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0 {
            return (((b0 & 0x1F) << 6) | (UInt32(bytes[i + 1]) & 0x3F), 2)
        }
        if b0 < 0xF0 {
            return (((b0 & 0x0F) << 12) | ((UInt32(bytes[i + 1]) & 0x3F) << 6)
                | (UInt32(bytes[i + 2]) & 0x3F), 3)
        }
        return (((b0 & 0x07) << 18) | ((UInt32(bytes[i + 1]) & 0x3F) << 12)
            | ((UInt32(bytes[i + 2]) & 0x3F) << 6) | (UInt32(bytes[i + 3]) & 0x3F), 4)
    }

    /// The scalars of valid UTF-8 `bytes`.
    static func scalars(_ bytes: [UInt8]) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let (c, w) = decode(bytes, at: i)
            out.append(c)
            i += w
        }
        return out
    }

    static func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static func string(scalars: some Sequence<UInt32>) -> String {
        var bytes: [UInt8] = []
        for c in scalars { append(c, to: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Go's `strconv.Quote` (what `%q` prints): double quotes, backslash escapes for `"` and
    /// `\`, C escapes for control characters, `\x`/`\u`/`\U` for other unprintables.
    static func goQuoted(_ s: String) -> String {
        var out = "\""
        let hex: [Character] = Array("0123456789abcdef")
        func hexDigits(_ v: UInt32, _ n: Int) -> String {
            var r = ""
            for k in stride(from: n - 1, through: 0, by: -1) { r.append(hex[Int((v >> (UInt32(k) * 4)) & 0xF)]) }
            return r
        }
        for scalar in s.unicodeScalars {
            let c = scalar.value
            switch c {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x07: out += "\\a"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x0B: out += "\\v"
            default:
                if isPrint(c) {
                    out.unicodeScalars.append(scalar)
                } else if c < 0x20 || c == 0x7F {
                    out += "\\x" + hexDigits(c, 2)
                } else if c < 0x10000 {
                    out += "\\u" + hexDigits(c, 4)
                } else {
                    out += "\\U" + hexDigits(c, 8)
                }
            }
        }
        out += "\""
        return out
    }
}
