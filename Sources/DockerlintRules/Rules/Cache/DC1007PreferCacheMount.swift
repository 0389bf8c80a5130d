import DockerlintAnalysis
import DockerlintCache
import DockerlintCore
import DockerlintModel
import DockerlintShell
import DockerlintSupport
import DockerlintSyntax

/// Package-manager caches deleted in the layer could be kept in a cache mount instead: same
/// image size, and a changed install downloads only what is new. Decided by the target
/// engine: BuildKit (the default builder of current Docker, whose built-in frontend accepts
/// `RUN --mount` without a `# syntax` line); the classic builder has no cache mounts.
///
/// Each recipe is the one its package manager really uses:
/// - pip and uv keep their cache in `$HOME/.cache/pip`, `$HOME/.cache/uv` (or
///   `PIP_CACHE_DIR`, `UV_CACHE_DIR`); `--no-cache-dir`/`--no-cache` must go, or the mount
///   stays empty (also where the mount is there already);
/// - apk keeps downloaded packages only when `/etc/apk/cache` exists (`/var/cache/apk`
///   holds indexes only), and never with `--no-cache`;
/// - apt keeps lists in `/var/lib/apt` and packages in `/var/cache/apt`, which
///   `apt-get clean`, `rm -rf /var/lib/apt/lists/*` and Debian's `docker-clean` hook empty,
///   and `apt` (not `apt-get`) deletes downloaded packages unless told to keep them.
/// A step that runs as another USER keeps its cache in that user's home and needs a mount it
/// can write: only where the home and the uid are known is a recipe given. No advice where
/// nothing is downloaded (`pip install --no-index`, local wheels from a mount, pip itself) or
/// where a comment next to the option says it is deliberate. Whether the step re-runs often
/// enough for the downloads to matter is decided by the simulator (`CacheEvidence`).
final class PreferCacheMountRule: LintRule {
    static let code = "DC1007"
    init() {}

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard i.syntax.kind == .run, context.configuration.builder == .buildkit, let rs = RunScript.ofRun(i, context) else { return }
        let firstLine = i.syntax.startLine, lastLine = i.syntax.range.end.line
        // A comment on the line above the RUN or inside it: the option may be deliberate.
        let comments = context.dockerfile.comments.filter { c in
            let l = c.range.start.line
            return l == firstLine - 1 || (l >= firstLine && l <= lastLine)
        }
        // A build's dependency cache: no option is dropped, so only a comment that speaks of
        // caches may explain why there is no mount (`# Run the build itself` does not).
        if !comments.contains(where: { c in
            let t = c.text.lowercased()
            return t.containsPlainASCII("cache") ?? t.contains("cache")
        }) {
            PreferCacheMountRule.buildCaches(i, rs, context, &sink)
        }
        if !comments.isEmpty { return }
        // Who runs the step: root, or a user whose home and uid are known (else no recipe).
        let runAs = PreferCacheMountRule.runUser(i, context)
        func env(_ name: String) -> String? {
            guard let v = i.scope.variable(named: name)?.value, !v.isEmpty, !v.contains("$") else { return nil }
            return v
        }
        func mount(_ target: String, locked: Bool = false) -> String {
            var m = "--mount=type=cache,target=\(target)"
            if locked { m += ",sharing=locked" }
            if case .user(_, _, let uid)? = runAs { m += ",uid=\(uid)" }
            return m
        }
        var homeDir: String? {
            switch runAs {
            case nil: return "/root"
            case .user(_, let home, _)?: return home
            case .unknown?: return nil
            }
        }

