// Typed knowledge of package-manager command lines: which manager, which subcommand,
// which options (parsed with each tool's own option grammar, so option values are never
// mistaken for packages), which packages, whether they are pinned, and which files from
// the build context the command reads.

public enum PackageManager: String, Hashable, Sendable, CaseIterable {
    case aptGet = "apt-get", apt, aptitude, apk, yum, dnf, microdnf, zypper
    case pip, pipx, npm, yarn, pnpm, gem, go, cargo, composer
    case bundler = "bundle", poetry, pipenv, uv, maven = "mvn", gradle, dotnet

    /// True for the operating-system package managers.
    public var isSystemPackageManager: Bool {
        switch self {
        case .aptGet, .apt, .aptitude, .apk, .yum, .dnf, .microdnf, .zypper: return true
        default: return false
        }
    }
}

/// What a package-manager command does, normalised across tools.
public enum PackageAction: String, Hashable, Sendable {
    /// Installs packages or a project's dependencies (`apt-get install`, `npm ci`, `pip install`).
    case install
    /// Refreshes the package index only (`apt-get update`, `apk update`, `zypper refresh`).
    case update
    /// Upgrades installed packages (`apt-get upgrade`, `yum update`, `npm update`).
    case upgrade
    case remove
    /// Cleans the package manager's cache (`apt-get clean`, `yum clean all`, `npm cache clean`).
    case clean
    /// Fetches dependencies without installing them (`go mod download`, `cargo fetch`,
    /// `mvn dependency:go-offline`, `dotnet restore`).
    case download
    /// Builds the project (`go build`, `cargo build`, `mvn package`, `dotnet publish`).
    case build
    /// Runs a script or program (`npm run`, `go run`, `poetry run`).
    case run
    case other
}

/// One option as the tool's grammar understands it.
public struct CommandOption: Hashable, Sendable {
    /// The name without dashes (`y`, `no-cache-dir`, `t`); for `-D` style properties the
    /// letter (`D`) with the rest as the value.
    public var name: String
    /// True for `--name` (and for single-dash long options of go, mvn, gradle).
    public var isLong: Bool
    /// The value, quote-removed, expansions kept as source text.
    public var value: String?
    /// The word holding the option.
    public var word: Word
    /// The separate word holding the value, if the value was not attached.
    public var valueWord: Word?
    public init(name: String, isLong: Bool, value: String?, word: Word, valueWord: Word?) {
        self.name = name
        self.isLong = isLong
        self.value = value
        self.word = word
        self.valueWord = valueWord
    }
    public var range: ByteRange { ByteRange(word.range.start, (valueWord ?? word).range.end) }
}

/// A package (or other install target) named on the command line.
public struct PackageTarget: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case package
        /// A local path (`./pkg.deb`, `/tmp/x.rpm`, `.`, `../lib`).
        case path
        /// A local or remote archive (`x.whl`, `x.tar.gz`, `x.tgz`, `x.deb`, `x.rpm`, `x.apk`).
        case archive
        case url
        /// A VCS reference (`git+https://...`, `github:user/repo`).
        case vcs
    }
    /// Quote-removed text; expansions kept as source (`nginx=${NGINX_VERSION}`).
    public var text: String
    public var word: Word
    public var kind: Kind
    /// The package name when one can be split off (`curl` from `curl=7.88.1-10`).
    public var name: String
    /// The version or constraint part, if any (`=7.88.1-10`, `==1.2`, `@^4`, `:1.0`).
    public var version: String?
    /// Pinned by the manager's rules (see `PackageCommand.targets`).
    public var isPinned: Bool
    public var isStatic: Bool { word.isStatic }
    public var range: ByteRange { word.range }
}

/// A file the command reads from the build context.
public struct ManifestFile: Hashable, Sendable {
    /// The path as the command sees it, relative to the working directory unless absolute.
    public var path: String
    /// False for files read only if present (`package-lock.json` for `npm install`).
    public var required: Bool
    /// True when the path came from the command line (`-r requirements.txt`).
    public var explicit: Bool
    /// True when `path` is a glob (`*.csproj`).
    public var isGlob: Bool
    public init(path: String, required: Bool, explicit: Bool = false, isGlob: Bool = false) {
        self.path = path
        self.required = required
        self.explicit = explicit
        self.isGlob = isGlob
    }
}

/// The answer to "does this command install dependencies, and from what?".
public struct DependencyInstall: Hashable, Sendable {
    public enum Source: String, Hashable, Sendable {
        /// Dependencies listed in manifest/lock files (`npm ci`, `pip install -r`).
        case manifest
        /// Packages named on the command line (`apt-get install curl`, `npm i -g pnpm`).
        case namedPackages
        /// The local project itself (`pip install .`, `go build`, `cargo build`): reads the
        /// whole source tree.
        case localProject
    }
    public var manager: PackageManager
    public var source: Source
    /// Files read from the build context.
    public var manifests: [ManifestFile]
    /// True when the command also reads the project's source tree, so copying only the
    /// manifests first does not make this step cacheable.
    public var needsSourceTree: Bool
    /// True when the install is locked (`npm ci`, `--frozen-lockfile`, `--locked`, ...).
    public var usesLockfile: Bool
}

