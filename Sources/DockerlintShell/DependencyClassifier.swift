// "This RUN installs dependencies from these manifest files": the classifier the cache
// rules use to suggest copying manifests before the rest of the source tree.

enum DependencyClassifier {
    static func join(_ dir: String?, _ file: String) -> String {
        guard let dir, !dir.isEmpty, dir != ".", !file.hasPrefix("/") else { return file }
        return dir.hasSuffix("/") ? dir + file : dir + "/" + file
    }

    static func classify(_ c: PackageCommand) -> DependencyInstall? {
        let sub = c.subcommand.first ?? ""
        let sub2 = c.subcommand.count > 1 ? c.subcommand[1] : ""
        func m(_ path: String, _ required: Bool = true, explicit: Bool = false) -> ManifestFile {
            ManifestFile(path: path, required: required, explicit: explicit, isGlob: path.contains("*"))
        }
        func result(_ source: DependencyInstall.Source, _ manifests: [ManifestFile], source needs: Bool = false,
                    locked: Bool = false) -> DependencyInstall {
            DependencyInstall(manager: c.manager, source: source, manifests: manifests, needsSourceTree: needs, usesLockfile: locked)
        }
        let targets = c.targets
        let localFiles = targets.filter { $0.kind == .archive || $0.kind == .path }
            .map { m($0.text, true, explicit: true) }

        switch c.manager {
        case .aptGet, .apt, .aptitude, .apk, .yum, .dnf, .microdnf, .zypper:
            guard c.action == .install else { return nil }
            if c.manager == .aptGet || c.manager == .apt, sub == "build-dep" { return result(.namedPackages, localFiles) }
            return result(localFiles.isEmpty ? .namedPackages : .manifest, localFiles)

        case .pip, .uv:
            let isPipInstall = (c.manager == .pip && sub == "install") || (c.manager == .uv && sub == "pip" && sub2 == "install")
            let isPipSync = c.manager == .uv && sub == "pip" && sub2 == "sync"
            if c.manager == .uv, sub == "sync" {
                let dir = c.optionValues("project", "directory").last
                return result(.manifest, [m(join(dir, "pyproject.toml")), m(join(dir, "uv.lock"), c.hasOption("locked", "frozen"))],
                              source: !c.hasOption("no-install-project") && !c.hasOption("only-deps"),
                              locked: c.hasOption("locked", "frozen"))
            }
            if isPipSync {
                return result(.manifest, c.operands.map { m($0.unquoted, true, explicit: true) }, locked: true)
            }
            guard isPipInstall || (c.manager == .uv && (sub == "add" || (sub == "tool" && sub2 == "install"))) else { return nil }
            var manifests: [ManifestFile] = []
            for v in c.optionValues("r", "requirement", "requirements", "c", "constraint", "constraints") { manifests.append(m(v, true, explicit: true)) }
            // PEP 735 dependency groups (`--group [path:]name`, pip 25.1+ and uv): read from
            // pyproject.toml, ./pyproject.toml unless a path is given.
            for v in c.optionValues("group", "only-group") {
                var file = "pyproject.toml"
                if let colon = v.lastIndex(of: ":") { file = String(v[..<colon]) }
                if !manifests.contains(where: { $0.path == file }) { manifests.append(m(file, true, explicit: true)) }
            }
            var needsSource = false
            let editable = c.optionValues("e", "editable")
            for path in editable + targets.filter({ $0.kind == .path }).map(\.text) {
                needsSource = true
                manifests.append(m(join(path, "pyproject.toml"), false))
                manifests.append(m(join(path, "setup.py"), false))
                manifests.append(m(join(path, "setup.cfg"), false))
            }
            manifests += targets.filter { $0.kind == .archive && !$0.text.contains("://") }.map { m($0.text, true, explicit: true) }
            if needsSource { return result(.localProject, manifests, source: true) }
            if !manifests.isEmpty { return result(.manifest, manifests, locked: c.hasOption("require-hashes")) }
            return result(.namedPackages, [])

        case .pipx:
            guard c.action == .install else { return nil }
            let paths = targets.filter { $0.kind == .path }
            if !paths.isEmpty { return result(.localProject, paths.map { m(join($0.text, "pyproject.toml"), false) }, source: true) }
            return result(.namedPackages, [])

        case .npm:
            let dir = c.optionValues("prefix", "C", "dir").last
            if sub == "ci" || sub == "clean-install" || sub == "install-clean" || sub == "ic" {
                return result(.manifest, [m(join(dir, "package.json")), m(join(dir, "package-lock.json")),
                                          m(join(dir, "npm-shrinkwrap.json"), false), m(join(dir, ".npmrc"), false)], locked: true)
            }
            guard c.action == .install else { return nil }
            if c.hasOption("g", "global") || c.optionValues("location").contains("global") {
                let paths = targets.filter { $0.kind == .path }
                if !paths.isEmpty { return result(.localProject, paths.map { m(join($0.text, "package.json")) }, source: true) }
                // `npm install -g` with no package installs the working directory's (npm takes it
                // as `npm install -g .`); `--prefix` is then the global prefix, not the project.
                if targets.isEmpty { return result(.localProject, [m("package.json")], source: true) }
                return result(.namedPackages, localFiles)
            }
            if targets.isEmpty {
                return result(.manifest, [m(join(dir, "package.json")), m(join(dir, "package-lock.json"), false),
                                          m(join(dir, "npm-shrinkwrap.json"), false), m(join(dir, ".npmrc"), false)])
            }
            return result(.namedPackages, [m(join(dir, "package.json"), false)] + localFiles)

        case .yarn:
            let dir = c.optionValues("cwd").last
            guard c.action == .install else { return nil }
            if sub == "global" { return result(.namedPackages, []) }
            if sub == "" || sub == "install" || (sub == "workspaces" && sub2 == "focus") {
                let locked = c.hasOption("frozen-lockfile", "immutable", "pure-lockfile")
                return result(.manifest, [m(join(dir, "package.json")), m(join(dir, "yarn.lock"), locked),
                                          m(join(dir, ".yarnrc.yml"), false), m(join(dir, ".yarnrc"), false),
                                          m(join(dir, ".npmrc"), false)], locked: locked)
            }
            return result(.namedPackages, [m(join(dir, "package.json"), false)])

        case .pnpm:
            let dir = c.optionValues("C", "dir").last
            if sub == "fetch" {
                return result(.manifest, [m(join(dir, "pnpm-lock.yaml")), m(join(dir, "pnpm-workspace.yaml"), false),
                                          m(join(dir, ".npmrc"), false)], locked: true)
            }
            guard c.action == .install else { return nil }
            if sub == "add" { return result(.namedPackages, [m(join(dir, "package.json"), false)]) }
            if !targets.isEmpty && sub != "install" && sub != "i" { return result(.namedPackages, []) }
            let locked = c.hasOption("frozen-lockfile")
            return result(.manifest, [m(join(dir, "package.json")), m(join(dir, "pnpm-lock.yaml"), locked),
                                      m(join(dir, "pnpm-workspace.yaml"), false), m(join(dir, ".npmrc"), false)],
                          locked: locked)

        case .gem:
            guard c.action == .install else { return nil }
            let files = c.optionValues("g", "file")
            if !files.isEmpty { return result(.manifest, files.map { m($0, true, explicit: true) }) }
            if c.hasOption("g", "file") { return result(.manifest, [m("Gemfile"), m("Gemfile.lock", false)]) }
            return result(.namedPackages, localFiles)

        case .bundler:
            guard sub == "" || sub == "install" || (sub == "cache" || sub == "package") else { return nil }
            let gemfile = c.optionValues("gemfile").last ?? "Gemfile"
            let lock = gemfile == "Gemfile" ? "Gemfile.lock" : gemfile + ".lock"
            let locked = c.hasOption("frozen", "deployment")
            return result(.manifest, [m(gemfile, true, explicit: gemfile != "Gemfile"), m(lock, locked)], locked: locked)

        case .go:
            let modfile = c.optionValues("modfile").last
            let base = [m(modfile ?? "go.mod"), m((modfile.map { String($0.dropLast(4)) + ".sum" }) ?? "go.sum", false),
                        m("go.work", false), m("go.work.sum", false)]
            if sub == "mod", sub2 == "download" { return result(.manifest, base, locked: true) }
            if sub == "build" || (sub == "install" && !targets.contains(where: { $0.version != nil })) || sub == "generate" || sub == "test" {
                return result(.localProject, base, source: true)
            }
            if sub == "install" || sub == "get" {
                return result(.namedPackages, sub == "get" ? [m("go.mod", false)] : [])
            }
            return nil

        case .cargo:
            let manifestPath = c.optionValues("manifest-path").last
            let dir = manifestPath.map { p -> String in
                var parts = p.split(separator: "/", omittingEmptySubsequences: false)
                parts.removeLast()
                return parts.joined(separator: "/")
            }
            let base = [m(manifestPath ?? "Cargo.toml"), m(join(dir, "Cargo.lock"), c.hasOption("locked", "frozen"))]
            let locked = c.hasOption("locked", "frozen")
            switch sub {
            case "fetch", "vendor": return result(.manifest, base, locked: locked)
            case "build", "b", "test", "t", "check", "c", "doc", "bench":
                return result(.localProject, base, source: true, locked: locked)
            case "install":
                if let path = c.optionValues("path").last {
                    return result(.localProject, [m(join(path, "Cargo.toml")), m(join(path, "Cargo.lock"), false)], source: true, locked: locked)
                }
                return result(.namedPackages, [], locked: locked)
            default: return nil
            }

        case .composer:
            let dir = c.optionValues("d", "working-dir").last
            switch sub {
            case "install", "i":
                return result(.manifest, [m(join(dir, "composer.json")), m(join(dir, "composer.lock"), false),
                                          m(join(dir, "auth.json"), false)], locked: true)
            case "update", "u", "upgrade":
                return result(.manifest, [m(join(dir, "composer.json")), m(join(dir, "auth.json"), false)])
            case "require", "r":
                return result(.namedPackages, [m(join(dir, "composer.json"), false)])
            case "global":
                return sub2 == "require" ? result(.namedPackages, []) : nil
            case "create-project": return result(.namedPackages, [])
            default: return nil
            }

        case .poetry:
            let dir = c.optionValues("C", "directory", "P", "project").last
            switch sub {
            case "install", "sync":
                return result(.manifest, [m(join(dir, "pyproject.toml")), m(join(dir, "poetry.lock"), false),
                                          m(join(dir, "poetry.toml"), false)],
                              source: !c.hasOption("no-root"),
                              locked: true)
            case "add": return result(.namedPackages, [m(join(dir, "pyproject.toml"))])
            case "update": return result(.manifest, [m(join(dir, "pyproject.toml"))])
            default: return nil
            }

        case .pipenv:
            guard sub == "install" || sub == "sync" else { return nil }
            let reqs = c.optionValues("r", "requirements")
            if !reqs.isEmpty { return result(.manifest, reqs.map { m($0, true, explicit: true) }) }
            if sub == "install", !targets.isEmpty { return result(.namedPackages, [m("Pipfile", false)]) }
            let locked = sub == "sync" || c.hasOption("deploy", "ignore-pipfile")
            return result(.manifest, [m("Pipfile"), m("Pipfile.lock", locked)], locked: locked)

        case .maven:
            let pom = c.optionValues("f", "file").last ?? "pom.xml"
            var files = [m(pom, true, explicit: pom != "pom.xml")]
            if let s = c.optionValues("s", "settings").last { files.append(m(s, true, explicit: true)) }
            files.append(m(".mvn/maven.config", false))
            if c.action == .download { return result(.manifest, files) }
            if c.action == .build { return result(.localProject, files, source: true) }
            return nil

        case .gradle:
            let dir = c.optionValues("p", "project-dir").last
            let files = ["build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "gradle.properties",
                         "gradle/libs.versions.toml", "gradle/wrapper/gradle-wrapper.properties"].map { m(join(dir, $0), false) }
            if c.action == .download { return result(.manifest, files) }
            if c.action == .build { return result(.localProject, files, source: true) }
            return nil

        case .dotnet:
            let explicit = c.operands.compactMap(\.staticValue).filter { $0.hasSuffix("proj") || $0.hasSuffix(".sln") || $0.hasSuffix(".slnx") }
            let extras = [m("NuGet.config", false), m("nuget.config", false), m("Directory.Packages.props", false),
                          m("Directory.Build.props", false), m("global.json", false)]
            let kinds = ["*.csproj", "*.fsproj", "*.vbproj", "*.sln", "*.slnx"]
            // Other operands name a project directory (`dotnet restore src/App/`).
            let directories = c.operands.compactMap(\.staticValue).filter { !explicit.contains($0) && !$0.hasPrefix("-") }
            var projects = explicit.isEmpty ? kinds.map { m($0, false) } : explicit.map { m($0, true, explicit: true) }
            for d in directories { projects += kinds.map { m(join(d, $0), false) } }
            if sub == "restore" {
                return result(.manifest, projects + extras, locked: c.hasOption("locked-mode"))
            }
            if c.action == .build {
                if c.hasOption("no-restore") { return nil }
                return result(.localProject, projects + extras, source: true)
            }
            if sub == "tool", c.action == .install {
                return sub2 == "restore" ? result(.manifest, [m(".config/dotnet-tools.json")]) : result(.namedPackages, [])
            }
            if sub == "add", sub2 == "package" { return result(.namedPackages, []) }
            return nil
        }
    }
}

extension ShellScript {
    /// Every package-manager command in the script (after unwrapping `sudo`, `env`, ...).
    public var packageCommands: [PackageCommand] {
        commands.compactMap(PackageCommand.parse)
    }

    /// Every dependency install in the script with the manifest files it reads.
    public var dependencyInstalls: [DependencyInstall] {
        packageCommands.compactMap(\.dependencyInstall)
    }
}
