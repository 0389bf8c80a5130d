// The build context a Dockerfile is built with, when the command line does not say: most
// projects build `docker/Dockerfile` with the repository root as context, and say so in a
// file. In order:
// 1. `--context DIR`;
// 2. the `context` key of the configuration;
// 3. the project's build files, searched from the repository root (the nearest folder with
//    `.git`, else the Dockerfile's folder): GitHub workflows (`docker/build-push-action` with
//    `context:`/`file:`, `docker build -f FILE CONTEXT` lines in `run:` steps), bake files
//    (`docker-bake.hcl`, `docker-bake.json`: targets' `context`/`dockerfile`), compose files
//    (`build.context`/`build.dockerfile`, in the root and in the Dockerfile's folder and its
//    parents) and `docker build` lines of package.json scripts;
// 4. the Dockerfile's folder.
// YAML is read as the configuration is (`YAMLNodes`); a file is parsed only when it names
// the Dockerfile (a byte search first), so linting stays fast where nothing matches.

import DockerlintCore
import DockerlintSupport
import Foundation
import Yams

/// The context chosen for one Dockerfile and why.
public struct ContextChoice: Sendable, Equatable {
    public enum Source: String, Sendable {
        case commandLine = "command-line"
        case configuration
        case workflow
        case bake
        case compose
        case script
        case dockerfileFolder = "dockerfile-folder"
    }
    /// The context directory as a path usable from the working directory.
    public var path: String
    public var source: Source
    /// "from .github/workflows/ci.yml:50 (docker/build-push-action context: ., file: docker/Dockerfile)".
    public var reason: String
}

public enum ContextDiscovery {
    /// The context of `dockerfile` (a path as given on the command line).
    /// `memo` holds what the Dockerfiles of one run share: each folder's repository root and
    /// build files are read once for all of them.
    public static func choose(dockerfile: String, explicit: String?, configured: String?, memo: Memo = Memo()) -> ContextChoice {
        if let explicit { return ContextChoice(path: explicit, source: .commandLine, reason: "--context") }
        if let configured { return ContextChoice(path: configured, source: .configuration, reason: "the context key of the configuration") }
        let folder = FileDiscovery.directory(of: dockerfile)
        let fallback = ContextChoice(path: folder, source: .dockerfileFolder, reason: "the Dockerfile's folder (no build file names it)")
        guard let dfReal = realPath(dockerfile) else { return fallback }
        let dfDir = parent(of: dfReal)
        let root = memo.root(of: dfDir) ?? dfDir
        var candidates: [Candidate] = memo.candidates("root\u{0}" + root) { workflows(root: root) + bakeFiles(root: root) }
        var composeDirs: [String] = [root]
        var d = dfDir
        while d.hasPrefix(root) && d != root { composeDirs.append(d); d = parent(of: d) }
        for dir in composeDirs {
            candidates += memo.candidates("compose\u{0}" + dir + "\u{0}" + root) { composeFiles(dir: dir, root: root) }
        }
        candidates += memo.candidates("scripts\u{0}" + root) { packageScripts(root: root) }
        for c in candidates {
            guard let file = realPath(c.dockerfile), file == dfReal, let ctx = realPath(c.context) else { continue }
            guard FileIO.isDirectory(ctx) else { continue }
            return ContextChoice(path: displayPath(ctx, relativeTo: dockerfile, real: dfReal), source: c.source,
                                 reason: "\(relative(c.file, to: root)):\(c.line): \(c.what)")
        }
        return fallback
    }

    /// Repository roots and build-file candidates already read in this run (files linted in
    /// parallel share it).
    public final class Memo: @unchecked Sendable {
        private let lock = PosixMutex()
        private var roots: [String: String?] = [:]
        private var found: [String: [Candidate]] = [:]
        public init() {}

        func root(of dir: String) -> String? {
            if let r = lock.locked({ roots[dir] }) { return r }
            let r = ContextDiscovery.repositoryRoot(from: dir)
            lock.locked { roots[dir] = .some(r) }
            return r
        }

