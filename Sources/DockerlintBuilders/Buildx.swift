// BuildKit through buildx: the driver for what the Engine API cannot do. `docker buildx build`
// exports and imports CI caches (`--cache-to/--cache-from type=inline|registry`) and pushes, and
// it is how Docker 26 with the containerd image store builds at all: there, `POST /build?version=2`
// with a tar body fails ("failed to read downloaded context … build-context-…: no such host"),
// verified on 26.1.5. Per-step results come from `--progress=rawjson`, the same
// `moby.buildkit.v1.StatusResponse` the Engine API streams, as JSON (docs/BUILDERS.md).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DockerlintSupport
import Foundation

/// Splits a stream of concatenated JSON objects (pretty-printed or not) into one byte array per
/// top-level object. Bytes outside objects (log lines) are dropped.
public struct JSONObjectSplitter: Sendable {
    private var buffer: [UInt8] = []
    private var depth = 0
    private var inString = false
    private var escaped = false
    public init() {}

    public mutating func feed<C: Collection>(_ bytes: C) -> [[UInt8]] where C.Element == UInt8 {
        var out: [[UInt8]] = []
        for b in bytes {
            if depth == 0 {
                guard b == UInt8(ascii: "{") else { continue }
                buffer.removeAll(keepingCapacity: true)
            }
            buffer.append(b)
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"):
                depth -= 1
                if depth == 0 { out.append(buffer) }
            default: break
            }
        }
        return out
    }
}

extension TraceStatus {
    /// One `client.SolveStatus` as buildx prints it with `--progress=rawjson`: `vertexes`
    /// (digest, inputs, name, cached, started, completed, error), `statuses` (id, vertex, …)
    /// and `logs` (vertex, stream, base64 `data`, timestamp).
    public static func decode(rawJSON bytes: [UInt8]) throws(BuilderError) -> TraceStatus {
        guard let obj = WireJSON.decode(WireJSON.SolveStatus.self, bytes) else {
            throw .protocolError("buildx rawjson: not a JSON object")
        }
        var s = TraceStatus(vertexes: [], logs: [])
        for v in obj.vertexes ?? [] {
            s.vertexes.append(TraceVertex(digest: v.digest ?? "", inputs: v.inputs ?? [], name: v.name ?? "",
                                          cached: v.cached ?? false, started: v.started.flatMap(rfc3339),
                                          completed: v.completed.flatMap(rfc3339),
                                          error: v.error.flatMap { $0.isEmpty ? nil : $0 }))
        }
        for st in obj.statuses ?? [] {
            guard let v = st.vertex, isTransfer(id: st.id ?? "") else { continue }
            s.progressVertexes.append(v)
        }
        for l in obj.logs ?? [] {
            let data = l.data.flatMap { Data(base64Encoded: $0) }.map { Array($0) } ?? []
            s.logs.append(TraceLog(vertex: l.vertex ?? "", timestamp: l.timestamp.flatMap(rfc3339),
                                   stream: l.stream ?? 1, message: data))
        }
        return s
    }

    /// `2026-12-06T18:04:56.351138756Z` (or with a `±hh:mm` offset) → Unix seconds.
    static func rfc3339(_ s: String) -> Double? {
        let u = Array(s.utf8)
        func num(_ a: Int, _ n: Int) -> Int? {
            guard a + n <= u.count else { return nil }
            var v = 0
            for i in a..<(a + n) { guard u[i] >= 48 && u[i] <= 57 else { return nil }; v = v * 10 + Int(u[i] - 48) }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
              let se = num(17, 2) else { return nil }
        var i = 19
        var frac = 0.0
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            while i < u.count, u[i] >= 48, u[i] <= 57 { frac += Double(u[i] - 48) * scale; scale /= 10; i += 1 }
        }
        var offset = 0
        if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-"), let oh = num(i + 1, 2), let om = num(i + 4, 2) {
            offset = (oh * 60 + om) * 60 * (u[i] == UInt8(ascii: "-") ? -1 : 1)
        }
        var t = tm()
        t.tm_year = Int32(y - 1900); t.tm_mon = Int32(mo - 1); t.tm_mday = Int32(d)
        t.tm_hour = Int32(h); t.tm_min = Int32(mi); t.tm_sec = Int32(se)
        return Double(timegm(&t) - offset) + frac
    }

    /// A progress entry that moved data (a layer download or extraction), as opposed to
    /// `resolve docker.io/…` of a local base image.
    static func isTransfer(id: String) -> Bool { !id.hasPrefix("resolve ") }
}

