// Several Dockerfile variants replayed side by side over the same builds: the Dockerfile as it
// is, and the same file with one fix applied. Each variant has its own simulator (its own
// cache), all of them share one context snapshot, one `git log` stream and one `cat-file`
// process, so the cost of a variant is its simulation only.
//
// Two sources of builds:
// - a git history (`GitReplay.replayVariants`, in GitReplay.swift): each commit with that commit's own
//   Dockerfile and .dockerignore, a variant's text derived from it by `transform`;
// - plausible edits of a directory context (`PlausibleEdits.replay`): a first build of the
//   context as it is, then one build per edited file (each file changed alone, the others as
//   they are), weighted by how often files of that kind change.

import DockerlintModel
import DockerlintSupport
import DockerlintSyntax

/// One Dockerfile variant of a side-by-side replay.
public struct ReplayVariant {
    /// The text this variant builds, given the text of the build (nil when the build has no
    /// Dockerfile). nil means the variant does not apply: the build's own text is used and the
    /// build is marked `applied: false`.
    public var transform: ([UInt8]?) -> [UInt8]?
    /// Patterns added after the build's own .dockerignore (a variant that excludes more).
    public var extraIgnore: [String]
    /// The builds of this variant from an earlier replay of the same builds (in order, the
    /// first build included): they are passed on as they are instead of simulated again.
    public var recorded: [VariantBuild]?

    public init(extraIgnore: [String] = [], recorded: [VariantBuild]? = nil, transform: @escaping ([UInt8]?) -> [UInt8]?) {
        self.transform = transform
        self.extraIgnore = extraIgnore
        self.recorded = recorded
    }

    /// The Dockerfile of each build, as it is.
    public static var asIs: ReplayVariant { ReplayVariant { _ in nil } }

    /// The ignore patterns this variant builds with: the build's own (`base`), then `extraIgnore`.
    public func ignoreText(_ base: String?) -> String {
        (base ?? "") + (extraIgnore.isEmpty ? "" : "\n" + extraIgnore.joined(separator: "\n"))
    }
}

/// One variant's build of one replayed commit or edit.
public struct VariantBuild: Sendable {
    public var prediction: BuildPrediction
    /// The text and model the variant built (line numbers of `prediction` refer to them).
    public var text: [UInt8]
    public var model: DockerfileModel
    /// False when the variant did not apply and the build's own Dockerfile was used.
    public var applied: Bool
}

struct ReplayProblem: Error { var message: String }

/// Builds DockerfileModels for a replay, parsing each distinct text once.
struct ModelCache {
    var asts: [BytesKey: (file: Dockerfile, typed: DockerfileModel.Typed?)] = [:]
    var models: [BytesKey: DockerfileModel] = [:]
    let options: BuildOptions
    /// Build arguments that take a new value in every build: the model is rebuilt per build.
    let perBuildArgs: [String]
    /// With `perBuildArgs`: the models of the current build's value, by text (the variants
    /// of one build that build the same text share one model).
    var perBuild: (value: String, models: [BytesKey: DockerfileModel]) = ("", [:])

    init(options: BuildOptions, perBuildArgs: [String]) {
        self.options = options
        self.perBuildArgs = perBuildArgs
    }

    /// Models the caller already built (`DockerfileModel.build` of the text with these very
    /// options): taken instead of parsing and building them again.
    mutating func seed(_ known: [[UInt8]: DockerfileModel]) {
        guard perBuildArgs.isEmpty else { return }
        for (bytes, m) in known where m.options == options && models.count < 256 { models[BytesKey(bytes)] = m }
    }

