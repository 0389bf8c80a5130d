// Dependency pre-fetch for the one-command builds of Maven, Gradle and Cargo (`mvn package`,
// `gradle build`, `cargo build` after `COPY . .`): the step that would download the
// dependencies from the manifests alone, the files it reads, and whether it may be offered.
//
//   Maven   `mvn dependency:go-offline` after every pom of the reactor (and .mvn/): offered only
//           for a single-module project or a reactor whose modules do not depend on each other
//           (go-offline resolves a sibling's unreleased version from the remote repositories
//           and fails), with no plugin that resolves artifacts at build time (dependency:copy
//           or unpack `artifactItems`, frontend-maven-plugin), a build command of lifecycle
//           phases and options that do not change what is resolved, and nothing else in the
//           RUN or between the COPY and the build.
//   Gradle  never offered: `gradle dependencies` runs the build scripts (buildSrc, settings
//           plugins, `apply from:`), which may read any file, and resolves only the
//           configurations it is asked for.
//   Cargo   never offered: `cargo fetch` needs every package's targets (a stub or a cargo-chef
//           recipe that must match them), and it saves the downloads, not the compiles.
//
// When not offered the pre-fetch still serves as evidence: the history replay of a variant
// with the manifests copied first counts the commits that changed the dependency inputs.

import DockerlintCache
import DockerlintModel
import DockerlintShell

