// Docker Engine API client: the few calls the benchmark driver needs, synchronous.
import DockerlintSupport
import Foundation

/// `GET /version`.
public struct EngineVersion: Sendable, Equatable {
    public var version: String
    public var apiVersion: String
    public var minAPIVersion: String?
    public var os: String?
    public var arch: String?
    public var kernelVersion: String?
}

/// An entry of `GET /images/json`.
public struct ImageSummary: Sendable, Equatable {
    public var id: String
    public var repoTags: [String]
    public var labels: [String: String]
    public var size: Int
    public var created: Int
}

/// An entry of `GET /containers/json`.
public struct ContainerSummary: Sendable, Equatable {
    public var id: String
    public var names: [String]
    public var image: String
    public var command: String
    public var state: String
    public var labels: [String: String]
}

/// `GET /images/{id}/json` (the parts we use).
public struct ImageDetails: Sendable, Equatable {
    public var id: String
    public var parent: String?
    public var repoTags: [String]
    public var size: Int
    public var created: String
    public var labels: [String: String]
    public var layers: [String]
}

/// One entry of `GET /images/{id}/history`, newest first (as the engine returns it).
public struct ImageHistoryEntry: Sendable, Equatable {
    public var id: String
    public var createdBy: String
    public var size: Int
    public var created: Int
    public var tags: [String]
}

/// Synchronous Docker Engine API client over a Unix socket or plain TCP. Thread-safe; each
/// request opens its own connection.
public final class EngineClient: @unchecked Sendable {
    public let endpoint: EngineEndpoint
    /// Seconds to wait for `connect`.
    public let connectTimeout: Double
    /// Timeout for non-build requests.
    public let requestTimeout: Double
    /// Newest API version we ask for; lower if the daemon is older.
    public static let preferredAPIVersion = "1.41"

    private let lock = NSLock()
    private var negotiatedVersion: String?
    /// Intermediate image IDs seen in classic builds per run (they carry no label).
    private var intermediates: [String: [String]] = [:]

    public init(endpoint: EngineEndpoint = .fromEnvironment(), connectTimeout: Double = 3, requestTimeout: Double = 60) {
        self.endpoint = endpoint
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
    }

    // MARK: low-level