    mutating func model(_ bytes: [UInt8], buildValue: String) -> DockerfileModel {
        let key = BytesKey(bytes)
        if perBuildArgs.isEmpty, let m = models[key] { return m }
        if !perBuildArgs.isEmpty {
            if perBuild.value != buildValue { perBuild = (buildValue, [:]) } else if let m = perBuild.models[key] { return m }
        }
        if asts.count > 256 { asts.removeAll(); models.removeAll() }
        var o = options
        for name in perBuildArgs { o.buildArgs[name] = buildValue }
        let m: DockerfileModel
        if perBuildArgs.isEmpty {
            let ast = asts[key]?.file ?? DockerfileParser.parse(bytes)
            asts[key] = (ast, nil)
            m = DockerfileModel.build(ast, options: o)
        } else {
            // A model per build: the file is parsed and typed once, the values resolved per build.
            let parsed = asts[key].flatMap { a in a.typed.map { (a.file, $0) } } ?? {
                let ast = asts[key]?.file ?? DockerfileParser.parse(bytes)
                return (ast, DockerfileModel.typed(ast))
            }()
            asts[key] = (parsed.0, parsed.1)
            m = DockerfileModel.build(parsed.0, options: o, typed: parsed.1)
        }
        if perBuildArgs.isEmpty { models[key] = m } else { perBuild.models[key] = m }
        return m
    }
}

/// How often a file of a kind changes, relative to a source file (1): what the plausible
/// edits weigh each edited file by. Dependency manifests and lock files change about a fifth
/// as often as sources, documentation a third, build and CI configuration a tenth.
public enum EditWeights {
    public static let manifestNames: Set<String> = [
        "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "pnpm-workspace.yaml",
        "bun.lockb", "bun.lock", ".yarnrc.yml", ".npmrc", "requirements.txt", "Pipfile", "Pipfile.lock", "pyproject.toml",
        "poetry.lock", "uv.lock", "pdm.lock", "setup.py", "setup.cfg", "go.mod", "go.sum", "Cargo.toml", "Cargo.lock",
        "Gemfile", "Gemfile.lock", "composer.json", "composer.lock", "pom.xml", "build.gradle", "build.gradle.kts",
        "settings.gradle", "settings.gradle.kts", "gradle.properties", "mix.exs", "mix.lock", "packages.lock.json",
        "Directory.Packages.props", "environment.yml", ".ruby-version", ".python-version", ".nvmrc", ".node-version",
    ]

    public enum Kind: String, Sendable { case source, manifest, documentation, configuration }

    public static func kind(of path: String) -> Kind {
        // Context paths are nearly always ASCII: decided on their bytes, with the answers of
        // the String version below (on ASCII a byte is a character), a tenth of the cost.
        if let k = path.utf8.withContiguousStorageIfAvailable({ asciiKind(of: $0) }), let k { return k }
        return characterKind(of: path)
    }

    /// `kind(of:)` on characters (any path).
    static func characterKind(of path: String) -> Kind {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        if manifestNames.contains(base) || base.hasPrefix("requirements") && base.hasSuffix(".txt")
            || base.hasSuffix(".csproj") || base.hasSuffix(".gemspec") { return .manifest }
        let lower = base.lowercased()
        if lower.hasSuffix(".md") || lower.hasSuffix(".rst") || lower.hasSuffix(".adoc") || lower.hasPrefix("license")
            || lower.hasPrefix("changelog") || path.hasPrefix("docs/") || path.hasPrefix("doc/") { return .documentation }
        if lower == "dockerfile" || lower.hasSuffix(".dockerfile") || lower.hasPrefix("dockerfile.") || lower == ".dockerignore"
            || lower.hasSuffix(".dockerignore") || path.hasPrefix(".github/") || path.hasPrefix(".gitlab") || path.hasPrefix(".circleci/")
            || lower.hasPrefix("docker-compose") || lower.hasPrefix("compose.") || lower == ".gitignore" { return .configuration }
        return .source
    }

