// The driver-facing facade: one protocol over Docker (BuildKit, classic) and buildah/podman, and
// discovery that reports everything it tried.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DockerlintSupport
import Foundation

/// A real image builder.
public protocol ImageBuilder: Sendable {
    var kind: BuilderKind { get }
    /// Human-readable identity (`buildkit via unix:///var/run/docker.sock`).
    var summary: String { get }
    /// Builds `context` (a directory holding the Dockerfile) and reports per-step results.
    func build(context: URL, request: BuildRequest) throws -> BuildResult
    /// Removes everything labelled `dev.dockerlint.bench=<runID>`.
    @discardableResult func cleanup(runID: String) throws -> CleanupReport
    /// The run IDs (values of `dev.dockerlint.bench`) of the images and containers present.
    func benchRunIDs() throws -> Set<String>
}

extension ImageBuilder {
    public func benchRunIDs() throws -> Set<String> { [] }
}

extension EngineClient {
    /// The values of the bench label on this engine's images and containers.
    public func benchRunIDs() throws -> Set<String> {
        var out = Set<String>()
        for i in try images(label: benchLabelKey, all: true) { if let v = i.labels[benchLabelKey] { out.insert(v) } }
        for c in try containers(label: benchLabelKey) { if let v = c.labels[benchLabelKey] { out.insert(v) } }
        return out
    }
}

/// Docker Engine, BuildKit or classic, through `EngineClient`.
public struct DockerEngineBuilder: ImageBuilder {
    public let client: EngineClient
    public let mode: BuilderKind
    public init(client: EngineClient, mode: BuilderKind) {
        self.client = client
        self.mode = mode
    }
    public var kind: BuilderKind { mode }
    public var summary: String { "\(kind.rawValue) via \(client.endpoint)" }
    public func build(context: URL, request: BuildRequest) throws -> BuildResult {
        try client.build(context: context, mode: mode, request: request)
    }
    @discardableResult
    public func cleanup(runID: String) throws -> CleanupReport { try client.cleanup(runID: runID) }
    public func benchRunIDs() throws -> Set<String> { try client.benchRunIDs() }
}

/// `buildah bud --layers` or `podman build --layers`, run through `Subprocess` with argument arrays
/// and a private store (`--root/--runroot`) so benchmarks never touch `/var/lib/containers`.
public struct CLIImageBuilder: ImageBuilder {
    public let kind: BuilderKind
    public let executable: URL
    public let root: String
    public let runroot: String
    public let storageDriver: String
    /// `chroot` (buildah default here) or `oci`; nil leaves the tool's default.
    public let isolation: String?
    /// What `--version` says (`podman version 4.3.1`): every report names what it measured.
    public let version: String

    public init(kind: BuilderKind, executable: URL? = nil,
                root: String = "/var/lib/dockerlint-bench/ovl", runroot: String = "/run/dockerlint-bench/ovl",
                storageDriver: String = "overlay", isolation: String? = nil) throws(BuilderError) {
        guard kind == .buildah || kind == .podman else {
            throw .invalidArgument("CLIImageBuilder handles buildah and podman, not \(kind.rawValue)")
        }
        self.kind = kind
        guard let exe = executable ?? Self.find(kind.rawValue) else {
            throw .noBuilderReachable(tried: [BuilderAttempt(target: kind.rawValue, reason: "not found in PATH")])
        }
        self.executable = exe
        self.root = root
        self.runroot = runroot
        self.storageDriver = storageDriver
        self.isolation = isolation ?? (kind == .buildah ? "chroot" : nil)
        let v = (try? Subprocess.run(exe.path, ["--version"], timeout: 20))?.stdout ?? []
        self.version = String(decoding: v, as: UTF8.self).split(separator: "\n").first.map { String($0) } ?? "version unknown"
    }

    public var summary: String { "\(kind.rawValue) (\(version); \(executable.path), root \(root))" }

    static func find(_ name: String) -> URL? {
        ExecutableSearch.find(name, fallbacks: ["/usr/bin", "/usr/sbin"]).map { URL(fileURLWithPath: $0) }
    }

