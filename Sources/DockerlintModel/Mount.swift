import DockerlintSyntax

/// A `RUN --mount=…` value, as BuildKit's `instructions.parseMount` reads it.
public struct RunMount: Equatable, Sendable {
    public enum MountType: String, Sendable, CaseIterable { case bind, cache, tmpfs, secret, ssh }
    public enum Sharing: String, Sendable, CaseIterable { case shared, `private`, locked }

    public var type: MountType = .bind
    public var from: String?
    public var source: String?
    public var target: String?
    /// After BuildKit's defaults: read-only for bind, secret and ssh; writable for cache, tmpfs.
    public var readOnly: Bool = true
    /// True when `readonly`/`ro`/`readwrite`/`rw` was given (no default applied).
    public var readOnlyExplicit: Bool = false
    /// tmpfs `size` in bytes (0 = unset).
    public var sizeLimit: Int64 = 0
    /// `id` (cache id, secret id, ssh id).
    public var id: String?
    public var sharing: Sharing?
    public var required: Bool = false
    public var env: String?
    public var mode: UInt64?
    public var uid: UInt64?
    public var gid: UInt64?
    /// The CSV fields as split (quotes removed), in order.
    public var fields: [String] = []

    public init() {}
}

/// A mount error with, when known, the UTF-8 span of the offending field inside the flag value.
/// A plain error message.
struct Msg: Error {
    var text: String
    init(_ text: String) { self.text = text }
}

struct MountError: Error {
    var message: String
    var span: Range<Int>?
}

enum MountParser {
    static let allKeys = ["type", "from", "source", "target", "readonly", "id", "sharing", "required", "size",
                          "mode", "uid", "gid", "src", "dst", "destination", "ro", "rw", "readwrite", "env"]

    /// A CSV field with its UTF-8 span in the input (quotes included).
    struct Field { var text: String; var span: Range<Int> }

    /// `csvvalue.Fields` (comma separator, strict quotes).
    static func csvFields(_ input: String) -> Result<[Field], Msg> {
        var line = Array(input.utf8)
        if let last = line.last, last == 0x0A {
            line.removeLast()
            if let l2 = line.last, l2 == 0x0D { line.removeLast() }
        }
        if line.isEmpty { return .failure(Msg("EOF")) }
        var out: [Field] = []
        var pos = 0
        func err(_ p: Int, _ what: String) -> Result<[Field], Msg> {
            .failure(Msg("parse error on line 1, column \(p + 1): \(what)"))
        }
        fieldLoop: while true {
            if pos >= line.count || line[pos] != 0x22 {
                var i = pos
                while i < line.count, line[i] != 0x2C { i += 1 }
                if let q = line[pos..<i].firstIndex(of: 0x22) { return err(q, "bare \" in non-quoted-field") }
                out.append(Field(text: String(decoding: line[pos..<i], as: UTF8.self), span: pos..<i))
                if i < line.count { pos = i + 1; continue }
                break
            }
            let start = pos
            pos += 1
            var text: [UInt8] = []
            while true {
                guard let q = line[pos...].firstIndex(of: 0x22) else { return err(pos, "extraneous or missing \" in quoted-field") }
                text.append(contentsOf: line[pos..<q])
                pos = q + 1
                if pos < line.count, line[pos] == 0x22 {
                    text.append(0x22)
                    pos += 1
                    continue
                }
                if pos < line.count, line[pos] == 0x2C {
                    out.append(Field(text: String(decoding: text, as: UTF8.self), span: start..<pos))
                    pos += 1
                    continue fieldLoop
                }
                if pos == line.count {
                    out.append(Field(text: String(decoding: text, as: UTF8.self), span: start..<pos))
                    break fieldLoop
                }
                return err(pos - 1, "extraneous or missing \" in quoted-field")
            }
        }
        return .success(out)
    }

    typealias Expander = (String) -> Result<String, Msg>

