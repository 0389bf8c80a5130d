import DockerlintSyntax

/// The values BuildKit expands for one instruction (nil where it expands nothing).
public struct ResolvedValues: Equatable, Sendable {
    /// FROM: the base name after global ARG expansion.
    public var baseName: String?
    /// FROM: `--platform` after global ARG expansion.
    public var platform: String?
    /// COPY/ADD path sources.
    public var sources: [String]?
    /// COPY/ADD inline sources (bodies expanded when the delimiter was not quoted).
    public var inlineSources: [InlineSource]?
    /// COPY/ADD destination as expanded.
    public var destination: String?
    /// The destination made absolute against the working directory.
    public var absoluteDestination: String?
    public var chown: String?
    public var chmod: String?
    public var checksum: String?
    /// WORKDIR: the new working directory (absolute, cleaned).
    public var workdir: String?
    public var user: String?
    /// ENV and LABEL pairs.
    public var pairs: [ResolvedPair]?
    /// EXPOSE: the words after expansion and splitting, and their parse.
    public var ports: [String]?
    public var exposedPorts: [ExposedPort]?
    public var volumes: [String]?
    public var stopSignal: String?
    /// RUN: the mounts with values expanded.
    public var mounts: [RunMount]?
    /// ARG: each definition's value (nil when it has none).
    public var args: [ResolvedArg]?

    public init() {}
}

public struct ResolvedPair: Equatable, Sendable {
    public var key: String
    public var value: String
}

public struct ResolvedArg: Equatable, Sendable {
    public var key: String
    public var value: String?
    public var source: ScopedVariable.ValueSource
}

/// An instruction placed in its stage, with its scope and expanded values.
public struct ModelInstruction: Equatable, Sendable {
    public var syntax: Instruction
    /// Nil when BuildKit rejects the instruction (the error is in `DockerfileModel.errors`).
    public var typed: TypedInstruction?
    /// Nil for global ARGs.
    public var stageIndex: Int?
    /// Variables in scope when the instruction runs (before its own definitions).
    public var scope: VariableScope
    public var workingDirectory: String
    public var user: String
    public var resolved: ResolvedValues?
    /// Variables the expansions referenced that were defined / undefined, sorted.
    public var matchedVariables: [String]
    public var unmatchedVariables: [String]
    /// True for an ONBUILD trigger of the base stage, run at the start of this stage.
    public var isOnbuildTrigger: Bool

    /// True when the instruction runs as root: no USER in the file (the base image's user,
    /// taken as root) or a root USER.
    public var runsAsRoot: Bool { user.isEmpty || isRootUser(user) }
}

/// True for `root`, `0`, `root:<group>`, `0:<group>` (the user part of USER), quotes around
/// the value ignored.
public func isRootUser(_ value: String) -> Bool {
    var v = Substring(value)
    while let f = v.first, f == "\"" || f == "'" { v = v.dropFirst() }
    while let l = v.last, l == "\"" || l == "'" { v = v.dropLast() }
    let user = v.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    return user == "root" || user == "0"
}

/// What a stage is built on.
public enum StageBase: Equatable, Sendable {
    case scratch
    case image(String)
    /// An earlier stage, by index.
    case stage(Int)
}

/// Why one stage needs another.
public struct StageDependency: Equatable, Sendable {
    public enum Kind: String, Sendable { case base, copyFrom, mountFrom }
    public var kind: Kind
    /// The stage depended on, or nil for an image (`COPY --from=alpine`).
    public var stage: Int?
    /// The image name when `stage` is nil.
    public var image: String?
    /// The reference as written.
    public var reference: String
    public var range: SourceRange
}

public struct Stage: Equatable, Sendable {
    public var index: Int
    /// Lower-cased `AS` name.
    public var name: String?
    public var from: ModelInstruction
    public var fromCommand: FromCommand?
    /// The base name after global ARG expansion.
    public var baseName: String
    public var base: StageBase
    public var platform: String?
    /// ONBUILD triggers inherited from a stage base, run first.
    public var onbuildTriggers: [ModelInstruction]
    public var instructions: [ModelInstruction]
    public var dependencies: [StageDependency]

    /// BuildKit's display name: the name or `stage-N`.
    public var displayName: String { name ?? "stage-\(index)" }
}

