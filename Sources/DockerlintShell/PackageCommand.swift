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
    /// The script an interpreter runs as the manager (`php composer.phar install`: composer.phar).
    public var script: String? = nil

    /// Parses a command invocation (unwrapping wrappers) if it runs a known package manager.
    /// Recognises `python[3[.x]] -m pip`, `php composer.phar`, `./gradlew`, `mvnw`, `pip3.12`, `bundler`.
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
    public var unpinnedTargets: [PackageTarget] { unpinned(among: targets) }

    /// `unpinnedTargets` when this command's `targets` are at hand (they are worked out
    /// from the operands on every call of `targets`).
    public func unpinned(among targets: [PackageTarget]) -> [PackageTarget] {
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