extension Moves {
    /// `COPY <tree>` then a RUN whose one command downloads and builds with Maven, Gradle or
    /// Cargo: the pre-fetch step above the COPY (`verdict` safe: it may be offered; otherwise
    /// the reason it is not), with `ecosystem` and `dependencyCache` set. Nil when the RUN has
    /// no such build, the COPY does not bring its manifest, or a download step of the same
    /// manager already runs above the COPY.
    public func buildPrefetch(copy c: StepID, run r: StepID) -> Prefetch? {
        guard c.stage == r.stage, c.index < r.index else { return nil }
        let cs = graph.step(c), rs = graph.step(r)
        let managers: [PackageManager: DownloadEcosystem] = [.maven: .maven, .gradle: .gradle, .cargo: .cargo]
        guard let ins = rs.installs.first(where: { managers[$0.command.manager] != nil && $0.dependency.source == .localProject }),
              let ecosystem = managers[ins.command.manager] else { return nil }
        for k in 0..<c.index where graph.stages[c.stage][k].installs.contains(where: { $0.command.manager == ins.command.manager && $0.dependency.source == .manifest }) {
            return nil
        }
        // A build that downloads nothing: offline, or with its downloads kept by a cache mount.
        if ins.command.hasOption("o", "offline", "frozen") { return nil }
        if (rs.instruction.resolved?.mounts ?? []).contains(where: { $0.type == .cache && $0.target.flatMap(CostModel.downloadCache) == ecosystem }) {
            return nil
        }
        let tool = ins.command.invocation.path ?? ins.command.manager.rawValue
        let fetch: String
        switch ecosystem {
        case .maven:
            let file = ins.command.optionValues("f", "file").last.map { " -f " + $0 } ?? ""
            fetch = "\(tool)\(file) dependency:go-offline"
        case .gradle:
            fetch = "\(tool) dependencies"
        case .cargo, .go, .composer:
            let manifest = ins.command.optionValues("manifest-path").last.map { " --manifest-path " + $0 } ?? ""
            fetch = "cargo fetch\(manifest)"
        }
        let copyDir = ImagePath.workdir(cs.instruction.workingDirectory)
        let sameDir = ins.workdir == copyDir
        if !sameDir, Self.needsQuoting(ins.workdir) { return nil }
        let text = sameDir ? fetch : "cd \(ins.workdir) && \(fetch)"
        guard let inv = ShellParser.parse(fetch).commands.first, let pc = PackageCommand.parse(inv), let dep = pc.dependencyInstall else { return nil }
        var reader = InstallReader(graph: graph, step: r, cwd: ins.workdir, pc: pc, dep: dep, values: ShellValues(rs.instruction))
        reader.run()
        // The build's own manifest must come from this COPY.
        guard let manifest = reader.files.first, source(in: cs, of: manifest) != nil else { return nil }
        var files: [ManifestSplit.File] = []
        var extra: [String] = []
        if ecosystem == .gradle, let ctx = graph.context, let dir = source(in: cs, of: ins.workdir) ?? (ins.workdir == copyDir ? "." : nil) {
            // Every build script of the subprojects (they declare dependencies too).
            extra = Self.gradleBuildFiles(ctx, under: dir).map { ImagePath.absolute($0, workdir: ins.workdir) }
        }
        for f in reader.files + extra where !files.contains(where: { $0.imagePath == f }) {
            guard let cp = source(in: cs, of: f) else { continue }
            if let ctx = graph.context, !ctx.sends(cp) { continue }
            files.append(.init(contextPath: cp, imagePath: f, isTree: graph.context?.files.isDirectory(cp) ?? false))
        }
        guard !files.isEmpty else { return nil }
        // Vendored crates (`cargo vendor` with a replaced source in .cargo/config.toml): nothing
        // is downloaded.
        if ecosystem == .cargo, let ctx = graph.context, let root = source(in: cs, of: ins.workdir) ?? (sameDir ? "." : nil) {
            for name in [".cargo/config.toml", ".cargo/config"] {
                if let t = ctx.files.text(ImagePath.contextJoin(root, name)), t.contains("replace-with") { return nil }
            }
        }
        var verdict: MoveVerdict = .safe
        // A wrapper (`./mvnw`, `./gradlew`) run by path must be copied too.
        if tool.contains("/"), !tool.contains("$") {
            let wrapper = ImagePath.absolute(tool, workdir: ins.workdir)
            if let cp = source(in: cs, of: wrapper), graph.context?.sends(cp) ?? true {
                if !files.contains(where: { $0.imagePath == wrapper || ImagePath.within(wrapper, $0.imagePath) }) {
                    files.append(.init(contextPath: cp, imagePath: wrapper, isTree: false))
                }
            } else if source(in: cs, of: wrapper) != nil {
                verdict = .unsafe("the build runs \(tool), which the build context does not send")
            }
        }
        switch ecosystem {
        case .maven:
            if !reader.complete {
                verdict = .unknown(reader.reasons.first ?? "the reactor's poms could not all be read")
            } else if let why = mavenObstacle(ins, poms: reader.files.filter { $0.hasSuffix(".xml") }, step: rs) {
                verdict = why
            }
        case .gradle:
            verdict = .unsafe("`\(fetch)` runs the build scripts (buildSrc, settings plugins, `apply from:`), which may read more than "
                + "the copied files, and resolves only the configurations it is asked for")
        case .cargo, .go, .composer:
            verdict = .unsafe("`cargo fetch` needs every package's targets (src/main.rs, src/lib.rs, build.rs), so it needs stubs or a "
                + "cargo-chef recipe that must match them, and it saves only the downloads, not the compiles of the dependencies")
        }
        if verdict.isSafe, let why = prefetchPlacementObstacle(copy: cs, run: rs, start: ins.command.invocation.range.start, harmless: [ins.command.invocation.name ?? tool]) {
            verdict = why
        }
        var pre = Prefetch(command: text, files: files, verdict: verdict, notes: reader.reasons)
        pre.ecosystem = ecosystem
        pre.dependencyCache = dependencyCache(ecosystem, step: rs)
        return pre
    }

    /// The folder the build keeps its downloads in, when the step's user, environment, options
    /// and base image make it certain; nil otherwise. Maven: root's `~/.m2` unless settings
    /// (`-s`, `-gs`, `MAVEN_CONFIG`), `maven.repo.local` or another user say otherwise. Gradle:
    /// `GRADLE_USER_HOME` or root's `~/.gradle`, not on the official `gradle` image (its
    /// `/root/.gradle` is a symlink to a VOLUME). Cargo: `CARGO_HOME/registry`, the official
    /// `rust` image's `/usr/local/cargo/registry`; unknown on other bases, whose CARGO_HOME the
    /// Dockerfile does not show.
    public func dependencyCache(_ e: DownloadEcosystem, step: Step) -> String? {
        dependencyCache(e, step: step, builds: step.installs.map { ($0.command, $0.command.invocation.arguments.allSatisfy(\.isStatic)) })
    }