        for pc in rs.packageCommands {
            switch pc.manager {
            case .pip, .uv:
                let uv = pc.manager == .uv
                guard pc.disablesCache || (!uv && pc.hasOption("no-cache")),
                      let o = pc.options.first(where: { ["no-cache-dir", "no-cache", "n"].contains($0.name) }) else { continue }
                if PreferCacheMountRule.installsOnlyLocalFiles(pc, mounts: i.resolved?.mounts ?? []) { continue }
                if !uv, PreferCacheMountRule.installsOnlyPackagingTools(pc) { continue }
                let cacheVar = uv ? "UV_CACHE_DIR" : "PIP_CACHE_DIR"
                guard let target = env(cacheVar) ?? homeDir.map({ ($0 == "/" ? "" : $0) + (uv ? "/.cache/uv" : "/.cache/pip") }) else { continue }
                let tool = uv ? "uv" : "pip"
                let flag = o.name.count == 1 ? "-\(o.name)" : "--\(o.name)"
                if rs.hasCacheOrTmpfsMount(at: target) {
                    // The mount is there, and the option keeps it empty.
                    sink.report(rs.range(o.range), "`\(flag)` keeps the \(tool) cache mount at \(target) empty, so each time this RUN "
                        + "re-runs it downloads every package again: drop `\(flag)`"
                        + (uv && env("UV_LINK_MODE") == nil ? " and set `ENV UV_LINK_MODE=copy` (the cache is on another filesystem)" : ""),
                        relatedLines: [i.syntax.startLine])
                    continue
                }
                var advice = "drop `\(flag)` and add `RUN \(mount(target))`"
                if uv && env("UV_LINK_MODE") == nil { advice += " with `ENV UV_LINK_MODE=copy` (the cache is on another filesystem)" }
                sink.report(rs.range(o.range), "`\(flag)` throws the \(tool) cache away, so each time this RUN re-runs "
                    + "it downloads every package again; with BuildKit a cache mount keeps the downloads between builds outside "
                    + "the image: \(advice)\(PreferCacheMountRule.userNote(runAs, target))", relatedLines: [i.syntax.startLine])
            case .apk:
                // apk keeps packages only in /etc/apk/cache; `--no-cache` uses no cache at all.
                guard let o = pc.options.first(where: { $0.name == "no-cache" }), pc.isInstall, runAs == nil else { continue }
                if rs.hasCacheOrTmpfsMount(at: "/etc/apk/cache") {
                    sink.report(rs.range(o.range), "`--no-cache` keeps the apk cache mount at /etc/apk/cache unused, so each time this RUN "
                        + "re-runs it downloads every package again: drop `--no-cache` (add `-U` to refresh the indexes)",
                        relatedLines: [i.syntax.startLine], subject: [Self.systemPackages])
                    continue
                }
                sink.report(rs.range(o.range), "`--no-cache` makes apk download every package again each time this RUN re-runs; "
                    + "with BuildKit a cache mount keeps the downloads between builds outside the image: add "
                    + "`RUN \(mount("/etc/apk/cache", locked: true))` and replace `--no-cache` with `-U` (apk keeps downloaded "
                    + "packages only where /etc/apk/cache exists, not in /var/cache/apk; `-U` refreshes the indexes it keeps there)",
                    relatedLines: [i.syntax.startLine], subject: [Self.systemPackages])
            default: break
            }
        }