    var storeArgs: [String] { ["--root", root, "--runroot", runroot, "--storage-driver", storageDriver] }

    /// Arguments of the build command (exposed for tests and logs).
    public func buildArguments(context: URL, request: BuildRequest) -> [String] {
        var a = storeArgs + [kind == .buildah ? "bud" : "build", "--layers", "--force-rm"]
        if let iso = isolation { a += ["--isolation", iso] }
        a += ["-f", context.appendingPathComponent(request.dockerfile).path]
        if let t = request.tag { a += ["-t", t] }
        if request.noCache { a.append("--no-cache") }
        if let t = request.target { a += ["--target", t] }
        for (k, v) in request.buildArgs.sorted(by: { $0.key < $1.key }) { a += ["--build-arg", "\(k)=\(v)"] }
        for (k, v) in request.allLabels.sorted(by: { $0.key < $1.key }) { a += ["--label", "\(k)=\(v)"] }
        a.append(context.path)
        return a
    }

    public func build(context: URL, request: BuildRequest) throws -> BuildResult {
        guard request.cache.isEmpty else {
            throw BuilderError.invalidArgument("cache export, import and push are measured with BuildKit through buildx only")
        }
        var parser = BuildahOutputParser()
        let start = monotonicSeconds()
        let status = try runStreaming(buildArguments(context: context, request: request), timeout: request.timeout,
                                      what: "\(kind.rawValue) build") { line, t in parser.feed(line: line, at: t) }
        let end = monotonicSeconds()
        // buildah/podman implement --label by appending a LABEL step, like classic does.
        let steps = EngineClient.dropInjectedLabelStep(parser.finish(at: end, exitStatus: status))
        return BuildResult(builder: kind, wallSeconds: end - start, steps: steps,
                           imageID: status == 0 ? parser.imageID : nil, error: status == 0 ? nil : parser.error,
                           exitCode: status == 0 ? nil : Int(status), log: parser.log)
    }

    @discardableResult
    public func cleanup(runID: String) throws -> CleanupReport {
        var report = CleanupReport()
        let filter = "label=\(benchLabelKey)=\(runID)"
        let (cs, ctrs) = try runCapture(storeArgs + (kind == .buildah ? ["containers", "-q", "--filter", filter]
                                                                         : ["ps", "-a", "-q", "--filter", filter]))
        if cs == 0 {
            for id in ctrs.split(separator: "\n").map(String.init) where !id.isEmpty {
                _ = try runCapture(storeArgs + (kind == .buildah ? ["rm", id] : ["rm", "-f", id]))
                report.removedContainers.append(id)
            }
        }
        let (s, out) = try runCapture(storeArgs + ["images", "-q", "--no-trunc", "--filter", filter])
        guard s == 0 else { throw BuilderError.processFailed(command: "\(kind.rawValue) images", status: s, output: out) }
        for id in Set(out.split(separator: "\n").map(String.init)) where !id.isEmpty {
            let (rs, rout) = try runCapture(storeArgs + ["rmi", "-f", id])
            if rs == 0 { report.removedImages.append(id) } else if !rout.contains("image not known") {
                throw BuilderError.processFailed(command: "\(kind.rawValue) rmi \(id)", status: rs, output: rout)
            }
        }
        return report
    }

