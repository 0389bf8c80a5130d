// What a package-manager command reads and writes: for dependency installs, every project
// file the ecosystem reads beyond the manifest the command names (lifecycle scripts and the
// files they use, Yarn Berry's release and plugins, workspaces, patches, local path
// dependencies, `ruby file:` in a Gemfile, `replace => ./dir` in go.mod, ...), found in the
// project's own files. What cannot be known makes the install incomplete (a
// manifests-first split is then unsafe).

import DockerlintModel
import DockerlintShell
import Foundation

extension RunEffects {
    static func package(_ pc: PackageCommand, _ inv: CommandInvocation, _ st: inout Step, _ state: inout State, _ graph: StepGraph) {
        let home = state.values.values["HOME"] ?? "/root"
        if pc.manager.isSystemPackageManager {
            st.reads.env.names.formUnion(aptVariables)
            st.reads.env.names.formUnion(networkVariables)
            for t in systemTrees { st.reads.paths.insert(t); st.writes.paths.insert(t) }
            if pc.action == .install || pc.action == .update || pc.action == .upgrade { st.readsNetwork = true }
            // Local package files (`apt-get install ./x.deb`).
            var local: [String] = []
            for t in pc.targets where t.kind == .archive || t.kind == .path {
                guard let v = state.values.expand(t.word), let p = path(v, state) else { unknown(&st, "installs a local package whose path is not known"); continue }
                st.reads.paths.insert(p)
                local.append(p)
            }
            if let dep = pc.dependencyInstall, pc.action == .install {
                st.installs.append(InstallRead(command: pc, dependency: dep, workdir: state.cwd ?? "/", files: local, optional: [],
                                               complete: true, reasons: []))
            }
            return
        }
        // Language package managers run build backends, lifecycle scripts and compilers:
        // every one of them may read any environment variable. They read the manager itself,
        // its runtime, extensions and configuration (a PHP extension a platform check needs):
        // a step that installs or copies there is not crossed.
        st.reads.env = .everything
        st.readsNetwork = true
        for t in runtimeTrees { st.reads.paths.insert(t) }
        // `php composer.phar install`: PHP reads the script (relative to the working directory).
        if let script = pc.script {
            guard let p = path(script, state) else { unknown(&st, "runs `\(script)` from an unknown directory"); return }
            st.reads.paths.insert(p)
        }
        for w in writes(of: pc, cwd: state.cwd, home: home, inv: inv, env: state.values.values) { st.writes.paths.insert(w) }
        guard let dep = pc.dependencyInstall, pc.action == .install || pc.action == .download || dep.source != .namedPackages else {
            switch pc.action {
            case .clean, .remove, .update, .upgrade:
                if pc.manager == .composer, pc.action == .clean, pc.optionValues("d", "working-dir").isEmpty, let c = state.cwd {
                    // `composer clear-cache` reads the project's configuration (composer.json:
                    // `config.cache-dir`) and loads the installed plugins (vendor/), nothing else
                    // of the project: it empties the cache in COMPOSER_HOME.
                    st.reads.paths.insert(ImagePath.absolute("composer.json", workdir: c))
                    st.reads.paths.insert(ImagePath.absolute("vendor", workdir: c))
                    return
                }
                if let c = state.cwd { st.reads.paths.insert(c) }
                return
            default:
                if pc.manager == .go, ["build", "install", "test", "generate", "run", "vet"].contains(pc.subcommand.first ?? "") {
                    goVCS(pc, &st, state)
                }
                unknown(&st, "`\(pc.manager.rawValue) \(pc.subcommand.joined(separator: " "))` runs the project's build, whose reads are not known")
                return
            }
        }
        guard let cwd = state.cwd else {
            unknown(&st, "installs in an unknown directory")
            return
        }
        if dep.source == .namedPackages {
            // Packages from a registry; local files named are read.
            var local: [String] = []
            for m in dep.manifests {
                let p = ImagePath.absolute(m.path, workdir: cwd)
                st.reads.paths.insert(p)
                if m.required { local.append(p) }
            }
            if pc.manager == .go, pc.subcommand.first == "install" || pc.subcommand.first == "build" { goVCS(pc, &st, state) }
            st.installs.append(InstallRead(command: pc, dependency: dep, workdir: cwd, files: local, optional: [], complete: true, reasons: []))
            return
        }
        var reader = InstallReader(graph: graph, step: st.id, cwd: cwd, pc: pc, dep: dep, values: state.values)
        reader.run()
        if dep.needsSourceTree {
            reader.incomplete("`\(pc.invocation.displayText)` builds or installs the project itself, reading its source tree")
            st.reads.paths.insert(cwd)
        }
        if pc.manager == .go { goVCS(pc, &st, state) }
        // `composer install`: its first run of a split, with scripts and autoloader left to
        // the second one (`InstallRead.deferred`).
        var deferred: DeferredInstall? = nil
        if pc.manager == .composer, ["install", "i"].contains(pc.subcommand.first ?? "") {
            let flags = ["no-scripts", "no-autoloader"].filter { !pc.hasOption($0) }.map { "--" + $0 }
            if !flags.isEmpty {
                var first = InstallReader(graph: graph, step: st.id, cwd: cwd, pc: pc, dep: dep, values: state.values)
                first.deferring = true
                first.run()
                deferred = DeferredInstall(flags: flags, files: first.files, optional: first.optional, complete: first.complete, reasons: first.reasons)
                if state.deferring { reader = first }
            }
        }
        for f in reader.files { st.reads.paths.insert(f) }
        if !reader.complete {
            // Reads the project tree at least (scripts may read anything in it).
            st.reads.paths.insert(reader.projectRoot)
        }
        st.installs.append(InstallRead(command: pc, dependency: dep, workdir: cwd, files: reader.files, optional: reader.optional,
                                       complete: reader.complete, reasons: reader.reasons, deferred: deferred,
                                       projectRoot: reader.projectRoot))
    }

