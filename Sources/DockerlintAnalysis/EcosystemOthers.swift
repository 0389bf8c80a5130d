// Python, Ruby, Go, Rust, PHP, Java and .NET installs: what they read beyond the manifest.

import DockerlintSupport
import Foundation

extension InstallReader {
    // MARK: Python

    mutating func python() {
        let sub = pc.subcommand
        if pc.manager == .uv, sub.first == "sync" {
            pyproject(installsProject: !pc.hasOption("no-install-project") && !pc.hasOption("only-deps"), lock: "uv.lock")
            addRelative(".python-version", optional: true)
            return
        }
        // pip install -r: follow includes, local paths and find-links.
        for v in pc.optionValues("f", "find-links") where !v.contains("://") { addRelative(v) }
        for m in dep.manifests where m.explicit {
            if ImagePath.basename(m.path) == "pyproject.toml" {
                dependencyGroups(ImagePath.absolute(m.path, workdir: cwd))
                continue
            }
            var seen = Set<String>()
            requirements(ImagePath.absolute(m.path, workdir: cwd), &seen)
        }
        for t in pc.targets where t.kind == .path {
            incomplete("`\(t.text)` installs a local project, reading its source tree")
        }
    }

    /// `--group`: the `[dependency-groups]` of a pyproject.toml. A group that names a local
    /// path (`name @ file:...`, `./dir`) installs sources the analysis does not follow.
    mutating func dependencyGroups(_ imagePath: String) {
        guard project != nil, let cp = contextPath(imagePath), let text = project?.text(cp) else {
            incomplete("\(ImagePath.basename(imagePath)) is not available to check its dependency groups")
            return
        }
        var inside = false
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") && !line.hasPrefix("[[") && line.hasSuffix("]") && !line.contains("\"") {
                inside = line == "[dependency-groups]"
                continue
            }
            guard inside, !line.hasPrefix("#") else { continue }
            if line.contains("@ file:") || line.contains("\"./") || line.contains("\".\"") || line.contains("\"../") {
                incomplete("a dependency group of \(ImagePath.basename(imagePath)) installs a local path")
            }
        }
    }

    /// A requirements file: `-r`/`-c` includes, `-e`/local paths, `--find-links` dirs.
    mutating func requirements(_ imagePath: String, _ seen: inout Set<String>) {
        guard seen.insert(imagePath).inserted else { return }
        guard project != nil, let cp = contextPath(imagePath), let text = project?.text(cp) else {
            if project != nil { incomplete("\(ImagePath.basename(imagePath)) could not be read to follow its includes") }
            else { incomplete("\(ImagePath.basename(imagePath)) is not available to follow its includes and local paths") }
            return
        }
        let dir = ImagePath.dirname(imagePath)
        for raw in text.split(whereSeparator: \.isNewline) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            if let hash = line.range(of: " #") { line = String(line[..<hash.lowerBound]) }
            if line.hasPrefix("#") || line.isEmpty { continue }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "=" }).map(String.init)
            guard let first = words.first else { continue }
            switch first {
            case "-r", "--requirement", "-c", "--constraint":
                if words.count > 1 {
                    let p = ImagePath.absolute(words[1], workdir: dir)
                    add(p)
                    requirements(p, &seen)
                }
            case "-e", "--editable":
                if words.count > 1, !words[1].contains("://"), !words[1].hasPrefix("git+") {
                    incomplete("\(ImagePath.basename(imagePath)) installs `\(words[1])` in editable mode, reading its source tree")
                    add(ImagePath.absolute(words[1], workdir: ImagePath.dirname(imagePath) == dir ? cwd : dir))
                }
            case "-f", "--find-links":
                if words.count > 1, !words[1].contains("://") { add(ImagePath.absolute(words[1], workdir: cwd)) }
            default:
                if first.hasPrefix("-r") && first.count > 2 {
                    let p = ImagePath.absolute(String(first.dropFirst(2)), workdir: dir)
                    add(p); requirements(p, &seen)
                } else if first.hasPrefix(".") || first.hasPrefix("/") || first.hasPrefix("file:") {
                    let p = first.hasPrefix("file:") ? String(first.dropFirst(5).drop { $0 == "/" }) : first
                    incomplete("\(ImagePath.basename(imagePath)) installs the local path `\(p)`")
                    add(ImagePath.absolute(p, workdir: cwd))
                } else if line.contains(" @ file:") {
                    incomplete("\(ImagePath.basename(imagePath)) installs a local file dependency")
                } else if let c = first.first, c.isLetter || c.isNumber, !line.contains("=="), !line.contains(" @ "),
                          !reasons.contains(where: { $0.contains(" does not pin `") }) {
                    // `flask>=2`, `requests`: pip resolves the newest version allowed (as a
                    // composer or npm install without a lock file does).
                    note("\(ImagePath.basename(imagePath)) does not pin `\(line)`: split, the version pip resolves is reused from the cache until the file changes")
                }
            }
        }
    }

    /// pyproject.toml projects (uv, Poetry): path dependencies, workspace members, and the
    /// project itself when it is installed.
    mutating func pyproject(installsProject: Bool, lock: String) {
        if installsProject { incomplete("the project itself is installed, which reads its source tree (`--no-root`/`--no-install-project` avoids it)") }
        guard project != nil, let text = projectText("pyproject.toml") else {
            if project == nil { incomplete("pyproject.toml is not available to check its path dependencies") }
            return
        }
        for p in tomlPathValues(text) { addRelative(p) }
        for m in tomlArray(text, key: "members") {
            guard let dirs = expandDirs(m) else { incomplete("the workspace member pattern `\(m)` cannot be listed"); continue }
            for d in dirs { addRelative(d + "/pyproject.toml") }
            if !dirs.isEmpty { incomplete("workspace members are installed from their sources") }
        }
        if text.contains("readme") && installsProject { addRelative("README.md", optional: true) }
    }

    mutating func poetry() {
        pyproject(installsProject: !pc.hasOption("no-root"), lock: "poetry.lock")
    }

    mutating func pipenv() {
        guard let text = projectText("Pipfile") else {
            if project == nil { incomplete("Pipfile is not available to check its path dependencies") }
            return
        }
        let paths = tomlPathValues(text)
        if !paths.isEmpty { incomplete("the Pipfile installs local paths (\(paths.joined(separator: ", ")))") }
        for p in paths { addRelative(p) }
    }

    // MARK: Ruby

    mutating func bundler() {
        let gemfile = pc.optionValues("gemfile").last ?? "Gemfile"
        guard project != nil else { incomplete("the Gemfile is not available to check `ruby file:`, `gemspec` and `path:` gems"); return }
        guard let text = projectText(gemfile) else { if pc.manager == .bundler { incomplete("\(gemfile) could not be read") }; return }
        addRelative(".bundle/config", optional: true)
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("ruby ") || line.hasPrefix("ruby(") {
                if let f = rubyString(after: "file:", in: line) ?? rubyString(after: "File.read(", in: line) {
                    note("the \(gemfile) reads the Ruby version from \(f)")
                    addRelative(f)
                }
            }
            if line.hasPrefix("gemspec") {
                let path = rubyString(after: "path:", in: line) ?? "."
                note("the \(gemfile) has `gemspec`: the gemspec and the files it reads")
                incomplete("`gemspec` evaluates the project's .gemspec, which usually reads its source (the version file)")
                addRelative(path)
            }
            if let p = rubyString(after: "path:", in: line), !line.hasPrefix("gemspec") {
                note("the \(gemfile) installs the local gem at \(p)")
                addRelative(p)
            }
            if line.hasPrefix("path ") || line.hasPrefix("path(") {
                if let p = rubyString(after: "path", in: line) { addRelative(p) }
            }
            if line.hasPrefix("eval_gemfile") {
                if let p = rubyString(after: "eval_gemfile", in: line) { addRelative(p) } else { incomplete("eval_gemfile names a file that is not known") }
            }
            if line.contains("File.read") || line.contains("File.expand_path") || line.contains("Dir[") || line.contains("Dir.glob") {
                if !(line.hasPrefix("ruby") && rubyString(after: "File.read(", in: line) != nil) {
                    incomplete("the \(gemfile) reads files at evaluation time (`\(line.prefix(60))`)")
                }
            }
        }
    }

    /// The string literal after `marker` on a line of Ruby.
    func rubyString(after marker: String, in line: String) -> String? {
        guard let r = line.range(of: marker) else { return nil }
        let rest = line[r.upperBound...].drop { $0 == " " || $0 == "(" || $0 == "=" || $0 == ">" }
        guard let q = rest.first, q == "\"" || q == "'" else { return nil }
        let body = rest.dropFirst().prefix { $0 != q }
        return body.isEmpty ? nil : String(body)
    }

    // MARK: Go

    mutating func go() {
        guard project != nil else { return }
        let modfile = pc.optionValues("modfile").last ?? "go.mod"
        if let text = projectText(modfile) {
            for raw in text.split(whereSeparator: \.isNewline) {
                let line = raw.trimmingCharacters(in: .whitespaces)
                guard line.contains("=>") else { continue }
                let target = line.split(separator: ">", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                let path = target.split(separator: " ").first.map(String.init) ?? ""
                if path.hasPrefix("./") || path.hasPrefix("../") || path.hasPrefix("/") {
                    note("go.mod replaces a module with the local directory \(path)")
                    addRelative(path + "/go.mod")
                    addRelative(path + "/go.sum", optional: true)
                }
            }
        }
        if let work = projectText("go.work") {
            var inUse = false
            for raw in work.split(whereSeparator: \.isNewline) {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("use (") { inUse = true; continue }
                if inUse, line == ")" { inUse = false; continue }
                var dir: String? = nil
                if inUse, !line.isEmpty, !line.hasPrefix("//") { dir = line }
                if line.hasPrefix("use "), !line.contains("(") { dir = String(line.dropFirst(4)) }
                if let d = dir?.trimmingCharacters(in: .whitespaces) {
                    addRelative(ImagePath.contextJoin(d, "go.mod"))
                    addRelative(ImagePath.contextJoin(d, "go.sum"), optional: true)
                }
            }
        }
    }

    // MARK: Rust

    mutating func cargo() {
        guard project != nil, let text = projectText(pc.optionValues("manifest-path").last ?? "Cargo.toml") else {
            incomplete("Cargo.toml is not available to check workspace members and path dependencies")
            return
        }
        // Cargo reads every target (src/main.rs, src/lib.rs, build.rs) of each package, even to fetch.
        incomplete("cargo needs each package's targets (src/main.rs or src/lib.rs, build.rs), not only the manifests")
        for p in tomlPathValues(text) { addRelative(p + "/Cargo.toml") }
        for m in tomlArray(text, key: "members") {
            guard let dirs = expandDirs(m) else { continue }
            for d in dirs { addRelative(d + "/Cargo.toml") }
        }
    }

    // MARK: PHP

    mutating func composer() {
        for name in ["COMPOSER", "COMPOSER_VENDOR_DIR", "COMPOSER_BIN_DIR"] {
            if let v = values.values[name], !v.isEmpty { incomplete("\(name)=\(v) changes which files composer reads or writes") }
        }
        guard project != nil, let json = projectJSON(ComposerManifest.self, "composer.json") else {
            if deferring || (pc.hasOption("no-scripts") && pc.hasOption("no-autoloader")) { return }
            incomplete("composer.json is not available to check its scripts and autoload paths")
            return
        }
        if deferring {
            // The second run fires the install and autoload events as the install did; events
            // fired before or while packages install would fire at another moment.
            let early = ["pre-install-cmd", "pre-operations-exec", "pre-package-install", "post-package-install", "pre-package-update",
                         "post-package-update", "pre-package-uninstall", "post-package-uninstall"]
            for e in early where json.scripts.contains(e) && !pc.hasOption("no-scripts") {
                incomplete("composer.json's `\(e)` script would run at another moment of the split install")
            }
            if projectExists("composer.lock") == false {
                unlockedSplit(json)
            } else if projectExists("composer.lock") != true {
                incomplete("whether a composer.lock is copied is not known: without it the install resolves the versions, writes the lock and fires the update events")
            }
        } else if !pc.hasOption("no-scripts") {
            let events = ["pre-install-cmd", "post-install-cmd", "pre-update-cmd", "post-update-cmd", "pre-autoload-dump",
                          "post-autoload-dump", "post-root-package-install", "pre-package-install", "post-package-install"]
            for e in events where json.scripts.contains(e) {
                incomplete("composer runs the `\(e)` script, whose reads are not known (`--no-scripts` avoids it)")
            }
        }
        if !deferring, !pc.hasOption("no-autoloader") {
            if let classmap = json.classmap {
                for c in classmap { addRelative(c) }
                if !classmap.isEmpty { note("the autoloader scans the classmap paths \(classmap.joined(separator: ", "))") }
            }
            if pc.hasOption("o", "optimize-autoloader", "classmap-authoritative", "a") {
                incomplete("an optimized autoloader scans every autoload path of the source tree")
            }
        }
        if let dir = json.vendorDir, dir != "vendor" { incomplete("composer.json sets vendor-dir to \(dir)") }
        if !pc.hasOption("no-plugins") { composerPlugins(json) }
        for url in json.pathRepositories {
            if url.contains("*") { incomplete("a path repository uses the pattern \(url)") }
            addRelative(url.split(separator: "*").first.map(String.init) ?? url)
        }
        // An artifact repository is a folder of package archives, read at every install.
        for url in json.artifactRepositories where !url.contains("://") { addRelative(url) }
        // After the doubts (the first reason is the one an unsafe verdict names).
        if deferring, projectExists("composer.lock") == false {
            note("without composer.lock the first run resolves the newest versions composer.json allows and writes the lock the second run installs from: "
                + "split, that resolution is reused from the cache until composer.json changes")
        }
    }

    /// The first run of a split without composer.lock (it is not in the context): the first
    /// run resolves the newest versions composer.json allows, installs them and writes
    /// composer.lock (Composer's `Installer::run` falls back to an update), without events
    /// (`--no-scripts` dispatches none, plugins' listeners included). The second run, below
    /// the source COPY, finds that lock and vendor/ matching it: it installs nothing, writes
    /// the autoloader (pre/post-autoload-dump) and fires the install events where the
    /// original fired the update events. The same image, so long as nothing acts on those
    /// events differently: no install or update script in composer.json, no plugin that may
    /// act on them (only those `config.allow-plugins` allows can run: in a build, without a
    /// terminal, Composer refuses the others), no root version to guess (`self.version`,
    /// path repositories: the source's .git is not there yet), and a lock written
    /// (`config.lock` not false). What changes is when the resolution happens: split, it is
    /// reused from the cache until composer.json (or a step above) changes, as for every
    /// install from manifests without a lock file.
    mutating func unlockedSplit(_ json: ComposerManifest) {
        if !pc.hasOption("no-scripts") {
            for e in ["pre-update-cmd", "post-update-cmd", "pre-install-cmd", "post-install-cmd"] where json.scripts.contains(e) {
                incomplete("without composer.lock the install fires the update events and the second run, installing from the lock the first one wrote, "
                    + "the install events: composer.json's `\(e)` script would not run as it does")
            }
        }
        if json.requiresSelfVersion {
            incomplete("without composer.lock the install resolves `self.version`, which composer guesses from the source's git, not there before the source COPY")
        }
        if !json.pathRepositories.isEmpty {
            incomplete("without composer.lock the install resolves path repositories, whose versions composer guesses from the source's git, not there before the source COPY")
        }
        if json.writesLock == false {
            incomplete("composer.json sets `config.lock` to false: the second run would resolve the versions again")
        }
    }

    /// Composer plugins run while packages install, `--no-scripts` or not. Those known to
    /// write only into vendor/ from what is installed (or to act only when the autoloader is
    /// written) are harmless; any other may read or write the project's files.
    mutating func composerPlugins(_ json: ComposerManifest) {
        // A composer.lock the context does not send (a local file the .dockerignore excludes) is not read.
        if projectExists("composer.lock") == false {
            allowedPlugins(json)
            return
        }
        guard let lock = projectJSON(ComposerLock.self, "composer.lock") else { return }
        let noDev = pc.hasOption("no-dev") || ["1", "true"].contains(values.values["COMPOSER_NO_DEV"] ?? "")
        let installed = lock.packages + (noDev ? [] : lock.packagesDev)
        for p in installed where p.type == "composer-plugin" {
            if p.name == "dealerdirect/phpcodesniffer-composer-installer", json.type != "phpcodesniffer-standard" { continue }
            if Self.composerVendorPlugins.contains(p.name) { continue }
            // Flex skips the recipes symfony.lock lists as installed: copied first, it is read.
            if p.name == "symfony/flex" { addRelative("symfony.lock", optional: true) }
            let what = Self.composerProjectPlugins[p.name] ?? "what it reads and writes is not known"
            incomplete("the Composer plugin \(p.name) runs while packages install: \(what)")
        }
    }

    /// Without composer.lock the installed plugins are not known; those that can run are the
    /// ones `config.allow-plugins` allows (Composer's `PluginManager::isPluginAllowed`: without
    /// a terminal a plugin not allowed stops the install; none is allowed when the key is
    /// absent). Each is judged as a locked one would be; a pattern or `true` allows any.
    /// In a split's first run, a plugin that acts on the update events is not harmless: the
    /// second run fires the install events instead.
    mutating func allowedPlugins(_ json: ComposerManifest) {
        switch json.allowPlugins {
        case nil, .nothing?: return
        case .every?:
            incomplete("composer.json allows every Composer plugin (`allow-plugins: true`), and without composer.lock which are installed is not known")
        case .names(let names)?:
            for name in names {
                if name.contains("*") {
                    incomplete("composer.json allows the Composer plugins `\(name)`, and without composer.lock which are installed is not known")
                    continue
                }
                if name == "dealerdirect/phpcodesniffer-composer-installer", json.type != "phpcodesniffer-standard" { continue }
                if deferring, Self.composerUpdatePlugins.contains(name) {
                    incomplete("the Composer plugin \(name), which composer.json allows, acts on the update events, which only an install without composer.lock fires")
                    continue
                }
                if Self.composerVendorPlugins.contains(name) { continue }
                if name == "symfony/flex" { addRelative("symfony.lock", optional: true) }
                let what = Self.composerProjectPlugins[name] ?? "what it reads and writes is not known"
                incomplete("the Composer plugin \(name), which composer.json allows, may run while packages install: \(what)")
            }
        }
    }

    /// Harmless plugins (below) that act on the update events (`post-update-cmd`): php-http/discovery
    /// adds the implementations a package needs to the resolution.
    static let composerUpdatePlugins: Set<String> = ["php-http/discovery"]

    /// Plugins that, during an install, write only into vendor/ from the installed packages,
    /// or act only when the autoloader is written (which the second run of a split does).
    static let composerVendorPlugins: Set<String> = [
        "symfony/runtime", "phpstan/extension-installer", "pestphp/pest-plugin", "composer/package-versions-deprecated",
        "php-http/discovery", "infection/extension-installer", "ergebnis/composer-normalize",
        "dealerdirect/phpcodesniffer-composer-installer",
        // Acts only on its own `parallel` script event.
        "veewee/composer-run-parallel",
    ]
    /// Plugins known to read or write the project's own files while packages install.
    static let composerProjectPlugins: [String: String] = [
        "symfony/flex": "it applies recipes, reading and writing symfony.lock, config/ and .env",
        "composer/installers": "it places packages by type into folders of the project (extra.installer-paths)",
        "oomphinc/composer-installers-extender": "it places packages by type into folders of the project (extra.installer-paths)",
        "cweagans/composer-patches": "it applies the patches composer.json names",
        "wikimedia/composer-merge-plugin": "it merges other composer.json files of the project",
        "drupal/core-composer-scaffold": "it writes scaffold files into the project",
        "bamarni/composer-bin-plugin": "it installs the projects of vendor-bin/",
    ]

    // MARK: Java, .NET

    mutating func maven() {
        addRelative(".mvn", optional: true)
        let rootPom = pc.optionValues("f", "file").last ?? "pom.xml"
        guard project != nil, let pom = projectText(rootPom) else {
            incomplete("pom.xml is not available to check its modules")
            return
        }
        // The reactor: every `<module>` of every pom, nested aggregators included (a module
        // names a directory holding pom.xml, or a pom file). Maven stops with "Child module
        // ... does not exist" when one is missing.
        var queue: [(path: String, text: String)] = [(rootPom, pom)]
        var seen: Set<String> = [ImagePath.contextJoin(".", rootPom)]
        while let (path, text) = queue.popLast() {
            let xml = Self.withoutXMLComments(text)
            let dir = ImagePath.dirname(path)
            for m in Self.xmlElements(xml, "module") {
                let modulePom = m.hasSuffix(".xml") ? ImagePath.contextJoin(dir, m) : ImagePath.contextJoin(ImagePath.contextJoin(dir, m), "pom.xml")
                guard seen.insert(modulePom).inserted else { continue }
                addRelative(modulePom)
                if let sub = projectText(modulePom) { queue.append((modulePom, sub)) } else { incomplete("the module pom \(modulePom) could not be read") }
            }
            // A parent named by relative path must be there too (the default, ../pom.xml, is
            // the aggregator in a usual reactor).
            if let parent = Self.xmlElements(xml, "parent").first, let rel = Self.xmlElements(parent, "relativePath").first, !rel.isEmpty {
                let parentPom = rel.hasSuffix(".xml") ? ImagePath.contextJoin(dir, rel) : ImagePath.contextJoin(ImagePath.contextJoin(dir, rel), "pom.xml")
                var depth = dir == "." ? 0 : dir.split(separator: "/").count
                var outside = false
                for part in rel.split(separator: "/") {
                    if part == ".." { depth -= 1 } else if part != "." { depth += 1 }
                    if depth < 0 { outside = true }
                }
                if outside {
                    incomplete("\(path) names a parent pom outside the project (\(rel))")
                } else if seen.insert(parentPom).inserted {
                    addRelative(parentPom)
                    if let sub = projectText(parentPom) { queue.append((parentPom, sub)) } else { incomplete("the parent pom \(parentPom) could not be read") }
                }
            }
        }
    }

    /// The text of XML without `<!-- ... -->` comments (a commented-out module is no module).
    static func withoutXMLComments(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstRangeOfBytes("<!--") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstRangeOfBytes("-->") else { return out }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// The trimmed contents of every `<name>...</name>` element of an XML text, in order.
    static func xmlElements(_ xml: String, _ name: String) -> [String] {
        var out: [String] = []
        var rest = Substring(xml)
        while let r = rest.firstRangeOfBytes("<\(name)>") {
            let after = rest[r.upperBound...]
            guard let e = after.firstRangeOfBytes("</\(name)>") else { break }
            out.append(after[..<e.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines))
            rest = after[e.upperBound...]
        }
        return out
    }

    mutating func gradle() {
        for d in ["gradle", "gradlew", "buildSrc"] where projectExists(d) == true { addRelative(d) }
        if projectExists("buildSrc") == true { incomplete("buildSrc/ is compiled as part of the build") }
        guard project != nil else { incomplete("settings.gradle is not available to check its subprojects"); return }
        let settings = projectText("settings.gradle") ?? projectText("settings.gradle.kts") ?? ""
        if settings.contains("include") { incomplete("the settings include subprojects, whose build files are read too") }
    }

    mutating func dotnet() {
        // MSBuild reads Directory.Build.props/.targets and Directory.Packages.props from the
        // project's directory up to the root.
        var d = projectRoot
        while true {
            for f in ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "NuGet.config", "nuget.config"] {
                add(d == "/" ? "/" + f : d + "/" + f, optional: true)
            }
            if d == "/" { break }
            d = ImagePath.dirname(d)
        }
        // Project references and imports, followed through every project and solution read:
        // a restore reads the referenced projects, a build their whole directories.
        var queue = files.filter { $0.hasSuffix("proj") || $0.hasSuffix(".sln") || $0.hasSuffix(".slnx") || $0.hasSuffix(".props") || $0.hasSuffix(".targets") }
        var seen = Set(queue)
        while let f = queue.popLast() {
            guard let cp = contextPath(f), let text = project?.text(cp) else { continue }
            let dir = ImagePath.dirname(f)
            var refs: [(path: String, isProject: Bool)] = []
            for (marker, isProject) in [("<ProjectReference", true), ("<Import", false), ("<Project ", true)] {
                var rest = Substring(text)
                while let r = rest.range(of: marker) {
                    let tag = rest[r.upperBound...].prefix { $0 != ">" }
                    rest = rest[r.upperBound...]
                    for attr in ["Include=\"", "Project=\"", "Path=\""] {
                        guard let a = tag.range(of: attr) else { continue }
                        let value = tag[a.upperBound...].prefix { $0 != "\"" }
                        refs.append((String(value), isProject))
                        break
                    }
                }
            }
            // Solution files: `Project("{...}") = "Name", "src\App\App.csproj", "{...}"`.
            if f.hasSuffix(".sln") {
                for line in text.split(whereSeparator: \.isNewline) where line.hasPrefix("Project(") {
                    let parts = line.split(separator: "\"")
                    if parts.count > 5 { refs.append((String(parts[5]), true)) }
                }
            }
            for (raw, isProject) in refs {
                let rel = raw.replacingOccurrences(of: "\\", with: "/")
                if rel.contains("$(") || rel.contains("*") {
                    incomplete("\(ImagePath.basename(f)) names `\(raw)`, a path the analysis cannot resolve")
                    add("/")
                    continue
                }
                let target = ImagePath.absolute(rel, workdir: dir)
                if !isProject || pc.action != .build { add(target) } else { add(ImagePath.dirname(target)) }
                if isProject { incomplete("\(ImagePath.basename(f)) references other projects") }
                if !seen.contains(target) { seen.insert(target); queue.append(target) }
            }
        }
    }

    // MARK: Helpers

    /// Every `path = "x"` of a TOML file (inline tables of path dependencies).
    func tomlPathValues(_ text: String) -> [String] {
        var out: [String] = []
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") { continue }
            var rest = Substring(line)
            while let r = rest.range(of: "path") {
                let before = rest[..<r.lowerBound].last
                let after = rest[r.upperBound...].drop { $0 == " " }
                rest = rest[r.upperBound...]
                guard before == nil || before == " " || before == "{" || before == ",", after.first == "=" else { continue }
                let v = after.dropFirst().drop { $0 == " " }
                guard let q = v.first, q == "\"" || q == "'" else { continue }
                let body = v.dropFirst().prefix { $0 != q }
                if !body.isEmpty { out.append(String(body)) }
            }
        }
        return out
    }

    /// The strings of a TOML array `key = [ ... ]` (possibly over several lines).
    func tomlArray(_ text: String, key: String) -> [String] {
        guard let r = text.range(of: "\n" + key + " ") ?? text.range(of: "\n" + key + "=") ?? (text.hasPrefix(key) ? text.range(of: key) : nil) else { return [] }
        let after = text[r.upperBound...]
        guard let open = after.firstIndex(of: "["), let close = after[open...].firstIndex(of: "]") else { return [] }
        let inner = after[after.index(after: open)..<close]
        return inner.split(separator: ",").map { unquote($0.trimmingCharacters(in: .whitespacesAndNewlines)) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// A directory pattern with `*` in its last parts, as existing directories.
    func expandDirs(_ pattern: String) -> [String]? {
        let parts = pattern.split(separator: "/").map(String.init)
        if parts.contains("**") { return nil }
        var dirs = ["."]
        for part in parts {
            var next: [String] = []
            for d in dirs {
                if part.contains("*") || part.contains("?") {
                    guard let names = projectList(d) else { return nil }
                    for n in names where ImagePath.globMatch(part, n) { next.append(ImagePath.contextJoin(d, n)) }
                } else {
                    next.append(ImagePath.contextJoin(d, part))
                }
            }
            dirs = next
        }
        return dirs
    }
}

/// What the analysis reads of a composer.json. A member of an unexpected type counts as
/// absent; the rest of the file still counts.
struct ComposerManifest: Decodable {
    /// The names under `scripts` (whatever their values).
    var scripts: Set<String> = []
    /// `autoload.classmap`, when it is a list of strings.
    var classmap: [String]?
    /// The `url` of each `repositories` entry of type `path`.
    var pathRepositories: [String] = []
    /// The `url` of each `repositories` entry of type `artifact`.
    var artifactRepositories: [String] = []
    /// The root package's `type`.
    var type: String?
    /// `config.vendor-dir`.
    var vendorDir: String?
    /// `config.lock` (false: composer writes no composer.lock).
    var writesLock: Bool?
    /// `config.allow-plugins`: every plugin (`true`), none (`false`), or names and patterns
    /// (those set to true); nil when absent.
    var allowPlugins: AllowedPlugins?
    /// A `require` or `require-dev` constraint names `self.version`.
    var requiresSelfVersion = false
    /// The packages `require` and `require-dev` name, platform requirements (`php`, `ext-*`,
    /// `lib-*`, `composer-*`) aside.
    var requiredPackages = 0, requiredDevPackages = 0

    enum AllowedPlugins: Equatable {
        case every, nothing
        case names([String])
    }

    struct Repository: Decodable {
        var type: String?
        var url: String?
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: JSONKey.self)
            type = c.lenient(String.self, "type")
            url = c.lenient(String.self, "url")
        }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: JSONKey.self)
        if let s = try? c.nestedContainer(keyedBy: JSONKey.self, forKey: "scripts") { scripts = Set(s.allKeys.map(\.stringValue)) }
        classmap = c.lenient([String: Lenient<[String]>].self, "autoload")?["classmap"]?.value
        let repositories = c.lenient([Lenient<Repository>].self, "repositories") ?? []
        pathRepositories = repositories.compactMap { $0.value.flatMap { $0.type == "path" ? $0.url : nil } }
        artifactRepositories = repositories.compactMap { $0.value.flatMap { $0.type == "artifact" ? $0.url : nil } }
        type = c.lenient(String.self, "type")
        vendorDir = c.lenient([String: Lenient<String>].self, "config")?["vendor-dir"]?.value
        writesLock = c.lenient([String: Lenient<Bool>].self, "config")?["lock"]?.value
        if let allow = c.lenient([String: Lenient<Bool>].self, "config")?["allow-plugins"]?.value {
            allowPlugins = allow ? .every : .nothing
        } else if let allow = c.lenient([String: Lenient<[String: Lenient<Bool>]>].self, "config")?["allow-plugins"]?.value {
            // By name, so findings list them in the same order on every run.
            allowPlugins = .names(allow.filter { $0.value.value == true }.keys.sorted())
        }
        for key in ["require", "require-dev"] {
            let links = c.lenient([String: Lenient<String>].self, key) ?? [:]
            if links.values.contains(where: { $0.value?.contains("self.version") ?? false }) { requiresSelfVersion = true }
            let packages = links.keys.filter { $0.contains("/") }.count
            if key == "require" { requiredPackages = packages } else { requiredDevPackages = packages }
        }
    }
}

/// What the analysis reads of a composer.lock: the name and type of each locked package.
struct ComposerLock: Decodable {
    struct Package: Decodable {
        var name: String
        var type: String?
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: JSONKey.self)
            name = c.lenient(String.self, "name") ?? ""
            type = c.lenient(String.self, "type")
        }
    }
    var packages: [Package] = []
    var packagesDev: [Package] = []

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: JSONKey.self)
        packages = (c.lenient([Lenient<Package>].self, "packages") ?? []).compactMap(\.value)
        packagesDev = (c.lenient([Lenient<Package>].self, "packages-dev") ?? []).compactMap(\.value)
    }
}
