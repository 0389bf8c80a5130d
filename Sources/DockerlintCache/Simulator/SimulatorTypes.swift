// The simulator's public vocabulary: what a build is (BuildState), what it predicts per step
// (StepPrediction) and per build (BuildPrediction). CACHE-SEMANTICS.md is the reference; its
// §7 verified results win over the documentation where they disagree.

import DockerlintModel
import DockerlintSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The metadata BuildKit's incremental context transfer compares (fsutil `sameFile`): a file
/// whose size, mtime and mode are unchanged is not re-sent (CACHE-SEMANTICS §8).
public struct FileStamp: Sendable, Hashable {
    public var size: Int64
    public var mtimeSeconds: Int64
    public var mtimeNanoseconds: Int64
    public var mode: UInt32

    public init(size: Int64, mtimeSeconds: Int64, mtimeNanoseconds: Int64, mode: UInt32) {
        self.size = size
        self.mtimeSeconds = mtimeSeconds
        self.mtimeNanoseconds = mtimeNanoseconds
        self.mode = mode
    }
}

/// A context sent through one BuildKit transfer session (one directory on the client):
/// later builds from the same session only receive files whose stamp changed.
public struct ContextTransfer: Sendable, Equatable {
    /// Identifies the client directory (BuildKit's shared session key); builds from another
    /// directory get a fresh transfer.
    public var session: String
    /// Stamps of the regular files of the context, by context-relative path.
    public var stamps: [String: FileStamp]

    public init(session: String, stamps: [String: FileStamp]) {
        self.session = session
        self.stamps = stamps
    }

    /// lstat()s every regular file of `snapshot` under `directory`.
    public static func capture(directory: String, snapshot: ContextSnapshot) -> ContextTransfer {
        var stamps: [String: FileStamp] = [:]
        for (path, e) in snapshot.entries where e.kind == .file {
            var st = stat()
            guard lstat(directory + "/" + path, &st) == 0 else { continue }
            stamps[path] = FileStamp(size: Int64(st.st_size), mtimeSeconds: Int64(st.st_mtim.tv_sec),
                                     mtimeNanoseconds: Int64(st.st_mtim.tv_nsec), mode: UInt32(st.st_mode))
        }
        var real = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let session = realpath(directory, &real) != nil ? String(cString: real) : directory
        return ContextTransfer(session: session, stamps: stamps)
    }
}

/// One build to simulate: the Dockerfile as the builder reads it (build args and target are in
/// `model.options`), the context, and what the builder would exclude from it.
public struct BuildState: Sendable {
    /// A name for reports: a commit id, "build 2", a plan entry.
    public var label: String
    public var model: DockerfileModel
    public var context: ContextSnapshot
    /// Patterns applied while hashing (use `.empty` when the snapshot was filtered while scanning).
    public var ignore: DockerIgnore
    /// Set for directory contexts: enables BuildKit's stale-transfer behaviour (§8).
    public var transfer: ContextTransfer?
    /// Context-relative paths changed since the previous build, when the caller knows them
    /// (git replay); otherwise the simulator diffs the contexts itself.
    public var changedPaths: [String]?
    /// The commit id for git replays.
    public var commit: String?
    /// Where the Dockerfile was read from (for reports).
    public var dockerfilePath: String

    public init(label: String, model: DockerfileModel, context: ContextSnapshot, ignore: DockerIgnore = .empty,
                transfer: ContextTransfer? = nil, changedPaths: [String]? = nil, commit: String? = nil,
                dockerfilePath: String = "Dockerfile") {
        self.label = label
        self.model = model
        self.context = context
        self.ignore = ignore
        self.transfer = transfer
        self.changedPaths = changedPaths
        self.commit = commit
        self.dockerfilePath = dockerfilePath
    }

    public var target: String? { model.options.target }
    public var buildArgs: BuildArgs { model.options.buildArgs }
}

public enum StepStatus: String, Sendable, CaseIterable {
    case hit
    case miss
    case notBuilt = "not-built"
}

/// Why a step hit or missed, as a category (the sentence is in `StepPrediction.reason`).
public enum StepCause: String, Sendable, CaseIterable {
    case coldCache = "cold-cache"
    case unchanged
    case restored
    case deduplicated
    case contentUnchanged = "content-unchanged"
    case staleTransfer = "stale-transfer"
    case parentRebuilt = "parent-rebuilt"
    case baseChanged = "base-changed"
    case cacheBusted = "cache-busted"
    case instructionChanged = "instruction-changed"
    case sourcesChanged = "sources-changed"
    case argChanged = "arg-changed"
    case envChanged = "env-changed"
    case workdirChanged = "workdir-changed"
    case userChanged = "user-changed"
    case shellChanged = "shell-changed"
    case mountsChanged = "mounts-changed"
    case stageFilesChanged = "stage-files-changed"
    case newStep = "new-step"
    case missingSource = "missing-source"
    case notNeeded = "not-needed"
    case afterTarget = "after-target"
    case notCached = "not-cached"
    /// CI caches: the step's key was imported but not its layers (inline / `mode=min` keep only
    /// the final image's layers), so it runs when a later step needs its result.
    case keyWithoutLayers = "key-without-layers"
    /// CI caches: the step was restored from the imported cache (its layers downloaded).
    case importedCache = "imported-cache"
    /// CI caches (`mode=max`): restored, if the previous build exported its layers. That build
    /// matched the step without loading it, and BuildKit v0.13 exports such a step sometimes
    /// with its layers and sometimes without (then it runs); which one varies between runs.
    case uncertainRestore = "restored-uncertain"
    /// CI caches: in the imported cache and not needed, because a later step was restored.
    case restoredLater = "restored-later"
    /// CI caches: not in what the previous build exported.
    case notImported = "not-imported"
}

