// Pushing to a registry and reading back what was sent: `POST /images/{name}/push` on the
// engine, then the manifest and config from the registry's HTTP API (plain HTTP: a loopback
// registry such as Debian's docker-registry on 127.0.0.1:5000).
import Foundation

/// What happened to one layer of a push.
public enum PushedLayerStatus: String, Sendable, Codable {
    /// Uploaded (`Pushed`).
    case uploaded
    /// The registry had it (`Layer already exists`).
    case existing
    /// Mounted from another repository of the same registry, nothing sent (`Mounted from …`).
    case mounted
}

/// One layer of a pushed image, in image order.
public struct PushedLayer: Sendable, Equatable, Codable {
    /// Compressed digest (as in the manifest).
    public var digest: String
    /// Uncompressed digest (`rootfs.diff_ids`).
    public var diffID: String
    /// Compressed size: the bytes an upload sends.
    public var size: Int
    public var status: PushedLayerStatus
}

/// The result of one push.
public struct PushResult: Sendable, Equatable, Codable {
    public var reference: String
    public var manifestDigest: String?
    public var layers: [PushedLayer]
    /// The image config's history, oldest first: what made each layer (`empty_layer` entries
    /// made none).
    public var history: [HistoryEntry] = []

    public struct HistoryEntry: Sendable, Equatable, Codable {
        public var createdBy: String
        public var emptyLayer: Bool
    }
    public var uploaded: Int { layers.filter { $0.status == .uploaded }.count }
    public var existing: Int { layers.filter { $0.status == .existing }.count }
    public var mounted: Int { layers.filter { $0.status == .mounted }.count }
    /// Compressed bytes of the uploaded layers.
    public var bytesSent: Int { layers.filter { $0.status == .uploaded }.reduce(0) { $0 + $1.size } }
}

/// The per-layer statuses of a push stream, keyed by the ID the engine prints: the first 12 hex
/// digits of the uncompressed digest (Docker 20.10) or of the compressed one (Docker 26 with the
/// containerd store).
public struct PushStreamParser: Sendable {
    public private(set) var statuses: [String: PushedLayerStatus] = [:]
    public private(set) var digest: String?
    public private(set) var error: String?
    public init() {}

    public mutating func feed(line: [UInt8]) {
        guard let obj = EngineProgressLine.decode(line) else { return }
        if let e = obj.error { error = e; return }
        if case .object(_, let d?)? = obj.aux { digest = d }
        guard let status = obj.status else { return }
        if let id = obj.id {
            if status == "Pushed" { statuses[id] = .uploaded }
            else if status == "Layer already exists" { statuses[id] = .existing }
            else if status.hasPrefix("Mounted from") { statuses[id] = .mounted }
        } else if let r = status.range(of: "digest: sha256:") {
            // `b1: digest: sha256:… size: 527` (Docker 26 prints no aux line).
            let hex = status[r.upperBound...].prefix { $0.isHexDigit }
            if hex.count == 64 { digest = "sha256:" + hex }
        }
    }
}

/// A registry's HTTP API (no TLS, no auth), for reading what was pushed.
public struct RegistryClient: Sendable {
    /// `127.0.0.1:5000`.
    public let address: String
    let endpoint: EngineEndpoint

    public init(address: String) throws(BuilderError) {
        self.address = address
        endpoint = try EngineEndpoint(parsing: "tcp://" + address)
    }

    func get(_ path: String, accept: String? = nil, timeout: Double = 30) throws -> (Int, [UInt8]) {
        var body: [UInt8] = []
        let head = try HTTPExchange.perform(endpoint: endpoint, method: "GET", target: path,
                                            headers: accept.map { [("Accept", $0)] } ?? [],
                                            connectTimeout: 3, timeout: timeout, onBody: { body += $0 })
        return (head.status, body)
    }

    /// Whether `/v2/` answers 200.
    public func ping() -> Bool { ((try? get("/v2/", timeout: 3))?.0) == 200 }

    /// Layers (compressed digest, size) and diff IDs of `repository@digest`, in image order.
    public func layers(repository: String, digest: String) throws -> [(digest: String, size: Int, diffID: String)] {
        try image(repository: repository, digest: digest).layers
    }