    public func benchRunIDs() throws -> Set<String> {
        let format = "{{index .Labels \"\(benchLabelKey)\"}}"
        let (s, out) = try runCapture(storeArgs + ["images", "--filter", "label=\(benchLabelKey)", "--format", format])
        guard s == 0 else { throw BuilderError.processFailed(command: "\(kind.rawValue) images", status: s, output: out) }
        return Set(out.split(separator: "\n").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0 != "<no value>" })
    }

    /// Whether this store holds the image `reference` (`images -q`).
    public func hasImage(_ reference: String) throws -> Bool {
        let (s, out) = try runCapture(storeArgs + ["images", "-q", reference], timeout: 30)
        return s == 0 && !out.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// `buildah --version` / `podman --version`, first line (`podman version 4.3.1`).
    public func toolVersion() throws -> String {
        let (s, out) = try runCapture(["--version"], timeout: 30)
        guard s == 0 else { throw BuilderError.processFailed(command: "\(kind.rawValue) --version", status: s, output: out) }
        return out.split(separator: "\n").first.map(String.init) ?? out
    }

    /// (diff ID, uncompressed size) of each layer of an image in this store, oldest first.
    /// Diff IDs come from `podman image inspect` (`RootFS.Layers`); sizes from `podman history
    /// --format json` (the tar size of each layer-making entry). The two histories are the same
    /// list (inspect oldest first, with `empty_layer` on metadata entries; history newest first,
    /// with sizes), so layer k is the k-th entry without `empty_layer`. buildah has no history
    /// command; podman reads the same store, so it is used for both kinds. Throws when podman
    /// is not installed or the two lists do not line up.
    public func layerSizes(imageID: String) throws -> [(digest: String, size: Int)] {
        guard let podman = kind == .podman ? executable : Self.find("podman") else {
            throw BuilderError.invalidArgument("layer sizes of a \(kind.rawValue) image need podman (same store)")
        }
        let inspect = try runPodman(podman, ["image", "inspect", imageID])
        let hist = try runPodman(podman, ["history", "--no-trunc", "--format", "json", imageID])
        return try Self.parseLayerSizes(inspectJSON: inspect, historyJSON: hist)
    }

    /// The pure part of `layerSizes` (unit-tested with captured output).
    public static func parseLayerSizes(inspectJSON: String, historyJSON: String) throws -> [(digest: String, size: Int)] {
        guard let img = WireJSON.decode([WireJSON.ImageInspect].self, inspectJSON.utf8)?.first,
              let layers = img.RootFS?.Layers else {
            throw BuilderError.protocolError("podman image inspect: no RootFS.Layers")
        }
        let ociHistory = img.History ?? []
        guard let h = WireJSON.decode([WireJSON.PodmanHistoryEntry].self, historyJSON.utf8) else {
            throw BuilderError.protocolError("podman history: not a JSON array")
        }
        let sizesOldestFirst = h.reversed().map { $0.size ?? 0 }
        guard ociHistory.count == sizesOldestFirst.count else {
            throw BuilderError.protocolError("podman history has \(sizesOldestFirst.count) entries, inspect \(ociHistory.count)")
        }
        var sizes: [Int] = []
        for (entry, size) in zip(ociHistory, sizesOldestFirst) where entry.empty_layer != true { sizes.append(size) }
        guard sizes.count == layers.count else {
            throw BuilderError.protocolError("\(sizes.count) layer-making history entries for \(layers.count) layers")
        }
        return zip(layers, sizes).map { ($0, $1) }
    }

    private func runPodman(_ podman: URL, _ args: [String]) throws -> String {
        let tool = podman == executable ? self : CLIImageBuilder(unchecked: .podman, executable: podman, root: root,
                                                                  runroot: runroot, storageDriver: storageDriver)
        let (s, out) = try tool.runCapture(storeArgs + args)
        guard s == 0 else { throw BuilderError.processFailed(command: "podman \(args.first ?? "")", status: s, output: out) }
        // stderr shares the pipe: keep the lines from the first `[` line to the last `]` line.
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        guard let a = lines.firstIndex(where: { $0.hasPrefix("[") }),
              let b = lines.lastIndex(where: { $0.hasPrefix("]") || $0.hasSuffix("]") }), a <= b else { return out }
        return lines[a...b].joined(separator: "\n")
    }

    private init(unchecked kind: BuilderKind, executable: URL, root: String, runroot: String, storageDriver: String) {
        self.kind = kind
        self.executable = executable
        self.root = root
        self.runroot = runroot
        self.storageDriver = storageDriver
        self.isolation = nil
        self.version = ""
    }

    /// Runs the tool, feeding each stdout/stderr line with its arrival time; stops it (SIGTERM,
    /// then SIGKILL after `Subprocess.killGraceSeconds`) when `timeout` passes and throws
    /// `.timeout`. Returns the exit status (128 + signal when killed).
    func runStreaming(_ args: [String], timeout: Double, what: String,
                      onLine: (String, Double) -> Void) throws -> Int32 {
        var splitter = LineSplitter()
        let result: ProcessResult
        do {
            result = try Subprocess.stream(executable.path, args, standardError: .mergeWithOutput, timeout: timeout) { chunk, t in
                for l in splitter.feed(chunk) { onLine(String(decoding: l, as: UTF8.self), t) }
            }
        } catch let e as ProcessError {
            throw BuilderError.noBuilderReachable(tried: [BuilderAttempt(target: executable.path, reason: "\(e)")])
        }
        if let tail = splitter.finish() { onLine(String(decoding: tail, as: UTF8.self), monotonicSeconds()) }
        if result.timedOut { throw BuilderError.timeout(seconds: timeout, what: what) }
        return result.status.code
    }

    func runCapture(_ args: [String], timeout: Double = 120) throws -> (Int32, String) {
        var out: [String] = []
        let s = try runStreaming(args, timeout: timeout, what: "\(kind.rawValue) \(args.dropFirst(storeArgs.count).first ?? "")") { l, _ in out.append(l) }
        return (s, out.joined(separator: "\n"))
    }
}

