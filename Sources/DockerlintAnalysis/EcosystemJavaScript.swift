// npm, Yarn (classic and Berry) and pnpm: what an install reads besides package.json and
// the lock file.

import DockerlintShell
import DockerlintSupport

/// What the analysis reads of a package.json. A member of an unexpected type counts as
/// absent; the rest of the file still counts.
struct PackageManifest: Decodable {
    /// The string values of the dependency maps, map by map.
    var dependencySpecs: [String] = []
    /// `pnpm.patchedDependencies`: the patch files.
    var patchFiles: [String] = []
    /// `workspaces` as a list or as `{packages: [...]}`.
    var workspaces: [String] = []
    /// The scripts whose body is a string.
    var scripts: [String: String] = [:]

    static let dependencyMaps = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies", "resolutions", "overrides"]

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: JSONKey.self)
        typealias Strings = [String: Lenient<String>]
        for key in Self.dependencyMaps {
            // By name: a JSON object's order is lost in decoding, and the files an install reads
            // are listed (and copied first) in this order, the same on every run.
            dependencySpecs += (c.lenient(Strings.self, key) ?? [:]).sorted { $0.key < $1.key }.compactMap(\.value.value)
        }
        if let pnpm = c.lenient([String: Lenient<Strings>].self, "pnpm"), let patched = pnpm["patchedDependencies"]?.value {
            patchFiles = patched.sorted { $0.key < $1.key }.compactMap(\.value.value)
        }
        if let list = c.lenient([String].self, "workspaces") {
            workspaces = list
        } else if let object = c.lenient([String: Lenient<[String]>].self, "workspaces"), let list = object["packages"]?.value {
            workspaces = list
        }
        scripts = (c.lenient(Strings.self, "scripts") ?? [:]).compactMapValues(\.value)
    }
}

extension InstallReader {
    static let lifecycleScripts = ["preinstall", "install", "postinstall", "prepare", "prepublish", "preprepare", "postprepare", "dependencies"]

    mutating func javaScript() {
        let ignoreScripts = pc.hasOption("ignore-scripts") || (values.values["npm_config_ignore_scripts"] ?? values.values["NPM_CONFIG_IGNORE_SCRIPTS"]) == "true"
        guard project != nil else {
            if !ignoreScripts { incomplete("package.json is not available to check its lifecycle scripts") }
            return
        }
        guard let pkg = projectJSON(PackageManifest.self, "package.json") else {
            if !ignoreScripts { incomplete("package.json could not be read to check its lifecycle scripts") }
            return
        }
        // npm and pnpm configuration.
        addRelative(".npmrc", optional: true)
        if pc.manager == .pnpm {
            addRelative("pnpm-workspace.yaml", optional: true)
            addRelative(".pnpmfile.cjs", optional: true)
            addRelative(".pnpmfile.mjs", optional: true)
        }
        if pc.manager == .yarn {
            addRelative(".yarnrc", optional: true)
            yarnBerry()
        }
        // Patches and local packages referenced by dependency specs.
        localDependencies(pkg, base: ".")
        for p in pkg.patchFiles { addRelative(p) }
        if pc.manager == .pnpm, let ws = projectText("pnpm-workspace.yaml") {
            for line in ws.split(whereSeparator: \.isNewline) where line.contains(".patch") {
                if let v = line.split(separator: ":", maxSplits: 1).last.map({ unquote(String($0)) }), v.hasSuffix(".patch") { addRelative(v) }
            }
        }
        // Workspaces: each workspace's package.json is read, and its lifecycle scripts run.
        var workspaceDirs: [String] = []
        var patterns = pkg.workspaces
        if pc.manager == .pnpm, let ws = projectText("pnpm-workspace.yaml") { patterns += yamlList(ws, key: "packages") }
        for pattern in patterns {
            if pattern.hasPrefix("!") { continue }
            guard let dirs = expandWorkspace(pattern) else {
                incomplete("the workspace pattern `\(pattern)` is not one the analysis can list")
                continue
            }
            workspaceDirs += dirs
        }
        for d in workspaceDirs {
            addRelative(d + "/package.json")
            if let wpkg = projectJSON(PackageManifest.self, d + "/package.json") {
                localDependencies(wpkg, base: d)
                if !ignoreScripts { scripts(of: wpkg, in: d) }
            } else {
                incomplete("the workspace \(d)/package.json could not be read")
            }
        }
        if !ignoreScripts { scripts(of: pkg, in: ".") }
        // No lock file: the install resolves the newest versions package.json allows (as a
        // composer install without composer.lock or pip with unpinned requirements does).
        let locks = pc.manager == .npm ? ["package-lock.json", "npm-shrinkwrap.json"] : pc.manager == .yarn ? ["yarn.lock"] : ["pnpm-lock.yaml"]
        if ["install", "i", "add"].contains(pc.subcommand.first ?? "install") || (pc.manager == .yarn && pc.subcommand.isEmpty),
           pc.operands.isEmpty, locks.allSatisfy({ projectExists($0) == false }) {
            note("without \(locks[0]) the install resolves the newest versions package.json allows: split, that resolution is reused from the cache until package.json changes")
        }
    }