/// What a buildx build exports and imports besides the image (`--cache-to`, `--cache-from`,
/// `--push`). Values are buildx's own (`type=registry,ref=127.0.0.1:5000/x:cache,mode=max`).
public struct BuildCacheOptions: Sendable, Equatable {
    public var cacheFrom: [String]
    public var cacheTo: [String]
    /// Push the tagged image (`--push`; the tag must name a registry).
    public var push: Bool
    public init(cacheFrom: [String] = [], cacheTo: [String] = [], push: Bool = false) {
        self.cacheFrom = cacheFrom
        self.cacheTo = cacheTo
        self.push = push
    }
    public var isEmpty: Bool { cacheFrom.isEmpty && cacheTo.isEmpty && !push }
}

/// `docker buildx build --progress=rawjson` against one engine, with its default (docker) driver.
public struct BuildxBuilder: ImageBuilder {
    /// A docker CLI that has the buildx plugin.
    public let cli: URL
    /// `DOCKER_CONFIG` for the CLI (where its `cli-plugins/docker-buildx` is), nil for the default.
    public let dockerConfig: String?
    public let client: EngineClient

    public init(cli: URL, dockerConfig: String?, client: EngineClient) {
        self.cli = cli
        self.dockerConfig = dockerConfig
        self.client = client
    }

    public var kind: BuilderKind { .buildkit }
    public var summary: String { "buildkit via buildx (\(cli.path)) on \(client.endpoint)" }

    /// The CLI and config to use: `DOCKERLINT_BUILDX_CLI` / `DOCKERLINT_BUILDX_CONFIG`, else the
    /// Docker 26 of `scripts/setup-builders --docker26` (/opt/docker26), else `docker` in PATH
    /// with its default config. The first whose `buildx version` works wins.
    public static func locate(client: EngineClient, environment env: [String: String] = ProcessInfo.processInfo.environment)
        throws(BuilderError) -> BuildxBuilder {
        var candidates: [(String, String?)] = []
        if let c = env["DOCKERLINT_BUILDX_CLI"], !c.isEmpty { candidates.append((c, env["DOCKERLINT_BUILDX_CONFIG"])) }
        let prefix = env["DOCKERLINT_D26_PREFIX"] ?? "/opt/docker26"
        candidates.append((prefix + "/usr/bin/docker", prefix + "/config"))
        if let p = CLIImageBuilder.find("docker") { candidates.append((p.path, env["DOCKER_CONFIG"])) }
        var tried: [BuilderAttempt] = []
        for (path, config) in candidates {
            guard access(path, X_OK) == 0 else { tried.append(BuilderAttempt(target: path, reason: "not found")); continue }
            let b = BuildxBuilder(cli: URL(fileURLWithPath: path), dockerConfig: config, client: client)
            do {
                let (status, out) = try b.run(["buildx", "version"], timeout: 30)
                if status == 0 { return b }
                tried.append(BuilderAttempt(target: path, reason: "buildx version: " + out.prefix(200)))
            } catch {
                tried.append(BuilderAttempt(target: path, reason: "\(error)"))
            }
        }
        throw .noBuilderReachable(tried: tried)
    }

    var hostArgument: String {
        switch client.endpoint {
        case .unix(let p): return "unix://" + p
        case .tcp(let h, let p): return "tcp://\(h):\(p)"
        }
    }

    /// Arguments after the executable (exposed for tests and logs).
    public func buildArguments(context: URL, request options: BuildRequest, tag: String, metadataFile: String) -> [String] {
        var a = ["-H", hostArgument, "buildx", "build", "--progress=rawjson", "--provenance=false",
                 "-f", context.appendingPathComponent(options.dockerfile).path, "-t", tag, "--metadata-file", metadataFile]
        if options.noCache { a.append("--no-cache") }
        if let t = options.target { a += ["--target", t] }
        for (k, v) in options.buildArgs.sorted(by: { $0.key < $1.key }) { a += ["--build-arg", "\(k)=\(v)"] }
        for (k, v) in options.allLabels.sorted(by: { $0.key < $1.key }) { a += ["--label", "\(k)=\(v)"] }
        for c in options.cache.cacheFrom { a += ["--cache-from", c] }
        for c in options.cache.cacheTo { a += ["--cache-to", c] }
        if options.cache.push { a.append("--push") }
        a.append(context.path)
        return a
    }

