// Byte-level helpers that reproduce the Go standard library functions BuildKit's
// parser uses (unicode.IsSpace, strings.TrimSpace, utf8.DecodeRune, strconv.Quote),
// so that dockerlint splits and trims exactly where BuildKit does.

/// Decodes one UTF-8 scalar at `i` the way Go's `utf8.DecodeRune` does: an invalid or
/// truncated sequence yields `nil` with width 1.
@inline(__always)
func decodeRune(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> (scalar: UInt32?, width: Int) {
    let c0 = b[i]
    if c0 < 0x80 { return (UInt32(c0), 1) }
    if c0 < 0xC2 || c0 > 0xF4 { return (nil, 1) }
    if c0 < 0xE0 {
        guard i + 1 < end, b[i + 1] & 0xC0 == 0x80 else { return (nil, 1) }
        return ((UInt32(c0 & 0x1F) << 6) | UInt32(b[i + 1] & 0x3F), 2)
    }
    if c0 < 0xF0 {
        guard i + 2 < end else { return (nil, 1) }
        let c1 = b[i + 1], c2 = b[i + 2]
        let lo: UInt8 = c0 == 0xE0 ? 0xA0 : 0x80
        let hi: UInt8 = c0 == 0xED ? 0x9F : 0xBF
        guard c1 >= lo, c1 <= hi, c2 & 0xC0 == 0x80 else { return (nil, 1) }
        return ((UInt32(c0 & 0x0F) << 12) | (UInt32(c1 & 0x3F) << 6) | UInt32(c2 & 0x3F), 3)
    }
    guard i + 3 < end else { return (nil, 1) }
    let c1 = b[i + 1], c2 = b[i + 2], c3 = b[i + 3]
    let lo: UInt8 = c0 == 0xF0 ? 0x90 : 0x80
    let hi: UInt8 = c0 == 0xF4 ? 0x8F : 0xBF
    guard c1 >= lo, c1 <= hi, c2 & 0xC0 == 0x80, c3 & 0xC0 == 0x80 else { return (nil, 1) }
    return ((UInt32(c0 & 0x07) << 18) | (UInt32(c1 & 0x3F) << 12) | (UInt32(c2 & 0x3F) << 6) | UInt32(c3 & 0x3F), 4)
}

/// Go's `unicode.IsSpace`.
@inline(__always)
func isGoSpace(_ u: UInt32) -> Bool {
    if u < 0x100 {
        switch u {
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0: return true
        default: return false
        }
    }
    switch u {
    case 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
    default: return false
    }
}

/// `unicode.IsSpace(rune(b))` applied to a single byte, as BuildKit's flag and
/// HEALTHCHECK scanners do (bytes 0x85 and 0xA0 count as spaces there).
@inline(__always)
func isGoSpaceByte(_ b: UInt8) -> Bool {
    switch b {
    case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0: return true
    default: return false
    }
}

/// The `[\t\v\f\r ]` class of BuildKit's `reWhitespace`.
@inline(__always)
func isReWhitespace(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x09 || b == 0x0B || b == 0x0C || b == 0x0D
}

/// Index of the first byte in `[start, end)` that does not start a Go space rune.
func skipGoSpace(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
    var i = start
    while i < end {
        let c = b[i]
        if c < 0x80 {
            if isGoSpace(UInt32(c)) { i += 1; continue }
            return i
        }
        let (s, w) = decodeRune(b, i, end)
        if let s, isGoSpace(s) { i += w; continue }
        return i
    }
    return i
}

/// End index after trimming trailing Go space runes from `[start, end)`.
func trimGoSpaceRight(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
    var e = end
    while e > start {
        let c = b[e - 1]
        if c < 0x80 {
            if isGoSpace(UInt32(c)) { e -= 1; continue }
            return e
        }
        // Find the start of the last rune (at most 4 bytes back).
        var s = e - 1
        while s > start && s > e - 4 && b[s] & 0xC0 == 0x80 { s -= 1 }
        let (scalar, w) = decodeRune(b, s, e)
        if s + w == e, let scalar, isGoSpace(scalar) { e = s; continue }
        return e
    }
    return e
}

/// Builds a Swift string from bytes; invalid UTF-8 becomes U+FFFD.
@inline(__always)
func makeString(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
    if start >= end { return "" }
    return String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
}

/// Go's `strconv.Quote`.
public func goQuote(_ s: String) -> String {
    var out = "\""
    out.reserveCapacity(s.utf8.count + 2)
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\u{07}": out += "\\a"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{0B}": out += "\\v"
        default:
            if goIsPrint(u) {
                out.unicodeScalars.append(u)
            } else if u.value < 0x80 {
                out += "\\x" + hex(u.value, 2)
            } else if u.value < 0x10000 {
                out += "\\u" + hex(u.value, 4)
            } else {
                out += "\\U" + hex(u.value, 8)
            }
        }
    }
    out += "\""
    return out
}

private func hex(_ v: UInt32, _ width: Int) -> String {
    let digits = Array("0123456789abcdef")
    var s = ""
    for shift in stride(from: (width - 1) * 4, through: 0, by: -4) {
        s.append(digits[Int((v >> UInt32(shift)) & 0xF)])
    }
    return s
}

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
func goIsPrint(_ u: Unicode.Scalar) -> Bool {
    if u.value < 0x80 { return u.value >= 0x20 && u.value < 0x7F }
    switch u.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
         .nonspacingMark, .spacingMark, .enclosingMark,
         .decimalNumber, .letterNumber, .otherNumber,
         .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
         .initialPunctuation, .finalPunctuation, .otherPunctuation,
         .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
        return true
    default:
        return false
    }
}