/// A package-manager command parsed with its tool's option grammar.
public struct PackageCommand: Hashable, Sendable {
    public var manager: PackageManager
    /// The command as found (after unwrapping `sudo`, `env`, ...).
    public var invocation: CommandInvocation
    /// The subcommand path: `["install"]`, `["mod", "download"]`, `["cache", "clean"]`,
    /// `["dependency:go-offline"]` for maven's first goal; empty for bare `yarn`/`bundle`.
    public var subcommand: [String]
    public var action: PackageAction
    public var options: [CommandOption]
    /// Positional arguments after the subcommand.
    public var operands: [Word]

    /// Parses a command invocation (unwrapping wrappers) if it runs a known package manager.
    /// Recognises `python[3[.x]] -m pip`, `./gradlew`, `mvnw`, `pip3.12`, `bundler`.
    public static func parse(_ invocation: CommandInvocation) -> PackageCommand? {
        PackageCommandParser.parse(invocation.effective)
    }

    /// True when any of the options is present (names without dashes).
    public func hasOption(_ names: String...) -> Bool {
        options.contains { names.contains($0.name) }
    }

    /// The values of the given options, in order.
    public func optionValues(_ names: String...) -> [String] {
        options.filter { names.contains($0.name) }.compactMap(\.value)
    }

    /// Number of times an option occurs (`-qq` counts two `q`).
    public func optionCount(_ names: String...) -> Int {
        options.filter { names.contains($0.name) }.count
    }

    public var isInstall: Bool { action == .install }
    public var isUpdate: Bool { action == .update }
    public var isUpgrade: Bool { action == .upgrade }
    public var isClean: Bool { action == .clean }
    public var isRemove: Bool { action == .remove }

    /// Operands that name things to install (for install/upgrade actions; empty for
    /// manifest-driven forms like bare `npm install`). Option values are never included.
    public var targets: [PackageTarget] {
        PackagePinning.targets(of: self)
    }

    /// Targets that lack a version pin under the manager's rules (hadolint's definitions,
    /// see `PackagePinning`). Empty when the command's form exempts it entirely (pip with
    /// `-r`/`-c`, gem with `-v`, a bare `npm install`).
    public var unpinnedTargets: [PackageTarget] {
        if PackagePinning.isExempt(self) { return [] }
        return targets.filter { !$0.isPinned }
    }

    /// True when the command will not stop to ask for confirmation:
    /// apt `-y/--yes/--assume-yes`, `-qq`, `-q -q`, `-q=2`, `-o APT::Get::Assume-Yes=true`;
    /// yum/dnf/microdnf `-y/--assumeyes`; zypper `-n/--non-interactive/-y/--no-confirm`;
    /// always true for other managers.
    public var isNonInteractive: Bool {
        switch manager {
        case .aptGet, .apt, .aptitude:
            if hasOption("y", "yes", "assume-yes") { return true }
            let q = options.filter { $0.name == "q" || $0.name == "quiet" }
            if q.count >= 2 { return true }
            if q.contains(where: { ($0.value.flatMap { Int($0) } ?? 0) >= 2 }) { return true }
            return optionValues("o", "option").contains {
                let l = $0.lowercased()
                return l.hasPrefix("apt::get::assume-yes=") && (l.hasSuffix("=true") || l.hasSuffix("=1") || l.hasSuffix("=yes"))
            }
        case .yum, .dnf, .microdnf: return hasOption("y", "assumeyes")
        case .zypper: return hasOption("n", "non-interactive", "y", "no-confirm")
        default: return true
        }
    }

    /// apt: false when `--no-install-recommends` or `-o APT::Install-Recommends=false`;
    /// zypper: false with `--no-recommends`; dnf/yum: false with
    /// `--setopt=install_weak_deps=False`; nil for other managers.
    public var installsRecommends: Bool? {
        switch manager {
        case .aptGet, .apt, .aptitude:
            if hasOption("no-install-recommends") { return false }
            let off = optionValues("o", "option").contains {
                let l = $0.lowercased().replacingSpaces()
                return l == "apt::install-recommends=false" || l == "apt::install-recommends=0" || l == "apt::install-recommends=no"
            }
            return !off
        case .zypper: return !hasOption("no-recommends")
        case .yum, .dnf, .microdnf:
            let off = optionValues("setopt").contains { $0.lowercased() == "install_weak_deps=false" || $0 == "install_weak_deps=0" }
            return !off
        default: return nil
        }
    }

    /// True when the command itself avoids leaving a download cache in the layer:
    /// apk `--no-cache`, pip `--no-cache-dir` (not `=false`), uv `--no-cache`/`-n`,
    /// composer `--no-cache`; false otherwise (npm/yarn need `cache clean`).
    public var disablesCache: Bool {
        switch manager {
        case .apk: return hasOption("no-cache")
        case .pip: return hasOption("no-cache-dir") && !optionValues("no-cache-dir").contains { ["0", "false", "no", "off"].contains($0.lowercased()) }
        case .uv: return hasOption("no-cache", "n")
        case .composer: return hasOption("no-cache")
        default: return false
        }
    }

    /// Files read from the build context and the kind of dependency install, when this
    /// command installs or fetches dependencies (nil otherwise).
    public var dependencyInstall: DependencyInstall? {
        DependencyClassifier.classify(self)
    }
}

extension String {
    func replacingSpaces() -> String { String(filter { $0 != " " && $0 != "\"" && $0 != "'" }) }
}

// MARK: - Option grammar