    /// The dependency folder of `builds`: the package-manager commands that run in the step
    /// (its own, or those of the context scripts it runs), each with whether every argument's
    /// value is known (the command then holds the values: `RunEffects.withKnownArguments`).
    public func dependencyCache(_ e: DownloadEcosystem, step: Step, builds: [(command: PackageCommand, argumentsKnown: Bool)]) -> String? {
        let user = step.instruction.user.split(separator: ":").first.map(String.init) ?? ""
        let env = ShellValues(step.instruction).values
        guard user.isEmpty || user == "root" || user == "0" else { return nil }
        let home = env["HOME"] ?? "/root"
        let base = officialBase(stage: step.id.stage)
        switch e {
        case .maven:
            if env["MAVEN_OPTS"]?.contains("maven.repo.local") == true || env["MAVEN_CONFIG"] != nil { return nil }
            for b in builds where b.command.manager == .maven {
                if b.command.hasOption("s", "settings", "gs", "global-settings") { return nil }
                if b.command.options.contains(where: { $0.name == "D" && ($0.value ?? "").hasPrefix("maven.repo.local") }) { return nil }
                if !b.argumentsKnown { return nil }
            }
            return home + "/.m2"
        case .gradle:
            if let g = env["GRADLE_USER_HOME"] { return g }
            if base == "gradle" { return nil }
            if builds.contains(where: { $0.command.hasOption("g", "gradle-user-home") }) { return nil }
            return home + "/.gradle"
        case .cargo:
            if let c = env["CARGO_HOME"] { return c + "/registry" }
            return base == "rust" ? "/usr/local/cargo/registry" : nil
        case .go, .composer:
            return nil
        }
    }

    /// Whether step `x` may put something into the dependency folder `dir` of `manager`: a RUN
    /// of that package manager or of a program whose writes are not known, a COPY/ADD that
    /// really writes there (by what the context sends) or brings files from elsewhere there.
    public func mayFill(_ x: Step, _ dir: String, manager: PackageManager) -> Bool {
        switch x.kind {
        case .run:
            return x.writes.paths.all || x.installs.contains { $0.command.manager == manager }
        case .copy, .add:
            if !x.copied.isEmpty { return realOverlap(copy: x, path: dir) != nil }
            return x.writes.paths.touches(dir)
        default:
            return false
        }
    }

    /// The official image a stage is built on (`rust`, `gradle`, ...: the name without
    /// registry, `library/` and tag), following stages built on earlier stages; nil otherwise.
    func officialBase(stage: Int) -> String? {
        var k = stage
        var seen = Set<Int>()
        while k < graph.model.stages.count, seen.insert(k).inserted {
            switch graph.model.stages[k].base {
            case .stage(let j): k = j
            case .scratch: return nil
            case .image(let name):
                var n = name.split(separator: "@").first.map(String.init) ?? name
                if let colon = n.lastIndex(of: ":"), !n[colon...].contains("/") { n = String(n[..<colon]) }
                for prefix in ["docker.io/library/", "docker.io/", "library/", "index.docker.io/library/"] where n.hasPrefix(prefix) {
                    n = String(n.dropFirst(prefix.count))
                }
                return n.contains("/") ? nil : n
            }
        }
        return nil
    }

