import DockerlintSupport
import DockerlintSyntax

/// `--build-arg` values given by the caller. They override ARG defaults (global and stage)
/// exactly as `docker build --build-arg` does; undeclared ones are ignored.
public struct BuildArgs: Equatable, Sendable {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    public subscript(name: String) -> String? {
        get { values[name] }
        set { values[name] = newValue }
    }
}

/// An `os/arch[/variant]` platform.
public struct Platform: Equatable, Sendable, CustomStringConvertible {
    public var os: String
    public var architecture: String
    public var variant: String

    public init(os: String, architecture: String, variant: String = "") {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    /// `linux/amd64`, `linux/arm64/v8`.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts.count <= 3, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        self.init(os: parts[0], architecture: parts[1], variant: parts.count == 3 ? parts[2] : "")
    }

    public static let linuxAMD64 = Platform(os: "linux", architecture: "amd64")

    /// `platforms.Format`.
    public var description: String { variant.isEmpty ? "\(os)/\(architecture)" : "\(os)/\(architecture)/\(variant)" }
}

/// What the caller of a build decides: build args, target stage, platforms.
public struct BuildOptions: Equatable, Sendable {
    public var buildArgs: BuildArgs
    /// The target stage name (`--target`); nil builds the last stage.
    public var target: String?
    public var buildPlatform: Platform
    /// Defaults to the build platform.
    public var targetPlatform: Platform?

    public init(buildArgs: BuildArgs = BuildArgs(), target: String? = nil,
                buildPlatform: Platform = .linuxAMD64, targetPlatform: Platform? = nil) {
        self.buildArgs = buildArgs
        self.target = target
        self.buildPlatform = buildPlatform
        self.targetPlatform = targetPlatform
    }
}

/// A variable visible to an instruction and where it came from.
public struct ScopedVariable: Equatable, Sendable {
    public enum Origin: String, Sendable {
        /// BUILDPLATFORM, TARGETARCH, … (global scope).
        case builtin
        /// An ARG before the first FROM.
        case globalArg
        /// An ARG inside a stage (including a re-declared global ARG).
        case stageArg
        case env
        /// The PATH BuildKit sets when the base image defines none.
        case defaultPath
    }

    /// Where the value came from.
    public enum ValueSource: String, Sendable {
        /// Declared without a value (not in the environment).
        case none
        /// The ARG's default (expanded) or the ENV value.
        case `default`
        /// The caller's build arg.
        case buildArg
        /// A stage ARG without default that took the global ARG's value.
        case global
        case builtin
    }

    public var name: String
    /// Nil for an ARG declared without any value: in scope but not in the environment.
    public var value: String?
    public var origin: Origin
    public var valueSource: ValueSource
    /// The word that declared it (nil for builtins and the default PATH).
    public var range: SourceRange?
    /// The stage that declared it (nil for the global scope); differs from the current
    /// stage when inherited through `FROM <stage>`.
    public var stageIndex: Int?
    /// True when the value expands an ARG that the file declares without a value (`ARG X`
    /// then `ENV Y=$X` or `ARG Y=${X:-a}`), directly or through another such variable:
    /// `value` is what it is when the build passes no `--build-arg X`, and the build may pass
    /// one (CI often does), so the real value is not known from the file.
    public var dependsOnBuildArgument = false

    public init(name: String, value: String?, origin: Origin, valueSource: ValueSource,
                range: SourceRange? = nil, stageIndex: Int? = nil) {
        self.name = name
        self.value = value
        self.origin = origin
        self.valueSource = valueSource
        self.range = range
        self.stageIndex = stageIndex
    }
}

