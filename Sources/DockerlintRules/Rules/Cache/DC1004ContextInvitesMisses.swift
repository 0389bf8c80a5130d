import DockerlintAnalysis
import DockerlintCache
import DockerlintCore
import DockerlintModel
import DockerlintSyntax
import Foundation

/// `COPY .` / `ADD .` with no `.dockerignore`, or one that lets in `.git`, `node_modules`,
/// build outputs or the Dockerfile: files that change without any source edit (or with every
/// Dockerfile edit) then re-run the COPY and everything after it.
final class ContextInvitesMissesRule: LintRule {
    static let code = "DC1004"
    init() {}
    var reported = false

    /// Entries of a context that change without a source edit, and why.
    static let volatileEntries: [(String, String)] = [
        (".git", "every commit and fetch rewrites .git"),
        ("node_modules", "node_modules changes with every local install"),
        ("__pycache__", "__pycache__ changes whenever Python runs"),
        (".venv", ".venv changes with every local install"),
        ("venv", "venv changes with every local install"),
        ("dist", "dist is rewritten by every local build"),
        ("build", "build is rewritten by every local build"),
        ("target", "target is rewritten by every local build"),
        ("bin", "bin is rewritten by every local build"),
        ("obj", "obj is rewritten by every local build"),
        (".next", ".next is rewritten by every local build"),
        (".pytest_cache", ".pytest_cache changes whenever tests run"),
        (".DS_Store", ".DS_Store changes whenever Finder opens the folder"),
    ]

    func visit(_ i: ModelInstruction, _ context: LintContext, _ sink: inout FindingSink) {
        guard !reported, let dir = context.contextDirectory, let build = context.buildContext,
              let c = CopyWrite.of(i, context) else { return }
        guard c.sources.contains(where: { $0 == "." || $0 == "./" || $0 == "*" || $0 == "./*" }) else { return }
        // A file that does not parse counts as present (nothing is judged against it).
        let ignore = build.ignore
        let present = build.hasIgnoreFile
        reported = true
        // `.git` read by the build (`git describe`, Go's VCS stamping, a Makefile, a build
        // plugin): excluding it would break the build or change the image.
        let gitReader = ContextInvitesMissesRule.gitReader(of: c, i, context)
        let dockerfileInContext = ContextInvitesMissesRule.contextRelativePath(of: context.path, in: dir, files: build.files)
        if !present {
            if let r = gitReader {
                sink.report(i.syntax.keywordRange, "`\(i.shortText)` copies the whole context and there is no .dockerignore: local "
                    + "build outputs and the Dockerfile itself are copied too, so a local build or any Dockerfile edit re-runs "
                    + "this COPY and every step after it; add a .dockerignore, but keep .git: \(CacheMessage.step(r)) may read it",
                    relatedLines: [i.syntax.startLine], subject: dockerfileInContext.map { [$0] } ?? [])
                return
            }
            sink.report(i.syntax.keywordRange, "`\(i.shortText)` copies the whole context and there is no .dockerignore: .git, local "
                + "build outputs and the Dockerfile itself are copied too, so a commit, a local build or any Dockerfile edit re-runs "
                + "this COPY and every step after it; add a .dockerignore", relatedLines: [i.syntax.startLine],
                subject: [".git"] + (dockerfileInContext.map { [$0] } ?? []))
            return
        }
        guard let ignore else { return }
        func ignored(_ p: String) -> Bool { (try? ignore.matchesOrParentMatches(p)) ?? false }
        var problems: [String] = []
        var excluded: [String] = []
        for (name, why) in ContextInvitesMissesRule.volatileEntries where build.files.exists(name) && !ignored(name) {
            if name == ".git", gitReader != nil { continue }
            // bin/ and build/ are often sources (scripts); only flag them when they look generated.
            if ["bin", "build", "target", "obj", "dist"].contains(name), !ContextInvitesMissesRule.looksGenerated(name, in: build.files) { continue }
            // What the build or the image uses is not advised out: excluding it would break the
            // build or change the image (`./bin/rails` run after the COPY, `CMD node dist/server.js`).
            if name != ".git", ContextInvitesMissesRule.reads(name, copiedBy: c, i, context) { continue }
            problems.append(why)
            excluded.append(name)
        }
        // The Dockerfile itself, when it lies in the context.
        if let rel = dockerfileInContext, !ignored(rel) {
            problems.append("\(rel) is copied too, so every edit of the Dockerfile re-runs this COPY")
            excluded.append(rel)
        }
        guard !problems.isEmpty else { return }
        sink.report(i.syntax.keywordRange, "`\(i.shortText)` copies the whole context and the .dockerignore lets in files that change "
            + "without a source edit: \(problems.joined(separator: "; ")); each such change re-runs this COPY and every step after it; "
            + "add them to .dockerignore", relatedLines: [i.syntax.startLine], subject: excluded)
    }

