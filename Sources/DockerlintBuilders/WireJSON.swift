// The JSON the builders read from the Docker Engine API, buildx, podman and a registry, as
// Decodable types: only the members used, each optional where the peer may leave it out or
// send null (the engines differ between releases).
import DockerlintSupport
import Foundation

enum WireJSON {
    /// The value `bytes` decode to, nil when they are not JSON of that shape.
    static func decode<T: Decodable>(_ type: T.Type, _ bytes: some Sequence<UInt8>) -> T? {
        try? JSONDecoder().decode(T.self, from: Data(bytes))
    }

    /// Compact JSON with sorted keys (request bodies and query values).
    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        Array(try JSONValueEncoder().encode(value).serialized(pretty: false).utf8)
    }

    /// A member whose values are `{}` (`ExposedPorts`, `Volumes`): only the keys matter.
    struct Empty: Decodable {}

    /// An error body: `{"message": "..."}`.
    struct ErrorBody: Decodable { var message: String? }

    /// `GET /version`.
    struct Version: Decodable {
        var Version: String?
        var ApiVersion: String?
        var MinAPIVersion: String?
        var Os: String?
        var Arch: String?
        var KernelVersion: String?
    }

    /// An entry of `GET /images/json`.
    struct ImageListEntry: Decodable {
        var Id: String?
        var RepoTags: [String]?
        var Labels: [String: String]?
        var Size: Int?
        var Created: Int?
    }

    /// An entry of `DELETE /images/{id}`.
    struct DeleteEntry: Decodable { var Deleted: String? }

    /// An entry of `GET /containers/json`.
    struct ContainerListEntry: Decodable {
        var Id: String?
        var Names: [String]?
        var Image: String?
        var Command: String?
        var State: String?
        var Labels: [String: String]?
    }

    /// An image's run configuration (`Config` of `GET /images/{id}/json`).
    struct ImageConfig: Decodable {
        var Env: [String]?
        var Cmd: [String]?
        var Entrypoint: [String]?
        var User: String?
        var WorkingDir: String?
        var ExposedPorts: [String: Empty]?
        var Labels: [String: String]?
        var Volumes: [String: Empty]?
    }

    struct RootFS: Decodable { var Layers: [String]? }

    /// `GET /images/{id}/json`, and an entry of `podman image inspect`.
    struct ImageInspect: Decodable {
        var Id: String?
        var Parent: String?
        var RepoTags: [String]?
        var Size: Int?
        var Created: String?
        var Config: ImageConfig?
        var RootFS: RootFS?
        /// podman's OCI history (`empty_layer` marks steps without a layer).
        var History: [OCIHistory]?
    }

    /// An entry of an OCI image config's `history`.
    struct OCIHistory: Decodable {
        var created_by: String?
        var empty_layer: Bool?
    }

    /// An entry of `GET /images/{id}/history`.
    struct HistoryEntry: Decodable {
        var Id: String?
        var CreatedBy: String?
        var Size: Int?
        var Created: Int?
        var Tags: [String]?
    }

    /// An entry of `podman history --format json`.
    struct PodmanHistoryEntry: Decodable { var size: Int? }

    /// `POST /containers/create`: the request and the answer.
    struct ContainerSpec: Encodable {
        var Image: String
        var Cmd: [String]
        var Entrypoint: [String]
        var Labels: [String: String]
        var NetworkDisabled: Bool
    }
    struct Created: Decodable { var Id: String? }

    /// `GET /info`.
    struct Info: Decodable { var DriverStatus: [[String]]? }

    /// `POST /build/prune`.
    struct Pruned: Decodable { var SpaceReclaimed: Int? }

    /// A registry's image manifest.
    struct Manifest: Decodable {
        struct Descriptor: Decodable {
            var digest: String?
            var size: Int?
        }
        var layers: [Descriptor]?
        var config: Descriptor?
    }

    /// An image config blob of a registry.
    struct ImageConfigBlob: Decodable {
        struct RootFS: Decodable { var diff_ids: [String]? }
        var rootfs: RootFS?
        var history: [OCIHistory]?
    }

    /// buildx's `--metadata-file`.
    struct BuildxMetadata: Decodable {
        var imageDigest: String?
        var configDigest: String?
        enum CodingKeys: String, CodingKey {
            case imageDigest = "containerimage.digest"
            case configDigest = "containerimage.config.digest"
        }
    }

    /// One `client.SolveStatus` as buildx prints it with `--progress=rawjson`.
    struct SolveStatus: Decodable {
        struct Vertex: Decodable {
            var digest: String?
            var inputs: [String]?
            var name: String?
            var cached: Bool?
            var started: String?
            var completed: String?
            var error: String?
        }
        struct Status: Decodable {
            var id: String?
            var vertex: String?
        }
        struct Log: Decodable {
            var vertex: String?
            var stream: Int?
            var data: String?
            var timestamp: String?
        }
        var vertexes: [Vertex]?
        var statuses: [Status]?
        var logs: [Log]?
    }
}

/// One line of the Engine's JSON progress stream (`POST /build`, `POST /images/{name}/push`).
public struct EngineProgressLine: Decodable, Sendable {
    /// `aux` is a base64 BuildKit trace (with `id: moby.buildkit.trace`) or an object.
    public enum Aux: Decodable, Sendable {
        case trace(String)
        case object(id: String?, digest: String?)

        private struct Object: Decodable {
            var ID: String?
            var Digest: String?
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let s = try? c.decode(String.self) { self = .trace(s); return }
            let o = try c.decode(Object.self)
            self = .object(id: o.ID, digest: o.Digest)
        }
    }

    public struct ErrorDetail: Decodable, Sendable {
        public var message: String?
        public var code: Int?
    }

    public var id: String?
    public var aux: Aux?
    public var stream: String?
    public var status: String?
    public var error: String?
    public var errorDetail: ErrorDetail?

    /// The line's fields, nil when it is not a JSON object of this shape.
    public static func decode(_ bytes: some Sequence<UInt8>) -> EngineProgressLine? {
        WireJSON.decode(EngineProgressLine.self, bytes)
    }

    /// The base64 BuildKit trace this line carries, if any.
    public var trace: String? {
        if id == "moby.buildkit.trace", case .trace(let s)? = aux { return s }
        return nil
    }
}
