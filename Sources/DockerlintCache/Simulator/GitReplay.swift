// Replaying a repository's first-parent history through the simulator, reading each commit's
// Dockerfile, ignore file and context straight from git objects (nothing is checked out; a
// blob id plus mode stands in for content). One `git log` process streams the deltas; the
// context snapshot is updated in place so memoised digests survive between commits.

import DockerlintSupport
import DockerlintModel
import DockerlintSyntax
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the Dockerfile and the context live inside a repository.
public struct GitReplaySource: Sendable, Equatable {
    /// The repository's top level.
    public var repository: String
    /// Repository-relative path of the Dockerfile.
    public var dockerfilePath: String
    /// Repository-relative path of the context directory ("" for the top level).
    public var contextPrefix: String

    public init(repository: String, dockerfilePath: String, contextPrefix: String) {
        self.repository = repository
        self.dockerfilePath = dockerfilePath
        self.contextPrefix = contextPrefix
    }
}

public enum GitReplayError: Error, Sendable, Equatable {
    /// git is not installed (exit 3).
    case gitMissing
    /// Bad input: not a repository, bad revision range, files outside the repository (exit 2).
    case input(String)
}

public enum GitReplay {
    public static var gitAvailable: Bool { Git.isInstalled }

    static func realPath(_ p: String) -> String? {
        var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        return realpath(p, &buf) != nil ? String(cString: buf) : nil
    }

    /// Finds the repository holding `contextDirectory` and the repository-relative paths.
    /// With `dockerfileInRepository: false` (the Dockerfile text is supplied separately), a
    /// Dockerfile outside the repository is accepted.
    public static func locate(dockerfile: String, contextDirectory: String,
                              dockerfileInRepository: Bool = true) throws(GitReplayError) -> GitReplaySource {
        guard gitAvailable else { throw .gitMissing }
        guard let ctx = realPath(contextDirectory) else { throw .input("\(contextDirectory): error: context directory not found") }
        let top: String
        do {
            let out = try Git.run(repository: ctx, ["rev-parse", "--show-toplevel"])
            top = String(decoding: out, as: UTF8.self).trimmingTrailingNewlines()
        } catch {
            throw .input("\(contextDirectory): error: not inside a git repository")
        }
        guard let realTop = realPath(top) else { throw .input("\(top): error: repository not found") }
        func relative(_ p: String) -> String? {
            if p == realTop { return "" }
            return p.hasPrefix(realTop + "/") ? String(p.dropFirst(realTop.count + 1)) : nil
        }
        guard let prefix = relative(ctx) else { throw .input("\(contextDirectory): error: context is outside the repository") }
        // The Dockerfile may not exist in the working tree; resolve its directory.
        let dfAbs = dockerfile.hasPrefix("/") ? dockerfile : FileManager.default.currentDirectoryPath + "/" + dockerfile
        let dir = (dfAbs as NSString).deletingLastPathComponent
        let base = (dfAbs as NSString).lastPathComponent
        guard let realDir = realPath(dir), let dirRel = relative(realDir) else {
            if !dockerfileInRepository { return GitReplaySource(repository: realTop, dockerfilePath: base, contextPrefix: prefix) }
            throw .input("\(dockerfile): error: the Dockerfile is outside the repository")
        }
        return GitReplaySource(repository: realTop, dockerfilePath: dirRel.isEmpty ? base : dirRel + "/" + base, contextPrefix: prefix)
    }

    /// Checks every endpoint of `A..B`, `A...B` or `REV`.
    public static func validate(range: String, repository: String) throws(GitReplayError) {
        let parts = range.components(separatedBy: "...").count == 2 ? range.components(separatedBy: "...") : range.components(separatedBy: "..")
        guard !range.isEmpty, !range.hasPrefix("-"), parts.count <= 2 else { throw .input("bad revision range '\(range)'") }
        for p in parts where !p.isEmpty {
            do { _ = try GitHistory.resolve(repository: repository, revision: p) } catch {
                throw .input("bad revision range '\(range)': unknown revision '\(p)'")
            }
        }
    }