    /// Where programs, their libraries and configuration live (what a language package manager
    /// runs on), narrower than `systemTrees`: projects live under /usr/src or /var/www.
    static let runtimeTrees = ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/bin", "/sbin", "/usr/lib",
                               "/usr/local/lib", "/lib", "/lib64", "/etc", "/usr/local/etc", "/opt/conda", "/opt/venv"]

    /// `go build`/`go install` of the main module stamps VCS information (`vcs.revision`)
    /// from `.git` unless `-buildvcs=false` (or GOFLAGS says so).
    static func goVCS(_ pc: PackageCommand, _ st: inout Step, _ state: State) {
        let sub = pc.subcommand.first ?? ""
        guard sub == "build" || sub == "install" || sub == "run" || sub == "generate" else { return }
        if pc.optionValues("buildvcs").contains(where: { $0 == "false" }) { return }
        if let flags = state.values.values["GOFLAGS"], flags.contains("-buildvcs=false") { return }
        markVCS(&st, state.cwd, write: false)
    }

    /// Paths a package manager writes (its caches and install locations).
    static func writes(of pc: PackageCommand, cwd: String?, home: String, inv: CommandInvocation, env: [String: String] = [:]) -> [String] {
        var out: [String] = []
        func local(_ p: String) { if let c = cwd { out.append(ImagePath.absolute(p, workdir: c)) } else { out.append("/") } }
        switch pc.manager {
        case .npm where (pc.hasOption("g", "global") || pc.optionValues("location").contains("global"))
            && !pc.targets.isEmpty && !pc.targets.contains(where: { $0.kind == .path || $0.kind == .archive }):
            // Global mode, packages from a registry: it writes the global prefix, never the
            // project in the working directory (and reads no project config: npm skips it in
            // global mode): `--prefix`, else NPM_CONFIG_PREFIX, else the image's (/usr/local in
            // the node images, /usr where node is a system package). A local folder or archive
            // installed globally runs its scripts in place, and so does `npm install -g` with no
            // package (the working directory's): the case below.
            if let p = pc.optionValues("prefix").last ?? env["NPM_CONFIG_PREFIX"] ?? env["npm_config_prefix"] {
                // A prefix naming a variable or a command's output (`--prefix "$P"`): not known.
                guard !p.contains("$"), !p.contains("`"), let c = cwd ?? (p.hasPrefix("/") ? "/" : nil) else { out.append("/"); break }
                let prefix = ImagePath.absolute(p, workdir: c)
                out += [ImagePath.absolute("lib/node_modules", workdir: prefix), ImagePath.absolute("bin", workdir: prefix)]
            }
            out += ["/usr/local/lib/node_modules", "/usr/local/bin", "/usr/lib/node_modules", "/usr/bin", home + "/.npm", home + "/.cache", "/tmp"]
        case .npm, .yarn, .pnpm:
            local("node_modules"); local(".pnp.cjs"); local(".pnp.loader.mjs"); local(".yarn/cache"); local(".yarn/unplugged")
            local(".yarn/install-state.gz")
            out += [home + "/.npm", home + "/.cache", home + "/.yarn", home + "/.local/share/pnpm", "/usr/local/share/.cache",
                    "/usr/local/lib/node_modules", "/usr/local/bin", "/tmp"]
            if pc.action != .install { local(".") }
        case .pip, .uv, .pipx, .poetry, .pipenv:
            out += ["/usr/local/lib", "/usr/local/bin", "/usr/lib/python3", "/usr/local/include", home + "/.cache", home + "/.local", "/tmp"]
            local(".venv")
            if pc.manager == .pipenv || pc.manager == .poetry { out.append(home + "/.local/share/virtualenvs") }
            // A pip in a virtual environment (`/opt/venv/bin/pip`) installs there.
            if let p = inv.path, p.hasPrefix("/"), p.contains("/bin/") {
                out.append(String(p[..<p.range(of: "/bin/")!.lowerBound]))
            }
            for v in pc.optionValues("t", "target", "prefix", "root") { local(v) }
        case .gem, .bundler:
            out += ["/usr/local/bundle", "/usr/local/lib/ruby", "/usr/lib/ruby", "/var/lib/gems", home + "/.gem", home + "/.bundle", "/usr/local/bin"]
            local(".bundle"); local("vendor/bundle")
        case .go:
            out += ["/go/pkg", "/go/bin", home + "/go", home + "/.cache/go-build"]
            if pc.action != .download { local(".") }
        case .cargo:
            out += ["/usr/local/cargo", home + "/.cargo"]
            local("target")
        case .composer:
            // vendor/ of the project (`--working-dir`), the cache in COMPOSER_HOME.
            if let dir = pc.optionValues("d", "working-dir").last { local(ImagePath.contextJoin(dir, "vendor")) } else { local("vendor") }
            out += [home + "/.composer", home + "/.cache/composer", "/tmp"]
        case .maven:
            out += [home + "/.m2"]
            local("target")
        case .gradle:
            out += [home + "/.gradle"]
            local("build"); local(".gradle")
        case .dotnet:
            out += [home + "/.nuget", home + "/.dotnet"]
            local("obj"); local("bin")
        default:
            out.append("/")
        }
        return out
    }
}