    /// Yarn 2+ (`.yarnrc.yml`): the release `yarnPath` names, plugins, patches, the offline
    /// cache of a zero-install project.
    mutating func yarnBerry() {
        guard let rc = projectText(".yarnrc.yml") else { return }
        addRelative(".yarnrc.yml")
        for line in rc.split(whereSeparator: \.isNewline) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("yarnPath:") {
                addRelative(unquote(String(t.dropFirst("yarnPath:".count))))
            }
            if t.hasPrefix("- path:") || t.hasPrefix("path:") {
                let v = unquote(String(t.split(separator: ":", maxSplits: 1)[1]))
                if !v.isEmpty { addRelative(v) }
            }
            if t.hasPrefix("cacheFolder:") || t.hasPrefix("patchFolder:") || t.hasPrefix("pnpUnpluggedFolder:") {
                let v = unquote(String(t.split(separator: ":", maxSplits: 1)[1]))
                if !v.isEmpty, !v.hasPrefix("/") { addRelative(v, optional: true) }
            }
        }
        for d in [".yarn/releases", ".yarn/plugins", ".yarn/patches", ".yarn/sdks", ".yarn/versions"] where projectExists(d) == true {
            addRelative(d)
        }
        // Zero-installs: the committed cache is what the install uses.
        if projectExists(".yarn/cache") == true { addRelative(".yarn/cache") }
    }

    /// `file:`, `link:`, `portal:` and `patch:` dependency specs of a package.json in `base`.
    mutating func localDependencies(_ pkg: PackageManifest, base: String) {
        for spec in pkg.dependencySpecs {
            for proto in ["file:", "link:", "portal:"] where spec.hasPrefix(proto) {
                addRelative(ImagePath.contextJoin(base, String(spec.dropFirst(proto.count))))
            }
            if spec.hasPrefix("patch:"), let hash = spec.lastIndex(of: "#") {
                var p = String(spec[spec.index(after: hash)...])
                if let q = p.firstIndex(of: "?") { p = String(p[..<q]) }
                p = p.removingPercentEncoding ?? p
                // `~/` is the project root in Yarn's patch protocol.
                var from = base
                if p.hasPrefix("~/") { p = String(p.dropFirst(2)); from = "." }
                if !p.isEmpty, !p.hasPrefix("builtin<") { addRelative(ImagePath.contextJoin(from, p)) }
            }
        }
    }

    /// A workspace pattern (`packages/*`, `apps/web`) as directories holding a package.json.
    func expandWorkspace(_ pattern: String) -> [String]? {
        var p = pattern
        while p.hasSuffix("/") { p.removeLast() }
        if p.hasPrefix("./") { p = String(p.dropFirst(2)) }
        let parts = p.split(separator: "/").map(String.init)
        if parts.contains("**") { return nil }
        var dirs = ["."]
        for part in parts {
            var next: [String] = []
            for d in dirs {
                if part.contains("*") || part.contains("?") || part.contains("[") {
                    guard let names = projectList(d) else { return nil }
                    for n in names where ImagePath.globMatch(part, n) && !n.hasPrefix(".") { next.append(ImagePath.contextJoin(d, n)) }
                } else {
                    next.append(ImagePath.contextJoin(d, part))
                }
            }
            dirs = next
        }
        return dirs.filter { projectExists($0 + "/package.json") == true }
    }

    /// The lifecycle scripts of a package.json in `dir` that an install runs, and the
    /// project files they read.
    mutating func scripts(of pkg: PackageManifest, in dir: String) {
        let scripts = pkg.scripts
        for name in Self.lifecycleScripts {
            guard let body = scripts[name] else { continue }
            if pc.manager == .yarn, name == "prepublish" { continue }
            var seen = Set<String>()
            lifecycle(body, name: name, dir: dir, scripts: scripts, seen: &seen)
        }
    }

    mutating func lifecycle(_ body: String, name: String, dir: String, scripts: [String: String], seen: inout Set<String>) {
        let parsed = ShellParser.parse(body)
        if !parsed.errors.isEmpty { incomplete("the `\(name)` script does not parse"); return }
        let at = dir == "." ? "" : " of \(dir)"
        for c in parsed.commands.map(\.effective) {
            guard var n = c.name else { incomplete("the `\(name)` script\(at) runs a program the analysis cannot name"); continue }
            var args = c.arguments.compactMap(\.staticValue)
            // `npx x`, `yarn x`, `pnpm exec x`, `npm run x`.
            if n == "npx" || n == "pnpx" || (n == "yarn" && args.first == "exec") || (n == "pnpm" && (args.first == "exec" || args.first == "dlx")) {
                if n != "npx" && n != "pnpx" { args.removeFirst() }
                args = Array(args.drop { $0.hasPrefix("-") })
                guard let first = args.first else { continue }
                n = first
                args.removeFirst()
            } else if ["npm", "yarn", "pnpm"].contains(n) {
                var a = args
                if a.first == "run" || a.first == "run-script" { a.removeFirst() }
                guard let target = a.first else { continue }
                if let s = scripts[target] {
                    if seen.insert(target).inserted { lifecycle(s, name: target, dir: dir, scripts: scripts, seen: &seen) }
                    continue
                }
                if n == "yarn" || n == "pnpm" {
                    // `yarn patch-package`: a binary of a dependency.
                    n = target
                    args = Array(a.dropFirst())
                } else {
                    incomplete("the `\(name)` script\(at) runs `\(c.command.words.map(\.source).joined(separator: " "))`")
                    continue
                }
            }
            switch n {
            case "patch-package":
                var patchDir = "patches"
                if let k = args.firstIndex(of: "--patch-dir"), k + 1 < args.count { patchDir = args[k + 1] }
                note("the `\(name)` script\(at) runs patch-package, which reads \(patchDir)/")
                addRelative(ImagePath.contextJoin(dir, patchDir))
            case "husky":
                addRelative(ImagePath.contextJoin(dir, ".husky"), optional: true)
            case "echo", "true", "exit", ":", "opencollective", "opencollective-postinstall", "is-ci", "node-config-ts",
                 "ngcc", "electron-builder", "electron-rebuild", "playwright", "cypress", "puppeteer", "only-allow":
                if n == "electron-builder", args.first != "install-app-deps" { incomplete("the `\(name)` script\(at) runs electron-builder") }
                continue
            case "prisma":
                // `prisma generate` reads the schema (prisma/ by default or `--schema`).
                var schema = "prisma"
                if let k = args.firstIndex(of: "--schema"), k + 1 < args.count { schema = args[k + 1] }
                note("the `\(name)` script\(at) runs prisma, which reads \(schema)")
                addRelative(ImagePath.contextJoin(dir, schema))
            case "node", "sh", "bash", "ts-node", "tsx", "zx", "babel-node":
                let file = args.first { !$0.hasPrefix("-") }
                if let file { addRelative(ImagePath.contextJoin(dir, file)) }
                incomplete("the `\(name)` script\(at) runs \(file.map { "`\($0)`" } ?? "a program"), whose reads are not known")
            default:
                if n.hasPrefix("./") || n.contains("/") { addRelative(ImagePath.contextJoin(dir, n)) }
                incomplete("the `\(name)` script\(at) runs `\(n)`, whose reads are not known")
            }
        }
    }
}