struct OptionGrammar {
    /// Short options taking a value (`-t VALUE`, `-tVALUE`).
    var shortValue: Set<Character> = []
    /// Long options taking a value (`--target-release VALUE`, `--target-release=VALUE`).
    var longValue: Set<String> = []
    /// `-name` is one long option (go, maven, gradle), not a cluster.
    var singleDashLong = false
    /// With `singleDashLong`, prefixes whose value is attached (`-DskipTests`, `-Pprod`, `-p:X=Y`).
    var attachedPrefixes: [String] = []
    /// Options after the first positional are positionals (go run, `npm run x -- --y`).
    var stopAtFirstPositional = false

    static let none = OptionGrammar()
}

extension PackageManager {
    var grammar: OptionGrammar {
        switch self {
        case .aptGet, .apt, .aptitude:
            return OptionGrammar(shortValue: ["t", "o", "c", "a"],
                                 longValue: ["target-release", "default-release", "option", "config-file", "host-architecture", "arch-only"])
        case .apk:
            return OptionGrammar(shortValue: ["t", "X", "p"],
                                 longValue: ["virtual", "repository", "root", "arch", "cache-dir", "keys-dir", "repositories-file",
                                             "timeout", "progress-fd", "wait", "cache-max-age", "from"])
        case .yum, .dnf, .microdnf:
            return OptionGrammar(shortValue: ["c", "x", "d", "e", "R"],
                                 longValue: ["config", "enablerepo", "disablerepo", "repo", "repoid", "installroot", "releasever",
                                             "exclude", "excludepkgs", "setopt", "debuglevel", "errorlevel", "forcearch", "downloaddir",
                                             "destdir", "color", "rpmverbosity", "advisory", "advisories", "bz", "cve", "sec-severity",
                                             "secseverity", "comment", "module-platform-id", "repofrompath", "platform-id", "use-host-config"])
        case .zypper:
            return OptionGrammar(shortValue: ["R", "c", "D", "C", "t", "r"],
                                 longValue: ["root", "config", "reposd-dir", "cache-dir", "raw-cache-dir", "solv-cache-dir",
                                             "pkg-cache-dir", "type", "repo", "from", "releasever", "installroot", "download"])
        case .pip, .uv:
            return OptionGrammar(shortValue: ["r", "c", "e", "i", "f", "t", "b", "C", "p", "w", "d"],
                                 longValue: ["requirement", "requirements", "constraint", "constraints", "editable", "index-url", "extra-index-url",
                                             "find-links", "target", "prefix", "root", "src", "platform", "python-version",
                                             "implementation", "abi", "no-binary", "only-binary", "progress-bar", "proxy",
                                             "trusted-host", "upgrade-strategy", "cache-dir", "log", "timeout", "retries",
                                             "exists-action", "cert", "client-cert", "global-option", "install-option",
                                             "config-settings", "config-setting", "report", "root-user-action", "build", "python",
                                             "keyring-provider", "project", "directory", "extra", "group", "only-group", "package",
                                             "index", "default-index", "with", "with-requirements", "resolution", "prerelease",
                                             "exclude-newer", "link-mode", "compile-bytecode-target", "no-build-package",
                                             "no-binary-package", "override", "overrides", "build-constraint", "build-constraints",
                                             "python-platform", "refresh-package", "reinstall-package", "upgrade-package", "P",
                                             "config-file", "dest", "dest-dir", "requirements-file", "output-file", "no-group", "extra-build-dependencies",
                                             "torch-backend", "env-file"])
        case .pipx:
            return OptionGrammar(shortValue: [], longValue: ["python", "pip-args", "index-url", "suffix", "spec"])
        case .npm:
            return OptionGrammar(shortValue: ["C", "w"],
                                 longValue: ["prefix", "registry", "cache", "tag", "loglevel", "userconfig", "globalconfig",
                                             "workspace", "omit", "include", "install-strategy", "before", "otp", "scope",
                                             "location", "fetch-retries", "fetch-timeout", "maxsockets", "only", "also", "dir"])
        case .yarn:
            return OptionGrammar(shortValue: [],
                                 longValue: ["cwd", "modules-folder", "cache-folder", "network-timeout", "mutex", "registry",
                                             "global-folder", "link-folder", "prefix", "network-concurrency", "use-yarnrc", "mode"])
        case .pnpm:
            return OptionGrammar(shortValue: ["C", "F"],
                                 longValue: ["dir", "filter", "store-dir", "registry", "reporter", "network-concurrency",
                                             "virtual-store-dir", "modules-dir", "lockfile-dir", "loglevel", "workspace-concurrency",
                                             "config.node-linker", "node-linker"])
        case .gem:
            return OptionGrammar(shortValue: ["v", "i", "n", "s", "P", "g"],
                                 longValue: ["version", "install-dir", "bindir", "source", "platform", "trust-policy",
                                             "build-root", "file", "document", "env-shebang-path", "target-rbconfig"])
        case .go:
            return OptionGrammar(longValue: ["o", "tags", "ldflags", "gcflags", "asmflags", "mod", "modfile", "p", "pkgdir",
                                             "buildmode", "compiler", "overlay", "pgo", "C", "exec", "toolexec",
                                             "installsuffix", "buildvcs", "covermode", "coverpkg", "run", "timeout", "count",
                                             "bench", "cpu", "parallel", "json", "fmt"],
                                 singleDashLong: true, stopAtFirstPositional: false)
        case .cargo:
            return OptionGrammar(shortValue: ["F", "p", "j", "Z", "C"],
                                 longValue: ["target", "features", "package", "manifest-path", "target-dir", "jobs", "profile",
                                             "root", "version", "vers", "git", "branch", "tag", "rev", "path", "bin", "example",
                                             "registry", "index", "config", "color", "message-format", "exclude", "lockfile-path"])
        case .composer:
            return OptionGrammar(shortValue: ["d"],
                                 longValue: ["working-dir", "ignore-platform-req", "apcu-autoloader-prefix", "file"])
        case .bundler:
            return OptionGrammar(shortValue: ["j"],
                                 longValue: ["gemfile", "path", "jobs", "retry", "without", "with", "binstubs", "shebang",
                                             "standalone", "trust-policy", "target-rbconfig", "version", "group", "source"])
        case .poetry:
            return OptionGrammar(shortValue: ["E", "C", "P", "G"],
                                 longValue: ["with", "without", "only", "extras", "directory", "project", "group", "source",
                                             "python", "platform", "output", "format", "f", "o"])
        case .pipenv:
            return OptionGrammar(shortValue: ["r"],
                                 longValue: ["python", "pypi-mirror", "categories", "requirements", "extra-pip-args"])
        case .maven:
            return OptionGrammar(longValue: ["f", "s", "gs", "P", "pl", "T", "rf", "l", "t", "b", "D", "file", "settings",
                                             "global-settings", "activate-profiles", "projects", "threads", "resume-from",
                                             "log-file", "toolchains", "builder", "define"],
                                 singleDashLong: true, attachedPrefixes: ["D", "P"])
        case .gradle:
            return OptionGrammar(longValue: ["x", "p", "b", "c", "g", "I", "init-script", "project-dir", "build-file",
                                             "settings-file", "gradle-user-home", "exclude-task", "max-workers", "console",
                                             "warning-mode", "project-cache-dir", "include-build", "dependency-verification", "M"],
                                 singleDashLong: true, attachedPrefixes: ["D", "P"])
        case .dotnet:
            return OptionGrammar(shortValue: ["c", "o", "r", "f", "s", "v", "a", "p"],
                                 longValue: ["configuration", "output", "runtime", "framework", "source", "configfile", "packages",
                                             "verbosity", "version", "arch", "os", "property", "tool-path", "add-source",
                                             "lock-file-path", "launch-profile", "project", "settings", "logger", "filter",
                                             "results-directory", "artifacts-path", "ucr"],
                                 attachedPrefixes: ["p:", "property:", "m:", "maxcpucount:", "t:", "bl:"])
        }
    }
}