    /// Replays `range` (first-parent, oldest first). The first build is the tree before the
    /// first replayed commit (or the root commit) and is marked `baseline`.
    /// With `dockerfileText`, every commit is built with that Dockerfile instead of the one
    /// in the commit (compare: the same history through two variants).
    public static func replay(_ source: GitReplaySource, range: String, buildArgs: [String: String] = [:], target: String? = nil,
                              dockerfileText: [UInt8]? = nil,
                              simulator: inout CacheSimulator, _ body: (BuildPrediction) -> Void) throws(GitReplayError) {
        try validate(range: range, repository: source.repository)
        let objects = GitObjectReader(repository: source.repository)
        defer { objects.close() }
        let options = BuildOptions(buildArgs: BuildArgs(buildArgs), target: target)
        let prefix = source.contextPrefix
        let specificIgnore = source.dockerfilePath + ".dockerignore"
        let rootIgnore = prefix.isEmpty ? ".dockerignore" : prefix + "/.dockerignore"
        var blobs: [String: String] = [:]  // tracked repo path -> blob id
        var models: [String: DockerfileModel] = [:]
        var ignores: [String: DockerIgnore] = [:]
        var state: BuildState? = nil
        var count = 0
        let engine = simulator.engine

        func track(_ path: String, _ object: String?) {
            if path == source.dockerfilePath || path == specificIgnore || path == rootIgnore { blobs[path] = object }
        }
        func contextPath(_ repoPath: String) -> String? {
            if prefix.isEmpty { return repoPath }
            return repoPath.hasPrefix(prefix + "/") ? String(repoPath.dropFirst(prefix.count + 1)) : nil
        }
        func text(_ blob: String) throws -> [UInt8]? { try objects.contents(of: blob) }
        let fixedModel = dockerfileText.map { DockerfileModel.build(DockerfileParser.parse($0), options: options) }
        func prepare(label: String, commit: String) throws -> String? {
            if let fixedModel { models["fixed"] = fixedModel }
            guard let df = fixedModel != nil ? "fixed" : blobs[source.dockerfilePath] else { return "no \(source.dockerfilePath) at \(label)" }
            if models[df] == nil {
                if models.count > 256 { models.removeAll() }
                guard let bytes = try text(df) else { return "cannot read \(source.dockerfilePath) at \(label)" }
                models[df] = DockerfileModel.build(DockerfileParser.parse(bytes), options: options)
            }
            let ignBlob = blobs[specificIgnore] ?? blobs[rootIgnore]
            var ignore = DockerIgnore.empty
            if let ib = ignBlob {
                if ignores[ib] == nil {
                    let t = try text(ib).map { String(decoding: $0, as: UTF8.self) } ?? ""
                    do { ignores[ib] = try DockerIgnore(text: t) } catch { return "bad .dockerignore at \(label): \(error)" }
                }
                ignore = ignores[ib]!
            }
            state!.model = models[df]!
            state!.ignore = ignore
            state!.label = label
            state!.commit = commit
            return nil
        }
        func emit(_ label: String, _ commit: String, baseline: Bool) throws {
            var p: BuildPrediction
            if let problem = try prepare(label: label, commit: commit) {
                p = .failed(label: label, commit: commit, engine: engine, dockerfilePath: source.dockerfilePath, message: problem)
            } else {
                p = simulator.simulate(&state!)
            }
            p.baseline = baseline
            body(p)
        }

        do {
            try GitHistory.forEachCommit(repository: source.repository, range: range) { delta in
                if state == nil {
                    var snap = ContextSnapshot(origin: .gitTree)
                    if let parent = delta.parents.first {
                        let full = try ContextSnapshot.fromGitTree(repository: source.repository, revision: parent, objects: objects)
                        for (path, e) in full.entries where !path.isEmpty {
                            if e.kind == .file, let d = e.contentDigest, d.hasPrefix("git:") { track(path, String(d.dropFirst(4))) }
                        }
                        if prefix.isEmpty {
                            snap = full
                        } else {
                            for p in full.allPaths { if let cp = contextPath(p), var e = full.entries[p] { e.path = cp; snap.setEntry(e) } }
                        }
                        state = BuildState(label: String(parent.prefix(7)), model: DockerfileModel.parse(""), context: snap,
                                           changedPaths: [], commit: parent, dockerfilePath: source.dockerfilePath)
                        try emit(String(parent.prefix(7)), parent, baseline: true)
                    } else {
                        state = BuildState(label: "", model: DockerfileModel.parse(""), context: snap, changedPaths: [],
                                           dockerfilePath: source.dockerfilePath)
                    }
                }
                var ctxDelta = delta
                ctxDelta.changes = []
                for c in delta.changes {
                    track(c.path, c.newMode == 0 || c.status == "D" ? nil : c.newObject)
                    if var cc = Optional(c), let cp = contextPath(c.path) { cc.path = cp; ctxDelta.changes.append(cc) }
                }
                try state!.context.apply(ctxDelta, objects: objects)
                state!.changedPaths = ctxDelta.changes.map(\.path)
                count += 1
                try emit(String(delta.id.prefix(7)), delta.id, baseline: count == 1 && delta.parents.isEmpty)
            }
        } catch let e as GitReplayError {
            throw e
        } catch {
            throw .input("git replay failed: \(error)")
        }
    }
}