/// Reads one dependency install's project files.
struct InstallReader {
    let graph: StepGraph
    let step: StepID
    let cwd: String
    let pc: PackageCommand
    let dep: DependencyInstall
    let values: ShellValues

    var files: [String] = []
    var optional: Set<String> = []
    var complete = true
    var reasons: [String] = []
    /// Composer: read for the first run of a split (`InstallRead.deferred`).
    var deferring = false
    /// The image directory of the project the install works in.
    var projectRoot: String

    init(graph: StepGraph, step: StepID, cwd: String, pc: PackageCommand, dep: DependencyInstall, values: ShellValues) {
        self.graph = graph
        self.step = step
        self.cwd = cwd
        self.pc = pc
        self.dep = dep
        self.values = values
        self.projectRoot = cwd
    }

    var project: ProjectFiles? { graph.context?.files }

    mutating func incomplete(_ why: String) {
        complete = false
        if !reasons.contains(why) { reasons.append(why) }
    }

    mutating func note(_ why: String) { if !reasons.contains(why) { reasons.append(why) } }

    /// Adds an image path read (a file or tree).
    mutating func add(_ imagePath: String, optional opt: Bool = false) {
        if !files.contains(imagePath) { files.append(imagePath) }
        if opt { optional.insert(imagePath) } else { optional.remove(imagePath) }
    }