struct ParsedArguments {
    var options: [CommandOption] = []
    var positionals: [Word] = []
}

func parseArguments(_ words: ArraySlice<Word>, grammar g: OptionGrammar) -> ParsedArguments {
    var out = ParsedArguments()
    var i = words.startIndex
    var endOfOptions = false
    while i < words.endIndex {
        let w = words[i]
        let v = w.unquoted
        i += 1
        if endOfOptions || !v.hasPrefix("-") || v == "-" || (!w.parts.isEmpty && !startsWithLiteralDash(w)) {
            out.positionals.append(w)
            if g.stopAtFirstPositional { endOfOptions = true }
            continue
        }
        if v == "--" {
            endOfOptions = true
            continue
        }
        if v.hasPrefix("--") || g.singleDashLong {
            let body = v.hasPrefix("--") ? String(v.dropFirst(2)) : String(v.dropFirst())
            if !v.hasPrefix("--"), let p = g.attachedPrefixes.first(where: { body.hasPrefix($0) && body.count > $0.count }) {
                out.options.append(CommandOption(name: String(p.prefix { $0 != ":" }), isLong: false,
                                                 value: String(body.dropFirst(p.count)), word: w, valueWord: nil))
                continue
            }
            if let eq = body.firstIndex(of: "=") {
                out.options.append(CommandOption(name: String(body[..<eq]), isLong: true,
                                                 value: String(body[body.index(after: eq)...]), word: w, valueWord: nil))
                continue
            }
            if g.longValue.contains(body), i < words.endIndex {
                out.options.append(CommandOption(name: body, isLong: true, value: words[i].unquoted, word: w, valueWord: words[i]))
                i += 1
                continue
            }
            out.options.append(CommandOption(name: body, isLong: true, value: nil, word: w, valueWord: nil))
            continue
        }
        // Short cluster.
        if let p = g.attachedPrefixes.first(where: { v.dropFirst().hasPrefix($0) && v.count > $0.count + 1 && $0.count > 1 }) {
            out.options.append(CommandOption(name: String(p.prefix { $0 != ":" }), isLong: false,
                                             value: String(v.dropFirst(1 + p.count)), word: w, valueWord: nil))
            continue
        }
        let chars = Array(v.dropFirst())
        var k = 0
        while k < chars.count {
            let ch = chars[k]
            let name = String(ch)
            if k + 1 < chars.count, chars[k + 1] == "=" {
                out.options.append(CommandOption(name: name, isLong: false, value: String(chars[(k + 2)...]), word: w, valueWord: nil))
                break
            }
            if g.shortValue.contains(ch) {
                if k + 1 < chars.count {
                    out.options.append(CommandOption(name: name, isLong: false, value: String(chars[(k + 1)...]), word: w, valueWord: nil))
                } else if i < words.endIndex {
                    out.options.append(CommandOption(name: name, isLong: false, value: words[i].unquoted, word: w, valueWord: words[i]))
                    i += 1
                } else {
                    out.options.append(CommandOption(name: name, isLong: false, value: nil, word: w, valueWord: nil))
                }
                break
            }
            out.options.append(CommandOption(name: name, isLong: false, value: nil, word: w, valueWord: nil))
            k += 1
        }
    }
    return out
}

