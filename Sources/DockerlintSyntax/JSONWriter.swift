/// A small, fast JSON writer (no Foundation): objects keep the order keys are written
/// in, so callers write keys sorted when output must be stable.
public struct JSONWriter: Sendable {
    public private(set) var output: String = ""
    private var needsComma: [Bool] = [false]
    private let pretty: Bool
    private var depth = 0

    public init(pretty: Bool = false) { self.pretty = pretty }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { output += "," }
        needsComma[needsComma.count - 1] = true
        if pretty && depth > 0 { output += "\n" + String(repeating: "  ", count: depth) }
    }

    public mutating func beginObject() { separator(); output += "{"; needsComma.append(false); depth += 1 }
    public mutating func endObject() { close("}") }
    public mutating func beginArray() { separator(); output += "["; needsComma.append(false); depth += 1 }
    public mutating func endArray() { close("]") }

    private mutating func close(_ c: String) {
        let had = needsComma.removeLast()
        depth -= 1
        if pretty && had { output += "\n" + String(repeating: "  ", count: depth) }
        output += c
    }

    /// Writes `"key":` inside an object; the value follows.
    public mutating func key(_ k: String) {
        separator()
        output += JSONWriter.quote(k) + (pretty ? ": " : ":")
        needsComma[needsComma.count - 1] = false
    }

    public mutating func string(_ s: String) { separator(); output += JSONWriter.quote(s) }
    public mutating func int(_ v: Int) { separator(); output += String(v) }
    public mutating func double(_ v: Double) {
        separator()
        if v.isFinite, v == v.rounded(), abs(v) < 1e15 { output += String(Int(v)) } else { output += v.isFinite ? String(v) : "null" }
    }
    public mutating func bool(_ v: Bool) { separator(); output += v ? "true" : "false" }
    public mutating func null() { separator(); output += "null" }

    public mutating func field(_ k: String, _ v: String) { key(k); string(v) }
    public mutating func field(_ k: String, _ v: Int) { key(k); int(v) }
    public mutating func field(_ k: String, _ v: Bool) { key(k); bool(v) }
    public mutating func field(_ k: String, _ v: Double) { key(k); double(v) }
    public mutating func field(_ k: String, _ v: String?) { key(k); if let v { string(v) } else { null() } }

    public static func quote(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F || u.value == 0x2028 || u.value == 0x2029 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
        return out
    }
}