    /// Adds a path relative to the project directory.
    mutating func addRelative(_ rel: String, optional opt: Bool = false) {
        add(ImagePath.absolute(rel, workdir: projectRoot), optional: opt)
    }

    /// The context path of an image path read by this install.
    func contextPath(_ imagePath: String) -> String? {
        graph.contextPath(ofImagePath: imagePath, stage: step.stage, before: step.index)
    }

    /// The project file at a path relative to the project directory, from the context.
    func projectText(_ rel: String) -> String? {
        guard let project, let cp = contextPath(ImagePath.absolute(rel, workdir: projectRoot)) else { return nil }
        return project.text(cp)
    }

    func projectJSON<T: Decodable>(_ type: T.Type, _ rel: String) -> T? {
        guard let project, let cp = contextPath(ImagePath.absolute(rel, workdir: projectRoot)) else { return nil }
        return project.decodeJSON(type, cp)
    }

    func projectExists(_ rel: String) -> Bool? {
        guard let project, let cp = contextPath(ImagePath.absolute(rel, workdir: projectRoot)) else { return nil }
        return graph.context.map { $0.sends(cp) } ?? project.exists(cp)
    }

    /// The names in a project directory (for workspace globs).
    func projectList(_ rel: String) -> [String]? {
        guard let project else { return nil }
        let abs = ImagePath.absolute(rel, workdir: projectRoot)
        let cp = graph.contextDirectory(ofImageDirectory: abs, stage: step.stage) ?? contextPath(abs)
        guard let cp else { return nil }
        return project.list(cp)?.filter { n in !(graph.context?.isExcluded(ImagePath.contextJoin(cp, n)) ?? false) }
    }

    mutating func run() {
        // The directory the command works in (`--cwd`, `-C`, `--prefix`, `--working-dir`).
        if let dir = pc.optionValues("cwd", "C", "dir", "prefix", "working-dir", "d", "directory", "project").last,
           [.npm, .yarn, .pnpm, .composer, .poetry, .uv].contains(pc.manager) {
            projectRoot = ImagePath.absolute(dir, workdir: cwd)
        }
        for m in dep.manifests {
            let p = ImagePath.absolute(m.path, workdir: cwd)
            if m.isGlob {
                // `*.csproj`: the matching files.
                let dir = ImagePath.dirname(p)
                if let names = projectList(ImagePath.relative(dir, to: projectRoot) ?? dir) {
                    for n in names where ImagePath.globMatch(ImagePath.basename(p), n) { add(dir + "/" + n) }
                } else {
                    add(dir)
                    incomplete("`\(m.path)` names files the analysis cannot list")
                    // The files earlier COPY steps of the stage put there by name.
                    if step.stage < graph.stages.count {
                        for earlier in graph.stages[step.stage].prefix(step.index) {
                            for c in earlier.copied where !c.isTree && ImagePath.dirname(c.imagePath) == dir
                                && ImagePath.globMatch(ImagePath.basename(p), ImagePath.basename(c.imagePath)) {
                                add(c.imagePath)
                            }
                        }
                    }
                }
                continue
            }
            add(p, optional: !m.required)
        }
        switch pc.manager {
        case .npm, .yarn, .pnpm: javaScript()
        case .pip, .uv: python()
        case .poetry: poetry()
        case .pipenv: pipenv()
        case .bundler, .gem: bundler()
        case .go: go()
        case .cargo: cargo()
        case .composer: composer()
        case .maven: maven()
        case .gradle: gradle()
        case .dotnet: dotnet()
        default: break
        }
    }
}