private func startsWithLiteralDash(_ w: Word) -> Bool {
    guard let first = w.parts.first else { return false }
    switch first.kind {
    case .literal(let t), .singleQuoted(let t), .escaped(let t), .ansiCQuoted(let t): return t.hasPrefix("-")
    case .doubleQuoted(let inner):
        if let f = inner.first, case .literal(let t) = f.kind { return t.hasPrefix("-") }
        return false
    default: return false
    }
}

// MARK: - Recognising the manager and subcommand

enum PackageCommandParser {
    static func lookupManager(_ name: String) -> PackageManager? {
        switch name {
        case "apt-get": return .aptGet
        case "apt": return .apt
        case "aptitude": return .aptitude
        case "apk": return .apk
        case "yum": return .yum
        case "dnf", "dnf5", "dnf-3": return .dnf
        case "microdnf": return .microdnf
        case "zypper": return .zypper
        case "pipx": return .pipx
        case "npm": return .npm
        case "yarn", "yarnpkg": return .yarn
        case "pnpm": return .pnpm
        case "gem": return .gem
        case "go": return .go
        case "cargo": return .cargo
        case "composer", "composer.phar": return .composer
        case "bundle", "bundler": return .bundler
        case "poetry": return .poetry
        case "pipenv": return .pipenv
        case "uv": return .uv
        case "mvn", "mvnw", "mvnd": return .maven
        case "gradle", "gradlew": return .gradle
        case "dotnet": return .dotnet
        default:
            if name == "pip" || (name.hasPrefix("pip") && name.dropFirst(3).allSatisfy { $0.isNumber || $0 == "." }) { return .pip }
            return nil
        }
    }

    static func isPython(_ name: String) -> Bool {
        name == "python" || (name.hasPrefix("python") && name.dropFirst(6).allSatisfy { $0.isNumber || $0 == "." })
    }

    /// Second-level subcommands: `go mod download`, `npm cache clean`, `uv pip install`, ...
    static let nested: [PackageManager: Set<String>] = [
        .go: ["mod", "work", "tool"],
        .npm: ["cache"],
        .yarn: ["cache", "global", "workspaces", "workspace"],
        .pnpm: ["store"],
        .pip: ["cache"],
        .uv: ["pip", "tool", "python", "cache"],
        .composer: ["global"],
        .dotnet: ["tool", "nuget", "add", "workload"],
        .poetry: ["cache", "self", "source", "env"],
        .apk: ["cache"],
        .dnf: ["module", "group"],
        .yum: ["module", "group"],
        .microdnf: ["module"],
        .bundler: ["config"],
    ]

    static func parse(_ inv: CommandInvocation) -> PackageCommand? {
        guard let name = inv.name else { return nil }
        var args = inv.arguments[...]
        var manager: PackageManager
        if isPython(name) {
            // python [-opts] -m pip ...
            var k = args.startIndex
            while k < args.endIndex, let v = args[k].staticValue, v.hasPrefix("-"), v != "-m" { k += 1 }
            guard k + 1 < args.endIndex, args[k].staticValue == "-m", let mod = args[k + 1].staticValue else { return nil }
            switch mod {
            case "pip": manager = .pip
            case "pipx": manager = .pipx
            case "poetry": manager = .poetry
            case "pipenv": manager = .pipenv
            case "uv": manager = .uv
            default: return nil
            }
            args = args[(k + 2)...]
        } else if let m = lookupManager(name) {
            manager = m
        } else {
            return nil
        }
        let g = manager.grammar
        let parsed = parseArguments(args, grammar: g)
        var positionals = parsed.positionals[...]
        var subcommand: [String] = []
        if manager == .maven || manager == .gradle {
            // Goals/tasks are the operands; the "subcommand" is the first goal.
            if let first = positionals.first?.staticValue { subcommand = [first] }
        } else if let first = positionals.first, let v = first.staticValue {
            subcommand = [v]
            positionals = positionals.dropFirst()
            if let nestedSet = nested[manager], nestedSet.contains(v), let second = positionals.first?.staticValue {
                subcommand.append(second)
                positionals = positionals.dropFirst()
            }
        }
        // `uv pip install` uses pip's grammar for the rest; already compatible.
        var cmd = PackageCommand(manager: manager, invocation: inv, subcommand: subcommand, action: .other,
                                 options: parsed.options, operands: Array(positionals))
        cmd.action = action(for: cmd)
        return cmd
    }