    /// `kind(of:)` of an ASCII path (nil for any other).
    static func asciiKind(of path: UnsafeBufferPointer<UInt8>) -> Kind? {
        guard !path.contains(where: { $0 >= 0x80 }) else { return nil }
        // The last non-empty component (the whole path when there is none).
        var end = path.count
        while end > 0 && path[end - 1] == UInt8(ascii: "/") { end -= 1 }
        var start = end
        while start > 0 && path[start - 1] != UInt8(ascii: "/") { start -= 1 }
        let base = end > 0 ? UnsafeBufferPointer(rebasing: path[start..<end]) : path
        func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: StaticString, at offset: Int, lower: Bool) -> Bool {
            for k in 0..<b.utf8CodeUnitCount {
                var c = a[offset + k]
                if lower && c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") { c += 32 }
                if c != b.utf8Start[k] { return false }
            }
            return true
        }
        func prefix(_ a: UnsafeBufferPointer<UInt8>, _ b: StaticString, lower: Bool = false) -> Bool {
            a.count >= b.utf8CodeUnitCount && equal(a, b, at: 0, lower: lower)
        }
        func suffix(_ a: UnsafeBufferPointer<UInt8>, _ b: StaticString, lower: Bool = false) -> Bool {
            a.count >= b.utf8CodeUnitCount && equal(a, b, at: a.count - b.utf8CodeUnitCount, lower: lower)
        }
        func same(_ a: UnsafeBufferPointer<UInt8>, _ b: StaticString) -> Bool {
            a.count == b.utf8CodeUnitCount && equal(a, b, at: 0, lower: true)
        }
        if manifestNames.contains(String(decoding: base, as: UTF8.self)) || prefix(base, "requirements") && suffix(base, ".txt")
            || suffix(base, ".csproj") || suffix(base, ".gemspec") { return .manifest }
        if suffix(base, ".md", lower: true) || suffix(base, ".rst", lower: true) || suffix(base, ".adoc", lower: true)
            || prefix(base, "license", lower: true) || prefix(base, "changelog", lower: true) || prefix(path, "docs/")
            || prefix(path, "doc/") { return .documentation }
        if same(base, "dockerfile") || suffix(base, ".dockerfile", lower: true) || prefix(base, "dockerfile.", lower: true)
            || same(base, ".dockerignore") || suffix(base, ".dockerignore", lower: true) || prefix(path, ".github/")
            || prefix(path, ".gitlab") || prefix(path, ".circleci/") || prefix(base, "docker-compose", lower: true)
            || prefix(base, "compose.", lower: true) || same(base, ".gitignore") { return .configuration }
        return .source
    }

    public static func weight(of kind: Kind) -> Double {
        switch kind {
        case .source: return 1
        case .manifest: return 0.2
        case .documentation: return 0.3
        case .configuration: return 0.1
        }
    }

    public static func weight(of path: String) -> Double { weight(of: kind(of: path)) }
}

/// Builds of a directory context under plausible edits: the context as it is, then each file
/// changed alone.
public enum PlausibleEdits {
    /// A group of files that every COPY/ADD treats alike: files of one kind and extension under
    /// the same top folder, the folders the Dockerfile names being followed down (`COPY
    /// hc/api ...` keeps `hc/api` apart from the rest of `hc`); a file the Dockerfile names, and
    /// every manifest, is a group of its own. One file is edited for the whole group.
    public struct Edit: Sendable {
        /// The edited file.
        public var path: String
        /// How the group is named in reports (`src/**/*.py`, `package.json`).
        public var label: String
        /// Files in the group.
        public var files: Int
        /// The group's weight (the sum of its files' weights).
        public var weight: Double
    }

    /// The files of a context as the edits see them, prepared once per context (every
    /// Dockerfile built from it groups them by the names it mentions).
    public struct Files: Sendable {
        struct File: Sendable {
            var path: String
            /// The last component.
            var base: String
            var kind: EditWeights.Kind
            var weight: Double
            /// The folders above the file, outermost first (`a`, `a/b`).
            var folders: [String]
            /// The extension with its dot ("" when none).
            var ext: String
        }
        var files: [File] = []
        /// Every name `edits(of:mentioned:)` looks up: the files' paths and last components,
        /// their folders and the folders' last components.
        var known: Set<Substring> = []

        /// Whether `name` names a file or folder of the context the way `edits` looks names up
        /// (a mentioned name it is not cannot change the groups).
        public func names(_ name: Substring) -> Bool { known.contains(name) }
        /// Whether some name of `known` has `length` UTF-8 bytes (most words of a Dockerfile
        /// are ruled out by their length alone).
        public func names(length: Int) -> Bool { length < knownLengths.count && knownLengths[length] }
        var knownLengths: [Bool] = []