    /// `parseMount(val, expander)`. With `expander == nil`, BuildKit's parse-time pass: only
    /// the CSV and `from=` are checked; everything else waits for dispatch.
    static func parse(_ value: String, expander: Expander?) -> Result<RunMount, MountError> {
        let fields: [Field]
        switch csvFields(value) {
        case .failure(let m): return .failure(MountError(message: "failed to parse csv mounts: " + m.text, span: nil))
        case .success(let f): fields = f
        }
        var m = RunMount()
        m.fields = fields.map(\.text)
        var roAuto = true
        for field in fields {
            let f = field.text
            let key: String
            var val: String
            let hasEq: Bool
            if let eq = f.firstIndex(of: "=") {
                key = String(f[..<eq]).lowercased()
                val = String(f[f.index(after: eq)...])
                hasEq = true
            } else {
                key = f.lowercased()
                val = ""
                hasEq = false
            }
            func fail(_ msg: String) -> Result<RunMount, MountError> { .failure(MountError(message: msg, span: field.span)) }
            if !hasEq {
                guard expander != nil else { continue }
                switch key {
                case "readonly", "ro": m.readOnly = true; roAuto = false; continue
                case "readwrite", "rw": m.readOnly = false; roAuto = false; continue
                case "required":
                    if m.type == .secret || m.type == .ssh { m.required = true; continue }
                    return fail("unexpected key '\(key)' for mount type '\(m.type.rawValue)'")
                default:
                    return fail("invalid field '\(f)' must be a key=value pair")
                }
            }
            if let expander {
                switch expander(val) {
                case .failure(let msg): return fail(msg.text)
                case .success(let v): val = v
                }
            } else if key == "from" {
                let u = Array(val.utf8)
                if let idx = u.firstIndex(of: 0x24), idx != u.count - 1 {
                    return fail("'\(key)' doesn't support variable expansion, define alias stage instead")
                }
            } else {
                continue
            }
            switch key {
            case "type":
                guard let t = RunMount.MountType(rawValue: val.lowercased()) else {
                    return fail(Suggest.wrap("unsupported mount type \(goQuote(val))", val,
                                             RunMount.MountType.allCases.map(\.rawValue), caseSensitive: true))
                }
                m.type = t
            case "from": m.from = val
            case "source", "src": m.source = val
            case "target", "dst", "destination": m.target = val
            case "readonly", "ro":
                guard let b = GoStrconv.parseBool(val) else { return fail("invalid value for \(key): \(val)") }
                m.readOnly = b
                roAuto = false
            case "readwrite", "rw":
                guard let b = GoStrconv.parseBool(val) else { return fail("invalid value for \(key): \(val)") }
                m.readOnly = !b
                roAuto = false
            case "required":
                guard m.type == .secret || m.type == .ssh else {
                    return fail("unexpected key '\(key)' for mount type '\(m.type.rawValue)'")
                }
                guard let b = GoStrconv.parseBool(val) else { return fail("invalid value for \(key): \(val)") }
                m.required = b
            case "size":
                guard m.type == .tmpfs else { return fail("unexpected key '\(key)' for mount type '\(m.type.rawValue)'") }
                guard let n = ramInBytes(val) else { return fail("invalid value for \(key): \(val)") }
                m.sizeLimit = n
            case "id": m.id = val
            case "sharing":
                guard let s = RunMount.Sharing(rawValue: val.lowercased()) else {
                    return fail(Suggest.wrap("unsupported sharing value \(goQuote(val))", val,
                                             RunMount.Sharing.allCases.map(\.rawValue), caseSensitive: true))
                }
                m.sharing = s
            case "mode":
                guard case .success(let v) = GoStrconv.parseUint(val, base: 8, bits: 32) else { return fail("invalid value \(val) for mode") }
                m.mode = v
            case "uid":
                guard case .success(let v) = GoStrconv.parseUint(val, base: 10, bits: 32) else { return fail("invalid value \(val) for uid") }
                m.uid = v
            case "gid":
                guard case .success(let v) = GoStrconv.parseUint(val, base: 10, bits: 32) else { return fail("invalid value \(val) for gid") }
                m.gid = v
            case "env": m.env = val
            default:
                return fail(Suggest.wrap("unexpected key '\(key)' in '\(f)'", key, allKeys, caseSensitive: true))
            }
        }
        func whole(_ msg: String) -> Result<RunMount, MountError> { .failure(MountError(message: msg, span: nil)) }
        let fileInfoAllowed = m.type == .secret || m.type == .ssh || m.type == .cache
        if !fileInfoAllowed {
            if m.mode != nil { return whole("mode not allowed for \(goQuote(m.type.rawValue)) type mounts") }
            if m.uid != nil { return whole("uid not allowed for \(goQuote(m.type.rawValue)) type mounts") }
            if m.gid != nil { return whole("gid not allowed for \(goQuote(m.type.rawValue)) type mounts") }
        }
        m.readOnlyExplicit = !roAuto
        if roAuto { m.readOnly = !(m.type == .cache || m.type == .tmpfs) }
        if m.type == .secret {
            if !(m.from ?? "").isEmpty { return whole("secret mount should not have a from") }
            if m.sharing != nil { return whole("secret mount should not define sharing") }
            if (m.source ?? "").isEmpty && (m.target ?? "").isEmpty && (m.id ?? "").isEmpty {
                return whole("invalid secret mount. one of source, target required")
            }
            if !(m.source ?? "").isEmpty && !(m.id ?? "").isEmpty { return whole("both source and id can't be set") }
        }
        if m.sharing != nil && m.type != .cache {
            return whole("invalid cache sharing set for \(m.type.rawValue) mount")
        }
        return .success(m)
    }

