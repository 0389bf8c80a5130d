// swift-tools-version:6.1
import PackageDescription

// Dependencies run one way:
//   dockerlint -> DockerlintKit -> {DockerlintRules, DockerlintReporters, DockerlintBuilders}
//   DockerlintRules -> {DockerlintCore, DockerlintAnalysis, DockerlintShell, DockerlintCache}
//   DockerlintAnalysis -> {DockerlintModel, DockerlintShell, DockerlintCache}
//   DockerlintCore -> DockerlintModel -> DockerlintSyntax
//   DockerlintBuilders -> DockerlintCache -> DockerlintModel
//   dockerlint-dev -> DockerlintDevTools -> DockerlintCore (generators, not in the binary)
// DockerlintSyntax has no dependencies; only the executable sees ArgumentParser.
// Release builds of the project's own targets instantiate generic types (the storage of a
// `[String: X]` or a `Set<Y>`) through their metadata accessors, with the witness tables
// passed in, instead of by mangled name: a mangled name makes the runtime look up each key
// type's `Hashable` conformance by scanning every conformance record of the binary (about
// 6,900 in the static executable), once per type and process, a third of the instructions
// of linting one small file.
let releaseSettings: [SwiftSetting] = [
    .unsafeFlags(["-Xfrontend", "-disable-concrete-type-metadata-mangled-name-accessors"], .when(configuration: .release)),
]

let package = Package(
    name: "dockerlint",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dockerlint", targets: ["dockerlint"]),
        .library(name: "DockerlintKit", targets: ["DockerlintKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // What every layer needs once: child processes and git, text and path helpers.
        .target(name: "DockerlintSupport", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // Lines, directives, continuations, heredocs, flags, JSON/shell forms, the shell
        // word lexer and variable expansion, BuildKit's AST dump.
        .target(name: "DockerlintSyntax", dependencies: ["DockerlintSupport"]),
        // Typed instructions with validated flags, RUN mounts, stages, ARG/ENV scopes.
        .target(name: "DockerlintModel", dependencies: ["DockerlintSyntax", "DockerlintSupport"]),
        // A POSIX shell parser for RUN bodies and package-manager command knowledge.
        .target(name: "DockerlintShell"),
        // Rule protocol, diagnostics, configuration, pragmas, the one-pass linter.
        .target(name: "DockerlintCore", dependencies: [
            "DockerlintModel", "DockerlintSupport", .product(name: "Yams", package: "Yams"),
        ]),
        // Context (.dockerignore, hashing), the BuildKit and classic cache models, git replay.
        .target(name: "DockerlintCache", dependencies: [
            "DockerlintModel", "DockerlintSupport",
        ]),
        // What each step of a Dockerfile reads and writes (files, context, environment),
        // what the project's package managers read, and which reorders keep the image.
        .target(name: "DockerlintAnalysis", dependencies: [
            "DockerlintModel", "DockerlintShell", "DockerlintCache", "DockerlintSupport",
        ]),
        // The rules themselves, and the catalog generated from rules/*.yaml.
        .target(name: "DockerlintRules", dependencies: [
            "DockerlintCore", "DockerlintAnalysis", "DockerlintShell", "DockerlintCache", "DockerlintSupport",
        ]),
        // One type per output format.
        .target(name: "DockerlintReporters", dependencies: ["DockerlintCore"]),
        // Real builders: Docker Engine (BuildKit, classic), Podman, Buildah.
        .target(name: "DockerlintBuilders", dependencies: ["DockerlintCache", "DockerlintSupport"]),
        // The facade the CLI calls: runners that map results to exit codes.
        .target(name: "DockerlintKit", dependencies: [
            "DockerlintRules", "DockerlintAnalysis", "DockerlintReporters", "DockerlintBuilders", "DockerlintCache", "DockerlintSupport",
            .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(
            name: "dockerlint",
            dependencies: ["DockerlintKit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            // This target imports Foundation compiled against the static SDK modules, so its
            // objects name every static library Foundation needs (ICU, CoreFoundation, ...):
            // a plain `swift build -c release` (pre-commit builds so) then links the static
            // executable below too; `--static-swift-stdlib` does this for every target.
            swiftSettings: [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))],
            // Start-up is most of a pre-commit run. On Linux the release executable is fully
            // static: no dynamic loader, no relocations or symbol lookups in libstdc++/libm at
            // every start (4.9 ms -> 3.1 ms for one file), and unused sections are dropped.
            // Elsewhere it is at least non-PIE (85,000 load-time relocations otherwise).
            linkerSettings: [
                .unsafeFlags(["-static-executable", "-use-ld=lld", "-Xlinker", "--gc-sections", "-Xlinker", "--no-warnings"], .when(platforms: [.linux], configuration: .release)),
                .unsafeFlags(["-Xlinker", "--gc-sections", "-Xclang-linker", "-no-pie"], .when(platforms: [.macOS], configuration: .release)),
            ]),
        // Generators as a library: rules/*.yaml -> the rule catalog and registry (tests render
        // them in memory and compare them with the committed files).
        .target(name: "DockerlintDevTools", dependencies: ["DockerlintCore", "DockerlintSupport", .product(name: "Yams", package: "Yams")]),
        // Developer tool: regenerates the rule catalog and registry from rules/*.yaml.
        .executableTarget(name: "dockerlint-dev", dependencies: ["DockerlintDevTools"]),
        // Benchmarks that write their results under reports/ (not timed tests).
        .executableTarget(name: "dockerlint-bench", dependencies: ["DockerlintKit", "DockerlintCache", "DockerlintBuilders", "DockerlintSupport"]),

        .testTarget(name: "DockerlintSupportTests", dependencies: ["DockerlintSupport"]),
        .testTarget(name: "DockerlintSyntaxTests", dependencies: ["DockerlintSyntax"]),
        .testTarget(name: "DockerlintModelTests", dependencies: ["DockerlintModel"]),
        .testTarget(name: "DockerlintShellTests", dependencies: ["DockerlintShell"]),
        .testTarget(name: "DockerlintCacheTests", dependencies: ["DockerlintCache", "DockerlintSupport"]),
        .testTarget(name: "DockerlintAnalysisTests", dependencies: ["DockerlintAnalysis", "DockerlintModel", "DockerlintSupport"]),
        .testTarget(name: "DockerlintRulesTests", dependencies: ["DockerlintRules", "DockerlintAnalysis", "DockerlintDevTools"], exclude: ["Fixtures"]),
        .testTarget(name: "DockerlintReportersTests", dependencies: ["DockerlintReporters"]),
        .testTarget(name: "DockerlintBuildersTests", dependencies: ["DockerlintBuilders", "DockerlintSupport"]),
        // Fixtures/ holds build contexts the bench tests copy, not resources.
        .testTarget(name: "DockerlintKitTests", dependencies: ["DockerlintKit", "DockerlintCore", "DockerlintSupport"], exclude: ["Fixtures"]),
    ]
)

for target in package.targets where target.type != .test {
    target.swiftSettings = (target.swiftSettings ?? []) + releaseSettings
}