        // apt: the lists and archives, emptied by the cleanup of the same RUN. Root only (apt
        // installs need root).
        let aptInstalls = rs.packageCommands.filter { ($0.manager == .apt || $0.manager == .aptGet) && $0.isInstall }
        if !aptInstalls.isEmpty, runAs == nil {
            var cleanups: [String] = []
            var anchor: SourceRange? = nil
            for cmd in rs.commands(named: "rm") {
                for w in cmd.arguments {
                    guard let v = w.staticValue else { continue }
                    if v.hasPrefix("/var/lib/apt/lists") || v.hasPrefix("/var/cache/apt") {
                        cleanups.append("`rm -rf \(v)`")
                        if anchor == nil { anchor = rs.range(of: w) }
                    }
                }
            }
            for pc in rs.packageCommands where (pc.manager == .apt || pc.manager == .aptGet) && pc.subcommand.first == "clean" {
                cleanups.append("`\(pc.manager == .apt ? "apt" : "apt-get") clean`")
                if anchor == nil { anchor = rs.range(of: pc.invocation) }
            }
            let mounted = rs.hasCacheOrTmpfsMount(at: "/var/cache/apt") && rs.hasCacheOrTmpfsMount(at: "/var/lib/apt")
            // Only where the RUN deletes the caches today (else the image keeps them and the
            // advice is a different one: DL3009), and the mounts are not there yet.
            if let anchor, !mounted {
                let mounts = "--mount=type=cache,target=/var/cache/apt,sharing=locked --mount=type=cache,target=/var/lib/apt,sharing=locked"
                var keep = "start the RUN with `rm -f /etc/apt/apt.conf.d/docker-clean`"
                if aptInstalls.contains(where: { $0.manager == .apt }) {
                    keep += " and tell `apt` to keep them (`echo 'Binary::apt::APT::Keep-Downloaded-Packages \"true\";' > "
                        + "/etc/apt/apt.conf.d/keep-cache`; `apt-get` keeps them by default)"
                }
                sink.report(anchor, "the apt package lists and downloads are thrown away in the layer (\(cleanups.joined(separator: ", "))), "
                    + "so each time this RUN re-runs it downloads everything again; with BuildKit, cache mounts keep them between "
                    + "builds outside the image: add `RUN \(mounts)`, remove \(cleanups.joined(separator: " and ")) (they would empty "
                    + "the mounts), and keep downloaded packages: Debian and Ubuntu images delete them after each install "
                    + "(/etc/apt/apt.conf.d/docker-clean), so \(keep)",
                    relatedLines: [i.syntax.startLine], subject: [Self.systemPackages])
            }
        }