/// The prediction for one step of one build.
public struct StepPrediction: Sendable, Equatable {
    /// The instruction's first line in this build's Dockerfile.
    public var line: Int
    /// The keyword in upper case.
    public var instruction: String
    /// Stage index from 0.
    public var stage: Int
    public var stageName: String?
    public var status: StepStatus
    public var reason: String
    public var cause: StepCause
    /// The simulated cache key (nil when not built).
    public var key: String?
    /// Stable across commits: `<stage name or index>:<KEYWORD>#<n-th of that keyword in the stage>`.
    public var identity: String
    /// The instruction as written on one line (shortened).
    public var text: String
    /// What the step costs when it runs.
    public var costSeconds: Double
    /// Whether `costSeconds` came from a measured build.
    public var measured: Bool
    /// The digest of the step's own inputs, its parent excluded (definition, sources,
    /// environment, mounts): two builds with the same `inputKey` for every step up to this one
    /// have the same cache key here. Order searches compare histories with it.
    public var inputKey: String? = nil
    /// What the step costs in this build: `costSeconds` on a miss, 0 otherwise.
    public var estimatedSeconds: Double { status == .miss ? costSeconds : 0 }
}

/// The prediction for one build.
public struct BuildPrediction: Sendable {
    public var label: String
    public var commit: String?
    public var engine: BuilderKind
    public var dockerfilePath: String
    /// The target stage index (nil when it could not be resolved).
    public var targetStage: Int?
    public var target: String?
    public var steps: [StepPrediction]
    /// Input problems (no Dockerfile at a commit, unknown target, ...): the build is not simulated.
    public var errors: [String]
    /// True for the build that only fills the cache (excluded from history statistics).
    public var baseline: Bool
    /// Files BuildKit would not re-send (stale-transfer quirk), context-relative.
    public var staleFiles: [String]
    /// The cache this build started from.
    public var ciCache: CICacheMode = .local
    /// The engine release whose keys were modelled.
    public var release: EngineRelease = .docker20_10

    public var builtSteps: [StepPrediction] { steps.filter { $0.status != .notBuilt } }
    public var missCount: Int { steps.reduce(0) { $0 + ($1.status == .miss ? 1 : 0) } }
    public var hitCount: Int { steps.reduce(0) { $0 + ($1.status == .hit ? 1 : 0) } }
    /// Estimated time of this build (the steps that run).
    public var estimatedSeconds: Double { steps.reduce(0) { $0 + $1.estimatedSeconds } }
    /// Estimated time if nothing were cached.
    public var totalSeconds: Double { builtSteps.reduce(0) { $0 + $1.costSeconds } }
    public var reusedSeconds: Double { totalSeconds - estimatedSeconds }
    /// reused cost / total cost (1 when nothing costs anything).
    public var efficiency: Double { totalSeconds > 0 ? reusedSeconds / totalSeconds : 1 }
    public var firstMiss: StepPrediction? { steps.first { $0.status == .miss } }
}

/// Engine switches.
public struct SimulatorOptions: Sendable, Equatable {
    /// BuildKit: let directory permissions enter source digests (current BuildKit source);
    /// off by default as observed on Docker 20.10 (§7 e11, e16).
    public var directoryMetadata: Bool
    /// BuildKit: model the stale incremental transfer of §8 for builds with a `transfer`.
    public var staleTransfer: Bool
    /// The engine release whose keys are modelled.
    public var release: EngineRelease
    /// The cache each build starts from.
    public var ciCache: CICacheMode
    /// Whether each step gets its explanation (why it hit or missed, in words) and its
    /// `inputKey`. Off for a replay that only counts what re-runs (a fix's variant in the
    /// evidence of a finding): statuses, causes that decide them, keys and costs are the same.
    public var explains = true

    public init(directoryMetadata: Bool = false, staleTransfer: Bool = true, release: EngineRelease = .docker20_10,
                ciCache: CICacheMode = .local) {
        self.directoryMetadata = directoryMetadata
        self.staleTransfer = staleTransfer
        self.release = release
        self.ciCache = ciCache
    }
}