    /// Performs a request against the versioned API; returns head and full body. HTTP status ≥ 400
    /// throws `.http` with the engine's `message`.
    @discardableResult
    func call(_ method: String, _ path: String, query: [(String, String)] = [], versioned: Bool = true,
              headers: [(String, String)] = [], body: HTTPBody = .none, timeout: Double? = nil,
              onBody: (([UInt8]) throws -> Void)? = nil) throws -> (HTTPResponseHead, [UInt8]) {
        var target = versioned ? "/v\(try apiVersion())" + path : path
        if !query.isEmpty { target += "?" + query.map { "\(queryEscape($0.0))=\(queryEscape($0.1))" }.joined(separator: "&") }
        var collected: [UInt8] = []
        var isError = false
        let head = try HTTPExchange.perform(endpoint: endpoint, method: method, target: target, headers: headers,
                                            body: body, connectTimeout: connectTimeout,
                                            timeout: timeout ?? requestTimeout,
                                            onHead: { h in isError = h.status >= 400 },
                                            onBody: { bytes in
            if isError || onBody == nil { collected.append(contentsOf: bytes) } else { try onBody?(bytes) }
        })
        if head.status >= 400 {
            var message = String(decoding: collected, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if let m = WireJSON.decode(WireJSON.ErrorBody.self, collected)?.message { message = m }
            throw BuilderError.http(status: head.status, message: message)
        }
        return (head, collected)
    }

    /// The answer of a call, decoded; `shape` names what it must be in the error.
    private func json<T: Decodable>(_ type: T.Type, _ method: String, _ path: String, query: [(String, String)] = [],
                                    shape: String) throws -> T {
        let (_, body) = try call(method, path, query: query)
        guard let value = WireJSON.decode(T.self, body) else { throw BuilderError.protocolError(shape) }
        return value
    }

    /// API version used in paths: min(daemon's `Api-Version` from `/_ping`, 1.41).
    public func apiVersion() throws -> String {
        lock.lock()
        if let v = negotiatedVersion { lock.unlock(); return v }
        lock.unlock()
        let (head, _) = try call("GET", "/_ping", versioned: false)
        var v = Self.preferredAPIVersion
        if let server = head.headers["api-version"], Self.compareVersions(server, v) < 0 { v = server }
        lock.lock(); negotiatedVersion = v; lock.unlock()
        return v
    }

    static func compareVersions(_ a: String, _ b: String) -> Int {
        let x = a.split(separator: ".").map { Int($0) ?? 0 }, y = b.split(separator: ".").map { Int($0) ?? 0 }
        for i in 0..<max(x.count, y.count) {
            let p = i < x.count ? x[i] : 0, q = i < y.count ? y[i] : 0
            if p != q { return p < q ? -1 : 1 }
        }
        return 0
    }

    // MARK: calls

    /// `GET /_ping`: returns the body (`OK`). Fails fast with `.connectionFailed` when nothing listens.
    @discardableResult
    public func ping(timeout: Double = 5) throws -> String {
        let (_, body) = try call("GET", "/_ping", versioned: false, timeout: timeout)
        return String(decoding: body, as: UTF8.self)
    }

    /// `GET /version`.
    public func version() throws -> EngineVersion {
        let o = try json(WireJSON.Version.self, "GET", "/version", shape: "/version: not an object")
        return EngineVersion(version: o.Version ?? "", apiVersion: o.ApiVersion ?? "", minAPIVersion: o.MinAPIVersion,
                             os: o.Os, arch: o.Arch, kernelVersion: o.KernelVersion)
    }

    private static func labelFilter(_ label: String?) throws -> [(String, String)] {
        guard let label else { return [] }
        return [("filters", String(decoding: try WireJSON.encode(["label": [label]]), as: UTF8.self))]
    }

    /// `GET /images/json?filters={"label":[label]}`; `label` is `key` or `key=value`.
    public func images(label: String? = nil, all: Bool = false) throws -> [ImageSummary] {
        var q = try Self.labelFilter(label)
        if all { q.append(("all", "1")) }
        let arr = try json([WireJSON.ImageListEntry].self, "GET", "/images/json", query: q, shape: "/images/json: not an array")
        return arr.map {
            ImageSummary(id: $0.Id ?? "", repoTags: $0.RepoTags ?? [], labels: $0.Labels ?? [:], size: $0.Size ?? 0,
                         created: $0.Created ?? 0)
        }
    }

    /// `DELETE /images/{id}`; returns the IDs the engine reports as deleted.
    @discardableResult
    public func removeImage(_ id: String, force: Bool = true, noprune: Bool = false) throws -> [String] {
        var q: [(String, String)] = []
        if force { q.append(("force", "1")) }
        if noprune { q.append(("noprune", "1")) }
        let (_, body) = try call("DELETE", "/images/\(queryEscape(id))", query: q)
        return (WireJSON.decode([WireJSON.DeleteEntry].self, body) ?? []).compactMap(\.Deleted)
    }

    /// `GET /containers/json?all=1&filters={"label":[label]}`.
    public func containers(label: String? = nil) throws -> [ContainerSummary] {
        var q: [(String, String)] = [("all", "1")]
        q += try Self.labelFilter(label)
        let arr = try json([WireJSON.ContainerListEntry].self, "GET", "/containers/json", query: q,
                           shape: "/containers/json: not an array")
        return arr.map {
            ContainerSummary(id: $0.Id ?? "", names: $0.Names ?? [], image: $0.Image ?? "", command: $0.Command ?? "",
                             state: $0.State ?? "", labels: $0.Labels ?? [:])
        }
    }

    /// `DELETE /containers/{id}?force=1`.
    public func removeContainer(_ id: String) throws {
        try call("DELETE", "/containers/\(queryEscape(id))", query: [("force", "1")])
    }

    /// `GET /images/{id}/json`.
    public func inspectImage(_ id: String) throws -> ImageDetails {
        let o = try json(WireJSON.ImageInspect.self, "GET", "/images/\(queryEscape(id))/json", shape: "/images/json: not an object")
        return ImageDetails(id: o.Id ?? "", parent: o.Parent.flatMap { $0.isEmpty ? nil : $0 }, repoTags: o.RepoTags ?? [],
                            size: o.Size ?? 0, created: o.Created ?? "", labels: o.Config?.Labels ?? [:],
                            layers: o.RootFS?.Layers ?? [])
    }

    /// `GET /images/{id}/history` (per-layer sizes, newest first).
    public func imageHistory(_ id: String) throws -> [ImageHistoryEntry] {
        let arr = try json([WireJSON.HistoryEntry].self, "GET", "/images/\(queryEscape(id))/history", shape: "/history: not an array")
        return arr.map {
            ImageHistoryEntry(id: $0.Id ?? "", createdBy: $0.CreatedBy ?? "", size: $0.Size ?? 0, created: $0.Created ?? 0,
                              tags: $0.Tags ?? [])
        }
    }

    // MARK: build

    /// `POST /build` with the directory streamed as a tar body. A failing Dockerfile returns a
    /// result with `error` set; transport problems and the timeout throw. `onLine` sees every raw
    /// JSON line of the progress stream as it arrives (e.g. to capture fixtures).
    public func build(context: URL, mode: BuilderKind, request: BuildRequest,
                      onLine: ((String) -> Void)? = nil) throws -> BuildResult {
        guard request.cache.isEmpty else {
            throw BuilderError.invalidArgument("cache export, import and push need buildx (the Engine API build has no such options)")
        }
        guard let apiVersion = mode.engineAPIBuildVersion else {
            throw BuilderError.invalidArgument("the Docker Engine builds with buildkit or classic, not \(mode.rawValue)")
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: context.path, isDirectory: &isDir), isDir.boolValue else {
            throw BuilderError.invalidArgument("build context \(context.path) is not a directory")
        }
        var q: [(String, String)] = [("version", apiVersion), ("dockerfile", request.dockerfile),
                                     ("rm", "1"), ("forcerm", "1")]
        if let t = request.tag { q.append(("t", t)) }
        if request.noCache { q.append(("nocache", "1")) }
        if let t = request.target { q.append(("target", t)) }
        if !request.buildArgs.isEmpty {
            q.append(("buildargs", String(decoding: try WireJSON.encode(request.buildArgs), as: UTF8.self)))
        }
        q.append(("labels", String(decoding: try WireJSON.encode(request.allLabels), as: UTF8.self)))

        let tar = TarWriter(directory: context)
        _ = try tar.entries()   // fail early on an unreadable context
        var splitter = LineSplitter()
        var trace = BuildKitTraceAccumulator()
        var classic = ClassicStreamParser()
        var imageID: String?
        var errorMessage: String?
        var exitCode: Int?
        var log: [String] = []
        var intermediateIDs: [String] = []

        func handle(_ lineBytes: [UInt8], at t: Double) throws {
            guard !lineBytes.isEmpty else { return }
            onLine?(String(decoding: lineBytes, as: UTF8.self))
            // Most BuildKit lines are trace messages with one base64 field: decoded without
            // building a Foundation JSON object (base64 never needs JSON escapes).
            if mode == .buildkit, let b64 = Self.traceBase64(lineBytes) {
                trace.add(try TraceStatus.decode(base64: b64))
                return
            }
            guard let obj = EngineProgressLine.decode(lineBytes) else {
                log.append(String(decoding: lineBytes, as: UTF8.self))
                return
            }
            if let aux = obj.trace {
                trace.add(try TraceStatus.decode(base64: aux))
            } else if case .object(let iid?, _)? = obj.aux {
                imageID = iid
            } else if let s = obj.stream {
                if mode == .classic {
                    classic.feed(s, at: t)
                    // ` ---> <id>` after a non-FROM step is an image this build made or reused; the
                    // ID after FROM is the base image and must never be recorded for cleanup.
                    for l in s.split(separator: "\n") where l.hasPrefix(" ---> ") {
                        let w = l.dropFirst(6)
                        if w.count == 12, w.allSatisfy(\.isHexDigit), classic.currentStepKeyword != "FROM" {
                            intermediateIDs.append(String(w))
                        }
                    }
                } else {
                    log.append(contentsOf: s.split(separator: "\n").map(String.init))
                }
            } else if obj.error != nil || obj.errorDetail != nil {
                errorMessage = obj.errorDetail?.message ?? obj.error ?? "build failed"
                if let c = obj.errorDetail?.code { exitCode = c }
            } else if let status = obj.status {
                if mode == .classic { classic.notePull() }
                log.append(status)
            }
        }

        let start = monotonicSeconds()
        do {
            try call("POST", "/build", query: q, headers: [("Content-Type", "application/x-tar")],
                     body: .stream({ sink in try tar.write(to: sink) }), timeout: request.timeout) { bytes in
                let t = monotonicSeconds()
                for line in splitter.feed(bytes) { try handle(line, at: t) }
            }
        } catch BuilderError.timeout(_, let what) {
            recordIntermediates(intermediateIDs, runID: request.runID)
            throw BuilderError.timeout(seconds: request.timeout, what: "build (\(what))")
        } catch BuilderError.http(let status, let message) {
            // The engine rejected the build itself (classic answers a Dockerfile parse error with
            // HTTP 400): that is the Dockerfile's failure, reported like any other.
            return BuildResult(builder: mode, wallSeconds: monotonicSeconds() - start, steps: [],
                               imageID: nil, error: message.isEmpty ? "HTTP \(status)" : message,
                               exitCode: nil, log: log)
        }
        let end = monotonicSeconds()
        if let tail = splitter.finish() { try handle(tail, at: end) }
        recordIntermediates(intermediateIDs, runID: request.runID)

        let steps: [StepResult]
        switch mode {
        case .buildkit:
            steps = trace.steps
            for l in trace.logs { log.append(String(decoding: l.message, as: UTF8.self).trimmingCharacters(in: .newlines)) }
        case .classic, .buildah, .podman:  // (only classic gets here: see apiVersion)
            steps = Self.dropInjectedLabelStep(classic.finish(at: end, error: errorMessage))
            log += classic.log
        }
        return BuildResult(builder: mode, wallSeconds: end - start, steps: steps,
                           imageID: errorMessage == nil ? imageID : nil, error: errorMessage,
                           exitCode: exitCode, log: log)
    }

    static let tracePrefix = Array(#"{"id":"moby.buildkit.trace","aux":""#.utf8)

    /// The base64 payload of a `{"id":"moby.buildkit.trace","aux":"…"}` line (trailing
    /// whitespace allowed), or nil for anything else, including payloads with escapes.
    static func traceBase64(_ line: [UInt8]) -> String? {
        var end = line.count
        while end > 0, line[end - 1] == 0x0A || line[end - 1] == 0x0D || line[end - 1] == 0x20 { end -= 1 }
        guard end >= tracePrefix.count + 2, line[end - 1] == UInt8(ascii: "}"), line[end - 2] == UInt8(ascii: "\""),
              line.starts(with: tracePrefix) else { return nil }
        let body = line[tracePrefix.count..<(end - 2)]
        guard !body.contains(UInt8(ascii: "\\")), !body.contains(UInt8(ascii: "\"")) else { return nil }
        return String(decoding: body, as: UTF8.self)
    }

    /// The classic builder (and buildah/podman `--label`) implement build labels by appending a
    /// `LABEL` step to the last stage; it is ours, not the Dockerfile's, so it is dropped and
    /// totals are fixed up.
    static func dropInjectedLabelStep(_ steps: [StepResult]) -> [StepResult] {
        guard let last = steps.last, last.keyword == "LABEL", last.instruction.contains(benchLabelKey) else { return steps }
        let n = last.total - 1
        return steps.dropLast().map { var s = $0; s.total = n; return s }
    }

    private func recordIntermediates(_ ids: [String], runID: String) {
        guard !ids.isEmpty else { return }
        lock.lock(); intermediates[runID, default: []] += ids; lock.unlock()
    }

    /// Removes every container and image labelled `dev.dockerlint.bench=<runID>`, plus classic
    /// intermediate images this client saw for the run (unlabelled; already-gone ones are ignored).
    @discardableResult
    public func cleanup(runID: String) throws -> CleanupReport {
        let label = "\(benchLabelKey)=\(runID)"
        var report = CleanupReport()
        for c in try containers(label: label) {
            try removeContainer(c.id)
            report.removedContainers.append(c.id)
        }
        for img in try images(label: label) {
            do { report.removedImages += try removeImage(img.id, force: true) } catch BuilderError.http(404, _) {}
        }
        lock.lock()
        let extra = intermediates.removeValue(forKey: runID) ?? []
        lock.unlock()
        for id in extra.reversed() {
            // Only untagged images: a tagged one is someone's (a base image, another run's result),
            // and deleting by ID would untag and remove it. 404: already pruned with its child;
            // 409: still the parent of another image (shared cache).
            guard let details = try? inspectImage(id), details.repoTags.isEmpty,
                  details.labels[benchLabelKey] == nil || details.labels[benchLabelKey] == runID else { continue }
            do { report.removedImages += try removeImage(id, force: false) } catch BuilderError.http(let s, _) where s == 404 || s == 409 {}
        }
        return report
    }
}
