import DockerlintSupport
import Testing

@Suite struct BuilderKindTests {
    @Test func namesModelsAndEngineVersions() {
        #expect(BuilderKind.named("classic") == .classic)
        #expect(BuilderKind.named("podman") == nil)  // not a cache model
        #expect(BuilderKind.named("podman", among: BuilderKind.allCases) == .podman)
        #expect(BuilderKind.named("BuildKit") == nil)
        #expect(BuilderKind.expected() == "expected buildkit or classic")
        #expect(BuilderKind.expected(BuilderKind.allCases) == "expected buildkit, classic, buildah or podman")
        #expect(BuilderKind.allCases.map(\.cacheModel) == [.buildkit, .classic, .classic, .classic])
        #expect(BuilderKind.allCases.map(\.engineAPIBuildVersion) == ["2", "1", nil, nil])
        #expect(BuilderKind.allCases.filter(\.isDockerEngine) == BuilderKind.modelled)
    }
}