    public func build(context: URL, request options: BuildRequest) throws -> BuildResult {
        let tag = options.tag ?? "dockerlint-bench:\(options.runID.lowercased())"
        let meta = NSTemporaryDirectory() + "/dockerlint-buildx-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).json"
        defer { unlink(meta) }
        var splitter = JSONObjectSplitter()
        var trace = BuildKitTraceAccumulator()
        var raw: [UInt8] = []
        var decodeError: BuilderError?
        let start = monotonicSeconds()
        let status = try runStreaming(buildArguments(context: context, request: options, tag: tag, metadataFile: meta),
                                      timeout: options.timeout, what: "buildx build") { chunk in
            for obj in splitter.feed(chunk) {
                do throws(BuilderError) { trace.add(try TraceStatus.decode(rawJSON: obj)) } catch { decodeError = decodeError ?? error }
            }
            raw += chunk
            if raw.count > 1 << 20 { raw.removeFirst(raw.count - (1 << 19)) }
        }
        let end = monotonicSeconds()
        if let decodeError { throw decodeError }
        var log = trace.logs.map { String(decoding: $0.message, as: UTF8.self).trimmingCharacters(in: .newlines) }
        // What buildx prints after the last progress object (`ERROR: failed to solve: …`).
        let text = String(decoding: raw, as: UTF8.self)
        let tail = text.range(of: "\n}\n", options: .backwards).map { String(text[$0.upperBound...]) } ?? text
        log += tail.split(separator: "\n").map(String.init)
        var imageID: String?
        if status == 0, let d = FileManager.default.contents(atPath: meta),
           let o = WireJSON.decode(WireJSON.BuildxMetadata.self, d) {
            // With the containerd image store the engine's image ID is the manifest digest.
            imageID = o.imageDigest ?? o.configDigest
        }
        let failure = status == 0 ? nil
            : (tail.split(separator: "\n").last(where: { $0.hasPrefix("ERROR") }).map(String.init)
               ?? trace.allVertices.compactMap(\.error).last ?? "buildx build exited with \(status)")
        return BuildResult(builder: .buildkit, wallSeconds: end - start, steps: trace.steps, imageID: status == 0 ? (imageID ?? tag) : nil,
                           error: failure, exitCode: nil, log: log)
    }

    @discardableResult
    public func cleanup(runID: String) throws -> CleanupReport { try client.cleanup(runID: runID) }
    public func benchRunIDs() throws -> Set<String> { try client.benchRunIDs() }

    /// Runs the CLI, feeding output chunks (stdout and stderr together) as they arrive; stops
    /// it when `timeout` passes and throws `.timeout`. `-H` names the engine, so `DOCKER_HOST`
    /// does not matter; `BUILDX_BUILDER` is pinned to the engine's own (docker driver) builder.
    func runStreaming(_ args: [String], timeout: Double, what: String, onChunk: ([UInt8]) -> Void) throws -> Int32 {
        var env = ["BUILDX_BUILDER": "default"]
        if let dockerConfig { env["DOCKER_CONFIG"] = dockerConfig }
        let result: ProcessResult
        do {
            result = try Subprocess.stream(cli.path, args, environment: .inheritAdding(env), standardError: .mergeWithOutput,
                                           timeout: timeout) { chunk, _ in onChunk(Array(chunk)) }
        } catch let e as ProcessError {
            throw BuilderError.noBuilderReachable(tried: [BuilderAttempt(target: cli.path, reason: "\(e)")])
        }
        if result.timedOut { throw BuilderError.timeout(seconds: timeout, what: what) }
        return result.status.code
    }

    func run(_ args: [String], timeout: Double = 120) throws -> (Int32, String) {
        var out: [UInt8] = []
        let s = try runStreaming(args, timeout: timeout, what: "docker \(args.first ?? "")") { out += $0 }
        return (s, String(decoding: out, as: UTF8.self))
    }
}
