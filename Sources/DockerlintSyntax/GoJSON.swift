/// Decodes the JSON (exec) form of an instruction with the rules of Go's
/// `json.Unmarshal` into `[]any`, which BuildKit uses: strict JSON, invalid UTF-8 in
/// strings replaced, lone surrogates replaced, numbers that overflow a float64 make the
/// decode fail, nesting deeper than 10000 fails.
enum GoJSONArray {
    enum Result {
        /// Not a JSON array (BuildKit then falls back to the shell form).
        case invalid
        /// A valid array with an element that is not a string: a hard error.
        case nonString(offset: Int)
        /// Strings with their logical start/end offsets (quotes included).
        case strings([(value: String, start: Int, end: Int)])
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Result {
        var p = JSONScanner(b: b, i: start, end: end)
        p.skipWS()
        guard p.i < end, b[p.i] == 0x5B else { return .invalid }
        p.i += 1
        var items: [(value: String, start: Int, end: Int)] = []
        var nonStringAt: Int? = nil
        p.skipWS()
        if p.i < end, b[p.i] == 0x5D {
            p.i += 1
        } else {
            while true {
                p.skipWS()
                guard p.i < end else { return .invalid }
                let s = p.i
                if b[p.i] == 0x22 {
                    guard let str = p.string() else { return .invalid }
                    items.append((str, s, p.i))
                } else {
                    if nonStringAt == nil { nonStringAt = s }
                    guard p.value(depth: 1) else { return .invalid }
                }
                p.skipWS()
                guard p.i < end else { return .invalid }
                if b[p.i] == 0x2C { p.i += 1; continue }
                if b[p.i] == 0x5D { p.i += 1; break }
                return .invalid
            }
        }
        p.skipWS()
        if p.i != end { return .invalid }
        if p.overflow { return .invalid }
        if let at = nonStringAt { return .nonString(offset: at) }
        return .strings(items)
    }
}

struct JSONScanner {
    let b: UnsafeBufferPointer<UInt8>
    var i: Int
    let end: Int
    var overflow = false

    mutating func skipWS() {
        while i < end, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
    }

    /// Validates one value of any kind, iteratively for arrays and objects.
    mutating func value(depth: Int) -> Bool {
        // Stack of open containers: true = object, false = array.
        var stack: [Bool] = []
        var baseDepth = depth
        while true {
            skipWS()
            guard i < end else { return false }
            let c = b[i]
            var closedScalar = true
            switch c {
            case 0x7B: // {
                if baseDepth + stack.count + 1 > 10000 { return false }
                i += 1
                skipWS()
                if i < end, b[i] == 0x7D { i += 1 } else {
                    stack.append(true)
                    guard key() else { return false }
                    closedScalar = false
                }
            case 0x5B: // [
                if baseDepth + stack.count + 1 > 10000 { return false }
                i += 1
                skipWS()
                if i < end, b[i] == 0x5D { i += 1 } else {
                    stack.append(false)
                    closedScalar = false
                }
            case 0x22:
                guard string() != nil else { return false }
            case 0x74: guard literal("true") else { return false }
            case 0x66: guard literal("false") else { return false }
            case 0x6E: guard literal("null") else { return false }
            default:
                guard number() else { return false }
            }
            if !closedScalar { continue }
            // After a complete value: close containers or move to the next element.
            while true {
                guard let top = stack.last else { _ = baseDepth; baseDepth = depth; return true }
                skipWS()
                guard i < end else { return false }
                if b[i] == 0x2C {
                    i += 1
                    if top { guard key() else { return false } }
                    break
                }
                if (top && b[i] == 0x7D) || (!top && b[i] == 0x5D) {
                    i += 1
                    stack.removeLast()
                    continue
                }
                return false
            }
        }
    }

    /// `"key" :` inside an object.
    mutating func key() -> Bool {
        skipWS()
        guard i < end, b[i] == 0x22, string() != nil else { return false }
        skipWS()
        guard i < end, b[i] == 0x3A else { return false }
        i += 1
        return true
    }

    mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= end else { return false }
        for k in 0..<n where b[i + k] != word.utf8Start[k] { return false }
        i += n
        return true
    }

    mutating func number() -> Bool {
        let s = i
        if i < end, b[i] == 0x2D { i += 1 }
        guard i < end else { return false }
        if b[i] == 0x30 { i += 1 } else if b[i] >= 0x31 && b[i] <= 0x39 {
            while i < end, b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
        } else { return false }
        if i < end, b[i] == 0x2E {
            i += 1
            guard i < end, b[i] >= 0x30 && b[i] <= 0x39 else { return false }
            while i < end, b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
        }
        if i < end, b[i] == 0x65 || b[i] == 0x45 {
            i += 1
            if i < end, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
            guard i < end, b[i] >= 0x30 && b[i] <= 0x39 else { return false }
            while i < end, b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
        }
        let text = makeString(b, s, i)
        if let d = Double(text), !d.isFinite { overflow = true }
        return true
    }

    /// Decodes a string starting at the opening quote; nil on a syntax error.
    mutating func string() -> String? {
        i += 1
        var out: [UInt8] = []
        while i < end {
            let c = b[i]
            if c == 0x22 { i += 1; return String(decoding: out, as: UTF8.self) }
            if c < 0x20 { return nil }
            if c == 0x5C {
                i += 1
                guard i < end else { return nil }
                let e = b[i]
                i += 1
                switch e {
                case 0x22, 0x5C, 0x2F: out.append(e)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    guard var r = hex4() else { return nil }
                    if r >= 0xD800 && r < 0xE000 {
                        // A surrogate: combine with a following low surrogate, else U+FFFD.
                        var combined: UInt32? = nil
                        if r < 0xDC00, i + 1 < end, b[i] == 0x5C, b[i + 1] == 0x75 {
                            let save = i
                            i += 2
                            if let lo = hex4(), lo >= 0xDC00, lo < 0xE000 {
                                combined = 0x10000 + ((r - 0xD800) << 10) + (lo - 0xDC00)
                            } else { i = save }
                        }
                        r = combined ?? 0xFFFD
                    }
                    appendScalar(&out, r)
                default: return nil
                }
                continue
            }
            if c < 0x80 { out.append(c); i += 1; continue }
            let (s, w) = decodeRune(b, i, end)
            if s == nil { appendScalar(&out, 0xFFFD) } else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<(i + w)]))
            }
            i += w
        }
        return nil
    }

    mutating func hex4() -> UInt32? {
        guard i + 4 <= end else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = b[i + k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        i += 4
        return v
    }
}

@inline(__always)
func appendScalar(_ out: inout [UInt8], _ v: UInt32) {
    let u = Unicode.Scalar(v) ?? "\u{FFFD}"
    out.append(contentsOf: Array(String(Character(u)).utf8))
}
