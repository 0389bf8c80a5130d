/// Which builder: the one name for it in configuration (`builder:`), on the command line
/// (`--builder`), in the cache simulator, for real builds and in bench output.
///
/// Only BuildKit and the classic builder have cache models of their own; buildah and podman
/// (`--layers`) cache as the classic builder does (`cacheModel`). A builder's engine version
/// (Docker 20.10's BuildKit 0.8 against Docker 26's) is a separate value next to the kind,
/// so that adding one leaves this enum and its raw values (which bench JSON carries) alone.
public enum BuilderKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Docker Engine's BuildKit (`POST /build?version=2`, `DOCKER_BUILDKIT=1`).
    case buildkit
    /// Docker Engine's legacy builder (`POST /build?version=1`).
    case classic
    /// `buildah bud --layers`.
    case buildah
    /// `podman build --layers`.
    case podman

    /// The builders whose cache dockerlint models (`lint --builder`, `simulate --builder`).
    public static let modelled: [BuilderKind] = [.buildkit, .classic]

    /// The cache model that predicts this builder.
    public var cacheModel: BuilderKind { self == .buildkit ? .buildkit : .classic }

    /// Docker Engine builders (reached through its API) as opposed to command-line tools.
    public var isDockerEngine: Bool { self == .buildkit || self == .classic }

    /// The `version` parameter of the Engine API's `POST /build`; nil for the CLI tools.
    public var engineAPIBuildVersion: String? {
        switch self {
        case .classic: return "1"
        case .buildkit: return "2"
        case .buildah, .podman: return nil
        }
    }

    /// One of `allowed` by name, or nil.
    public static func named(_ name: String, among allowed: [BuilderKind] = modelled) -> BuilderKind? {
        BuilderKind(rawValue: name).flatMap { allowed.contains($0) ? $0 : nil }
    }

    /// "expected buildkit or classic" (the names of `allowed`), for error messages.
    public static func expected(_ allowed: [BuilderKind] = modelled) -> String {
        let names = allowed.map(\.rawValue)
        return "expected " + (names.count > 1 ? names.dropLast().joined(separator: ", ") + " or " + names.last! : names.joined())
    }
}