    /// The Dockerfile's path relative to the context, when it lies in the context.
    static func contextRelativePath(of path: String, in dir: String, files: ProjectFiles) -> String? {
        // Made absolute first: `.` (or `docker/..`) only standardizes once it is.
        func absolute(_ p: String) -> String {
            let a = p.hasPrefix("/") ? p : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(p)
            return (a as NSString).standardizingPath
        }
        let absDF = absolute(path)
        let absCtx = absolute(dir)
        guard absDF.hasPrefix(absCtx + "/") else { return nil }
        let relative = String(absDF.dropFirst(absCtx.count + 1))
        return files.isDirectory(relative) == false ? relative : nil
    }

    /// The first step that may read the `.git` the COPY brings: in its stage or a stage
    /// built on it or copying from it, a step that reads `<dest>/.git` (or any file), or
    /// stamps VCS information.
    static func gitReader(of c: CopyWrite, _ i: ModelInstruction, _ context: LintContext) -> ModelInstruction? {
        let graph = context.stepGraph
        guard let id = graph.id(of: i) else { return nil }
        let git = c.destination == "/" ? "/.git" : c.destination + "/.git"
        for n in graph.stages[id.stage][(id.index + 1)...] where n.readsVCS || n.reads.paths.touches(git) {
            return n.instruction
        }
        var derived: Set<Int> = [id.stage]
        for (k, s) in graph.model.stages.enumerated() where k > id.stage {
            guard s.dependencies.contains(where: { $0.stage.map(derived.contains) ?? false }) else { continue }
            derived.insert(k)
            for n in graph.stages[k] where n.readsVCS || n.reads.paths.all || n.reads.paths.paths.contains(where: { $0.hasSuffix("/.git") }) {
                return n.instruction
            }
        }
        return nil
    }

    /// Whether a later step of the COPY's stage (or of a stage built on it or copying from
    /// it) reads `name` of the copied tree by name, or the image's command runs a path under
    /// it: a file the build or the image uses, not a local output.
    static func reads(_ name: String, copiedBy c: CopyWrite, _ i: ModelInstruction, _ context: LintContext) -> Bool {
        let graph = context.stepGraph
        guard let id = graph.id(of: i) else { return false }
        let target = c.destination == "/" ? "/" + name : c.destination + "/" + name
        func named(_ n: Step) -> Bool { n.reads.paths.paths.contains { ImagePath.overlap($0, target) } }
        func runs(_ mi: ModelInstruction) -> Bool {
            let args: [String]
            switch mi.typed?.command {
            case .cmd(let v)?, .entrypoint(let v)?: args = v.arguments
            default: return false
            }
            let wd = mi.workingDirectory.isEmpty ? "/" : mi.workingDirectory
            return args.flatMap { $0.split(separator: " ").map(String.init) }.contains { word in
                guard !word.hasPrefix("-"), word.contains("/") || word == name else { return false }
                return ImagePath.overlap(ImagePath.absolute(word, workdir: wd), target)
            }
        }
        var derived: Set<Int> = [id.stage]
        for n in graph.stages[id.stage][(id.index + 1)...] where named(n) || runs(n.instruction) { return true }
        for (k, s) in graph.model.stages.enumerated() where k > id.stage {
            guard s.dependencies.contains(where: { $0.stage.map(derived.contains) ?? false }) else { continue }
            derived.insert(k)
            for n in graph.stages[k] where named(n) || runs(n.instruction) { return true }
        }
        return false
    }

    /// A directory of build outputs rather than sources: compiled files, or a marker of a tool
    /// (Cargo's `debug`/`release` folders, not a script named `release`).
    static func looksGenerated(_ path: String, in files: ProjectFiles) -> Bool {
        guard let items = files.list(path) else { return false }
        let generatedExt: Set<String> = ["o", "class", "jar", "dll", "exe", "pyc", "so", "a", "map", "rlib", "d", "pdb", "whl"]
        if items.contains(where: { ["CACHEDIR.TAG", ".rustc_info.json"].contains($0) }) { return true }
        if items.contains(where: { ["debug", "release"].contains($0) && files.isDirectory(path + "/" + $0) == true }) { return true }
        return items.contains { generatedExt.contains(($0 as NSString).pathExtension.lowercased()) }
            || (items.contains { $0.hasSuffix(".js") } && (path.hasSuffix("/dist")))
    }
}