        /// The file of an ASCII path, split on its bytes (on ASCII a byte is a character: the
        /// same parts as the String version in `init`, without breaking it into characters);
        /// nil for any other path.
        static func asciiFile(_ path: String, _ kind: EditWeights.Kind) -> File? {
            guard path.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            let parts = path.utf8.split(separator: UInt8(ascii: "/"))
            var folders: [String] = []
            var prefix = ""
            for part in parts.dropLast() {
                let name = String(Substring(part))
                prefix = prefix.isEmpty ? name : prefix + "/" + name
                folders.append(prefix)
            }
            let base = parts.last.map { String(Substring($0)) } ?? path
            let ext = base.utf8.lastIndex(of: UInt8(ascii: ".")).map { String(base[$0...]) } ?? ""
            return File(path: path, base: base, kind: kind, weight: EditWeights.weight(of: kind), folders: folders, ext: ext)
        }

        /// A path's parts and kind (a function of the path alone).
        static func file(_ path: String) -> File {
            let kind = EditWeights.kind(of: path)
            if let file = Files.asciiFile(path, kind) { return file }
            let parts = path.split(separator: "/", omittingEmptySubsequences: true)
            var folders: [String] = []
            var prefix = ""
            for part in parts.dropLast() {
                prefix = prefix.isEmpty ? String(part) : prefix + "/" + part
                folders.append(prefix)
            }
            let base = parts.last.map(String.init) ?? path
            let ext = base.lastIndex(of: ".").map { String(base[$0...]) } ?? ""
            return File(path: path, base: base, kind: kind, weight: EditWeights.weight(of: kind), folders: folders, ext: ext)
        }

        /// The files split so far by path, shared by the walks of one run.
        public final class Memo: @unchecked Sendable {
            private let lock = PosixMutex()
            private var known: [String: File] = [:]
            public init() {}
            func files() -> [String: File] { lock.locked { known } }
            func add(_ made: [String: File]) {
                lock.locked {
                    if known.count > 100_000 { known.removeAll() }
                    known.merge(made) { a, _ in a }
                }
            }
        }

        /// No file to edit (every file of the context is a group of its own or in one).
        public var isEmpty: Bool { files.isEmpty }

        public init(_ snapshot: ContextSnapshot) { self.init(snapshot, memo: nil) }

        /// The files of `snapshot`, each path's parts taken from `memo` when an earlier walk of
        /// the same directory (with other ignore patterns) split it (and recorded there).
        public init(_ snapshot: ContextSnapshot, memo: Memo?) {
            let split = memo?.files() ?? [:]
            var made: [String: File] = [:]
            for (path, e) in snapshot.entries where e.kind == .file || e.kind == .symlink {
                if let file = split[path] {
                    files.append(file)
                    continue
                }
                let file = Files.file(path)
                files.append(file)
                if memo != nil { made[path] = file }
            }
            if !made.isEmpty { memo?.add(made) }
            for f in files {
                known.insert(Substring(f.path))
                known.insert(Substring(f.base))
                for folder in f.folders {
                    known.insert(Substring(folder))
                    if let slash = folder.utf8.lastIndex(of: UInt8(ascii: "/")) { known.insert(folder[folder.utf8.index(after: slash)...]) }
                }
            }
            knownLengths = Array(repeating: false, count: (known.map(\.utf8.count).max() ?? 0) + 1)
            for name in known { knownLengths[name.utf8.count] = true }
        }
    }

    /// The edits of a context: every file of `snapshot` (one per group), weighted.
    /// `mentioned` holds the names the Dockerfile mentions: a path (or a folder) is named in
    /// the Dockerfile when it or its last component is one of them.
    public static func edits(of snapshot: ContextSnapshot, mentioned names: Set<String>) -> [Edit] {
        edits(of: Files(snapshot), mentioned: names)
    }

