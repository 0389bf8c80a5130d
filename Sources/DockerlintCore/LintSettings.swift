import DockerlintModel
import DockerlintSupport

/// One lint setting, declared once: its configuration key (and the spellings also
/// accepted), its environment variables, its command-line option, the shape of its value,
/// its documentation and what it does to a `Configuration`. The configuration loader, the
/// environment reader, both command-line readers, `lint --help` and the README's table
/// all come from `LintSettings.all`: a new setting is one entry here (and its field in
/// `Configuration`).
public struct LintSetting: Sendable {
    /// How a value is written.
    public enum Shape: Sendable {
        /// true/false in the configuration and the environment; a flag that turns it on at
        /// the command line.
        case flag
        /// One value.
        case single
        /// A list: a YAML sequence, a comma-separated variable, a repeatable option
        /// (command-line values add to the configuration's).
        case list
        /// A YAML shape of its own (a mapping), read by the configuration loader; the
        /// environment and the command line set it through other entries.
        case structured
    }

    /// What a value was given as, whatever its source.
    public enum Input: Sendable, Equatable {
        case flag(Bool)
        case value(String)
        case values([String])
    }

    /// The configuration key; nil: no key (set only by the environment or the command line).
    public let key: String?
    /// Other accepted configuration spellings (hadolint's), never suggested.
    public let aliases: [String]
    /// Environment variables that set it (the first is documented; later ones are accepted
    /// spellings).
    public let environment: [String]
    /// The long command-line option (`--no-fail`); nil: none.
    public let option: String?
    /// The short option (`-t`); nil: none.
    public let shortOption: String?
    /// The value's name in help text (`SEVERITY`); nil for flags.
    public let valueName: String?
    public let shape: Shape
    /// The names given are rule codes or names (unknown ones draw a warning).
    public let namesRules: Bool
    public let help: String
    /// Applies a value; throws the reason a value is refused (without the setting's name).
    let set: @Sendable (inout Configuration, Input) throws(SettingError) -> Void

    public struct SettingError: Error, Sendable { public let message: String
        public init(_ message: String) { self.message = message } }

    /// Applies `input` to `configuration`.
    public func apply(_ input: Input, to configuration: inout Configuration) throws(SettingError) {
        try set(&configuration, input)
    }

    /// The value as a list of names (for `namesRules` warnings).
    public static func names(_ input: Input) -> [String] {
        switch input {
        case .flag: return []
        case .value(let v): return [v]
        case .values(let vs): return vs
        }
    }
}

public enum LintSettings {
    // MARK: Value readers shared by the entries

    static func bool(_ input: LintSetting.Input) throws(LintSetting.SettingError) -> Bool {
        switch input {
        case .flag(let b): return b
        case .value(let s):
            switch s.lowercased() {
            case "true": return true
            case "false": return false
            default: throw .init("expected true or false, not '\(s)'")
            }
        case .values: throw .init("expected true or false")
        }
    }

    static func single(_ input: LintSetting.Input) throws(LintSetting.SettingError) -> String {
        switch input {
        case .value(let s): return s
        case .values(let vs) where vs.count == 1: return vs[0]
        default: throw .init("expected a value")
        }
    }

    static func list(_ input: LintSetting.Input) throws(LintSetting.SettingError) -> [String] {
        switch input {
        case .values(let vs): return vs
        case .value(let v): return v.isEmpty ? [] : [v]
        case .flag: throw .init("expected a list")
        }
    }

    static func severity(_ s: String, allowOff: Bool = true) throws(LintSetting.SettingError) -> Severity {
        guard let v = ConfigurationLoader.parseSeverity(s, allowOff: allowOff) else {
            throw .init("'\(s)' is not one of error, warning, info, style\(allowOff ? ", ignore, none" : "")")
        }
        return v
    }

    static let labelTypes: Set<String> = ["text", "url", "semver", "hash", "rfc3339", "spdx", "email"]

    /// `label:type` (type defaults to text), as `--require-label` and `DOCKERLINT_REQUIRE_LABELS`
    /// write it; the `label-schema` key writes the same pairs as a mapping.
    static func requireLabel(_ item: String, into c: inout Configuration) throws(LintSetting.SettingError) {
        let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
        guard let label = parts.first, !label.isEmpty else { throw .init("expected LABEL[:TYPE], not '\(item)'") }
        let type = parts.count > 1 && !parts[1].isEmpty ? parts[1] : "text"
        guard labelTypes.contains(type) else {
            throw .init("unknown label type '\(type)' (text, url, semver, hash, rfc3339, spdx, email)")
        }
        c.labelSchema[label] = type
    }

    static func override(_ severity: Severity, _ name: String, as phrase: String) -> LintSetting {
        LintSetting(key: nil, aliases: [], environment: ["DOCKERLINT_OVERRIDE_\(name.uppercased())"], option: "--\(name)", shortOption: nil,
                    valueName: "RULE", shape: .list, namesRules: true,
                    help: "Report a rule (code or name) as \(phrase). Repeatable.") { c, input throws(LintSetting.SettingError) in
            for code in try list(input) { c.severityOverrides[code] = severity }
        }
    }