    /// `units.RAMInBytes`.
    static func ramInBytes(_ s: String) -> Int64? {
        let u = Array(s.utf8)
        guard let sep = u.lastIndex(where: { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x20 }) else { return nil }
        let num: String, sfx: [UInt8]
        if u[sep] != 0x20 {
            num = String(decoding: u[...sep], as: UTF8.self); sfx = Array(u[(sep + 1)...])
        } else {
            num = String(decoding: u[..<sep], as: UTF8.self); sfx = Array(u[(sep + 1)...])
        }
        guard let size = goParseFloat(num), size >= 0 else { return nil }
        if sfx.isEmpty { return Int64(size) }
        if sfx.count > 3 { return nil }
        let l = String(decoding: sfx, as: UTF8.self).lowercased()
        let lb = Array(l.utf8)
        if lb[0] == 0x62 { return lb.count > 1 ? nil : Int64(size) }
        let mul: Double
        switch lb[0] {
        case 0x6B: mul = 1024
        case 0x6D: mul = 1024 * 1024
        case 0x67: mul = 1024 * 1024 * 1024
        case 0x74: mul = 1024 * 1024 * 1024 * 1024
        case 0x70: mul = 1024 * 1024 * 1024 * 1024 * 1024
        default: return nil
        }
        if lb.count == 2 && lb[1] != 0x62 { return nil }
        if lb.count == 3 && (lb[1] != 0x69 || lb[2] != 0x62) { return nil }
        return Int64(size * mul)
    }

    /// Decimal floats only (`12`, `1.5`, `.5`), which is what reaches here in practice.
    static func goParseFloat(_ s: String) -> Double? {
        guard !s.isEmpty, s.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2B || $0 == 0x2D || $0 == 0x65 || $0 == 0x45 }) else { return nil }
        return Double(s)
    }

    /// `ParseDevice`.
    static func parseDevice(_ value: String) -> Result<(String, Bool), MountError> {
        let fields: [Field]
        switch csvFields(value) {
        case .failure(let m): return .failure(MountError(message: "failed to parse csv devices: " + m.text, span: nil))
        case .success(let f): fields = f
        }
        var name = ""
        var required = false
        for field in fields {
            let f = field.text
            let key: String, val: String, hasEq: Bool
            if let eq = f.firstIndex(of: "=") {
                key = String(f[..<eq]).lowercased(); val = String(f[f.index(after: eq)...]); hasEq = true
            } else { key = f.lowercased(); val = ""; hasEq = false }
            if !hasEq {
                if key == "required" { required = true; continue }
                if name.isEmpty { name = f; continue }
                return .failure(MountError(message: "invalid field '\(f)' must be a key=value pair", span: field.span))
            }
            switch key {
            case "name":
                if !name.isEmpty { return .failure(MountError(message: "device name already set to \(name)", span: field.span)) }
                name = val
            case "required":
                guard let b = GoStrconv.parseBool(val) else {
                    return .failure(MountError(message: "invalid value for \(key): \(val)", span: field.span))
                }
                required = b
            default:
                if name.isEmpty { name = f; continue }
                return .failure(MountError(message: Suggest.wrap("unexpected key '\(key)' in '\(f)'", key, ["name", "required"], caseSensitive: true),
                                           span: field.span))
            }
        }
        return .success((name, required))
    }
}