/// Builder discovery.
public enum Builders {
    /// The first reachable builder among `kinds`, in order. Docker kinds try each endpoint with
    /// `GET /_ping` (short connect timeout); CLI kinds need the executable in PATH. Throws
    /// `.noBuilderReachable` listing every attempt and why it failed.
    ///
    /// BuildKit goes through buildx (`BuildxBuilder`) when `buildx` is set (cache export and
    /// import, pushes) or when the engine keeps images in containerd, where the Engine API's
    /// BuildKit build cannot take a tar context; otherwise through the Engine API.
    public static func connect(_ kinds: [BuilderKind] = [.buildkit, .classic, .buildah, .podman],
                               endpoints: [EngineEndpoint] = EngineEndpoint.candidates(),
                               pingTimeout: Double = 2, buildx: Bool = false) throws(BuilderError) -> any ImageBuilder {
        var tried: [BuilderAttempt] = []
        var engineFailures: [EngineEndpoint: String] = [:]
        for kind in kinds {
            switch kind {
            case .buildkit, .classic:
                for ep in endpoints {
                    if let reason = engineFailures[ep] {
                        tried.append(BuilderAttempt(target: "\(kind.rawValue) via \(ep)", reason: reason))
                        continue
                    }
                    let client = EngineClient(endpoint: ep, connectTimeout: pingTimeout, requestTimeout: pingTimeout * 2)
                    do {
                        try client.ping(timeout: pingTimeout)
                        if kind == .buildkit, try buildx || client.usesContainerdStore() {
                            let full = EngineClient(endpoint: ep)
                            do { return try BuildxBuilder.locate(client: full) } catch {
                                tried.append(BuilderAttempt(target: "buildkit via buildx on \(ep)", reason: error.description))
                                continue
                            }
                        }
                        return DockerEngineBuilder(client: client, mode: kind)
                    } catch {
                        let reason = (error as? BuilderError)?.description ?? "\(error)"
                        engineFailures[ep] = reason
                        tried.append(BuilderAttempt(target: "\(kind.rawValue) via \(ep)", reason: reason))
                    }
                }
            case .buildah, .podman:
                if let exe = CLIImageBuilder.find(kind.rawValue) {
                    do { return try CLIImageBuilder(kind: kind, executable: exe) } catch {
                        tried.append(BuilderAttempt(target: exe.path, reason: error.description))
                    }
                } else {
                    tried.append(BuilderAttempt(target: kind.rawValue, reason: "not found in PATH"))
                }
            }
        }
        throw .noBuilderReachable(tried: tried)
    }
}