    static func action(for c: PackageCommand) -> PackageAction {
        // `yarn --version`, `npm -v`, `pip --help`: information only, whatever the default
        // subcommand of a bare invocation is.
        if c.subcommand.isEmpty, c.options.contains(where: { ["version", "v", "help", "h"].contains($0.name.trimmingLeadingDashes()) }) {
            return .other
        }
        let s = c.subcommand
        let first = s.first ?? ""
        let second = s.count > 1 ? s[1] : ""
        switch c.manager {
        case .aptGet, .apt, .aptitude:
            switch first {
            case "install", "reinstall", "build-dep", "satisfy": return .install
            case "update": return .update
            case "upgrade", "dist-upgrade", "full-upgrade", "safe-upgrade": return .upgrade
            case "remove", "purge", "autoremove", "autopurge": return .remove
            case "clean", "autoclean", "distclean", "dist-clean": return .clean
            case "download", "source": return .download
            default: return .other
            }
        case .apk:
            switch first {
            case "add": return .install
            case "update": return .update
            case "upgrade": return .upgrade
            case "del": return .remove
            case "cache": return second == "clean" || second == "purge" ? .clean : .other
            case "fetch": return .download
            default: return .other
            }
        case .yum, .dnf, .microdnf:
            if first == "module" || first == "group" {
                switch second {
                case "install", "enable": return second == "install" ? .install : .other
                case "remove": return .remove
                case "update", "upgrade": return .upgrade
                default: return .other
                }
            }
            switch first {
            case "install", "groupinstall", "localinstall", "reinstall", "in": return .install
            case "makecache", "check-update": return .update
            case "update", "upgrade", "distro-sync", "upgrade-minimal", "update-minimal", "distrosync": return .upgrade
            case "remove", "erase", "autoremove", "rm": return .remove
            case "clean": return .clean
            case "download": return .download
            default: return .other
            }
        case .zypper:
            switch first {
            case "install", "in", "source-install", "si": return .install
            case "refresh", "ref": return .update
            case "update", "up", "dist-upgrade", "dup", "patch": return .upgrade
            case "remove", "rm": return .remove
            case "clean", "cc": return .clean
            case "download": return .download
            default: return .other
            }
        case .pip:
            switch first {
            case "install": return .install
            case "uninstall": return .remove
            case "download": return .download
            case "wheel": return .build
            case "cache": return second == "purge" || second == "remove" ? .clean : .other
            default: return .other
            }
        case .pipx:
            switch first {
            case "install", "inject", "install-all": return .install
            case "upgrade", "upgrade-all": return .upgrade
            case "uninstall", "uninstall-all": return .remove
            case "run": return .run
            default: return .other
            }
        case .npm:
            switch first {
            case "install", "i", "ci", "add", "isntall", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "install-clean", "clean-install", "ic", "install-ci-test", "cit":
                return .install
            case "update", "up", "upgrade", "udpate": return .upgrade
            case "uninstall", "rm", "r", "un", "unlink", "remove": return .remove
            case "cache": return second == "clean" ? .clean : .other
            case "run", "run-script", "rum", "urn", "exec", "x", "start", "test", "t", "tst": return .run
            case "rebuild", "rb", "pack": return .build
            default: return .other
            }
        case .yarn:
            switch first {
            case "", "install", "add": return .install
            case "upgrade", "up", "upgrade-interactive": return .upgrade
            case "remove": return .remove
            case "cache": return second == "clean" ? .clean : .other
            case "global": return second == "add" ? .install : second == "remove" ? .remove : .other
            case "run", "start", "test", "exec", "dlx", "node": return .run
            case "build": return .build
            // `yarn workspaces focus`: Yarn 2+'s install of some workspaces.
            case "workspaces": return second == "focus" ? .install : .run
            default: return .run  // `yarn build` runs a package.json script
            }
        case .pnpm:
            switch first {
            case "install", "i", "add": return .install
            case "fetch": return .download
            case "update", "up", "upgrade": return .upgrade
            case "remove", "rm", "uninstall", "un": return .remove
            case "store": return second == "prune" ? .clean : .other
            case "run", "exec", "dlx", "start", "test", "t": return .run
            default: return .other
            }
        case .gem:
            switch first {
            case "install", "i": return .install
            case "update": return .upgrade
            case "uninstall": return .remove
            case "cleanup": return .clean
            case "fetch": return .download
            case "build": return .build
            default: return .other
            }
        case .go:
            switch first {
            case "install", "get": return .install
            case "mod": return second == "download" ? .download : .other
            case "build", "test", "vet", "generate": return .build
            case "run": return .run
            case "clean": return c.hasOption("cache", "modcache", "testcache", "fuzzcache") ? .clean : .other
            default: return .other
            }
        case .cargo:
            switch first {
            case "install": return .install
            case "fetch", "vendor": return .download
            case "build", "b", "test", "t", "check", "c", "doc", "d", "bench": return .build
            case "update": return .upgrade
            case "uninstall": return .remove
            case "clean": return .clean
            case "run", "r": return .run
            default: return .other
            }
        case .composer:
            switch first {
            case "install", "i", "require", "r", "create-project": return .install
            case "global": return second == "require" ? .install : second == "update" ? .upgrade : .other
            case "update", "u", "upgrade": return .upgrade
            case "remove", "rm": return .remove
            case "clear-cache", "clearcache", "cc": return .clean
            case "dump-autoload", "dumpautoload": return .build
            case "run-script", "run", "exec": return .run
            default: return .other
            }
        case .bundler:
            switch first {
            case "", "install", "add": return .install
            case "update": return .upgrade
            case "clean": return .clean
            case "remove": return .remove
            case "cache", "package", "pack": return .download
            case "exec": return .run
            default: return .other
            }
        case .poetry:
            switch first {
            case "install", "add", "sync": return .install
            case "update": return .upgrade
            case "remove": return .remove
            case "cache": return second == "clear" ? .clean : .other
            case "build": return .build
            case "run": return .run
            default: return .other
            }
        case .pipenv:
            switch first {
            case "install", "sync": return .install
            case "update", "upgrade": return .upgrade
            case "uninstall": return .remove
            case "run": return .run
            case "clean": return .remove
            default: return c.hasOption("clear") ? .clean : .other
            }
        case .uv:
            switch first {
            case "sync", "add": return .install
            case "pip":
                switch second {
                case "install", "sync": return .install
                case "uninstall": return .remove
                default: return .other
                }
            case "tool": return second == "install" ? .install : second == "upgrade" ? .upgrade : second == "run" ? .run : .other
            case "cache": return second == "clean" || second == "prune" ? .clean : .other
            case "remove": return .remove
            case "lock": return .other
            case "run": return .run
            case "build": return .build
            default: return .other
            }
        case .maven:
            let goals = c.operands.compactMap(\.staticValue)
            if goals.contains(where: { $0.hasPrefix("dependency:") || $0.hasPrefix("org.apache.maven.plugins:maven-dependency-plugin") }),
               !goals.contains(where: { ["package", "install", "verify", "compile", "test", "deploy"].contains($0) }) {
                return .download
            }
            if goals.contains(where: { ["package", "install", "verify", "compile", "test", "deploy", "test-compile"].contains($0) || $0.contains(":build") || $0.hasSuffix(":repackage") }) {
                return .build
            }
            if goals == ["clean"] { return .other }
            return goals.isEmpty ? .other : .run
        case .gradle:
            let tasks = c.operands.compactMap(\.staticValue)
            if tasks.contains(where: { ["dependencies", "resolveDependencies", "downloadDependencies", "androidDependencies"].contains($0) })
                || (tasks.isEmpty && c.hasOption("refresh-dependencies")) {
                return .download
            }
            if tasks.contains(where: { ["build", "assemble", "jar", "bootJar", "shadowJar", "installDist", "distTar", "distZip", "war", "test", "check", "compileJava", "bootWar", "nativeCompile"].contains($0) || $0.hasSuffix(":build") || $0.hasSuffix(":assemble") }) {
                return .build
            }
            return tasks.isEmpty ? .other : .run
        case .dotnet:
            switch first {
            case "restore": return .download
            case "build", "publish", "test", "pack", "msbuild": return .build
            case "tool": return second == "install" || second == "restore" ? .install : second == "update" ? .upgrade : second == "uninstall" ? .remove : .other
            case "add": return second == "package" ? .install : .other
            case "nuget": return second == "locals" && c.hasOption("clear", "c") ? .clean : .other
            case "workload": return second == "install" || second == "restore" ? .install : .other
            case "run": return .run
            default: return .other
            }
        }
    }
}