        func candidates(_ key: String, _ read: () -> [Candidate]) -> [Candidate] {
            if let c = lock.locked({ found[key] }) { return c }
            let c = read()
            lock.locked { found[key] = c }
            return c
        }
    }

    struct Candidate {
        var context: String
        var dockerfile: String
        var source: ContextChoice.Source
        var file: String
        var line: Int
        var what: String
    }

    // MARK: Paths

    static func realPath(_ p: String) -> String? {
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        return realpath(p, &buf) != nil ? String(cString: buf) : nil
    }

    static func repositoryRoot(from dir: String) -> String? {
        var d = dir
        while true {
            if FileIO.exists(d + "/.git") { return d }
            let up = parent(of: d)
            if up == d || up.isEmpty { return nil }
            d = up
        }
    }

    /// The folder of a path as `realpath` gives them (absolute, no `.`, `..`, trailing or
    /// repeated slashes): "/" for "/x" and for "/".
    static func parent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return slash == path.utf8.startIndex ? "/" : String(path[..<slash])
    }

    static func join(_ base: String, _ p: String) -> String {
        if p.hasPrefix("/") { return p }
        let clean = p.hasPrefix("./") ? String(p.dropFirst(2)) : p
        if clean.isEmpty || clean == "." { return base }
        return base + "/" + clean
    }

    static func relative(_ p: String, to root: String) -> String {
        p.hasPrefix(root + "/") ? String(p.dropFirst(root.count + 1)) : p
    }

    /// The context as a path from the working directory: relative when the Dockerfile was
    /// given relative and the context is an ancestor of (or equal to) its folder.
    static func displayPath(_ ctx: String, relativeTo dockerfile: String, real dfReal: String) -> String {
        if dockerfile.hasPrefix("/") { return ctx }
        guard let cwd = realPath(".") else { return ctx }
        if ctx == cwd { return "." }
        if ctx.hasPrefix(cwd + "/") { return String(ctx.dropFirst(cwd.count + 1)) }
        // An ancestor of the working directory: ../..
        var ups: [String] = []
        var d = cwd
        while d != ctx && d.hasPrefix(ctx) && d.count > ctx.count {
            ups.append("..")
            d = parent(of: d)
        }
        return d == ctx && !ups.isEmpty ? ups.joined(separator: "/") : ctx
    }

    /// A build file's text; nil when it is missing or not a regular file (a named pipe is
    /// never waited on).
    static func read(_ path: String) -> String? {
        bytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    static func bytes(_ path: String, limit: Int? = nil) -> [UInt8]? {
        try? RegularFile.read(path, limit: limit)
    }

    /// The workflow files of a folder (`.yml`, `.yaml`), sorted.
    static func workflowFiles(in dir: String) -> [String] {
        let names = FolderNames.read(dir) { FolderNames.name($0, endsWith: ".yml") || FolderNames.name($0, endsWith: ".yaml") } ?? []
        return names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted().map { dir + "/" + $0 }
    }

    // MARK: GitHub workflows

    static func workflows(root: String) -> [Candidate] {
        var out: [Candidate] = []
        for file in workflowFiles(in: root + "/.github/workflows") {
            guard let text = read(file), text.contains("docker") else { continue }
            guard let node = try? YAMLNodes.compose(text), let jobs = node.mapping?["jobs"]?.mapping else { continue }
            for (_, job) in jobs {
                guard let steps = job.mapping?["steps"]?.sequence else { continue }
                // `${{ matrix.NAME }}` with a list of literal values: one candidate per value.
                var matrix: [String: [String]] = [:]
                if let m = job.mapping?["strategy"]?.mapping?["matrix"]?.mapping {
                    for (k, v) in m { if let name = k.string, let values = v.sequence?.compactMap(\.string) { matrix[name] = values } }
                }
                func expand(_ value: String?) -> [String?] {
                    guard let value, value.contains("${{") else { return [value] }
                    // Split into literal text and `${{ expr }}` pieces; matrix references multiply.
                    var results = [""]
                    var rest = Substring(value)
                    while let open = rest.range(of: "${{") {
                        let literal = String(rest[..<open.lowerBound])
                        results = results.map { $0 + literal }
                        guard let close = rest[open.upperBound...].range(of: "}}") else { return [] }
                        let expr = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                        guard expr.hasPrefix("matrix."), let values = matrix[String(expr.dropFirst(7))] else { return [] }
                        results = results.flatMap { r in values.map { r + $0 } }
                        rest = rest[close.upperBound...]
                    }
                    return results.map { $0 + rest }
                }
                for step in steps {
                    guard let m = step.mapping else { continue }
                    if let uses = m["uses"]?.string, uses.hasPrefix("docker/build-push-action") {
                        let with = m["with"]?.mapping
                        for context in expand(with?["context"]?.string) { for dockerfile in expand(with?["file"]?.string) {
                        // No context: the action builds the git context of the repository root.
                        let ctx = join(root, context ?? ".")
                        let df = dockerfile.map { join(root, $0) } ?? ctx + "/Dockerfile"
                        var what = "docker/build-push-action"
                        what += context.map { " context: \($0)" } ?? " (no context: the repository root)"
                        if let dockerfile { what += ", file: \(dockerfile)" }
                        out.append(Candidate(context: ctx, dockerfile: df, source: .workflow, file: file,
                                             line: step.mark.map { $0.line } ?? 0, what: what))
                        } }
                    }
                    if let run = m["run"]?.string {
                        let base = m["working-directory"]?.string.map { join(root, $0) } ?? root
                        let line = m["run"]?.mark.map { $0.line } ?? 0
                        for c in dockerBuildLines(run, base: base) {
                            out.append(Candidate(context: c.context, dockerfile: c.dockerfile, source: .workflow, file: file,
                                                 line: line, what: c.what))
                        }
                    }
                }
            }
        }
        return out
    }

    /// `docker build [-f FILE] ... CONTEXT` and `docker buildx build ...` commands in a script.
    static func dockerBuildLines(_ script: String, base: String) -> [(context: String, dockerfile: String, what: String)] {
        var out: [(String, String, String)] = []
        let joined = script.replacingOccurrences(of: "\\\n", with: " ")
        for raw in joined.split(whereSeparator: { $0 == "\n" || $0 == ";" || $0 == "&" || $0 == "|" }) {
            let words = raw.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { w -> String in
                var s = String(w)
                if s.count >= 2, (s.hasPrefix("\"") && s.hasSuffix("\"")) || (s.hasPrefix("'") && s.hasSuffix("'")) {
                    s = String(s.dropFirst().dropLast())
                }
                return s
            }
            guard let d = words.firstIndex(where: { $0 == "docker" || $0.hasSuffix("/docker") }) else { continue }
            var i = d + 1
            if i < words.count && words[i] == "buildx" { i += 1 }
            guard i < words.count, words[i] == "build" else { continue }
            i += 1
            var file: String? = nil
            var positional: [String] = []
            // Options that take a value.
            let valued: Set<String> = ["-t", "--tag", "--build-arg", "--target", "--platform", "--label", "--cache-from", "--cache-to",
                                       "-o", "--output", "--secret", "--ssh", "--network", "--progress", "--iidfile", "--metadata-file",
                                       "--build-context", "--add-host", "--shm-size", "--ulimit", "--attest", "--provenance", "--sbom",
                                       "--builder", "--annotation", "--allow", "--call", "-m", "--memory", "--cgroup-parent", "--isolation"]
            while i < words.count {
                let w = words[i]
                if w == "-f" || w == "--file" { if i + 1 < words.count { file = words[i + 1] }; i += 2; continue }
                if w.hasPrefix("--file=") { file = String(w.dropFirst(7)); i += 1; continue }
                if w.hasPrefix("-f") && w.count > 2 && !w.hasPrefix("--") { file = String(w.dropFirst(2)); i += 1; continue }
                if w.hasPrefix("-") {
                    i += (valued.contains(w) ? 2 : 1)
                    continue
                }
                positional.append(w)
                i += 1
            }
            guard let ctxWord = positional.last, !ctxWord.contains("$"), !(file ?? "").contains("$"),
                  !ctxWord.contains("://"), ctxWord != "-" else { continue }
            let ctx = join(base, ctxWord)
            // docker build: -f is relative to the working directory; default CONTEXT/Dockerfile.
            let df = file.map { join(base, $0) } ?? ctx + "/Dockerfile"
            out.append((ctx, df, "docker build" + (file.map { " -f \($0)" } ?? "") + " \(ctxWord)"))
        }
        return out
    }

    // MARK: Compose

    /// `compose.yaml`, `docker-compose.override.yml`, …: `compose.` or `docker-compose.`, then
    /// `.yml` or `.yaml` (the four standard names are of that form).
    static func isComposeName(_ n: UnsafeBufferPointer<UInt8>) -> Bool {
        // Both endings end in `l`: most names of a folder are rejected on their last byte.
        n.last == UInt8(ascii: "l")
            && (FolderNames.name(n, endsWith: ".yml") || FolderNames.name(n, endsWith: ".yaml"))
            && (FolderNames.name(n, startsWith: "docker-compose.") || FolderNames.name(n, startsWith: "compose."))
    }

    static func composeFiles(dir: String, root: String) -> [Candidate] {
        var out: [Candidate] = []
        let names = (FolderNames.read(dir, where: isComposeName) ?? []).sorted()
        for name in names {
            let file = dir + "/" + name
            guard let text = read(file), text.contains("build"),
                  let node = try? YAMLNodes.compose(text), let services = node.mapping?["services"]?.mapping else { continue }
            for (svc, service) in services {
                guard let build = service.mapping?["build"] else { continue }
                var context = "."
                var dockerfile = "Dockerfile"
                if let s = build.string { context = s } else if let b = build.mapping {
                    context = b["context"]?.string ?? "."
                    dockerfile = b["dockerfile"]?.string ?? "Dockerfile"
                }
                if context.contains("${") || dockerfile.contains("${") || context.contains("://") { continue }
                // Compose: context relative to the compose file, dockerfile relative to the context.
                let ctx = join(dir, context)
                out.append(Candidate(context: ctx, dockerfile: join(ctx, dockerfile), source: .compose, file: file,
                                     line: build.mark.map { $0.line } ?? 0,
                                     what: "compose service \(svc.string ?? "?") build context: \(context), dockerfile: \(dockerfile)"))
            }
        }
        return out
    }

    // MARK: Bake

    static func bakeFiles(root: String) -> [Candidate] {
        var out: [Candidate] = []
        for name in ["docker-bake.json", "docker-bake.override.json"] {
            let file = root + "/" + name
            guard let data = bytes(file), let bake = try? JSONDecoder().decode(BakeJSON.self, from: Data(data)) else { continue }
            for (t, target) in bake.targets.sorted(by: { $0.key < $1.key }) {
                let context = target.context ?? "."
                let dockerfile = target.dockerfile ?? "Dockerfile"
                let ctx = join(root, context)
                out.append(Candidate(context: ctx, dockerfile: join(ctx, dockerfile), source: .bake, file: file, line: 1,
                                     what: "bake target \(t) context: \(context), dockerfile: \(dockerfile)"))
            }
        }
        for name in ["docker-bake.hcl", "docker-bake.override.hcl"] {
            let file = root + "/" + name
            guard let text = read(file) else { continue }
            for t in hclTargets(text) {
                let ctx = join(root, t.context ?? ".")
                out.append(Candidate(context: ctx, dockerfile: join(ctx, t.dockerfile ?? "Dockerfile"), source: .bake, file: file,
                                     line: t.line, what: "bake target \(t.name) context: \(t.context ?? "."), dockerfile: \(t.dockerfile ?? "Dockerfile")"))
            }
        }
        return out
    }

    /// A minimal reader of bake HCL: `target "name" { context = "..." dockerfile = "..." }`
    /// (string literals only; targets using variables or inheritance are skipped where the
    /// value is not a literal).
    static func hclTargets(_ text: String) -> [(name: String, context: String?, dockerfile: String?, line: Int)] {
        var out: [(String, String?, String?, Int)] = []
        let lines = text.components(separatedBy: "\n")
        var current: (name: String, context: String?, dockerfile: String?, line: Int, depth: Int)? = nil
        var depth = 0
        func literal(_ s: Substring) -> String? {
            let v = s.trimmingCharacters(in: .whitespaces)
            guard v.count >= 2, v.hasPrefix("\""), v.hasSuffix("\""), !v.contains("${") else { return nil }
            return String(v.dropFirst().dropLast())
        }
        for (n, raw) in lines.enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? raw
            let t = line.trimmingCharacters(in: .whitespaces)
            if current == nil, t.hasPrefix("target "), let q1 = t.firstIndex(of: "\"") {
                let rest = t[t.index(after: q1)...]
                if let q2 = rest.firstIndex(of: "\"") {
                    current = (String(rest[..<q2]), nil, nil, n + 1, depth)
                }
            }
            if var c = current, let eq = t.firstIndex(of: "=") {
                let key = t[..<eq].trimmingCharacters(in: .whitespaces)
                let value = t[t.index(after: eq)...]
                if key == "context" { c.context = literal(value) ?? c.context }
                if key == "dockerfile" { c.dockerfile = literal(value) ?? c.dockerfile }
                current = c
            }
            for ch in t { if ch == "{" { depth += 1 } else if ch == "}" { depth -= 1 } }
            if let c = current, depth <= c.depth, t.contains("}") {
                out.append((c.name, c.context, c.dockerfile, c.line))
                current = nil
            }
        }
        return out
    }

    // MARK: package.json scripts

    static func packageScripts(root: String) -> [Candidate] {
        let file = root + "/package.json"
        guard let data = bytes(file, limit: 1_000_000 - 1),
              String(decoding: data, as: UTF8.self).contains("docker"),
              let scripts = try? JSONDecoder().decode(PackageScripts.self, from: Data(data)) else { return [] }
        var out: [Candidate] = []
        for (name, s) in scripts.scripts.sorted(by: { $0.key < $1.key }) {
            for c in dockerBuildLines(s, base: root) {
                out.append(Candidate(context: c.context, dockerfile: c.dockerfile, source: .script, file: file, line: 1,
                                     what: "script \(name): \(c.what)"))
            }
        }
        return out
    }
}

/// The targets of a `docker-bake.json`; a target or member of another shape is skipped, as
/// the reader above skips what it cannot read.
private struct BakeJSON: Decodable {
    struct Target { var context: String?; var dockerfile: String? }
    var targets: [String: Target] = [:]

    init(from decoder: Decoder) throws {
        let root = try decoder.container(keyedBy: JSONKey.self)
        guard let all = try? root.nestedContainer(keyedBy: JSONKey.self, forKey: "target") else { return }
        for key in all.allKeys {
            guard let t = try? all.nestedContainer(keyedBy: JSONKey.self, forKey: key) else { continue }
            targets[key.stringValue] = Target(context: t.lenient(String.self, "context"),
                                              dockerfile: t.lenient(String.self, "dockerfile"))
        }
    }
}

/// The string-valued `scripts` of a `package.json`.
private struct PackageScripts: Decodable {
    var scripts: [String: String] = [:]

    init(from decoder: Decoder) throws {
        let root = try decoder.container(keyedBy: JSONKey.self)
        guard let all = try? root.nestedContainer(keyedBy: JSONKey.self, forKey: "scripts") else { return }
        for key in all.allKeys {
            if let s = all.lenient(String.self, key.stringValue) { scripts[key.stringValue] = s }
        }
    }
}