/// The variables in scope at one instruction, in order of first definition (a redefined
/// variable keeps its place and takes its new value).
///
/// Instructions of a stage share one history of definitions; each instruction's scope is a
/// view of its first `length` entries (on top of the scope the stage started from). Every
/// scope of a file together costs the number of definitions, not definitions times
/// instructions: 5,000 `ENV` lines are 5,000 entries, not 12.5 million. Look a variable up
/// by name (`variable(named:)`, logarithmic); iterating (`variables`, `for v in scope`)
/// builds the list and costs its length.
public struct VariableScope: Sequence, Equatable, Sendable, ExpressibleByArrayLiteral, EnvironmentLookup {
    let history: ScopeHistory?
    /// Entries of `history` visible here.
    let length: Int

    init(history: ScopeHistory?, length: Int) {
        self.history = history
        self.length = length
    }

    /// A scope holding `variables` (later ones with the same name replace earlier ones).
    public init(_ variables: [ScopedVariable]) {
        var s = Scope()
        for v in variables { s.define(v, always: true) }
        self = s.view
    }

    public init(arrayLiteral elements: ScopedVariable...) { self.init(elements) }

    /// The variable named `name`, if in scope.
    public func variable(named name: String) -> ScopedVariable? {
        guard let h = history else { return nil }
        if let list = h.byName[name] {
            // The last definition among the first `length` entries.
            var lo = 0, hi = list.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if list[mid] < length { lo = mid + 1 } else { hi = mid }
            }
            if lo > 0 { return h.entries[list[lo - 1]] }
        }
        return h.base?.variable(named: name)
    }

    public func contains(name: String) -> Bool { variable(named: name) != nil }

    /// The value of `name` in the environment (nil for an ARG without a value).
    public func lookup(_ name: String) -> String? { variable(named: name)?.value }

    /// The names with a value, in order (builds the list: for suggestions, not lookups).
    public var names: [String] { variables.compactMap { $0.value == nil ? nil : $0.name } }

    /// The number of variables in scope.
    public var count: Int { history.map { length == 0 ? ($0.base?.count ?? 0) : $0.sizes[length - 1] } ?? 0 }

    public var isEmpty: Bool { count == 0 }

    /// The variables, in order.
    public var variables: [ScopedVariable] {
        guard let h = history else { return [] }
        var out = h.base?.variables ?? []
        var position: [String: Int] = [:]
        position.reserveCapacity(out.count + length)
        for (i, v) in out.enumerated() { position[v.name] = i }
        for k in 0..<length {
            let v = h.entries[k]
            if let p = position[v.name] { out[p] = v } else {
                position[v.name] = out.count
                out.append(v)
            }
        }
        return out
    }

    public func makeIterator() -> IndexingIterator<[ScopedVariable]> { variables.makeIterator() }

    /// The same history and length: the same scope without comparing variables.
    public func isSameView(as other: VariableScope) -> Bool { history === other.history && length == other.length }

    public static func == (a: VariableScope, b: VariableScope) -> Bool {
        a.isSameView(as: b) || a.variables == b.variables
    }

}

/// Append-only definitions shared by the scopes of one lineage of instructions. Written
/// only while the model is built (by the one `Scope` at its tip), read afterwards.
final class ScopeHistory: @unchecked Sendable {
    let base: VariableScope?
    var entries: [ScopedVariable] = []
    /// Entry indices per name, ascending.
    var byName: [String: [Int]] = [:]
    /// The scope's size after each entry.
    var sizes: [Int] = []

    init(base: VariableScope?) { self.base = base }
}

/// An ordered set of variables; the expansion environment of BuildKit's `d.state`. Copies
/// are cheap and independent: a copy that defines a variable after another copy did starts
/// a new history on top of what it saw.
struct Scope: EnvironmentLookup, Sendable {
    private(set) var view = VariableScope(history: nil, length: 0)

    /// Adds or replaces `v`. A valueless ARG does not hide a value already defined (BuildKit
    /// only `AddEnv`s ARGs that have a value).
    mutating func define(_ v: ScopedVariable) { define(v, always: false) }

