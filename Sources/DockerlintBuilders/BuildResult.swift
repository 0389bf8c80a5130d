// Common result and option types shared by every real-builder driver.
import DockerlintSupport
import DockerlintModel
import Foundation

/// The label every image (and, where the builder allows, container) made by a driver carries.
public let benchLabelKey = "dev.dockerlint.bench"

/// Cache outcome of one step.
public enum StepStatus: String, Sendable, Codable {
    /// Served from cache (BuildKit `CACHED`, classic/buildah `Using cache`).
    case hit
    /// Executed.
    case miss
    /// Announced by the builder but never finished (an earlier step failed, or the build was cut short).
    case notRun
}

/// One step as the builder reported it. `index`/`total` are the builder's own `[k/n]` / `Step k/n`
/// numbers: BuildKit counts only FROM/RUN/COPY/ADD/WORKDIR per stage, classic and buildah count
/// every instruction.
public struct StepResult: Sendable, Equatable, Codable {
    public var index: Int
    public var total: Int
    /// BuildKit stage name for `[name k/n]` vertices in multi-stage builds, else nil.
    public var stage: String?
    /// Instruction text as the builder printed it (`RUN sleep 1`, `FROM docker.io/local/busybox:latest`).
    public var instruction: String
    public var status: StepStatus
    /// Seconds the step took (BuildKit: completed − started; classic/buildah: gap between step headers).
    public var seconds: Double
    /// Failure message attached to this step, if any.
    public var error: String?

    public init(index: Int, total: Int, stage: String? = nil, instruction: String, status: StepStatus,
                seconds: Double, error: String? = nil) {
        self.index = index
        self.total = total
        self.stage = stage
        self.instruction = instruction
        self.status = status
        self.seconds = seconds
        self.error = error
    }

    /// First word of the instruction, upper-cased (`RUN`, `COPY`, `FROM`).
    public var keyword: String {
        String(instruction.split(separator: " ", maxSplits: 1).first ?? "").uppercased()
    }
}

/// What one build did.
public struct BuildResult: Sendable, Codable {
    public var builder: BuilderKind
    /// Wall-clock seconds from sending the request / starting the process to the end of its output.
    public var wallSeconds: Double
    public var steps: [StepResult]
    /// Full image ID (`sha256:…`) when the build succeeded.
    public var imageID: String?
    /// Build-level failure message (nil on success).
    public var error: String?
    /// Exit code of the failing RUN where the builder reports it (classic `errorDetail.code`,
    /// buildah/podman process exit code); BuildKit carries it only inside `error`.
    public var exitCode: Int?
    /// Output lines of the build (container output, status lines), for diagnostics.
    public var log: [String]

    public init(builder: BuilderKind, wallSeconds: Double, steps: [StepResult], imageID: String?,
                error: String?, exitCode: Int?, log: [String]) {
        self.builder = builder
        self.wallSeconds = wallSeconds
        self.steps = steps
        self.imageID = imageID
        self.error = error
        self.exitCode = exitCode
        self.log = log
    }

    public var succeeded: Bool { error == nil }
    /// Statuses in step order, handy for assertions (`[.hit, .hit, .miss]`).
    public var statuses: [StepStatus] { steps.map(\.status) }
}

/// One build asked of a real builder: the build's own options (`BuildOptions`: build
/// arguments, target) and how to run it (labels, tag, cache, timeout).
public struct BuildRequest: Sendable {
    /// Run identifier; every image gets the label `dev.dockerlint.bench=<runID>`.
    public var runID: String
    /// Tag for the final image (`t`); nil builds untagged.
    public var tag: String?
    /// Bypass the cache (`nocache=1` / `--no-cache`).
    public var noCache: Bool
    /// Build arguments and target, as the Dockerfile model sees them.
    public var options: BuildOptions
    /// Extra labels; the bench label is always added.
    public var labels: [String: String]
    /// Dockerfile path relative to the context root.
    public var dockerfile: String
    /// Whole-build timeout in seconds; the request is cancelled / the process killed after it.
    public var timeout: Double
    /// Cache import/export and push (buildx only; the Engine API and podman/buildah reject them).
    public var cache: BuildCacheOptions = BuildCacheOptions()

    public init(runID: String, tag: String? = nil, noCache: Bool = false, buildArgs: [String: String] = [:],
                target: String? = nil, labels: [String: String] = [:], dockerfile: String = "Dockerfile",
                timeout: Double = 600, cache: BuildCacheOptions = BuildCacheOptions()) {
        self.cache = cache
        self.runID = runID
        self.tag = tag
        self.noCache = noCache
        self.options = BuildOptions(buildArgs: BuildArgs(buildArgs), target: target)
        self.labels = labels
        self.dockerfile = dockerfile
        self.timeout = timeout
    }

    /// `--build-arg` values.
    public var buildArgs: [String: String] { options.buildArgs.values }
    /// Stage to stop at (`target`).
    public var target: String? { options.target }

    /// `labels` plus the bench label.
    public var allLabels: [String: String] {
        var l = labels
        l[benchLabelKey] = runID
        return l
    }
}

/// What `cleanup(runID:)` removed.
public struct CleanupReport: Sendable, Equatable {
    public var removedContainers: [String]
    public var removedImages: [String]
    public init(removedContainers: [String] = [], removedImages: [String] = []) {
        self.removedContainers = removedContainers
        self.removedImages = removedImages
    }
}

/// One thing a driver tried while looking for a builder.
public struct BuilderAttempt: Sendable, Equatable, CustomStringConvertible {
    /// What was tried: `unix:///var/run/docker.sock`, `/usr/bin/buildah`.
    public var target: String
    /// Why it did not work.
    public var reason: String
    public init(target: String, reason: String) {
        self.target = target
        self.reason = reason
    }
    public var description: String { "\(target): \(reason)" }
}

/// Errors of the real-builder drivers. A failing Dockerfile is *not* an error: it gives a
/// `BuildResult` with `error` set. These are transport, protocol and environment failures.
public enum BuilderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No requested builder answered; lists everything tried and why it failed.
    case noBuilderReachable(tried: [BuilderAttempt])
    /// Could not connect to an engine endpoint.
    case connectionFailed(endpoint: String, reason: String)
    /// The engine answered with an HTTP error status.
    case http(status: Int, message: String)
    /// The request or process exceeded its timeout and was cancelled.
    case timeout(seconds: Double, what: String)
    /// Malformed HTTP, chunked framing, JSON or protobuf.
    case protocolError(String)
    /// Socket read/write failure after connecting.
    case io(String)
    /// A CLI builder could not be started or failed outside a build step.
    case processFailed(command: String, status: Int32, output: String)
    /// Bad input (endpoint string, context directory, …).
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .noBuilderReachable(let tried):
            return "no builder reachable; tried: " + tried.map(\.description).joined(separator: "; ")
        case .connectionFailed(let e, let r): return "cannot connect to \(e): \(r)"
        case .http(let s, let m): return "engine returned HTTP \(s): \(m)"
        case .timeout(let s, let w): return "\(w) timed out after \(s)s"
        case .protocolError(let m): return "protocol error: \(m)"
        case .io(let m): return "I/O error: \(m)"
        case .processFailed(let c, let s, let o): return "\(c) exited with \(s): \(o)"
        case .invalidArgument(let m): return "invalid argument: \(m)"
        }
    }
}
