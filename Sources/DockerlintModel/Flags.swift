import DockerlintSyntax

/// The value of a builder flag as BuildKit's BFlags reads it, with the range of the flag
/// word it came from (`--chown=app` → value `app`).
public struct FlagValue: Hashable, Sendable {
    public var value: String
    public var range: SourceRange

    public init(value: String, range: SourceRange) {
        self.value = value
        self.range = range
    }
}

/// BuildKit's `instructions/bflag.go`: flags are declared per instruction, then the raw
/// flag words are checked against the declarations.
struct BFlags {
    enum Kind { case bool, string, strings }

    private var specs: [(name: String, kind: Kind)] = []
    private(set) var values: [String: [FlagValue]] = [:]
    /// Flag names in the order they were first used.
    private(set) var usedOrder: [String] = []
    let flags: [Flag]

    init(_ flags: [Flag]) { self.flags = flags }

    mutating func add(_ name: String, _ kind: Kind) { specs.append((name, kind)) }

    /// `BFlags.Parse`: the first problem as a positioned error.
    mutating func parse() -> SyntaxError? {
        for f in flags {
            let a = f.text
            if a == "--" { return nil }
            guard a.hasPrefix("--") else {
                return SyntaxError(message: "arg should start with -- : \(a)", range: f.range)
            }
            let flagName: String
            let value: String
            let hasValue: Bool
            if let eq = a.firstIndex(of: "=") {
                flagName = String(a[..<eq])
                value = String(a[a.index(after: eq)...])
                hasValue = true
            } else {
                flagName = a
                value = ""
                hasValue = false
            }
            let name = String(flagName.dropFirst(2))
            guard let spec = specs.first(where: { $0.name == name }) else {
                let msg = Suggest.wrap("unknown flag: \(flagName)", name, specs.map(\.name), caseSensitive: true)
                return SyntaxError(message: msg, range: f.range)
            }
            if values[name] != nil && spec.kind != .strings {
                return SyntaxError(message: "duplicate flag specified: \(flagName)", range: f.range)
            }
            if values[name] == nil { usedOrder.append(name) }
            switch spec.kind {
            case .bool:
                if hasValue && value.isEmpty {
                    return SyntaxError(message: "missing a value on flag: \(flagName)", range: f.range)
                }
                switch value.lowercased() {
                case "true", "": values[name] = [FlagValue(value: "true", range: f.range)]
                case "false": values[name] = [FlagValue(value: "false", range: f.range)]
                default:
                    return SyntaxError(message: "expecting boolean value for flag \(flagName), not: \(value)", range: f.range)
                }
            case .string:
                if !hasValue { return SyntaxError(message: "missing a value on flag: \(flagName)", range: f.range) }
                values[name] = [FlagValue(value: value, range: f.range)]
            case .strings:
                if !hasValue { return SyntaxError(message: "missing a value on flag: \(flagName)", range: f.range) }
                values[name, default: []].append(FlagValue(value: value, range: f.range))
            }
        }
        return nil
    }

    func string(_ name: String) -> FlagValue? { values[name]?.first }
    func strings(_ name: String) -> [FlagValue] { values[name] ?? [] }
    /// A bool flag's value: `nil` when the flag was not given.
    func bool(_ name: String) -> Bool? { values[name]?.first.map { $0.value == "true" } }
}