    mutating func define(_ v: ScopedVariable, always: Bool) {
        let old = view.variable(named: v.name)
        if !always, v.value == nil, old?.value != nil { return }
        let h: ScopeHistory
        if let cur = view.history, cur.entries.count == view.length {
            h = cur  // this copy is at the tip: extend the shared history
        } else if view.length == 0 {
            h = ScopeHistory(base: view.history?.base)
        } else {
            h = ScopeHistory(base: view)  // another copy went on: branch off what this one sees
        }
        let size = view.count + (old == nil ? 1 : 0)
        h.byName[v.name, default: []].append(h.entries.count)
        h.entries.append(v)
        h.sizes.append(size)
        view = VariableScope(history: h, length: h.entries.count)
    }

    var variables: [ScopedVariable] { view.variables }

    func variable(_ name: String) -> ScopedVariable? { view.variable(named: name) }

    func lookup(_ name: String) -> String? { view.variable(named: name)?.value }

    var names: [String] { view.variables.compactMap { $0.value == nil ? nil : $0.name } }

    /// True when a value expanding `names` depends on an ARG the file leaves without a value
    /// and the build may set (`ScopedVariable.dependsOnBuildArgument`).
    func dependsOnBuildArgument(_ names: Set<String>) -> Bool {
        names.contains { n in
            guard let v = variable(n) else { return false }
            if v.dependsOnBuildArgument { return true }
            return (v.origin == .stageArg || v.origin == .globalArg) && v.value == nil
        }
    }
}

/// The matched and unmatched variable names of an instruction's expansions.
struct VariableUse {
    var matched: Set<String> = []
    var unmatched: Set<String> = []
}

/// The one place where words are expanded (BuildKit's `shlex.ProcessWord(s)`).
struct Expander {
    let lexer: ShellLexer
    /// For inline COPY sources (`ExpandRaw`): `\` escape, quotes not processed.
    let rawLexer = ShellLexer(escapeToken: "\\", skipProcessQuotes: true)

    init(escapeToken: UInt8) {
        lexer = ShellLexer(escapeToken: Unicode.Scalar(escapeToken))
    }

    func word(_ w: String, _ env: some EnvironmentLookup, _ use: inout VariableUse, raw: Bool = false) -> Result<String, ShellLexError> {
        let (r, e) = (raw ? rawLexer : lexer).processWordCollectingMatches(w, env: env)
        use.matched.formUnion(r.matched)
        use.unmatched.formUnion(r.unmatched)
        if let e { return .failure(e) }
        return .success(r.result)
    }

    func words(_ w: String, _ env: some EnvironmentLookup, _ use: inout VariableUse) -> Result<[String], ShellLexError> {
        let (r, e) = lexer.processWordCollectingMatches(w, env: env)
        use.matched.formUnion(r.matched)
        use.unmatched.formUnion(r.unmatched)
        if let e { return .failure(e) }
        return .success(r.words)
    }
}

/// BuildKit's `system.NormalizePath` on Unix.
func normalizePath(parent: String, _ newPath: String, keepSlash: Bool) -> String {
    var parent = parent.isEmpty ? "/" : parent
    if !parent.hasPrefix("/") { parent = goPathJoin("/", parent) }
    var p = newPath.isEmpty ? parent : newPath
    if !p.hasPrefix("/") { p = goPathJoin(parent, p) }
    if keepSlash {
        if newPath.hasSuffix("/") && !p.hasSuffix("/") {
            p += "/"
        } else if newPath.hasSuffix("/.") {
            if p != "/" { p += "/" }
            p += "."
        }
    }
    return p
}

/// `pathRelativeToWorkingDir`: a COPY/ADD destination made absolute.
func destinationPath(_ dest: String, workdir: String) -> String {
    if dest.hasPrefix("/") { return normalizePath(parent: "/", dest, keepSlash: true) }
    let p = (dest == "." || dest.isEmpty) ? "./" : dest
    return normalizePath(parent: workdir, p, keepSlash: true)
}
