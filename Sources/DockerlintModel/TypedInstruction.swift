import DockerlintSyntax

/// One instruction of the file with its typed meaning (BuildKit's `instructions.Command`
/// or `instructions.Stage` for FROM).
public struct TypedInstruction: Equatable, Sendable {
    /// The syntax node, with every range.
    public var syntax: Instruction
    public var command: TypedCommand

    public init(syntax: Instruction, command: TypedCommand) {
        self.syntax = syntax
        self.command = command
    }

    public var kind: InstructionKind { syntax.kind }
}

/// The typed value of each of BuildKit's 18 instructions.
public indirect enum TypedCommand: Equatable, Sendable {
    case from(FromCommand)
    case run(RunCommand)
    case copy(CopyCommand)
    case add(CopyCommand)
    case env(KeyValueCommand)
    case label(KeyValueCommand)
    case arg(ArgCommand)
    case cmd(CommandLineValue)
    case entrypoint(CommandLineValue)
    case shell(ShellCommand)
    case healthcheck(HealthcheckCommand)
    case expose(ExposeCommand)
    case user(SingleValueCommand)
    case volume(VolumeCommand)
    case workdir(SingleValueCommand)
    case stopsignal(SingleValueCommand)
    case maintainer(SingleValueCommand)
    case onbuild(OnbuildCommand)
}

/// `FROM [--platform=p] image [AS name]`.
public struct FromCommand: Equatable, Sendable {
    /// The base name as written (before global ARG expansion).
    public var image: Argument
    /// The stage name, lower-cased (BuildKit folds it).
    public var stageName: String?
    /// The `name` word as written.
    public var stageNameArgument: Argument?
    /// The `AS` word as written.
    public var asKeyword: Argument?
    public var platform: FlagValue?
}

/// BuildKit's `ShellDependantCmdLine`: the command of RUN, CMD, ENTRYPOINT.
public struct CommandLineValue: Equatable, Sendable {
    /// Exec form: the JSON array. Shell form: one element, the words joined by a space.
    public var arguments: [String]
    /// True for the shell form (the shell from SHELL or `/bin/sh -c` is prepended).
    public var prependShell: Bool
    /// Heredoc files (RUN only).
    public var files: [ShellInlineFile]

    public var isExecForm: Bool { !prependShell }
}

/// A heredoc attached to RUN (BuildKit's `ShellInlineFile`).
public struct ShellInlineFile: Equatable, Sendable {
    public var name: String
    /// The body as written (BuildKit strips tabs for `<<-` later, when it uses it).
    public var data: String
    public var chomp: Bool
    public var expand: Bool
}

public enum NetworkMode: String, Sendable, CaseIterable { case `default`, none, host }
public enum SecurityMode: String, Sendable, CaseIterable { case sandbox, insecure }

/// `RUN [--mount=…]… [--network=…] [--security=…] [--device=…] command`.
public struct RunCommand: Equatable, Sendable {
    public var commandLine: CommandLineValue
    /// The mounts as parsed from the raw flag values (variables not expanded yet; the
    /// expanded mounts are in `ResolvedValues.mounts`).
    public var mounts: [RunMount]
    /// The raw `--mount` flags, one per mount.
    public var mountFlags: [FlagValue]
    public var network: NetworkMode
    public var networkFlag: FlagValue?
    public var security: SecurityMode
    public var securityFlag: FlagValue?
    public var devices: [RunDevice]
    /// Flag names used, in order (BuildKit's `FlagsUsed`).
    public var flagsUsed: [String]
}

/// `--device=name[,required]` (dockerfile 1.14-labs).
public struct RunDevice: Equatable, Sendable {
    public var name: String
    public var required: Bool
    public var flag: FlagValue
}

/// An inline source of COPY/ADD (`COPY <<EOF /dest`).
public struct InlineSource: Equatable, Sendable {
    /// The heredoc name, used as the file name.
    public var path: String
    /// The body, tabs stripped for `<<-`.
    public var data: String
    /// False when the delimiter was quoted: the body is not expanded.
    public var expand: Bool
}

/// COPY and ADD (ADD-only flags are nil/false for COPY, `from`/`parents` for ADD).
public struct CopyCommand: Equatable, Sendable {
    public var isAdd: Bool
    /// Path sources, as written.
    public var sources: [Argument]
    public var inlineSources: [InlineSource]
    public var destination: Argument
    public var from: FlagValue?
    public var chown: FlagValue?
    public var chmod: FlagValue?
    public var link: Bool
    public var parents: Bool
    public var excludes: [FlagValue]
    /// ADD `--keep-git-dir` (nil when not given).
    public var keepGitDir: Bool?
    /// ADD `--checksum`.
    public var checksum: FlagValue?
    /// ADD `--unpack` (nil when not given).
    public var unpack: Bool?
}

/// ENV and LABEL pairs.
public struct KeyValueCommand: Equatable, Sendable {
    public var pairs: [KeyValue]
}

/// One `ARG name[=default]`.
public struct ArgDefinition: Equatable, Sendable {
    public var key: String
    /// The default exactly as written (quotes still in it); nil without `=`.
    public var defaultValue: String?
    /// The whole `name=default` word.
    public var argument: Argument
    /// The name part of the word.
    public var keyRange: SourceRange
}

public struct ArgCommand: Equatable, Sendable {
    public var definitions: [ArgDefinition]
}

public struct ShellCommand: Equatable, Sendable {
    public var shell: [String]
}

/// `HEALTHCHECK NONE` or `HEALTHCHECK [opts] CMD …`. Durations in nanoseconds (0 = unset).
public struct HealthcheckCommand: Equatable, Sendable {
    /// `["NONE"]`, `["CMD", args…]` (exec form) or `["CMD-SHELL", command]`.
    public var test: [String]
    public var interval: Int64
    public var timeout: Int64
    public var startPeriod: Int64
    public var startInterval: Int64
    public var retries: Int

    public var isNone: Bool { test.first == "NONE" }
}

public struct ExposeCommand: Equatable, Sendable {
    /// The port words as written (BuildKit expands and parses them when it dispatches:
    /// see `ResolvedValues.ports`).
    public var ports: [Argument]
}

/// USER, WORKDIR, STOPSIGNAL, MAINTAINER: one string.
public struct SingleValueCommand: Equatable, Sendable {
    public var value: Argument
}

public struct VolumeCommand: Equatable, Sendable {
    /// Each path trimmed of white space, as BuildKit keeps them.
    public var volumes: [Argument]
}

/// `ONBUILD <instruction>`. BuildKit stores only the expression; it is parsed when a
/// child build uses this image. `trigger` is that parse, done now for the linter.
public struct OnbuildCommand: Equatable, Sendable {
    /// The instruction text without `ONBUILD` (heredoc bodies appended as BuildKit does).
    public var expression: String
    public var trigger: TypedInstruction?
    /// Errors the trigger would raise in a child build (not errors of this file).
    public var triggerErrors: [SyntaxError]
}