        // rm -rf of other well-known caches of root, after an install that fills them.
        guard runAs == nil else { return }
        let caches: [(path: String, what: String, manager: [PackageManager], target: String)] = [
            ("/root/.cache/pip", "the pip cache", [.pip], "/root/.cache/pip"),
            ("/root/.npm", "the npm cache", [.npm], "/root/.npm"),
            ("/root/.npm/_cacache", "the npm cache", [.npm], "/root/.npm"),
            ("/usr/local/share/.cache/yarn", "the yarn cache", [.yarn], "/usr/local/share/.cache/yarn"),
            ("/var/cache/apk", "the apk index cache", [.apk], "/etc/apk/cache"),
        ]
        for cmd in rs.commands(named: "rm") {
            for w in cmd.arguments {
                guard let v = w.staticValue else { continue }
                let p = v.hasSuffix("/*") ? String(v.dropLast(2)) : (v.hasSuffix("/") ? String(v.dropLast()) : v)
                guard let hit = caches.first(where: { $0.path == p }) else { continue }
                // Only where the RUN installs with that manager: a lone `rm` downloads nothing.
                guard rs.packageCommands.contains(where: { hit.manager.contains($0.manager) && $0.isInstall }) else { break }
                if rs.hasCacheOrTmpfsMount(at: hit.target) { break }
                let advice: String
                if hit.manager == [.apk] {
                    if rs.packageCommands.contains(where: { $0.manager == .apk && $0.hasOption("no-cache") }) { break }  // reported above
                    advice = "add `RUN \(mount("/etc/apk/cache", locked: true))` (apk keeps downloaded packages only where /etc/apk/cache "
                        + "exists; /var/cache/apk holds only the indexes, and then stays empty) and remove `rm -rf \(v)`"
                } else {
                    advice = "add `RUN \(mount(hit.target, locked: hit.manager == [.yarn]))` and remove `rm -rf \(v)` (it would empty the mount)"
                }
                sink.report(rs.range(of: w), "\(hit.what) (`\(v)`) is thrown away in the layer, so each time this RUN re-runs it downloads "
                    + "everything again; with BuildKit a cache mount keeps it between builds outside the image: \(advice)",
                    relatedLines: [i.syntax.startLine], subject: hit.manager == [.apk] ? [Self.systemPackages] : [])
                break
            }
        }
    }

    /// The subject of advice about a build's dependency cache: `[buildCacheSubject, ecosystem]`
    /// (the evidence prices each counted re-run at the build's download share).
    static let buildCacheSubject = "build-cache"

    /// `mvn package`, `gradle build`, `cargo build` in a builder stage: every re-run downloads
    /// the dependencies again; a cache mount on the folder the build keeps them in saves that,
    /// where the folder is certain (`Moves.dependencyCache`) and nothing later reads it: no
    /// later step of the stage, no later stage copying or mounting it out, and the stage is
    /// not the one shipped (whose image would then lack the folder).
    static func buildCaches(_ i: ModelInstruction, _ rs: RunScript, _ context: LintContext, _ sink: inout FindingSink) {
        // Only a builder stage (below) is advised: in any other, the step graph is not needed.
        guard let builder = context.stepStage(i), case .success(let shipped) = context.model.targetStage(), builder != shipped,
              context.model.stages.dropFirst(builder + 1).contains(where: { $0.dependencies.contains { $0.stage == builder } }) else { return }
        let graph = context.stepGraph
        guard let id = graph.id(of: i) else { return }
        let step = graph.step(id)
        let managers: [PackageManager: DownloadEcosystem] = [.maven: .maven, .gradle: .gradle, .cargo: .cargo]
        // The build: a command of the RUN, or one of a context script the RUN runs (then the
        // scripts must run nothing the analysis cannot tell, and must not name the folder:
        // a script that copies from it into the image would lose those files under a mount).
        let values = ShellValues(i)
        var command: PackageCommand
        var workdir: String
        var builds: [(command: PackageCommand, argumentsKnown: Bool)]
        var where_ = ""
        var scriptTexts: [String] = []
        if let ins = step.installs.first(where: { managers[$0.command.manager] != nil && $0.dependency.source == .localProject }) {
            guard !ins.command.hasOption("o", "offline", "frozen") else { return }
            command = ins.command
            workdir = ins.workdir
            builds = step.installs.map { ins in
                (ins.command, ins.command.invocation.arguments.allSatisfy { $0.isStatic || values.expand($0) != nil })
            }
        } else if case .known(let commands, let files)? = graph.scriptRun(id),
                  let found = graph.scriptInstalls(id).first(where: { managers[$0.install.command.manager] != nil && $0.install.dependency.source == .localProject }) {
            guard !found.install.command.hasOption("o", "offline", "frozen") else { return }
            command = found.install.command
            workdir = found.install.workdir
            builds = commands.compactMap { c in c.package.map { ($0, c.argumentsKnown) } }
            let at = found.command
            where_ = " (\(at.location)" + (at.via.isEmpty ? "" : ", run through \(at.via.joined(separator: " → "))") + ")"
            scriptTexts = files.compactMap { graph.context?.files.text($0) }
            // Run as another user (its home holds the folder), or with the folder moved by the
            // environment the scripts set: the folder is not the one the Dockerfile tells.
            if at.invocation.wrappers.contains(where: { ["sudo", "gosu", "su-exec", "su", "runuser", "setpriv", "chroot"].contains($0) }) { return }
            let settings = ["maven.repo.local", "MAVEN_OPTS", "MAVEN_CONFIG", "MAVEN_ARGS", "GRADLE_USER_HOME", "gradle.user.home",
                            "GRADLE_OPTS", "CARGO_HOME"]
            if scriptTexts.contains(where: { t in settings.contains { t.contains($0) } || PreferCacheMountRule.assigns(t, "HOME") }) { return }
        } else {
            return
        }
        let e = managers[command.manager]!
        // A builder stage (checked at the top: a later stage copies from it, it is not the target).
        let stage = id.stage
        guard let dir = context.moves.dependencyCache(e, step: step, builds: builds) else { return }
        if (i.resolved?.mounts ?? []).contains(where: { $0.type == .cache && ($0.target.map { ImagePath.overlap($0, dir) } ?? false) }) { return }
        if rs.hasCacheOrTmpfsMount(at: dir) { return }
        if scriptTexts.contains(where: { $0.contains(ImagePath.basename(dir)) }) { return }
        // Nothing before the RUN fills the folder (a pre-fetch step: the mount would hide what it
        // downloaded, and an offline build would fail), and nothing after it reads the folder.
        if case .stage = graph.model.stages[stage].base { return }
        for earlier in graph.stages[stage][..<id.index] where context.moves.mayFill(earlier, dir, manager: command.manager) { return }
        for later in graph.stages[stage][(id.index + 1)...] {
            if later.reads.paths.all || later.reads.paths.touches(dir) || later.writes.paths.touches(dir) { return }
        }
        if StageExports.copies(from: stage, path: dir, graph.model) { return }
        let mount = "--mount=type=cache,target=\(dir)"
        let tool: String
        var extra = ""
        switch e {
        case .maven: tool = "Maven"
        case .gradle: tool = "Gradle"
        case .go, .composer: return  // not among `managers`
        case .cargo:
            tool = "Cargo"
            let targetDir = command.optionValues("target-dir").last.map { ImagePath.absolute($0, workdir: workdir) }
                ?? values.values["CARGO_TARGET_DIR"] ?? ImagePath.absolute("target", workdir: workdir)
            extra = "; it keeps the downloads only: to keep the compiled dependencies too, mount the target folder as well "
                + "(`--mount=type=cache,target=\(targetDir)`) and copy the built binaries out of it in the same RUN, since the image "
                + "then no longer holds \(targetDir) (a later `COPY --from` must read the copies)"
        }
        let message = "`\(command.invocation.displayText)`\(where_) downloads the \(tool) dependencies again each time this RUN re-runs; "
            + "with BuildKit a cache mount keeps them between builds outside the image, and nothing later in the build reads \(dir): "
            + "add `RUN \(mount)`" + extra
        sink.report(i.syntax.keywordRange, message, relatedLines: [i.syntax.startLine], subject: [buildCacheSubject, e.rawValue])
    }

    /// True when `text` assigns the variable `name` (`name=`, not `OTHER_name=`).
    static func assigns(_ text: String, _ name: String) -> Bool {
        var rest = Substring(text)
        while let r = rest.range(of: name + "=") {
            let before = rest[..<r.lowerBound].last
            if before.map({ !($0.isLetter || $0.isNumber || $0 == "_") }) ?? true { return true }
            rest = rest[r.upperBound...]
        }
        return false
    }

    /// The subject of the advice about system package managers (apt, apk): their downloads
    /// depend on the Dockerfile alone (the evidence counts only re-runs that start at the step).
    static let systemPackages = "system-packages"
    static func isSystemPackageAdvice(_ d: Diagnostic) -> Bool { d.subject.contains(systemPackages) }

    /// Who a RUN runs as: nil for root; a user whose home and uid the Dockerfile shows; or
    /// unknown (another user whose home or uid cannot be told).
    enum RunAs: Equatable {
        case user(name: String, home: String, uid: Int)
        case unknown
    }

    static func runUser(_ i: ModelInstruction, _ context: LintContext) -> RunAs? {
        let spec = i.user.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        if spec.isEmpty || spec == "root" || spec == "0" { return nil }
        if spec.contains("$") { return .unknown }
        let envHome = i.scope.variable(named: "HOME")?.value.flatMap { $0.isEmpty || $0.contains("$") ? nil : $0 }
        var home = envHome
        var uid = Int(spec)
        // The user created by an earlier RUN of the stage (useradd, adduser).
        if let stage = i.stageIndex, stage < context.model.stages.count {
            for prev in context.model.stages[stage].instructions where prev.syntax.kind == .run && prev.syntax.startLine < i.syntax.startLine {
                guard let rs = RunScript.ofRun(prev, context) else { continue }
                for cmd in rs.commands(named: "useradd", "adduser") {
                    guard let made = createdUser(cmd), made.name == spec || (uid != nil && made.uid == uid) else { continue }
                    if home == nil { home = made.home }
                    if uid == nil { uid = made.uid }
                }
            }
        }
        guard let home, let uid else { return .unknown }
        return .user(name: spec, home: home, uid: uid)
    }

    /// The name, home and uid of a user a `useradd`/`adduser` command creates (nil parts
    /// when the command does not say and the default is not certain).
    static func createdUser(_ cmd: CommandInvocation) -> (name: String, home: String?, uid: Int?)? {
        let args = cmd.arguments.map { $0.staticValue }
        guard args.allSatisfy({ $0 != nil }) else { return nil }
        let a = args.map { $0! }
        let useradd = cmd.name == "useradd"
        var home: String? = nil, uid: Int? = nil, system = false
        var operands: [String] = []
        var k = 0
        // Options that take a value, per tool (Debian's adduser, BusyBox adduser, shadow's useradd).
        let valued: Set<String> = useradd
            ? ["-d", "--home-dir", "-u", "--uid", "-g", "--gid", "-G", "--groups", "-s", "--shell", "-c", "--comment", "-e", "-f",
               "-k", "--skel", "-K", "--key", "-b", "--base-dir", "-p", "--password", "-R", "--root", "-P", "--prefix", "-Z"]
            : ["-h", "--home", "-u", "--uid", "-G", "--ingroup", "-g", "--gecos", "-s", "--shell", "--gid", "-k", "--firstuid",
               "--lastuid", "--add_extra_groups", "--comment", "--group"]
        while k < a.count {
            let w = a[k]
            var name = w, value: String? = nil
            if w.hasPrefix("--"), let eq = w.firstIndex(of: "=") { name = String(w[..<eq]); value = String(w[w.index(after: eq)...]) }
            if valued.contains(name) {
                if value == nil, k + 1 < a.count { value = a[k + 1]; k += 1 }
                switch name {
                case "-d", "--home-dir", "--home": home = value
                case "-h": home = useradd ? home : value
                case "-u", "--uid": uid = value.flatMap { Int($0) }
                default: break
                }
            } else if w == "-r" || w == "--system" || w == "-S" {
                system = true
            } else if !w.hasPrefix("-") {
                operands.append(w)
            }
            k += 1
        }
        // `adduser user group` adds a user to a group (Debian): no new user.
        guard let name = useradd ? operands.last : (operands.count == 1 ? operands.first : nil) else { return nil }
        if home == nil && !(system && !useradd) { home = "/home/\(name)" }
        return (name, home, uid)
    }

    static func userNote(_ runAs: RunAs?, _ target: String) -> String {
        guard case .user(let name, _, let uid)? = runAs else { return "" }
        return " (this RUN runs as `\(name)`: its cache is \(target), and `uid=\(uid)` lets it write there)"
    }

    /// `pip install` that downloads nothing: `--no-index`, or only local files (wheels,
    /// archives, directories), such as wheels from a bind mount of a builder stage.
    static func installsOnlyLocalFiles(_ pc: PackageCommand, mounts: [RunMount]) -> Bool {
        if pc.hasOption("no-index") { return true }
        if pc.hasOption("r", "requirement", "e", "editable", "c", "constraint") { return false }
        let operands = pc.operands.map { $0.staticValue ?? $0.unquoted }
        guard !operands.isEmpty else { return false }
        return operands.allSatisfy { o in
            o.hasPrefix("/") || o.hasPrefix("./") || o.hasPrefix("../") || o == "." || o.hasSuffix(".whl")
                || o.hasSuffix(".tar.gz") || o.hasSuffix(".zip")
                || mounts.contains { m in m.type == .bind && (m.target.map { o.hasPrefix($0) } ?? false) }
        }
    }

    /// `pip install --upgrade pip setuptools wheel`: a few small wheels, nothing to keep.
    static func installsOnlyPackagingTools(_ pc: PackageCommand) -> Bool {
        if pc.hasOption("r", "requirement", "e", "editable") { return false }
        let tools: Set<String> = ["pip", "setuptools", "wheel", "pipenv", "poetry", "uv", "virtualenv", "pip-tools"]
        let names = pc.operands.map { ($0.staticValue ?? $0.unquoted).lowercased() }.map { n in
            String(n.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
        }
        return !names.isEmpty && names.allSatisfy(tools.contains)
    }
}
