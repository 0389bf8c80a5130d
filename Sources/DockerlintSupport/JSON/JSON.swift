// dockerlint's JSON output: one string escaping (`JSONValue.writeString`), one number form
// (`JSONValue.writeNumber`), a value tree (`JSONValue`, keys sorted; `JSONValueEncoder`
// makes one of any Encodable) and a streaming writer (`JSONWriter`, keys in written order).
// Reading JSON, where Foundation is already in use, is `Codable` with `JSONDecoder`.

/// A JSON document with a serializer we control: keys sorted by their UTF-8 bytes,
/// two-space indentation, `/` not escaped, non-ASCII written as UTF-8, numbers as
/// `writeNumber` writes them.
/// The same value always serializes to the same bytes on every platform.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Serializes; `pretty` indents with two spaces, otherwise the output is compact.
    public func serialized(pretty: Bool = true) -> String {
        var out = ""
        write(to: &out, indent: pretty ? 0 : nil)
        return out
    }

    /// Appends the serialization to `out`; `indent` is the current depth when pretty, nil
    /// for compact output.
    public func write(to out: inout String, indent: Int?) {
        // Written as bytes, then appended once: appending piece by piece to a String cost
        // more than the rest of the report.
        var bytes: [UInt8] = []
        write(to: &bytes, indent: indent)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// `write(to:indent:)` on UTF-8 bytes.
    public func write(to out: inout [UInt8], indent: Int?) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): out += String(i).utf8
        case .number(let v):
            var t = ""
            JSONValue.writeNumber(v, to: &t)
            out += t.utf8
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += "[]".utf8; return }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.newline(&out, indent.map { $0 + 1 })
                item.write(to: &out, indent: indent.map { $0 + 1 })
            }
            JSONValue.newline(&out, indent)
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { out += "{}".utf8; return }
            out.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (i, key) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.newline(&out, indent.map { $0 + 1 })
                JSONValue.writeString(key, to: &out)
                out += (indent == nil ? ":" : ": ").utf8
                members[key]!.write(to: &out, indent: indent.map { $0 + 1 })
            }
            JSONValue.newline(&out, indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// `newline` on bytes.
    static func newline(_ out: inout [UInt8], _ indent: Int?) {
        guard let indent else { return }
        out.append(0x0A)
        for _ in 0..<max(0, indent) { out.append(0x20); out.append(0x20) }
    }

    /// `writeString` on bytes.
    public static func writeString(_ s: String, to out: inout [UInt8]) {
        var text = s
        // Nothing to escape (the usual case): the bytes copied in one append.
        let plain = text.withUTF8 { buf -> Bool in
            var prev2: UInt8 = 0, prev1: UInt8 = 0
            for b in buf {
                if b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F || (prev2 == 0xE2 && prev1 == 0x80 && (b == 0xA8 || b == 0xA9)) {
                    return false
                }
                prev2 = prev1
                prev1 = b
            }
            out.append(0x22)
            out.append(contentsOf: buf)
            out.append(0x22)
            return true
        }
        if plain { return }
        var t = ""
        writeString(s, to: &t)
        out += t.utf8
    }

    /// A newline and two spaces per level (pretty), nothing (compact, `indent` nil).
    public static func newline(_ out: inout String, _ indent: Int?) {
        guard let indent else { return }
        out += "\n"
        out += String(repeating: "  ", count: indent)
    }

    /// Appends a number: whole numbers below 10^15 as integers, other finite numbers in
    /// Swift's shortest round-trip form (`0.25`, `1.7881393432617188e-05`), NaN and the
    /// infinities as `null` (JSON has no form for them).
    public static func writeNumber(_ v: Double, to out: inout String) {
        if v.isFinite, v == v.rounded(), abs(v) < 1e15 { out += String(Int(v)) } else { out += v.isFinite ? String(v) : "null" }
    }

    /// Appends `s` as a JSON string: `"` `\\` and controls escaped (`\n` `\r` `\t` `\b` `\f`,
    /// others and DEL as `\u00XX`), U+2028/U+2029 as `\u2028`/`\u2029` (valid JSON, not
    /// valid JavaScript); `/` and non-ASCII as they are. The one JSON string escaping.
    public static func writeString(_ s: String, to out: inout String) {
        // Fast path: nothing to escape (the usual case) is copied in one append.
        var plain = true
        var prev2: UInt8 = 0, prev1: UInt8 = 0
        for b in s.utf8 {
            if b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F || (prev2 == 0xE2 && prev1 == 0x80 && (b == 0xA8 || b == 0xA9)) {
                plain = false
                break
            }
            prev2 = prev1
            prev1 = b
        }
        if plain {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{2028}": out += "\\u2028"  // valid JSON, but not valid JavaScript
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u" + hex4(scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    private static func hex4(_ v: UInt32) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var members: [String: JSONValue] = [:]
        for (k, v) in elements { members[k] = v }
        self = .object(members)
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// Sets `key` only when `value` is non-nil (optional members are omitted, never null).
    public mutating func setIfPresent(_ key: String, _ value: JSONValue?) {
        if let value { self[key] = value }
    }
}

/// A streaming JSON writer (compact; no Foundation): objects keep the order keys are written
/// in, so callers write keys sorted when output must be stable. Strings are escaped as
/// `JSONValue` escapes them.
public struct JSONWriter: Sendable {
    /// The document so far, as UTF-8 bytes (appending bytes is cheaper than appending to a
    /// String, and a replay's report is millions of them).
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]

    public init() {}

    /// The document so far.
    public var output: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { bytes.append(0x2C) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// `JSONValue.writeString`, into the bytes.
    private mutating func appendString(_ s: String) { JSONValue.writeString(s, to: &bytes) }

    public mutating func beginObject() { separator(); bytes.append(0x7B); needsComma.append(false) }
    public mutating func endObject() { needsComma.removeLast(); bytes.append(0x7D) }
    public mutating func beginArray() { separator(); bytes.append(0x5B); needsComma.append(false) }
    public mutating func endArray() { needsComma.removeLast(); bytes.append(0x5D) }

    /// Writes `"key":` inside an object; the value follows.
    public mutating func key(_ k: String) {
        separator()
        appendString(k)
        bytes.append(0x3A)
        needsComma[needsComma.count - 1] = false
    }

    public mutating func string(_ s: String) { separator(); appendString(s) }
    public mutating func int(_ v: Int) { separator(); append(String(v)) }
    /// A number as `JSONValue.writeNumber` writes it.
    public mutating func double(_ v: Double) {
        separator()
        var text = ""
        JSONValue.writeNumber(v, to: &text)
        append(text)
    }
    public mutating func bool(_ v: Bool) { separator(); append(v ? "true" : "false") }
    public mutating func null() { separator(); append("null") }
    /// A value already serialized (a nested document).
    public mutating func raw(_ json: String) { separator(); append(json) }
    /// A `JSONValue`, compact.
    public mutating func value(_ v: JSONValue) {
        separator()
        var text = ""
        v.write(to: &text, indent: nil)
        append(text)
    }

    public mutating func field(_ k: String, _ v: String) { key(k); string(v) }
    public mutating func field(_ k: String, _ v: Int) { key(k); int(v) }
    public mutating func field(_ k: String, _ v: Bool) { key(k); bool(v) }
    public mutating func field(_ k: String, _ v: Double) { key(k); double(v) }
    public mutating func field(_ k: String, _ v: String?) { key(k); if let v { string(v) } else { null() } }
}