/// The whole Dockerfile as BuildKit reads it for one build.
public struct DockerfileModel: Sendable {
    public var dockerfile: Dockerfile
    public var options: BuildOptions
    /// ARG instructions before the first FROM.
    public var metaArgs: [ModelInstruction]
    /// The global scope after the meta ARGs (builtins, then global ARGs).
    public var globalScope: [ScopedVariable]
    public var stages: [Stage]
    /// Syntax errors, instruction errors and resolution errors, in source order.
    public var errors: [SyntaxError]
    /// Errors BuildKit reports only when the build does not set some ARGs: a value that is
    /// empty because an ARG without a default is not given (`VOLUME ${DATA_DIR}` after
    /// `ARG DATA_DIR`). Not in `errors`: the file builds when the argument is given.
    public var unlessArgumentsSet: [ArgumentDependentError] = []

    public static func parse(_ text: String, options: BuildOptions = BuildOptions()) -> DockerfileModel {
        build(DockerfileParser.parse(text), options: options)
    }

    public static func build(_ dockerfile: Dockerfile, options: BuildOptions = BuildOptions()) -> DockerfileModel {
        var b = ModelBuilder(dockerfile: dockerfile, options: options)
        return b.run()
    }

    /// A file's instructions typed and grouped into stages, with the errors typing found: what
    /// every model of the file shares whatever the build options (`build(_:options:typed:)`).
    /// A replay that gives a build argument a new value in every build types the file once.
    public struct Typed: @unchecked Sendable {
        let meta: [(Instruction, ArgCommand?)]
        let groups: [ModelBuilder.StageGroup]
        let errors: [SyntaxError]
    }

    /// The typing of `dockerfile` that `build(_:options:typed:)` starts from.
    public static func typed(_ dockerfile: Dockerfile) -> Typed {
        var b = ModelBuilder(dockerfile: dockerfile, options: BuildOptions())
        let (meta, groups) = b.typeAndGroup()
        return Typed(meta: meta, groups: groups, errors: b.errors)
    }

    /// `build(_:options:)` from the file's typing (`typed(_:)` of the same `dockerfile`).
    public static func build(_ dockerfile: Dockerfile, options: BuildOptions = BuildOptions(), typed: Typed) -> DockerfileModel {
        var b = ModelBuilder(dockerfile: dockerfile, options: options)
        return b.run(typed: typed)
    }

    /// The stage BuildKit finds for a name (case-insensitive; the last stage of that name).
    public func stageIndex(named name: String) -> Int? {
        let n = name.lowercased()
        return stages.lastIndex { $0.name == n }
    }

    /// The target stage: `target` by name, or the last stage. The error is BuildKit's.
    public func targetStage(_ target: String? = nil) -> Result<Int, TargetError> {
        guard !stages.isEmpty else { return .failure(TargetError(message: "dockerfile contains no stages to build")) }
        guard let t = target ?? options.target, !t.isEmpty else { return .success(stages.count - 1) }
        if let i = stageIndex(named: t) { return .success(i) }
        let names = stages.map(\.displayName)
        return .failure(TargetError(message: Suggest.wrap("target stage \(goQuote(t)) could not be found", t, names, caseSensitive: true)))
    }

    /// The stages BuildKit builds for a target (`allReachableStages`): the target, its base
    /// chain, `COPY --from` and `RUN --mount from=` stages, recursively. Sorted.
    public func reachableStages(target: String? = nil) -> Result<[Int], TargetError> {
        targetStage(target).map { t in
            var seen = Set<Int>()
            var stack = [t]
            while let s = stack.popLast() {
                guard seen.insert(s).inserted else { continue }
                for d in stages[s].dependencies { if let i = d.stage { stack.append(i) } }
            }
            return seen.sorted()
        }
    }

    /// The stages the classic builder builds: every stage up to and including the target.
    public func classicStages(target: String? = nil) -> Result<[Int], TargetError> {
        targetStage(target).map { Array(0...$0) }
    }

    /// Every instruction in file order with its model (meta ARGs, FROMs, stage bodies).
    public var allInstructions: [ModelInstruction] {
        var out = metaArgs
        for s in stages { out.append(s.from); out += s.instructions }
        return out.sorted { $0.syntax.range.start.offset < $1.syntax.range.start.offset }
    }
}

/// An error BuildKit reports only when the build does not set `arguments` (ARGs declared
/// without a default, and no ENV of those names before the instruction).
public struct ArgumentDependentError: Equatable, Sendable {
    /// BuildKit's message when the arguments are not set.
    public var message: String
    public var range: SourceRange
    public var arguments: [String]

    public init(message: String, range: SourceRange, arguments: [String]) {
        self.message = message
        self.range = range
        self.arguments = arguments
    }
}

public struct TargetError: Error, Equatable, Sendable {
    public var message: String
}