    /// Why a Maven pre-fetch (`dependency:go-offline` after the poms) would fail where the
    /// build succeeds or miss what it downloads; nil when nothing stands in the way.
    func mavenObstacle(_ ins: InstallRead, poms: [String], step rs: Step) -> MoveVerdict? {
        guard let ctx = graph.context else { return .unknown("the poms are not available to check the reactor") }
        var modules: [(path: String, group: String?, artifact: String)] = []
        var texts: [(path: String, xml: String)] = []
        for p in poms {
            guard let cp = graph.contextPath(ofImagePath: p, stage: rs.id.stage, before: rs.id.index), let t = ctx.files.text(cp) else { continue }
            let xml = InstallReader.withoutXMLComments(t)
            texts.append((cp, xml))
            let own = Self.removingElements(xml, ["parent", "dependencies", "dependencyManagement", "build", "profiles", "reporting", "pluginRepositories", "repositories"])
            if let a = InstallReader.xmlElements(own, "artifactId").first {
                modules.append((cp, InstallReader.xmlElements(own, "groupId").first, a))
            }
        }
        // Modules that depend on each other: go-offline resolves the sibling's version remotely.
        if modules.count > 1 {
            for (path, xml) in texts {
                let used = Self.removingElements(xml, ["dependencyManagement", "parent"])
                for body in InstallReader.xmlElements(used, "dependency") {
                    guard let a = InstallReader.xmlElements(body, "artifactId").first,
                          let m = modules.first(where: { $0.artifact == a && $0.path != path }) else { continue }
                    let g = InstallReader.xmlElements(body, "groupId").first
                    if let g, let mg = m.group, !g.contains("$"), g != mg { continue }
                    return .unsafe("the reactor's modules depend on each other (\(path) on \(a), built by \(m.path)): "
                        + "`dependency:go-offline` resolves that unreleased version from the remote repositories, where it fails or finds another build of it")
                }
            }
        }
        // Plugins that resolve artifacts when they run.
        for (path, xml) in texts {
            if xml.contains("<artifactItems>") {
                return .unsafe("\(path) has a plugin that resolves artifacts when the build runs it (`artifactItems`), which go-offline does not download")
            }
            if xml.contains("<activation>"), xml.contains("<os>") {
                return .unsafe("\(path) activates profiles by operating system or architecture, and go-offline resolves artifacts for them the build may not need or find")
            }
            if xml.contains("frontend-maven-plugin") {
                return .unsafe("\(path) uses frontend-maven-plugin, which downloads Node.js and packages when the build runs it")
            }
        }
        // The command: lifecycle phases and options that do not change what is resolved.
        let phases: Set<String> = ["clean", "validate", "compile", "test-compile", "test", "package", "verify", "install"]
        for w in ins.command.operands {
            guard let v = w.staticValue else { return .unknown("the build's goals are not known (`\(w.unquoted)`)") }
            if !phases.contains(v) { return .unknown("the build runs `\(v)`, whose plugin and dependencies go-offline may not resolve") }
        }
        let harmless: Set<String> = ["B", "batch-mode", "q", "quiet", "e", "errors", "X", "debug", "T", "threads", "ntp", "no-transfer-progress",
                                     "U", "update-snapshots", "V", "show-version", "f", "file", "fae", "fail-at-end", "ff", "fail-fast",
                                     "C", "strict-checksums", "c", "lax-checksums", "nsu", "no-snapshot-updates"]
        let skips: Set<String> = ["skipTests", "maven.test.skip", "skipITs", "maven.javadoc.skip", "maven.source.skip", "gpg.skip",
                                  "jacoco.skip", "checkstyle.skip", "spotbugs.skip", "license.skip", "enforcer.skip", "maven.test.failure.ignore"]
        for o in ins.command.options {
            if o.name == "D", let v = o.value, skips.contains(String(v.prefix { $0 != "=" })) { continue }
            if harmless.contains(o.name) { continue }
            let shown = o.name == "D" || o.name == "P" ? "-\(o.name)\(o.value ?? "")" : (o.isLong ? "--" : "-") + o.name
            return .unknown("the build's option `\(shown)` may change what it resolves, and the pre-fetch would not have it")
        }
        return nil
    }

    /// Why a pre-fetch step placed above the COPY would not run as the build does: commands
    /// before the build in its RUN, a secret/ssh mount, or steps between the COPY and the
    /// build that set what the download reads. Nil when nothing stands in the way.
    func prefetchPlacementObstacle(copy cs: Step, run rs: Step, start: Int, harmless extra: Set<String>) -> MoveVerdict? {
        if let m = rs.instruction.resolved?.mounts?.first(where: { $0.type == .secret || $0.type == .ssh }) {
            return .unknown("the build uses a \(m.type.rawValue) mount (private dependencies?) that the download step would not have")
        }
        if let m = rs.instruction.resolved?.mounts?.first(where: { $0.type == .cache }) {
            return .unsafe("the build mounts a cache (\(m.target ?? "")): a pre-fetch in the image is not what it reads")
        }
        return prefetchSequenceObstacle(copy: cs, run: rs, start: start, harmless: extra)
    }

