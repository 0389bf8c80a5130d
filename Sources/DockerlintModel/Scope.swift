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

/// An ordered set of variables; the expansion environment of BuildKit's `d.state`.
struct Scope: EnvironmentLookup, Sendable {
    private(set) var variables: [ScopedVariable] = []
    private var index: [String: Int] = [:]

    /// Adds or replaces `v`. A valueless ARG does not hide a value already defined (BuildKit
    /// only `AddEnv`s ARGs that have a value).
    mutating func define(_ v: ScopedVariable) {
        if let i = index[v.name] {
            if v.value == nil && variables[i].value != nil { return }
            variables[i] = v
        } else {
            index[v.name] = variables.count
            variables.append(v)
        }
    }

    func variable(_ name: String) -> ScopedVariable? { index[name].map { variables[$0] } }

    func lookup(_ name: String) -> String? { index[name].flatMap { variables[$0].value } }

    var names: [String] { variables.compactMap { $0.value == nil ? nil : $0.name } }
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
