// Each package manager's option grammar: which options take a value, so option values are
// never mistaken for packages, and the argument parser that applies it.

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
    /// The tool's grammar. Each one is built on first use (`static let`), so a run builds only
    /// the grammars of the tools its files use, and each once per process.
    var grammar: OptionGrammar {
        switch self {
        case .aptGet, .apt, .aptitude: return Self.grammarAptGet
        case .apk: return Self.grammarApk
        case .yum, .dnf, .microdnf: return Self.grammarYum
        case .zypper: return Self.grammarZypper
        case .pip, .uv: return Self.grammarPip
        case .pipx: return Self.grammarPipx
        case .npm: return Self.grammarNpm
        case .yarn: return Self.grammarYarn
        case .pnpm: return Self.grammarPnpm
        case .gem: return Self.grammarGem
        case .go: return Self.grammarGo
        case .cargo: return Self.grammarCargo
        case .composer: return Self.grammarComposer
        case .bundler: return Self.grammarBundler
        case .poetry: return Self.grammarPoetry
        case .pipenv: return Self.grammarPipenv
        case .maven: return Self.grammarMaven
        case .gradle: return Self.grammarGradle
        case .dotnet: return Self.grammarDotnet
        }
    }

    private static let grammarAptGet = OptionGrammar(shortValue: ["t", "o", "c", "a"],
                                                     longValue: ["target-release", "default-release", "option", "config-file", "host-architecture", "arch-only"])
    private static let grammarApk = OptionGrammar(shortValue: ["t", "X", "p"],
                                                  longValue: ["virtual", "repository", "root", "arch", "cache-dir", "keys-dir", "repositories-file",
                                                              "timeout", "progress-fd", "wait", "cache-max-age", "from"])
    private static let grammarYum = OptionGrammar(shortValue: ["c", "x", "d", "e", "R"],
                                                  longValue: ["config", "enablerepo", "disablerepo", "repo", "repoid", "installroot", "releasever",
                                                              "exclude", "excludepkgs", "setopt", "debuglevel", "errorlevel", "forcearch", "downloaddir",
                                                              "destdir", "color", "rpmverbosity", "advisory", "advisories", "bz", "cve", "sec-severity",
                                                              "secseverity", "comment", "module-platform-id", "repofrompath", "platform-id", "use-host-config"])
    private static let grammarZypper = OptionGrammar(shortValue: ["R", "c", "D", "C", "t", "r"],
                                                     longValue: ["root", "config", "reposd-dir", "cache-dir", "raw-cache-dir", "solv-cache-dir",
                                                                 "pkg-cache-dir", "type", "repo", "from", "releasever", "installroot", "download"])
    private static let grammarPip = OptionGrammar(shortValue: ["r", "c", "e", "i", "f", "t", "b", "C", "p", "w", "d"],
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
    private static let grammarPipx = OptionGrammar(shortValue: [], longValue: ["python", "pip-args", "index-url", "suffix", "spec"])
    private static let grammarNpm = OptionGrammar(shortValue: ["C", "w"],
                                                  longValue: ["prefix", "registry", "cache", "tag", "loglevel", "userconfig", "globalconfig",
                                                              "workspace", "omit", "include", "install-strategy", "before", "otp", "scope",
                                                              "location", "fetch-retries", "fetch-timeout", "maxsockets", "only", "also", "dir"])
    private static let grammarYarn = OptionGrammar(shortValue: [],
                                                   longValue: ["cwd", "modules-folder", "cache-folder", "network-timeout", "mutex", "registry",
                                                               "global-folder", "link-folder", "prefix", "network-concurrency", "use-yarnrc", "mode"])
    private static let grammarPnpm = OptionGrammar(shortValue: ["C", "F"],
                                                   longValue: ["dir", "filter", "store-dir", "registry", "reporter", "network-concurrency",
                                                               "virtual-store-dir", "modules-dir", "lockfile-dir", "loglevel", "workspace-concurrency",
                                                               "config.node-linker", "node-linker"])
    private static let grammarGem = OptionGrammar(shortValue: ["v", "i", "n", "s", "P", "g"],
                                                  longValue: ["version", "install-dir", "bindir", "source", "platform", "trust-policy",
                                                              "build-root", "file", "document", "env-shebang-path", "target-rbconfig"])
    private static let grammarGo = OptionGrammar(longValue: ["o", "tags", "ldflags", "gcflags", "asmflags", "mod", "modfile", "p", "pkgdir",
                                                             "buildmode", "compiler", "overlay", "pgo", "C", "exec", "toolexec",
                                                             "installsuffix", "buildvcs", "covermode", "coverpkg", "run", "timeout", "count",
                                                             "bench", "cpu", "parallel", "json", "fmt"],
                                                 singleDashLong: true, stopAtFirstPositional: false)
    private static let grammarCargo = OptionGrammar(shortValue: ["F", "p", "j", "Z", "C"],
                                                    longValue: ["target", "features", "package", "manifest-path", "target-dir", "jobs", "profile",
                                                                "root", "version", "vers", "git", "branch", "tag", "rev", "path", "bin", "example",
                                                                "registry", "index", "config", "color", "message-format", "exclude", "lockfile-path"])
    private static let grammarComposer = OptionGrammar(shortValue: ["d"],
                                                       longValue: ["working-dir", "ignore-platform-req", "apcu-autoloader-prefix", "file"])
    private static let grammarBundler = OptionGrammar(shortValue: ["j"],
                                                      longValue: ["gemfile", "path", "jobs", "retry", "without", "with", "binstubs", "shebang",
                                                                  "standalone", "trust-policy", "target-rbconfig", "version", "group", "source"])
    private static let grammarPoetry = OptionGrammar(shortValue: ["E", "C", "P", "G"],
                                                     longValue: ["with", "without", "only", "extras", "directory", "project", "group", "source",
                                                                 "python", "platform", "output", "format", "f", "o"])
    private static let grammarPipenv = OptionGrammar(shortValue: ["r"],
                                                     longValue: ["python", "pypi-mirror", "categories", "requirements", "extra-pip-args"])
    private static let grammarMaven = OptionGrammar(longValue: ["f", "s", "gs", "P", "pl", "T", "rf", "l", "t", "b", "D", "file", "settings",
                                                                "global-settings", "activate-profiles", "projects", "threads", "resume-from",
                                                                "log-file", "toolchains", "builder", "define"],
                                                    singleDashLong: true, attachedPrefixes: ["D", "P"])
    private static let grammarGradle = OptionGrammar(longValue: ["x", "p", "b", "c", "g", "I", "init-script", "project-dir", "build-file",
                                                                 "settings-file", "gradle-user-home", "exclude-task", "max-workers", "console",
                                                                 "warning-mode", "project-cache-dir", "include-build", "dependency-verification", "M"],
                                                     singleDashLong: true, attachedPrefixes: ["D", "P"])
    private static let grammarDotnet = OptionGrammar(shortValue: ["c", "o", "r", "f", "s", "v", "a", "p"],
                                                     longValue: ["configuration", "output", "runtime", "framework", "source", "configfile", "packages",
                                                                 "verbosity", "version", "arch", "os", "property", "tool-path", "add-source",
                                                                 "lock-file-path", "launch-profile", "project", "settings", "logger", "filter",
                                                                 "results-directory", "artifacts-path", "ucr"],
                                                     attachedPrefixes: ["p:", "property:", "m:", "maxcpucount:", "t:", "bl:"])
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