    /// What stops a download step placed right after the manifest COPY from standing for the
    /// build's own downloads: a command of the RUN before the build (`start`) other than
    /// `harmless` ones and directory changes, or a step between the COPY and the build that
    /// sets what the download reads (environment, user, shell) or installs what it may need.
    /// Shared by the Go pre-fetch and the Maven one. Commands before `lifted` move to a RUN
    /// above the COPY with a split of the RUN (`RunSplit.splitOffset`): they run before the
    /// download step then.
    /// `goEnvironment`: an ENV or ARG between them that sets only names the go command's
    /// downloads do not read (`goReadsForDownload`) does not stand in the way; nor does a
    /// command before the build that only sets such names, to static text or the output of
    /// read-only commands (`preludeAssignments`: `VERSION=$(git describe --tags) && go build`).
    func prefetchSequenceObstacle(copy cs: Step, run rs: Step, start: Int?, harmless extra: Set<String>, lifted: Int? = nil,
                                  goEnvironment: Bool = false) -> MoveVerdict? {
        if let script = graph.script(of: rs.id), let start {
            let harmless: Set<String> = extra.union(["cd", "mkdir", "ls", "pwd", "true", ":"])
            // Values of assignments accepted below: the commands substituted in them were checked.
            var checked: [ByteRange] = []
            for c in script.commands where c.range.start < start && c.range.start >= (lifted ?? 0) {
                if checked.contains(where: { $0.contains(c.range.start) }) { continue }
                if goEnvironment, let assigned = Self.preludeAssignments(c) {
                    if let name = assigned.names.first(where: Self.goReadsForDownload) {
                        return .unknown("the RUN sets \(name) before the build, which the download step would not have")
                    }
                    for w in assigned.values {
                        if let other = script.commands.first(where: { w.range.contains($0.range.start) && Makefile.readOnlyOutput($0) == nil }) {
                            return .unknown("the RUN runs `\(other.effective.name ?? "a command")` before the build (in \(assigned.names.first ?? "an assignment")'s value), which the download step would not run")
                        }
                        checked.append(w.range)
                    }
                    continue
                }
                let name = c.effective.name ?? ""
                if !harmless.contains(name) || (c.commandWord == nil && !c.assignments.isEmpty) {
                    return .unknown("the RUN runs `\(name.isEmpty ? "an assignment" : name)` before the build, which the download step would not run")
                }
            }
        }
        // A WORKDIR does not matter: the download step runs in the build's directory.
        for k in (cs.id.index + 1)..<rs.id.index {
            let x = graph.step(StepID(stage: cs.id.stage, index: k))
            if goEnvironment, x.kind == .env || x.kind == .arg, !x.writes.env.all, !x.writes.user, !x.writes.shell,
               !x.writes.env.names.contains(where: Self.goReadsForDownload) {
                continue
            }
            if !x.writes.env.isEmpty || x.writes.user || x.writes.shell || x.kind == .run || (x.writes.workdir && x.kind != .workdir) {
                return .unknown("\(Self.label(x)) comes between the COPY and the build: the download step would run before it")
            }
        }
        return nil
    }