/// `"x"`, `'x'`, ` x ` → `x`.
func unquote(_ s: String) -> String {
    var t = s.trimmingCharacters(in: .whitespaces)
    if let hash = t.range(of: " #") { t = String(t[..<hash.lowerBound]).trimmingCharacters(in: .whitespaces) }
    if t.count >= 2, let f = t.first, f == "\"" || f == "'", t.last == f { t = String(t.dropFirst().dropLast()) }
    return t
}

/// The items of a top-level YAML list `key:` (`- item` lines), quotes removed.
func yamlList(_ text: String, key: String) -> [String] {
    var out: [String] = []
    var inside = false
    for line in text.split(whereSeparator: \.isNewline) {
        let t = line.trimmingCharacters(in: .whitespaces)
        if t.isEmpty || t.hasPrefix("#") { continue }
        if !line.hasPrefix(" "), !line.hasPrefix("-") {
            inside = t.hasPrefix(key + ":")
            if inside, let rest = t.split(separator: ":", maxSplits: 1).dropFirst().first, rest.contains("[") {
                // Flow style: `packages: ["a", "b"]`.
                let inner = rest.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }
                out += inner.split(separator: ",").map { unquote(String($0)) }.filter { !$0.isEmpty }
                inside = false
            }
            continue
        }
        if inside, t.hasPrefix("-") { out.append(unquote(String(t.dropFirst()))) }
    }
    return out
}
