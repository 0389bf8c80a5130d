/// Where the shell word lexer looks variables up.
///
/// Mirrors BuildKit's `shell.EnvGetter`. Names compare case-sensitively (Unix semantics,
/// BuildKit's `equal_env_unix.go`); a conforming type that wants Windows behaviour would
/// normalise names itself.
public protocol EnvironmentLookup {
    /// The value of `name`, or `nil` when it is not defined. A defined-but-empty variable
    /// returns `""`, which is different from `nil` for `${x-w}`, `${x+w}` and `${x?m}`.
    func lookup(_ name: String) -> String?
    /// Every defined name, in definition order (used for "did you mean" suggestions).
    var names: [String] { get }
}

/// An ordered list of `(name, value)` definitions where a later definition of a name wins,
/// like BuildKit's `EnvsFromSlice`.
public struct ShellEnvironment: EnvironmentLookup, Sendable {
    /// Every definition in the order it was given, including redefinitions.
    public private(set) var definitions: [(name: String, value: String)]
    private var latest: [String: String]
    private var order: [String]

    /// An environment with nothing defined.
    public static let empty = ShellEnvironment()

    public init(_ definitions: [(String, String)] = []) {
        self.definitions = []
        self.latest = [:]
        self.order = []
        self.definitions.reserveCapacity(definitions.count)
        for (name, value) in definitions { define(name, value) }
    }

    /// Builds an environment from `NAME=value` strings, splitting at the first `=`; an entry
    /// without `=` defines the name with an empty value (as BuildKit's `EnvsFromSlice` does).
    public init(assignments: [String]) {
        self.init()
        for entry in assignments {
            if let eq = entry.utf8.firstIndex(of: UInt8(ascii: "=")) {
                define(String(entry[..<eq]), String(entry[entry.utf8.index(after: eq)...]))
            } else {
                define(entry, "")
            }
        }
    }

    /// Adds a definition; it shadows any earlier definition of `name`.
    public mutating func define(_ name: String, _ value: String) {
        definitions.append((name, value))
        if latest.updateValue(value, forKey: name) == nil { order.append(name) }
    }

    public func lookup(_ name: String) -> String? { latest[name] }

    /// Defined names, each once, in order of first definition.
    public var names: [String] { order }
}

/// A plain dictionary works as an environment too; `names` is sorted for determinism.
extension Dictionary: EnvironmentLookup where Key == String, Value == String {
    public func lookup(_ name: String) -> String? { self[name] }
    public var names: [String] { keys.sorted() }
}