    // MARK: The table

    public static let all: [LintSetting] = [
        LintSetting(key: "failure-threshold", aliases: [], environment: ["DOCKERLINT_FAILURE_THRESHOLD"], option: "--failure-threshold",
                    shortOption: "-t", valueName: "SEVERITY", shape: .single, namesRules: false,
                    help: "Fail (exit 1) on findings at or above: error, warning, info, style, none.") { c, input throws(LintSetting.SettingError) in
            c.failureThreshold = try severity(try single(input))
        },
        LintSetting(key: "ignored", aliases: ["ignore"], environment: ["DOCKERLINT_IGNORE"], option: "--ignore", shortOption: nil,
                    valueName: "RULE", shape: .list, namesRules: true,
                    help: "Ignore a rule (code or name). Repeatable.") { c, input throws(LintSetting.SettingError) in
            c.ignored += try list(input)
        },
        LintSetting(key: "override", aliases: [], environment: [], option: nil, shortOption: nil, valueName: nil, shape: .structured,
                    namesRules: true, help: "Severity → rules reported at that severity (error, warning, info, style, or none to turn a rule off).") { _, _ throws(LintSetting.SettingError) in
            throw .init("expected a mapping of severity to a list of rules")
        },
        override(.error, "error", as: "an error"),
        override(.warning, "warning", as: "a warning"),
        override(.info, "info", as: "info"),
        override(.style, "style", as: "style"),
        LintSetting(key: "trusted-registries", aliases: ["trustedRegistries"], environment: ["DOCKERLINT_TRUSTED_REGISTRIES"],
                    option: "--trusted-registry", shortOption: nil, valueName: "REGISTRY", shape: .list, namesRules: false,
                    help: "A trusted registry for DL3026. Repeatable.") { c, input throws(LintSetting.SettingError) in
            c.trustedRegistries += try list(input)
        },
        LintSetting(key: "label-schema", aliases: [], environment: [], option: nil, shortOption: nil, valueName: nil, shape: .structured,
                    namesRules: false, help: "Required labels: label → type (text, url, semver, hash, rfc3339, spdx, email).") { _, _ throws(LintSetting.SettingError) in
            throw .init("expected a mapping of label to type")
        },
        LintSetting(key: nil, aliases: [], environment: ["DOCKERLINT_REQUIRE_LABELS"], option: "--require-label", shortOption: nil,
                    valueName: "LABEL[:TYPE]", shape: .list, namesRules: false,
                    help: "A required label and its type (label-schema). Repeatable.") { c, input throws(LintSetting.SettingError) in
            for item in try list(input) { try requireLabel(item, into: &c) }
        },
        LintSetting(key: "strict-labels", aliases: [], environment: ["DOCKERLINT_STRICT_LABELS"], option: "--strict-labels", shortOption: nil,
                    valueName: nil, shape: .flag, namesRules: false,
                    help: "Report labels not in the label schema.") { c, input throws(LintSetting.SettingError) in
            c.strictLabels = try bool(input)
        },
        LintSetting(key: "disable-ignore-pragma", aliases: [], environment: ["DOCKERLINT_DISABLE_IGNORE_PRAGMA"],
                    option: "--disable-ignore-pragma", shortOption: nil, valueName: nil, shape: .flag, namesRules: false,
                    help: "Do not honour ignore pragmas.") { c, input throws(LintSetting.SettingError) in
            c.disableIgnorePragma = try bool(input)
        },
        LintSetting(key: "no-fail", aliases: [], environment: ["DOCKERLINT_NO_FAIL", "DOCKERLINT_NOFAIL"], option: "--no-fail",
                    shortOption: nil, valueName: nil, shape: .flag, namesRules: false,
                    help: "Always exit 0 when linting succeeds, whatever is found.") { c, input throws(LintSetting.SettingError) in
            c.noFail = try bool(input)
        },
        LintSetting(key: "no-color", aliases: [], environment: [], option: "--no-color", shortOption: nil, valueName: nil, shape: .flag,
                    namesRules: false, help: "No colour in terminal output (also NO_COLOR).") { c, input throws(LintSetting.SettingError) in
            c.noColor = try bool(input)
        },
        LintSetting(key: "builder", aliases: [], environment: ["DOCKERLINT_BUILDER"], option: "--builder", shortOption: nil,
                    valueName: "BUILDER", shape: .single, namesRules: false,
                    help: "The builder whose cache the cache rules model: buildkit or classic.") { c, input throws(LintSetting.SettingError) in
            let s = try single(input)
            guard let b = BuilderKind.named(s) else { throw .init(BuilderKind.expected()) }
            c.builder = b
        },
        LintSetting(key: "engine", aliases: [], environment: ["DOCKERLINT_ENGINE"], option: nil, shortOption: nil, valueName: "ENGINE",
                    shape: .single, namesRules: false,
                    help: "The engine release the cache model keys for: docker-20.10 or docker-26.") { c, input throws(LintSetting.SettingError) in
            let s = try single(input)
            if s.isEmpty { return }
            guard let r = EngineRelease(argument: s) else { throw .init(EngineRelease.expected) }
            c.engine = r
        },
        LintSetting(key: "ci-cache", aliases: [], environment: ["DOCKERLINT_CI_CACHE"], option: nil, shortOption: nil, valueName: "MODE",
                    shape: .single, namesRules: false,
                    help: "The cache simulate, compare and report assume: local, none, inline, registry-min or registry-max.") { c, input throws(LintSetting.SettingError) in
            let s = try single(input)
            if s.isEmpty { return }
            guard let m = CICacheMode(rawValue: s) else { throw .init(CICacheMode.expected) }
            c.ciCache = m
        },
        LintSetting(key: "shellcheck", aliases: [], environment: ["DOCKERLINT_SHELLCHECK"], option: "--shellcheck", shortOption: nil,
                    valueName: nil, shape: .flag, namesRules: false,
                    help: "Run shellcheck on shell-form RUN scripts (needs the shellcheck program).") { c, input throws(LintSetting.SettingError) in
            c.shellcheck = try bool(input)
        },
        LintSetting(key: "history", aliases: [], environment: [], option: "--history", shortOption: nil, valueName: "N", shape: .single,
                    namesRules: false,
                    help: "Commits of git history the cache rules (DC) replay as evidence (0: none; default 100 when the CI environment variable is set, else 0).") { c, input throws(LintSetting.SettingError) in
            let s = try single(input)
            guard let n = Int(s), n >= 0 else { throw .init("expected a number of commits (0 or more), not '\(s)'") }
            c.history = n
        },
        LintSetting(key: "min-saving", aliases: [], environment: ["DOCKERLINT_MIN_SAVING"], option: "--min-saving", shortOption: nil,
                    valueName: "SECONDS", shape: .single, namesRules: false,
                    help: "Seconds of estimated rebuild time per 100 commits (or 100 plausible edits) a cache finding's fix must save to be reported (default 120: about a second per commit; less is not worth an edit).") { c, input throws(LintSetting.SettingError) in
            let s = try single(input)
            guard let n = Double(s), n >= 0, n.isFinite else { throw .init("expected a number of seconds per 100 commits (0 or more), not '\(s)'") }
            c.minSaving = n
        },
        LintSetting(key: "evidence", aliases: [], environment: [], option: "--evidence", shortOption: nil,
                    valueName: "BOOL", shape: .single, namesRules: false,
                    help: "Weigh cache findings (DC) with the simulator before reporting them (default true); false reports every DC finding the rules find, unweighed and without evidence (for tools that replay the fixes themselves).") { c, input throws(LintSetting.SettingError) in
            c.evidence = try bool(input)
        },
        LintSetting(key: "context", aliases: [], environment: [], option: nil, shortOption: nil, valueName: "DIR", shape: .single,
                    namesRules: false,
                    help: "The build context the cache rules assume, relative to the configuration file's folder (the command line's --context wins; default: discovered from compose, bake and workflow files, else the Dockerfile's folder).") { c, input throws(LintSetting.SettingError) in
            let s = try single(input)
            guard !s.isEmpty else { throw .init("expected the path of the build context") }
            c.context = s
        },
        LintSetting(key: "format", aliases: [], environment: [], option: nil, shortOption: nil, valueName: "FORMAT", shape: .single,
                    namesRules: false, help: "The output format when the command line names none.") { c, input throws(LintSetting.SettingError) in
            c.formats = [try single(input)]
        },
        LintSetting(key: "formats", aliases: [], environment: [], option: nil, shortOption: nil, valueName: "FORMAT", shape: .list,
                    namesRules: false, help: "Output formats when the command line names none.") { c, input throws(LintSetting.SettingError) in
            c.formats = try list(input)
        },
        LintSetting(key: "per-path", aliases: [], environment: [], option: nil, shortOption: nil, valueName: nil, shape: .structured,
                    namesRules: false, help: "A list of {paths, ignored, override, failure-threshold} applied to files matching one of paths.") { _, _ throws(LintSetting.SettingError) in
            throw .init("expected a list of {paths, ignored, override, failure-threshold}")
        },
        LintSetting(key: "verbose", aliases: [], environment: [], option: nil, shortOption: nil, valueName: nil, shape: .flag,
                    namesRules: false, help: "Accepted for hadolint's configuration files; has no effect.") { _, input throws(LintSetting.SettingError) in
            _ = try bool(input)
        },
    ]

    /// The entry with this configuration key or alias.
    public static func named(key: String) -> LintSetting? {
        all.first { $0.key == key || $0.aliases.contains(key) }
    }

    /// The entry with this command-line option (`--ignore` or `-t`).
    public static func named(option: String) -> LintSetting? {
        all.first { $0.option == option || ($0.shortOption != nil && $0.shortOption == option) }
    }

    /// Configuration keys that "did you mean" suggests (aliases are accepted, not suggested;
    /// `verbose` exists only for hadolint's files).
    public static var documentedKeys: [String] { all.compactMap(\.key).filter { $0 != "verbose" } }
}
