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

    /// Checks every endpoint of `A..B`, `A...B` or `REV` (asked of `objects`' running
    /// `cat-file` when given, else of `git rev-parse`).
    public static func validate(range: String, repository: String, objects: GitObjectReader? = nil) throws(GitReplayError) {
        let parts = range.components(separatedBy: "...").count == 2 ? range.components(separatedBy: "...") : range.components(separatedBy: "..")
        guard !range.isEmpty, !range.hasPrefix("-"), parts.count <= 2 else { throw .input("bad revision range '\(range)'") }
        for p in parts where !p.isEmpty {
            let known: Bool
            if let objects {
                known = (try? objects.commit(p)) != nil
            } else {
                known = (try? GitHistory.resolve(repository: repository, revision: p)) != nil
            }
            if !known { throw .input("bad revision range '\(range)': unknown revision '\(p)'") }
        }
    }

    /// Replays `range` (first-parent, oldest first). The first build is the tree before the
    /// first replayed commit (or the root commit) and is marked `baseline`.
    /// With `dockerfileText`, every commit is built with that Dockerfile instead of the one
    /// in the commit (compare: the same history through two variants). One variant of
    /// `replayVariants`.
    public static func replay(_ source: GitReplaySource, range: String, buildArgs: [String: String] = [:],
                              perBuildArgs: [String] = [], churn: [String] = [], target: String? = nil,
                              dockerfileText: [UInt8]? = nil,
                              simulator: inout CacheSimulator, _ body: (BuildPrediction) -> Void) throws(GitReplayError) {
        try replayBuilds(source, range: range, buildArgs: buildArgs, perBuildArgs: perBuildArgs, churn: churn, target: target,
                         dockerfileText: dockerfileText, simulator: &simulator) { body($0.prediction) }
    }

    /// `replay`, each build with the text and model it was simulated from (what the history
    /// statistics align the builds' steps by).
    public static func replayBuilds(_ source: GitReplaySource, range: String, buildArgs: [String: String] = [:],
                                    perBuildArgs: [String] = [], churn: [String] = [], target: String? = nil,
                                    dockerfileText: [UInt8]? = nil,
                                    simulator: inout CacheSimulator, _ body: (VariantBuild) -> Void) throws(GitReplayError) {
        let variant = dockerfileText.map { text in ReplayVariant { _ in text } } ?? .asIs
        var simulators = [simulator]
        defer { simulator = simulators[0] }
        try replayVariants(source, range: range, buildArgs: buildArgs, perBuildArgs: perBuildArgs, churn: churn, target: target,
                           variants: [variant], simulators: &simulators) {
            body($0[0])
        }
    }
}