    /// The layers and the config's `history` (`created_by`, `empty_layer`) of `repository@digest`.
    public func image(repository: String, digest: String) throws
        -> (layers: [(digest: String, size: Int, diffID: String)], history: [(createdBy: String, emptyLayer: Bool)]) {
        let accept = "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"
        let (s, m) = try get("/v2/\(repository)/manifests/\(digest)", accept: accept)
        guard s == 200, let manifest = WireJSON.decode(WireJSON.Manifest.self, m), let ls = manifest.layers,
              let cfg = manifest.config?.digest else {
            throw BuilderError.protocolError("registry \(address): no image manifest for \(repository)@\(digest) (HTTP \(s))")
        }
        let (cs, c) = try get("/v2/\(repository)/blobs/\(cfg)")
        guard cs == 200, let config = WireJSON.decode(WireJSON.ImageConfigBlob.self, c),
              let diffIDs = config.rootfs?.diff_ids, diffIDs.count == ls.count else {
            throw BuilderError.protocolError("registry \(address): unreadable image config \(cfg) (HTTP \(cs))")
        }
        let history = (config.history ?? []).map { ($0.created_by ?? "", $0.empty_layer ?? false) }
        return (zip(ls, diffIDs).map { ($0.digest ?? "", $0.size ?? 0, $1) }, history)
    }
}

extension EngineClient {
    /// `GET /info`: whether the engine stores images in containerd (`driver-type:
    /// io.containerd.snapshotter.v1`). Only then does its BuildKit export registry caches, and
    /// only buildx can drive its BuildKit (a tar body over `POST /build?version=2` fails there).
    public func usesContainerdStore() throws -> Bool {
        let (_, body) = try call("GET", "/info")
        guard let o = WireJSON.decode(WireJSON.Info.self, body) else { return false }
        let status = o.DriverStatus ?? []
        return status.contains { $0.count == 2 && $0[0] == "driver-type" && $0[1].contains("containerd.snapshotter") }
    }

    /// `POST /build/prune?all=1`: removes the engine's whole build cache (what a fresh CI runner
    /// starts without). Returns the bytes reclaimed.
    @discardableResult
    public func pruneBuildCache() throws -> Int {
        let (_, body) = try call("POST", "/build/prune", query: [("all", "1")], timeout: 300)
        return WireJSON.decode(WireJSON.Pruned.self, body)?.SpaceReclaimed ?? 0
    }

    /// `POST /images/{image}/tag?repo=…&tag=…`.
    public func tag(image: String, repository: String, tag: String) throws {
        try call("POST", "/images/\(image)/tag", query: [("repo", repository), ("tag", tag)])
    }

    /// `POST /images/{repository}/push?tag=…`, then the pushed manifest read back from the
    /// registry: per layer, uploaded, already there or mounted, and its compressed size.
    /// `repository` is `host:port/path`.
    public func push(repository: String, tag: String, timeout: Double = 600) throws -> PushResult {
        var parser = PushStreamParser()
        var splitter = LineSplitter()
        try call("POST", "/images/\(repository)/push", query: [("tag", tag)], headers: [("X-Registry-Auth", "e30=")],
                 timeout: timeout) { bytes in
            for l in splitter.feed(bytes) { parser.feed(line: l) }
        }
        if let t = splitter.finish() { parser.feed(line: t) }
        if let e = parser.error { throw BuilderError.processFailed(command: "push \(repository):\(tag)", status: 1, output: e) }
        guard let digest = parser.digest, let slash = repository.firstIndex(of: "/") else {
            throw BuilderError.protocolError("push \(repository):\(tag): no manifest digest in the engine's answer")
        }
        let registry = try RegistryClient(address: String(repository[..<slash]))
        let image = try registry.image(repository: String(repository[repository.index(after: slash)...]), digest: digest)
        let layers = image.layers
        func status(_ l: (digest: String, size: Int, diffID: String)) -> PushedLayerStatus {
            for d in [l.diffID, l.digest] {
                let short = String(d.split(separator: ":").last?.prefix(12) ?? "")
                if let s = parser.statuses[short] { return s }
            }
            return .existing   // not mentioned: the engine skipped it as already there
        }
        return PushResult(reference: "\(repository):\(tag)", manifestDigest: digest,
                          layers: layers.map { PushedLayer(digest: $0.digest, diffID: $0.diffID, size: $0.size, status: status($0)) },
                          history: image.history.map { PushResult.HistoryEntry(createdBy: $0.createdBy, emptyLayer: $0.emptyLayer) })
    }
}