// MARK: - Pinning

/// Which targets a command names, and hadolint's per-manager pin definitions:
/// apt `pkg=ver` (paths and `.deb` OK; `-t` values skipped by the grammar);
/// apk `=`, `~`, `>`, `<` (`.apk` OK); pip `== >= <= > < != ~= ===`, VCS URL with `@`,
/// `.whl`/`.tar.gz`, any path with `/` (exempt with `-r`, `-c`, `.`);
/// npm/yarn/pnpm `@version` after the (scoped) name, git URLs need `#ref`, tarballs and
/// folders OK, bare install exempt; gem `name:version`, exempt with `-v/--version`;
/// yum/dnf/microdnf `name-<digit>...` (hadolint accepts any `-`; dockerlint requires a
/// dash followed by a digit or an expansion) or `.rpm`, module streams need `:`;
/// zypper `= >= > <= <` or `.rpm`; go `path@version` (local paths OK); cargo
/// `name@version` or `--version`/`--path`/`--rev`/`--tag`; composer `vendor/pkg:ver`;
/// pipx/uv/poetry/pipenv like pip (poetry also `@ver`).
enum PackagePinning {
    static func isExempt(_ c: PackageCommand) -> Bool {
        switch c.manager {
        case .pip:
            return c.hasOption("r", "requirement", "c", "constraint") || c.operands.contains { $0.staticValue == "." }
        case .uv:
            return c.hasOption("r", "requirement", "requirements", "c", "constraint", "constraints")
        case .gem: return c.hasOption("v", "version")
        case .cargo: return c.hasOption("version", "vers", "path", "rev", "tag")
        case .dotnet: return c.hasOption("version")
        case .bundler: return c.hasOption("version")
        default: return false
        }
    }

    static func targets(of c: PackageCommand) -> [PackageTarget] {
        let installLike = c.action == .install || c.action == .upgrade || (c.manager == .go && c.subcommand.first == "run")
        guard installLike else { return [] }
        var words = c.operands
        switch c.manager {
        case .maven, .gradle: return []
        case .go:
            // `go install`/`go get`/`go run`: packages are the operands (go run: only the first).
            if c.subcommand.first == "run" { words = Array(words.prefix(1)) }
        case .npm:
            if c.subcommand.first == "ci" || c.subcommand.first == "install-clean" || c.subcommand.first == "clean-install" { return [] }
        case .yarn:
            if c.subcommand.isEmpty || c.subcommand.first == "install" { return [] }
            if c.subcommand.first == "global" { words = c.operands }
        case .bundler, .poetry, .pipenv, .composer, .uv:
            let s = c.subcommand.first ?? ""
            if ["install", "sync", "", "i", "update", "u", "upgrade"].contains(s) && c.manager != .pipenv && c.manager != .composer {
                return []
            }
            if c.manager == .uv, s == "pip", c.subcommand.count > 1, c.subcommand[1] == "sync" { return [] }
        case .dotnet:
            if c.subcommand.first == "add" { words = Array(words.dropFirst(0)) }
        case .yum, .dnf, .microdnf:
            if c.subcommand.first == "module" || c.subcommand.first == "group" {
                // module streams are targets too; handled by `isPinned`
            }
        default: break
        }
        if c.manager == .dotnet, c.subcommand == ["add", "package"] {
            // `dotnet add [project] package NAME`: handled loosely: operands are names.
        }
        return words.map { target(for: $0, in: c) }
    }