extension GitReplay {
    /// Replays `range` (first-parent, oldest first) once for every variant, each commit with its
    /// own Dockerfile and .dockerignore. `simulators[k]` carries variant k's cache; `body`
    /// receives, per build, one `VariantBuild` per variant (the first build, which fills the
    /// caches, is marked `baseline`). `perBuildArgs` take the commit id as their value (values
    /// a CI passes per build); `churn` paths get new content in every build (`.git` in a
    /// context that does not exclude it). `objects` is the caller's reader of the repository's
    /// objects when it has one (replays of one run share its `cat-file` processes).
    public static func replayVariants(_ source: GitReplaySource, range: String, buildArgs: [String: String] = [:],
                                      perBuildArgs: [String] = [], churn: [String] = [], target: String? = nil,
                                      objects shared: GitObjectReader? = nil,
                                      variants: [ReplayVariant], simulators: inout [CacheSimulator],
                                      _ body: ([VariantBuild]) -> Void) throws(GitReplayError) {
        precondition(variants.count == simulators.count)
        let objects = shared ?? GitObjectReader(repository: source.repository)
        defer { if shared == nil { objects.close() } }
        try validate(range: range, repository: source.repository, objects: objects)
        var cache = ModelCache(options: BuildOptions(buildArgs: BuildArgs(buildArgs), target: target), perBuildArgs: perBuildArgs)
        let noModel = DockerfileModel.parse("")
        let prefix = source.contextPrefix
        // The ignore files BuildKit would try, in its order (repository paths: the repository
        // root stands where the working directory does on disk).
        let ignoreCandidates = IgnoreFile.candidates(dockerfile: source.dockerfilePath, contextDirectory: prefix.isEmpty ? "." : prefix)
        var blobs: [String: String] = [:]  // tracked repo path -> blob id
        var dockerfiles: [String: [UInt8]] = [:]
        var transformed: [[String: [UInt8]?]] = Array(repeating: [:], count: variants.count)
        var ignores: [String: Result<DockerIgnore, ReplayProblem>] = [:]
        var state: BuildState? = nil
        var count = 0
        var emitted = 0

        func track(_ path: String, _ object: String?) {
            if path == source.dockerfilePath || ignoreCandidates.contains(path) { blobs[path] = object }
        }
        func contextPath(_ repoPath: String) -> String? {
            if prefix.isEmpty { return repoPath }
            return repoPath.hasPrefix(prefix + "/") ? String(repoPath.dropFirst(prefix.count + 1)) : nil
        }
        func ignore(_ blob: String?, extra: [String], label: String) throws -> Result<DockerIgnore, ReplayProblem> {
            let key = (blob ?? "-") + "\u{0}" + extra.joined(separator: "\n")
            if let r = ignores[key] { return r }
            var text = ""
            if let blob { text = try objects.contents(of: blob).map { String(decoding: $0, as: UTF8.self) } ?? "" }
            if !extra.isEmpty { text += "\n" + extra.joined(separator: "\n") }
            let r: Result<DockerIgnore, ReplayProblem>
            do { r = .success(try DockerIgnore(text: text)) } catch { r = .failure(ReplayProblem(message: "bad .dockerignore at \(label): \(error)")) }
            ignores[key] = r
            return r
        }
        func emit(_ label: String, _ commit: String, baseline: Bool) throws {
            var own: [UInt8]? = nil
            if let b = blobs[source.dockerfilePath] {
                if dockerfiles[b] == nil {
                    if dockerfiles.count > 256 { dockerfiles.removeAll() }
                    dockerfiles[b] = try objects.contents(of: b)
                }
                own = dockerfiles[b]
            }
            let missing = blobs[source.dockerfilePath] == nil ? "no \(source.dockerfilePath) at \(label)"
                : "cannot read \(source.dockerfilePath) at \(label)"
            let ignBlob = ignoreCandidates.lazy.compactMap { blobs[$0] }.first
            var builds: [VariantBuild] = []
            defer { emitted += 1 }
            for (k, v) in variants.enumerated() {
                if let r = v.recorded, emitted < r.count {
                    builds.append(r[emitted])
                    continue
                }
                var text: [UInt8]?
                let key = blobs[source.dockerfilePath] ?? "-"
                if let t = transformed[k][key] { text = t } else {
                    text = v.transform(own)
                    if transformed[k].count > 256 { transformed[k].removeAll() }
                    transformed[k][key] = .some(text)
                }
                let applied = text != nil
                var p: BuildPrediction
                var model = noModel
                let built = text ?? own ?? []
                if let bytes = text ?? own {
                    switch try ignore(ignBlob, extra: v.extraIgnore, label: label) {
                    case .failure(let problem):
                        p = .failed(label: label, commit: commit, engine: simulators[k].engine, dockerfilePath: source.dockerfilePath,
                                    message: problem.message)
                    case .success(let ign):
                        model = cache.model(bytes, buildValue: commit)
                        state!.model = model
                        state!.ignore = ign
                        state!.label = label
                        state!.commit = commit
                        p = simulators[k].simulate(&state!)
                    }
                } else {
                    p = .failed(label: label, commit: commit, engine: simulators[k].engine, dockerfilePath: source.dockerfilePath,
                                message: missing)
                }
                p.baseline = baseline
                builds.append(VariantBuild(prediction: p, text: built, model: model, applied: applied))
            }
            body(builds)
        }
        func applyChurn(_ commit: String) -> [String] {
            for path in churn {
                state!.context.setEntry(ContextEntry(path: path, kind: .file, mode: 0o100644, size: 41, contentDigest: "churn:" + commit))
            }
            return churn
        }

        func replayCommit(_ delta: GitCommitDelta, facts: ContextSnapshot.ObjectFacts) throws {
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
                    state = BuildState(label: String(parent.prefix(7)), model: noModel, context: snap,
                                       changedPaths: [], commit: parent, dockerfilePath: source.dockerfilePath)
                    _ = applyChurn(parent)
                    try emit(String(parent.prefix(7)), parent, baseline: true)
                } else {
                    state = BuildState(label: "", model: noModel, context: snap, changedPaths: [],
                                       dockerfilePath: source.dockerfilePath)
                }
            }
            var ctxDelta = delta
            ctxDelta.changes = []
            for c in delta.changes {
                track(c.path, c.newMode == 0 || c.status == "D" ? nil : c.newObject)
                if var cc = Optional(c), let cp = contextPath(c.path) { cc.path = cp; ctxDelta.changes.append(cc) }
            }
            state!.context.apply(ctxDelta, facts: facts)
            state!.changedPaths = ctxDelta.changes.map(\.path) + applyChurn(delta.id)
            count += 1
            try emit(String(delta.id.prefix(7)), delta.id, baseline: count == 1 && delta.parents.isEmpty)
        }
        // Commits are replayed in windows: the sizes and symlink targets of a window's new
        // blobs are read from git in one batch before its commits are replayed in order.
        var window: [GitCommitDelta] = []
        func flush() throws {
            if window.isEmpty { return }
            let facts = try ContextSnapshot.ObjectFacts.read(for: window, objects: objects)
            let commits = window
            window.removeAll(keepingCapacity: true)
            for delta in commits { try replayCommit(delta, facts: facts) }
        }

        do {
            try GitHistory.forEachCommit(repository: source.repository, range: range) { delta in
                window.append(delta)
                if window.count >= 128 { try flush() }
            }
            try flush()
        } catch let e as GitReplayError {
            throw e
        } catch {
            throw .input("git replay failed: \(error)")
        }
    }
}

