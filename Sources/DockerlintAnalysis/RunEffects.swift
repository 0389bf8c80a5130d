// What a RUN reads and writes, command by command, from the shell AST with ARG/ENV values
// expanded. Programs are grouped by what they are known to touch; anything else reads and
// writes every path and reads the whole environment.

import DockerlintModel
import DockerlintShell
import DockerlintSupport

enum RunEffects {
    /// Directories system package managers and system tools write.
    static let systemTrees = ["/usr", "/etc", "/var", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin"]

    /// Programs that touch only the paths named on their command line and read no variable
    /// of the environment (besides locale/terminal ones no build sets through ARG).
    static let readOnlyPathCommands: Set<String> = [
        "cat", "ls", "head", "tail", "wc", "sort", "uniq", "grep", "egrep", "fgrep", "sha256sum", "sha1sum", "sha512sum",
        "md5sum", "test", "[", "file", "stat", "du", "readlink", "realpath", "diff", "cmp", "find", "tac", "cut", "tr",
        "awk", "jq", "base64",
    ]
    /// Programs with no path operands and no environment reads.
    static let inertCommands: Set<String> = [
        "echo", "printf", "true", "false", ":", "sleep", "id", "whoami", "date", "basename", "dirname", "nproc", "uname",
        "pwd", "which", "type", "hash", "export", "set", "unset", "umask", "ulimit", "shopt", "trap", "alias", "exit",
        "return", "shift", "local", "declare", "typeset", "readonly", "wait", "getent", "seq", "yes", "arch",
    ]
    /// Programs that read and write the paths on their command line.
    static let modifyPathCommands: Set<String> = [
        "rm", "mkdir", "chmod", "chown", "chgrp", "touch", "rmdir", "ln", "mv", "cp", "install", "setcap", "sed", "tar",
        "unzip", "gzip", "gunzip", "xz", "unxz", "bzip2", "bunzip2", "zstd", "tee", "truncate", "mkfifo", "dos2unix",
        "chattr", "shred",
    ]
    /// Programs that change system configuration only.
    static let systemCommands: Set<String> = [
        "useradd", "adduser", "groupadd", "addgroup", "usermod", "groupmod", "userdel", "deluser", "delgroup", "passwd",
        "chpasswd", "ldconfig", "update-ca-certificates", "locale-gen", "localedef", "update-locale", "update-alternatives",
        "dpkg-reconfigure", "fc-cache", "apt-key", "add-apt-repository", "gpg", "gpgconf", "debconf-set-selections",
        "ssh-keyscan", "ssh-keygen", "systemctl", "service", "rc-update", "visudo", "chsh", "a2enmod", "a2dismod",
        "a2ensite", "a2dissite", "phpenmod", "phpdismod", "dpkg", "rpm", "ln", "update-rc.d", "mandb", "depmod",
    ]
    /// Tools that build parts of the base image's toolchain from its own sources (PHP
    /// extensions): they read and write system directories and may read any variable
    /// (compiler flags), never the project.
    static let toolchainCommands: Set<String> = [
        "docker-php-ext-install", "docker-php-ext-configure", "docker-php-ext-enable", "docker-php-source", "pecl", "pear",
        "install-php-extensions",
    ]
    /// Variables that commands known not to read the environment do read anyway.
    static let networkVariables: Set<String> = ["http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "all_proxy", "ALL_PROXY"]
    static let aptVariables: Set<String> = ["DEBIAN_FRONTEND", "DEBCONF_NOWARNINGS", "DEBCONF_NONINTERACTIVE_SEEN", "APT_CONFIG", "TZ", "LANG", "LC_ALL"]

    struct State {
        var cwd: String?
        var values: ShellValues
        /// Composer installs count as their first run of a split (`InstallRead.deferred`).
        var deferring = false
        /// The URLs a `curl`/`wget` at the head of a pipe downloads (what a `php` after it runs).
        var pipedURLs: [String] = []
        /// Names the script assigns, with the offset of the first assignment.
        var assigned: [String: Int] = [:]
    }

    /// The effects of a RUN; with `include`, only of the commands it accepts (the install part
    /// of an install-and-build RUN); with `deferring`, composer installs as the first run of
    /// their split (`InstallRead.deferred`).
    static func analyse(_ st: inout Step, run: RunCommand, script: RunScript?, graph: StepGraph,
                        include: ((CommandInvocation) -> Bool)? = nil, deferring: Bool = false) {
        let mi = st.instruction
        let wd = ImagePath.workdir(mi.workingDirectory)
        st.reads.workdir = true
        st.reads.user = true
        st.reads.shell = true
        // Mounts: bind mounts of the context read it; cache mounts are outside the image.
        for m in mi.resolved?.mounts ?? run.mounts {
            if m.type == .bind, m.from == nil {
                st.contextReads.append(ImagePath.contextJoin(".", m.source ?? "."))
            }
            if m.type == .secret || m.type == .ssh { st.notes.append("reads a \(m.type) mount") }
        }
        if run.network != .none { st.readsNetwork = true }
        guard let script else {
            unknown(&st, "the script is not a POSIX shell script")
            return
        }
        var state = State(cwd: wd, values: ShellValues(mi), deferring: deferring)
        if !script.script.errors.isEmpty {
            unknown(&st, "the shell script does not parse")
        }
        // Assignments (`X=1`, `export X=1`, `for X in`, `read X`) make names the script's own.
        for inv in script.commands {
            if inv.commandWord == nil {
                for a in inv.assignments where state.assigned[a.name] == nil { state.assigned[a.name] = a.range.start }
            }
            if let n = inv.effective.name, ["export", "readonly", "local", "declare", "typeset"].contains(n) {
                for w in inv.effective.arguments {
                    guard let v = w.staticValue ?? Optional(w.unquoted), let eq = v.firstIndex(of: "=") else { continue }
                    let name = String(v[..<eq])
                    if state.assigned[name] == nil { state.assigned[name] = w.range.start }
                }
            }
        }
        // Loop variables are the script's own.
        for c in script.script.body.allCommands {
            if case .forClause(let f) = c.kind, state.assigned[f.variable] == nil { state.assigned[f.variable] = -1 }
            if case .simple(let sc) = c.kind, sc.words.first?.staticValue == "read" {
                for w in sc.words.dropFirst() { if let v = w.staticValue, !v.hasPrefix("-"), state.assigned[v] == nil { state.assigned[v] = -1 } }
            }
        }
        let commands = include.map { script.commands.filter($0) } ?? script.commands
        // Environment reads through expansions.
        for inv in commands {
            var words = inv.command.words
            words += inv.command.assignments.compactMap(\.value)
            words += inv.command.redirections.map(\.target)
            for w in words {
                for (name, offset) in w.parameterReferences {
                    if let a = state.assigned[name], a < offset { continue }
                    if name.first.map({ $0.isNumber || "@*#?-$!".contains($0) }) ?? true { continue }
                    st.reads.env.names.insert(name)
                }
            }
        }
        for inv in commands {
            command(inv, &st, &state, graph)
        }
    }

    /// A Maven, Gradle or Cargo command whose arguments come from variables with known values
    /// (`mvn $MVN_SETTINGS $MVN_ARGS` with `ARG MVN_ARGS='clean install'`): the command as
    /// those values make it (an unquoted `$NAME` split at blanks), its invocation kept (its
    /// range in the script). The command as it is when an argument is not known.
    static func withKnownArguments(_ pc: PackageCommand, _ inv: CommandInvocation, _ state: State) -> PackageCommand {
        guard [.maven, .gradle, .cargo].contains(pc.manager), inv.arguments.contains(where: { !$0.isStatic }),
              let tool = inv.effective.path else { return pc }
        var words: [String] = []
        for w in inv.effective.arguments {
            guard let v = state.values.expand(w) else { return pc }
            let bare = w.source.hasPrefix("$") && !w.source.contains("\"") && !w.source.contains("'")
            if bare { words += v.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init) } else { words.append(v) }
        }
        let quoted = ([tool] + words).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        guard let expanded = ShellParser.parse(quoted).commands.first, var out = PackageCommand.parse(expanded), out.manager == pc.manager else { return pc }
        out.invocation = pc.invocation
        return out
    }

    static func unknown(_ st: inout Step, _ why: String) {
        st.reads.paths = .everything
        st.writes.paths = .everything
        st.reads.env = .everything
        if !st.notes.contains(why) { st.notes.append(why) }
    }

    /// Applies one simple command's effects.
    static func command(_ raw: CommandInvocation, _ st: inout Step, _ state: inout State, _ graph: StepGraph) {
        // Redirections: `> file` writes, `< file` reads.
        for r in raw.command.redirections {
            guard let t = state.values.expand(r.target) else {
                if r.op != .hereDoc && r.op != .hereDocStripTabs { unknown(&st, "a redirection target is not known") }
                continue
            }
            if t.allSatisfy(\.isNumber) || t == "-" || t.hasPrefix("/dev/") || r.op == .hereDoc || r.op == .hereDocStripTabs { continue }
            guard let p = path(t, state) else { unknown(&st, "a redirection target is relative to an unknown directory"); continue }
            switch r.op {
            case .input: st.reads.paths.insert(p)
            default: st.writes.paths.insert(p); st.reads.paths.insert(p)
            }
        }
        // A shell running a static `-c` string: the inner commands come separately.
        let inv = raw.effective
        if inv.shellCommandStringWord != nil || inv.shellStdinHereDoc != nil { return }
        // Environment set for the command only (`A=1 cmd`, `env A=1 cmd`) is not a read.
        var name = inv.name
        if name == nil, let w = inv.commandWord {
            // `$APP_HOME/run.sh`: the program after expansion.
            guard let v = state.values.expand(w) else {
                unknown(&st, "runs a program whose name is not known (`\(w.source)`)")
                return
            }
            name = ImagePath.basename(v)
            if v.containsPlainASCII("/") ?? v.contains("/"), let p = path(v, state) { st.reads.paths.insert(p) }
            unknown(&st, "runs `\(v)`, whose reads are not known")
            return
        }
        guard let name else { return }
        let args = inv.arguments
        if let path = inv.path, path.containsPlainASCII("/") ?? path.contains("/") {
            if let p = self.path(path, state) { st.reads.paths.insert(p) }
            // A program given by path: a script of the project, or a tool in a venv.
            if !path.hasPrefix("/usr/") && !path.hasPrefix("/bin/") && !path.hasPrefix("/sbin/") {
                if let pc = PackageCommand.parse(inv) { package(pc, inv, &st, &state, graph); return }
                unknown(&st, "runs `\(path)`, whose reads are not known")
                return
            }
        }
        switch name {
        case "cd", "pushd":
            guard let a = args.first(where: { $0.staticValue.map { !$0.hasPrefix("-") } ?? true }) else { state.cwd = state.values.values["HOME"]; return }
            if let v = state.values.expand(a), let p = path(v, state) { state.cwd = p } else { state.cwd = nil }
            return
        case "popd": state.cwd = nil; return
        case "source", ".":
            if let a = args.first, let v = state.values.expand(a), let p = path(v, state) { st.reads.paths.insert(p) }
            unknown(&st, "sources a script, whose reads are not known")
            return
        case "git":
            git(inv, &st, &state)
            return
        case "corepack":
            corepack(inv, &st, &state)
            return
        case "nginx" where args.count == 1 && ["-v", "-V"].contains(args[0].staticValue ?? ""):
            // Prints its version (and build options) and exits right after reading its command
            // line: before its configuration and before the one variable it reads (NGINX,
            // inherited sockets). Images that install nginx end their RUN with it as a check.
            return
        case "php" where inv.isInPipeline && inv.pipelineIndex > 0 && !args.contains(where: { w in (w.staticValue ?? "-").first != "-" }):
            // `curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin
            // --filename=composer`: Composer's installer writes the composer binary there (the
            // working directory and composer.phar by default) and its keys into COMPOSER_HOME.
            guard state.pipedURLs.contains(where: { $0.contains("getcomposer.org/installer") }) else {
                unknown(&st, "runs a PHP program read from a pipe")
                return
            }
            st.readsNetwork = true
            st.reads.env = .everything
            var dir = state.cwd, file = "composer.phar"
            for w in args {
                guard let v = state.values.expand(w) else { unknown(&st, "the composer installer gets an option that is not known"); return }
                if v.hasPrefix("--install-dir=") { dir = path(String(v.dropFirst("--install-dir=".count)), state) }
                if v.hasPrefix("--filename=") { file = String(v.dropFirst("--filename=".count)) }
            }
            guard let dir else { unknown(&st, "the composer installer writes into an unknown directory"); return }
            let home = state.values.values["HOME"] ?? "/root"
            st.writes.paths.insert(ImagePath.absolute(file, workdir: dir))
            for p in [home + "/.composer", home + "/.config/composer", home + "/.cache/composer", "/tmp"] { st.writes.paths.insert(p) }
            st.reads.paths.insert("/usr/local/etc/php")
            return
        case "curl", "wget":
            st.readsNetwork = true
            st.reads.env.names.formUnion(networkVariables)
            if inv.isInPipeline { state.pipedURLs = args.compactMap { state.values.expand($0) }.filter { $0.containsPlainASCII("://") ?? $0.contains("://") } }
            var k = 0
            var wroteNamed = false
            while k < args.count {
                let v = state.values.expand(args[k]) ?? ""
                if ["-o", "--output", "-O", "--output-document", "-P", "--directory-prefix"].contains(v) || v.hasPrefix("--output=") || v.hasPrefix("--output-document=") {
                    let target = v.contains("=") ? String(v.split(separator: "=", maxSplits: 1)[1]) : (k + 1 < args.count ? state.values.expand(args[k + 1]) : nil)
                    if name == "curl" && v == "-O" { k += 1; continue }
                    if let t = target, t != "-", let p = path(t, state) { st.writes.paths.insert(p); wroteNamed = true }
                    else if target != "-" { unknown(&st, "downloads to a path that is not known") }
                    k += 2
                    continue
                }
                if v == "-O" || v == "--remote-name" || v == "--remote-name-all" { if let c = state.cwd { st.writes.paths.insert(c) } }
                k += 1
            }
            if name == "wget", !wroteNamed, let c = state.cwd { st.writes.paths.insert(c) }
            return
        default: break
        }
        if let pc = PackageCommand.parse(inv) {
            package(withKnownArguments(pc, inv, state), inv, &st, &state, graph)
            return
        }
        if inertCommands.contains(name) {
            if name == "export" || name == "set" { return }
            return
        }
        if name == "env" || name == "printenv" {
            // Prints the environment.
            st.reads.env = .everything
            return
        }
        if readOnlyPathCommands.contains(name) || modifyPathCommands.contains(name) {
            let modifies = modifyPathCommands.contains(name)
            var skipFirst = ["chmod", "chown", "chgrp", "setcap"].contains(name)
            var operands = 0
            var afterDashDash = false
            let patternFirst = ["grep", "egrep", "fgrep"].contains(name)
                && !args.contains(where: { ["-e", "-f", "--regexp", "--file"].contains($0.staticValue ?? "") })
            for (k, w) in args.enumerated() {
                guard let v = state.values.expand(w) else {
                    // grep's pattern is text matched, not a path: whatever its value (a
                    // repository line built from `$(egrep ... /etc/alpine-release)`), grep
                    // reads only the files after it. Only when the word is one double-quoted
                    // string (no splitting into more operands) that starts with a literal
                    // other than `-` (it cannot be an option).
                    if patternFirst, operands == 0, w.parts.count == 1, case .doubleQuoted(let inner) = w.parts[0].kind,
                       let head = inner.first, case .literal(let t) = head.kind, let c = t.first, c != "-" {
                        operands += 1
                        continue
                    }
                    unknown(&st, "`\(name)` has an operand that is not known (`\(w.source)`)")
                    return
                }
                if !afterDashDash, v == "--" { afterDashDash = true; continue }
                if !afterDashDash, v.hasPrefix("-") {
                    if v.hasPrefix("--reference") { skipFirst = false }
                    continue
                }
                // Option values that are not paths (`sed -e expr`, `find -name x`, `grep pattern`).
                if k > 0, let prev = state.values.expand(args[k - 1]),
                   ["-e", "-name", "-iname", "-type", "-mtime", "-newer", "-perm", "-user", "-group", "-exec", "-maxdepth", "-mindepth", "-size", "-regex", "-path", "--owner", "--group", "--mode", "-m", "-o", "-g"].contains(prev) && !(name == "cp" || name == "mv") {
                    continue
                }
                if (name == "grep" || name == "egrep" || name == "fgrep" || name == "awk" || name == "jq" || name == "sed" || name == "tr" || name == "cut") && operands == 0 && !args.contains(where: { ["-e", "-f", "--expression"].contains($0.staticValue ?? "") }) {
                    operands += 1
                    continue
                }
                operands += 1
                if skipFirst { skipFirst = false; continue }
                if name == "find", v.hasPrefix("-") || v == "(" || v == ")" || v == "!" || v == ";" || v == "{}" || v == "+" { continue }
                if v.containsPlainASCII("://") ?? v.contains("://") { st.readsNetwork = true; continue }
                let cleaned = v.split(separator: "*", maxSplits: 1).first.map(String.init) ?? v
                guard let p = path(cleaned.isEmpty ? "." : cleaned, state) else {
                    unknown(&st, "`\(name)` names a path relative to an unknown directory")
                    return
                }
                st.reads.paths.insert(p)
                if modifies { st.writes.paths.insert(p) }
            }
            if operands == 0 || (name == "find" && operands == 0) || (name == "tar" && !args.contains(where: { ($0.staticValue ?? "").contains("f") })) {
                // No path: the working directory (`ls`, `find`, `tar x` from stdin into it).
                if let c = state.cwd { st.reads.paths.insert(c); if modifies { st.writes.paths.insert(c) } } else {
                    unknown(&st, "`\(name)` works in an unknown directory")
                }
            }
            if name == "tar" || name == "unzip" {
                // Extraction writes into -C / -d or the working directory.
                if let c = state.cwd { st.writes.paths.insert(c) }
                for (k, w) in args.enumerated() where ["-C", "--directory", "-d"].contains(w.staticValue ?? "") && k + 1 < args.count {
                    if let v = state.values.expand(args[k + 1]), let p = path(v, state) { st.writes.paths.insert(p) }
                }
            }
            return
        }
        if toolchainCommands.contains(name) {
            st.reads.env = .everything
            st.readsNetwork = true
            for t in systemTrees { st.reads.paths.insert(t); st.writes.paths.insert(t) }
            st.writes.paths.insert("/tmp")
            return
        }
        if systemCommands.contains(name) {
            st.reads.paths.insert("/etc")
            // Apache's and Debian PHP's module switches only link files under /etc.
            if ["a2enmod", "a2dismod", "a2ensite", "a2dissite", "a2enconf", "a2disconf", "phpenmod", "phpdismod"].contains(name) {
                st.writes.paths.insert("/etc")
                return
            }
            for t in ["/etc", "/home", "/var", "/usr/lib/locale", "/usr/share"] { st.writes.paths.insert(t) }
            if name == "dpkg-reconfigure" || name == "dpkg" || name == "rpm" {
                st.reads.env.names.formUnion(aptVariables)
                for t in systemTrees { st.writes.paths.insert(t) }
                // Local package files named on the command line.
                for w in args { if let v = state.values.expand(w), v.hasSuffix(".deb") || v.hasSuffix(".rpm"), let p = path(v, state) { st.reads.paths.insert(p) } }
            }
            if name == "ssh-keyscan" || name == "gpg" || name == "apt-key" || name == "add-apt-repository" { st.readsNetwork = true }
            if ["useradd", "adduser", "usermod"].contains(name) {
                for (k, w) in args.enumerated() where ["-d", "--home", "--home-dir"].contains(w.staticValue ?? "") && k + 1 < args.count {
                    if let v = state.values.expand(args[k + 1]), let p = path(v, state) { st.writes.paths.insert(p) }
                }
            }
            return
        }
        unknown(&st, "runs `\(name)`, whose reads are not known")
    }

    /// An absolute path for `p` from the current directory; nil when that is unknown.
    static func path(_ p: String, _ state: State) -> String? {
        if p.hasPrefix("/") { return ImagePath.absolute(p, workdir: "/") }
        if p.hasPrefix("~") {
            guard let home = state.values.values["HOME"] else { return nil }
            return ImagePath.absolute(home + p.dropFirst(), workdir: "/")
        }
        guard let c = state.cwd else { return nil }
        return ImagePath.absolute(p, workdir: c)
    }

    /// Corepack: `enable`/`disable` write the package-manager shims next to node (or into
    /// `--install-directory`); `prepare`/`install`/`use`/`up` download a package manager, and
    /// read (`use`, `up`: write) the `packageManager` of the package.json in the working
    /// directory unless given one. It reads its `COREPACK_*` settings from the environment.
    static func corepack(_ inv: CommandInvocation, _ st: inout Step, _ state: inout State) {
        let args = inv.arguments.map { state.values.expand($0) }
        guard let sub = args.first ?? nil else { unknown(&st, "runs corepack with an unknown subcommand"); return }
        st.reads.env = .everything
        let home = state.values.values["HOME"] ?? "/root"
        let rest = args.dropFirst()
        switch sub {
        case "enable", "disable":
            // The shims go next to the corepack binary: /usr/local/bin in the node images,
            // /usr/bin for a distribution's package (not a project under /usr/src).
            st.writes.paths.insert("/usr/local/bin")
            st.writes.paths.insert("/usr/bin")
            if let k = rest.firstIndex(where: { $0 == "--install-directory" }), k + 1 < args.count {
                guard let dir = args[k + 1], let p = path(dir, state) else { unknown(&st, "corepack installs into a directory that is not known"); return }
                st.writes.paths.insert(p)
            }
        case "prepare", "install", "use", "up":
            st.readsNetwork = true
            st.reads.env.names.formUnion(networkVariables)
            st.writes.paths.insert(home + "/.cache/node/corepack")
            st.writes.paths.insert("/usr")
            let named = rest.contains { $0.map { !$0.hasPrefix("-") } ?? true }
            if sub == "use" || sub == "up" || !named {
                guard let cwd = state.cwd else { unknown(&st, "corepack reads package.json in an unknown directory"); return }
                st.reads.paths.insert(ImagePath.absolute("package.json", workdir: cwd))
                if sub == "use" || sub == "up" { st.writes.paths.insert(ImagePath.absolute("package.json", workdir: cwd)) }
            }
        default:
            unknown(&st, "runs `corepack \(sub)`, whose reads are not known")
        }
    }

    static func git(_ inv: CommandInvocation, _ st: inout Step, _ state: inout State) {
        st.reads.env.names.formUnion(["GIT_DIR", "GIT_WORK_TREE", "GIT_SSH_COMMAND", "HOME"])
        let args = inv.arguments.map { state.values.expand($0) }
        // Skip global options (`-C dir`, `-c k=v`).
        var k = 0
        var cwd = state.cwd
        while k < args.count, let a = args[k], a.hasPrefix("-") {
            if a == "-C", k + 1 < args.count, let d = args[k + 1] { var s = state; s.cwd = cwd; cwd = path(d, s); k += 2; continue }
            if a == "-c" { k += 2; continue }
            k += 1
        }
        let sub = k < args.count ? args[k] : nil
        switch sub {
        case "clone"?:
            st.readsNetwork = true
            let ops = args[(k + 1)...].compactMap { $0 }.filter { !$0.hasPrefix("-") }
            if ops.count >= 2, let c = cwd { st.writes.paths.insert(ImagePath.absolute(ops[1], workdir: c)) }
            else if let c = cwd { st.writes.paths.insert(c) } else { st.writes.paths = .everything }
        case "config"?:
            if args.contains("--global") || args.contains("--system") { st.writes.paths.insert(state.values.values["HOME"] ?? "/root"); st.writes.paths.insert("/etc/gitconfig") }
            else { markVCS(&st, cwd, write: true) }
        case "describe"?, "rev-parse"?, "log"?, "status"?, "show"?, "rev-list"?, "ls-files"?, "branch"?, "tag"?, "diff"?, "name-rev"?, "symbolic-ref"?, "for-each-ref"?, "cat-file"?:
            markVCS(&st, cwd, write: false)
            if sub == "status" || sub == "diff" || sub == "ls-files" { if let c = cwd { st.reads.paths.insert(c) } else { st.reads.paths = .everything } }
        case "fetch"?, "pull"?, "submodule"?:
            st.readsNetwork = true
            markVCS(&st, cwd, write: true)
            if let c = cwd { st.writes.paths.insert(c) } else { st.writes.paths = .everything }
        default:
            markVCS(&st, cwd, write: true)
            if let c = cwd { st.reads.paths.insert(c); st.writes.paths.insert(c) } else { unknown(&st, "git works in an unknown directory") }
        }
    }

    /// The RUN reads the `.git` of its working tree: `cwd/.git` or one of its parents'.
    static func markVCS(_ st: inout Step, _ cwd: String?, write: Bool) {
        st.readsVCS = true
        guard var d = cwd else { st.reads.paths = .everything; return }
        while true {
            let g = d == "/" ? "/.git" : d + "/.git"
            st.reads.paths.insert(g)
            if write { st.writes.paths.insert(g) }
            if d == "/" { break }
            d = ImagePath.dirname(d)
        }
    }
}