    /// A command before the Go build that only sets shell variables: `NAME=value ...` alone or
    /// `export NAME[=value] ...`, at the top of the script (not in a pipeline, condition, loop,
    /// subshell or background), without redirections; each value static text or command
    /// substitutions (which the caller checks to be read-only commands, `Makefile.readOnlyOutput`:
    /// `VERSION=$(git describe --tags)`). Nil for anything else (a parameter or arithmetic
    /// expansion in a value, an array, an option of export). Such a command changes nothing the
    /// module download reads or where it writes unless it sets a name the go command reads
    /// (`goReadsForDownload`, checked by the caller): the names and the value words.
    static func preludeAssignments(_ c: CommandInvocation) -> (names: [String], values: [Word])? {
        guard c.contexts.isEmpty, c.wrappers.isEmpty, !c.isInPipeline, c.nextOperator != .background,
              c.command.redirections.isEmpty else { return nil }
        func inert(_ parts: [WordPart]) -> Bool {
            parts.allSatisfy { p in
                switch p.kind {
                case .literal, .escaped, .singleQuoted, .ansiCQuoted, .commandSubstitution: return true
                case .doubleQuoted(let inner): return inert(inner)
                case .parameter, .arithmetic, .processSubstitution: return false
                }
            }
        }
        func isName(_ s: Substring) -> Bool {
            guard let f = s.first, f == "_" || f.isASCII && f.isLetter else { return false }
            return s.allSatisfy { $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
        var names: [String] = [], values: [Word] = []
        if c.commandWord == nil {
            guard !c.assignments.isEmpty else { return nil }
            for a in c.assignments {
                guard a.arrayValue == nil else { return nil }
                if let v = a.value {
                    guard inert(v.parts) else { return nil }
                    values.append(v)
                }
                names.append(a.name)
            }
            return (names, values)
        }
        guard c.path == "export", c.assignments.isEmpty, !c.arguments.isEmpty else { return nil }
        for w in c.arguments {
            // The name is the literal text before the first `=`.
            guard case .literal(let head)? = w.parts.first?.kind else { return nil }
            let name = head.prefix { $0 != "=" }
            guard isName(name) else { return nil }
            if name.count == head.count {
                guard w.parts.count == 1 else { return nil }
            } else {
                guard inert(Array(w.parts.dropFirst())) else { return nil }
                values.append(w)
            }
            names.append(String(name))
        }
        return (names, values)
    }

    /// Whether `go mod download` may read an environment variable: Go's own settings (GO*,
    /// CGO_*), where it keeps and finds things (HOME, XDG_*, PATH for git, TMPDIR, NETRC), how
    /// it reaches servers (proxies, certificates, git and ssh settings), the loader's.
    static func goReadsForDownload(_ name: String) -> Bool {
        let n = name.uppercased()
        if ["GO", "CGO", "GIT_", "SSH_", "XDG_", "LD_", "SSL_", "CURL_"].contains(where: { n.hasPrefix($0) }) { return true }
        if n.hasSuffix("_PROXY") { return true }
        return ["HOME", "PATH", "TMPDIR", "NETRC", "USER", "SHELL"].contains(n)
    }

    /// `build.gradle`/`build.gradle.kts` files of the subprojects under a context folder
    /// (four levels deep at most; build outputs and dependency folders skipped).
    static func gradleBuildFiles(_ ctx: BuildContext, under dir: String) -> [String] {
        var out: [String] = []
        var queue: [(String, Int)] = [(dir, 0)]
        let skip: Set<String> = ["build", ".gradle", "node_modules", ".git", "src", "target", "out", ".idea"]
        while let (d, depth) = queue.popLast() {
            guard let names = ctx.files.list(d) else { continue }
            for n in names.sorted() {
                let p = ImagePath.contextJoin(d, n)
                if n == "build.gradle" || n == "build.gradle.kts" {
                    if depth > 0, ctx.sends(p) { out.append(dir == "." ? p : String(p.dropFirst(dir.count + 1))) }
                } else if depth < 4, !skip.contains(n), !n.hasPrefix("."), ctx.files.isDirectory(p) == true, ctx.sends(p) {
                    queue.append((p, depth + 1))
                }
            }
        }
        return out.sorted()
    }

    /// XML text without the named elements (their first-level occurrences and contents).
    static func removingElements(_ xml: String, _ names: [String]) -> String {
        var text = xml
        for name in names {
            var out = ""
            var rest = Substring(text)
            while let open = rest.firstRangeOfBytes("<\(name)>") {
                out += rest[..<open.lowerBound]
                guard let close = rest[open.upperBound...].firstRangeOfBytes("</\(name)>") else { rest = ""; break }
                rest = rest[close.upperBound...]
            }
            text = out + rest
        }
        return text
    }
}

/// What later stages take out of a stage (`COPY --from`, `RUN --mount=from=`).
public enum StageExports {
    /// True when a stage after `stage` copies or mounts, from it, a path that overlaps `path`
    /// (or one the analysis cannot resolve).
    public static func copies(from stage: Int, path: String, _ model: DockerfileModel) -> Bool {
        func names(_ v: String) -> Bool { Int(v) == stage || model.stageIndex(named: v) == stage }
        for s in model.stages.dropFirst(stage + 1) {
            for mi in s.instructions {
                if case .copy(let cc)? = mi.typed?.command, let from = cc.from, names(from.value) {
                    let sources = mi.resolved?.sources ?? cc.sources.map(\.value)
                    if sources.contains(where: { $0.contains("$") || ImagePath.overlap(ImagePath.absolute($0, workdir: "/"), path) }) { return true }
                }
                for m in mi.resolved?.mounts ?? [] where m.from.map(names) == true {
                    if ImagePath.overlap(ImagePath.absolute(m.source ?? "/", workdir: "/"), path) { return true }
                }
            }
        }
        return false
    }
}
