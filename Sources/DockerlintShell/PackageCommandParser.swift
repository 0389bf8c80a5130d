// Recognising the package manager and subcommand of a command line, its packages, and the
// context files it reads.

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

    static func isPHP(_ name: String) -> Bool {
        name == "php" || (name.hasPrefix("php") && name.count > 3 && name.dropFirst(3).allSatisfy { $0.isNumber || $0 == "." })
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
        } else if isPHP(name) {
            // `php [-d key=value] composer.phar install ...`: Composer run by the PHP binary.
            var k = args.startIndex
            while k < args.endIndex, let v = args[k].staticValue, v.hasPrefix("-") {
                if v == "-d" || v == "-c" { k += 2 } else if v == "-n" || v.hasPrefix("-d") || v.hasPrefix("-c") { k += 1 } else { return nil }
            }
            guard k < args.endIndex, let script = args[k].staticValue,
                  ["composer.phar", "composer"].contains(script.split(separator: "/").last.map(String.init) ?? "") else { return nil }
            manager = .composer
            args = args[(k + 1)...]
            var cmd = parse(manager, inv, args)
            cmd.script = script
            return cmd
        } else if let m = lookupManager(name) {
            manager = m
        } else {
            return nil
        }
        return parse(manager, inv, args)
    }

    static func parse(_ manager: PackageManager, _ inv: CommandInvocation, _ args: ArraySlice<Word>) -> PackageCommand {
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