    /// `edits(of:mentioned:)` of files prepared once.
    public static func edits(of context: Files, mentioned names: Set<String>) -> [Edit] {
        // Folders recur for every file under them: each is looked up once.
        var folders: [String: Bool] = [:]
        func named(_ p: String) -> Bool {
            if names.contains(p) { return true }
            guard let slash = p.utf8.lastIndex(of: UInt8(ascii: "/")) else { return false }
            return names.contains(String(p[p.utf8.index(after: slash)...]))
        }
        func mentioned(_ p: String) -> Bool {
            if let m = folders[p] { return m }
            let m = named(p)
            folders[p] = m
            return m
        }
        struct Key: Hashable {
            var exact: String?
            var prefix: String
            var ext: String
            var kind: EditWeights.Kind
            var text: String { exact.map { "=" + $0 } ?? prefix + "\u{0}" + ext + "\u{0}" + kind.rawValue }
        }
        var groups: [Key: Edit] = [:]
        for f in context.files {
            let key: Key
            var deep = false
            if f.kind == .manifest || names.contains(f.path) || (f.base != f.path && names.contains(f.base)) {
                key = Key(exact: f.path, prefix: "", ext: "", kind: f.kind)
            } else {
                // Folders down to the first one the Dockerfile does not name.
                var prefix = ""
                for (n, folder) in f.folders.enumerated() {
                    prefix = folder
                    if !mentioned(folder) { deep = n < f.folders.count - 1; break }
                }
                key = Key(exact: nil, prefix: prefix, ext: f.ext, kind: f.kind)
            }
            if groups[key] == nil {
                let label = key.exact ?? (key.prefix.isEmpty ? "" : key.prefix + (deep ? "/**/" : "/")) + "*" + key.ext
                groups[key] = Edit(path: f.path, label: label, files: 0, weight: 0)
            } else if utf8Less(f.path, groups[key]!.path) {
                groups[key]!.path = f.path
            }
            groups[key]!.files += 1
            groups[key]!.weight += f.weight
            if deep && !groups[key]!.label.contains("/**/") {
                groups[key]!.label = key.prefix + "/**/*" + key.ext
            }
        }
        return groups.map { ($0.key.text, $0.value) }.sorted { utf8Less($0.0, $1.0) }.map { _, g in
            var g = g
            if g.files == 1 { g.label = g.path }
            return g
        }
    }

    /// Whether hashing `sources` can follow one of the symlinks `links`: BuildKit resolves
    /// the symlinks along a source path and those a wildcard matches; the classic builder
    /// also every symlink inside what it copies.
    static func followsSymlink(_ sources: [String], links: [String], engine: BuilderKind) -> Bool {
        sources.contains { src in
            let clean = ContextSnapshot.key(src)
            return links.contains { l in
                if clean == l || clean.hasPrefix(l + "/") { return true }
                if engine.cacheModel == .classic || goContainsWildcards(clean) { return CacheSimulator.covers(src, l) }
                return false
            }
        }
    }

