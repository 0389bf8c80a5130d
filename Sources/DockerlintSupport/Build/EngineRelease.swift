// The engine release next to the builder kind, and the cache a build starts from: the two
// values the cache model, the configuration, the command line and bench output share.

/// The Docker Engine release whose builders are modelled. Where two releases key a step
/// differently, both were verified on real engines (docs/CACHE-SEMANTICS.md, "Engine releases").
public enum EngineRelease: String, Sendable, CaseIterable, Codable {
    /// Docker 20.10 (embedded BuildKit v0.8; the classic builder of 20.10).
    case docker20_10 = "docker-20.10"
    /// Docker 26 (embedded BuildKit v0.13; the classic builder of 26.1).
    case docker26 = "docker-26"

    /// `docker-26`, `26`, `docker-20.10`, `20.10`.
    public init?(argument: String) {
        let a = argument.lowercased()
        switch a.hasPrefix("docker-") ? String(a.dropFirst(7)) : a {
        case "20.10": self = .docker20_10
        case "26": self = .docker26
        default: return nil
        }
    }

    /// The verified release nearest to an engine's `/version` (`20.10.24+dfsg1`, `26.1.5`):
    /// 26 and later behave as 26 in every modelled respect, earlier ones as 20.10. `exact` is
    /// false for releases that were not verified (then the output says which one stands in).
    public static func nearest(toEngineVersion version: String) -> (release: EngineRelease, exact: Bool)? {
        let parts = version.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard let major = parts.first else { return nil }
        if major >= 26 { return (.docker26, major == 26) }
        return (.docker20_10, major == 20 && parts.count > 1 && parts[1] == 10)
    }

    /// "expected docker-20.10 or docker-26", for error messages.
    public static let expected = "expected docker-20.10 or docker-26"

    /// The BuildKit release the engine embeds.
    public var buildKit: String { self == .docker20_10 ? "v0.8" : "v0.13" }

    /// BuildKit ≥ v0.13 leaves a cache mount's `id` and `sharing` out of the RUN key unless the
    /// mount is the default one (`checkShouldClearCacheOpts`, moby/buildkit 584ec4008).
    public var clearsCacheMountOptions: Bool { self != .docker20_10 }
    /// Docker ≥ 26.1's classic builder keys an absolute WORKDIR by its cleaned path
    /// (moby/moby#47723); 20.10 by its text.
    public var classicCleansWorkdir: Bool { self != .docker20_10 }
}

/// Where a build's layer cache comes from. `local` is one machine that keeps every build;
/// the others are fresh CI runners that import only what the previous build exported
/// (docs/CACHE-SEMANTICS.md, "CI caches"). Modelled for BuildKit.
public enum CICacheMode: String, Sendable, CaseIterable, Codable {
    /// One runner keeps its build cache (a developer machine, a persistent CI runner).
    case local
    /// Fresh runner, nothing imported: every step runs.
    case none
    /// Fresh runner; `--cache-from` the previous image, built with `--cache-to type=inline`.
    case inline
    /// Fresh runner; `--cache-from/--cache-to type=registry,mode=min`.
    case registryMin = "registry-min"
    /// Fresh runner; `--cache-from/--cache-to type=registry,mode=max`.
    case registryMax = "registry-max"

    /// "expected local, none, inline, registry-min or registry-max", for error messages.
    public static let expected = "expected local, none, inline, registry-min or registry-max"

    /// What a report says the numbers assume.
    public var summary: String {
        switch self {
        case .local: return "a local cache that keeps every earlier build"
        case .none: return "fresh CI runners with no cache"
        case .inline: return "fresh CI runners importing the previous image's inline cache (mode=min)"
        case .registryMin: return "fresh CI runners importing the previous build's registry cache (mode=min)"
        case .registryMax: return "fresh CI runners importing the previous build's registry cache (mode=max)"
        }
    }

    /// Only the final image's layers are exported (inline and registry `mode=min`).
    public var finalStageOnly: Bool { self == .inline || self == .registryMin }
}