    static func target(for w: Word, in c: PackageCommand) -> PackageTarget {
        let t = w.unquoted
        let lower = t.lowercased()
        var kind: PackageTarget.Kind = .package
        let archiveSuffixes = [".whl", ".tar.gz", ".tgz", ".tar", ".zip", ".deb", ".rpm", ".apk", ".gem", ".tar.bz2", ".tar.xz", ".nupkg"]
        let vcsPrefixes = ["git+", "hg+", "svn+", "bzr+", "git://", "github:", "gitlab:", "bitbucket:", "git@"]
        if vcsPrefixes.contains(where: { lower.hasPrefix($0) }) || (c.manager == .pip && (lower.hasPrefix("git") || lower.hasPrefix("svn")) && lower.contains("://")) {
            kind = .vcs
        } else if archiveSuffixes.contains(where: { lower.hasSuffix($0) }) {
            kind = .archive
        } else if lower.contains("://") {
            kind = .url
        } else if t == "." || t == ".." || t.hasPrefix("/") || t.hasPrefix("./") || t.hasPrefix("../") || t.hasPrefix("~/") {
            kind = .path
        }
        var name = t
        var version: String?
        func split(at seps: [String]) {
            var best: String.Index?
            for s in seps {
                if let r = t.firstRange(of: s), best == nil || r.lowerBound < best! { best = r.lowerBound }
            }
            if let b = best, b > t.startIndex {
                name = String(t[..<b])
                version = String(t[b...])
            }
        }
        var pinned = false
        switch c.manager {
        case .aptGet, .apt, .aptitude:
            split(at: ["="])
            pinned = version != nil || kind != .package || t.contains("/")
        case .apk:
            split(at: ["=", "~", ">", "<"])
            pinned = version != nil || kind == .archive || kind == .path
        case .pip, .pipx, .uv, .pipenv:
            split(at: ["===", "==", ">=", "<=", "!=", "~=", ">", "<", " @", "@"])
            let symbols = ["==", ">=", "<=", ">", "<", "!=", "~=", "==="]
            if symbols.contains(where: { t.contains($0) }) { pinned = true }
            else if kind == .vcs { pinned = t.contains("@") }
            else if lower.hasSuffix(".whl") || lower.hasSuffix(".tar.gz") { pinned = true }
            else if t.contains("/") { pinned = true }
            else if c.manager == .pipenv, t == "*" { pinned = false }
            if kind == .package, version == nil { version = nil }
        case .poetry:
            split(at: ["===", "==", ">=", "<=", "!=", "~=", ">", "<", "@"])
            pinned = version != nil || kind != .package
        case .npm, .yarn, .pnpm:
            if kind == .vcs {
                pinned = t.contains("#")
                if let h = t.firstIndex(of: "#") { name = String(t[..<h]); version = String(t[h...]) }
            } else if kind == .archive || kind == .path || lower.hasSuffix(".tar") {
                pinned = true
            } else {
                let scoped = t.hasPrefix("@")
                let searchStart = scoped ? (t.dropFirst().firstIndex(of: "@")) : t.firstIndex(of: "@")
                if let at = searchStart, at > t.startIndex {
                    name = String(t[..<at])
                    version = String(t[at...])
                    pinned = true
                }
                if kind == .url { pinned = true }
            }
        case .gem:
            split(at: [":"])
            pinned = version != nil || kind != .package
        case .yum, .dnf, .microdnf:
            if c.subcommand.first == "module" {
                split(at: [":"])
                pinned = version != nil
            } else {
                pinned = kind != .package || rpmHasVersion(t)
                if let r = rpmVersionStart(t) { name = String(t[..<r]); version = String(t[t.index(after: r)...]) }
            }
        case .zypper:
            split(at: [">=", "<=", "=", ">", "<"])
            pinned = version != nil || lower.hasSuffix(".rpm") || kind == .path
        case .go:
            split(at: ["@"])
            pinned = version != nil || kind == .path || t.hasPrefix(".") || (!t.contains(".") && !t.contains("/"))
        case .cargo:
            split(at: ["@"])
            pinned = version != nil || kind != .package
        case .composer:
            split(at: [":", "=", " "])
            pinned = version != nil || kind != .package
        case .bundler, .dotnet, .maven, .gradle:
            pinned = kind != .package
        }
        if t.hasPrefix("$") && !t.contains("=") && c.manager != .go {
            // a whole-word variable: we cannot know; treat as pinned only where the tool's
            // definition allows ARG/ENV values (yum/dnf per hadolint).
            if [.yum, .dnf, .microdnf].contains(c.manager) { pinned = true }
        }
        return PackageTarget(text: t, word: w, kind: kind, name: name, version: version, isPinned: pinned)
    }

    /// `name-1.2.3`, `name-${VER}`, `name-0:1.2-3.el9`: a dash followed by a digit or an expansion.
    static func rpmVersionStart(_ t: String) -> String.Index? {
        var i = t.startIndex
        while i < t.endIndex {
            if t[i] == "-" {
                let n = t.index(after: i)
                if n < t.endIndex, t[n].isNumber || t[n] == "$" { return i }
            }
            i = t.index(after: i)
        }
        return nil
    }

    static func rpmHasVersion(_ t: String) -> Bool { rpmVersionStart(t) != nil }
}

extension String {
    func trimmingLeadingDashes() -> String {
        var t = Substring(self)
        while t.first == "-" { t = t.dropFirst() }
        return String(t)
    }
}