    /// Simulates `variants` over the edits of `snapshot`: one first build (marked `baseline`),
    /// then one build per edit, `body` receiving each edit (nil for the first build) and one
    /// `VariantBuild` per variant. `dockerfile` is the file's current text. Returns how many
    /// builds were simulated (edits that build alike share one simulation per variant).
    /// `firstBuilt` receives the snapshot after the first build (its digests memoised), when
    /// no churn was added to it: the same context for another Dockerfile starts from there.
    @discardableResult
    public static func replay(snapshot: ContextSnapshot, ignoreText: String?, dockerfile: [UInt8], dockerfilePath: String,
                              edits: [Edit], buildArgs: [String: String] = [:], perBuildArgs: [String] = [],
                              churn: [String] = [], target: String? = nil,
                              variants: [ReplayVariant], simulators: inout [CacheSimulator],
                              firstBuilt: ((ContextSnapshot) -> Void)? = nil, models: [[UInt8]: DockerfileModel] = [:],
                              _ body: (Edit?, [VariantBuild]) -> Void) -> Int {
        precondition(variants.count == simulators.count)
        var cache = ModelCache(options: BuildOptions(buildArgs: BuildArgs(buildArgs), target: target), perBuildArgs: perBuildArgs)
        cache.seed(models)
        let texts = variants.map { $0.transform(dockerfile) }
        let ignores: [DockerIgnore] = variants.map { v in (try? DockerIgnore(text: v.ignoreText(ignoreText))) ?? .empty }
        var state = BuildState(label: "as is", model: DockerfileModel.parse(""), context: snapshot, changedPaths: [],
                               dockerfilePath: dockerfilePath)
        var emitted = 0
        var simulatedBuilds = 0
        @discardableResult
        func build(_ label: String, _ n: Int, edit: Edit?) -> [VariantBuild] {
            var builds: [VariantBuild] = []
            defer { emitted += 1 }
            for (k, v) in variants.enumerated() {
                if let r = v.recorded, emitted < r.count {
                    builds.append(r[emitted])
                    continue
                }
                let text = texts[k] ?? dockerfile
                let model = cache.model(text, buildValue: "build-\(n)")
                state.model = model
                state.ignore = ignores[k]
                state.label = label
                var p = simulators[k].simulate(&state)
                simulatedBuilds += 1
                p.baseline = edit == nil
                builds.append(VariantBuild(prediction: p, text: text, model: model, applied: texts[k] != nil))
            }
            body(edit, builds)
            return builds
        }
        func setChurn(_ n: Int) {
            for path in churn {
                state.context.setEntry(ContextEntry(path: path, kind: .file, mode: 0o100644, size: 41, contentDigest: "churn:\(n)"))
            }
        }
        setChurn(0)
        build("as is", 0, edit: nil)
        // The context as it is, with what the first build memoised (before any edit).
        if churn.isEmpty, let firstBuilt { firstBuilt(state.context) }
        // Edits that change the same sources of every simulated variant build alike: the caches
        // keep every build and each edit's digests are new, so a step misses exactly when one
        // of its sources (or a step it depends on) covers the edited file. One edit of each
        // such class is simulated; the others take its builds (their own edit and weight).
        // Exact where a source covers a file by its path alone (no source is resolved through
        // a symlink), the cache is local (a CI cache makes each build depend on the one
        // before), and the sources do not change with per-build values (checked on the first
        // two builds).
        let simulated = variants.indices.filter { variants[$0].recorded == nil }
        let firstSources = simulated.map { simulators[$0].contextSources }
        // The same sources as context keys, cleaned once (`covers` would clean them per edit).
        let firstKeys = firstSources.map { $0.map { $0.map(ContextSnapshot.key) } }
        var grouping = simulated.allSatisfy { !simulators[$0].ciMode }
        if grouping && state.context.symlinkCount > 0 {
            let links = state.context.entries.values.filter { $0.kind == .symlink }.map(\.path)
            grouping = !simulated.enumerated().contains { i, k in
                firstSources[i].contains { sources in
                    PlausibleEdits.followsSymlink(sources, links: links, engine: simulators[k].engine)
                }
            }
        }
        var classes: [[Int]: [VariantBuild]] = [:]
        var simulatedEdits = 0
        func signature(_ path: String) -> [Int] {
            var out: [Int] = []
            for (i, k) in simulated.enumerated() {
                out.append(-1)
                // Present as walked unless the variant's patterns are not the walk's.
                if ignores[k].fingerprint != state.context.walked?.fingerprint,
                   (try? state.context.isPresent(path, ignore: ignores[k])) != true { continue }
                for (j, sources) in firstKeys[i].enumerated() where sources.contains(where: { CacheSimulator.covers(key: $0, path) }) {
                    out.append(j)
                }
            }
            return out
        }
        var reverted: [String] = []
        for (n, edit) in edits.enumerated() {
            guard let original = state.context.entries[edit.path] else { continue }
            let key = grouping ? signature(edit.path) : []
            if grouping, let builds = classes[key] {
                let reused = variants.enumerated().map { k, v in v.recorded.map { emitted < $0.count ? $0[emitted] : builds[k] } ?? builds[k] }
                emitted += 1
                body(edit, reused)
                continue
            }
            var changed = original
            changed.contentDigest = (original.contentDigest ?? "") + "+edit"
            changed.size += 1
            if changed.kind == .symlink { changed.linkTarget = (original.linkTarget ?? "") + "+edit" }
            state.context.setEntry(changed)
            setChurn(n + 1)
            state.changedPaths = [edit.path] + reverted + churn
            let builds = build(edit.label, n + 1, edit: edit)
            simulatedEdits += 1
            if grouping {
                if simulatedEdits == 1, simulated.enumerated().contains(where: { simulators[$0.element].contextSources != firstSources[$0.offset] }) {
                    grouping = false
                } else {
                    classes[key] = builds
                }
            }
            // Back to the file as it is before the next edit (the caches keep every build, so
            // the next edit is compared with the context as it is).
            state.context.setEntry(original)
            reverted = [edit.path]
        }
        return simulatedBuilds
    }
}
