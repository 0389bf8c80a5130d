// The commands' options as typed on the command line: parsed and checked here, with the
// messages the commands print, so the executable passes raw strings and sees Kit only.
import DockerlintBuilders
import DockerlintCore
import DockerlintSupport
import Foundation

/// Parsers for values several commands take.
public enum CommandLineValues {
    /// The `K=V` items of a repeatable option (`--build-arg`, `--cost`).
    public static func pairs(_ list: [String], _ flag: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for item in list {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw CommandError("\(flag): expected KEY=VALUE, got '\(item)'")
            }
            out[String(item[..<eq])] = String(item[item.index(after: eq)...])
        }
        return out
    }

    /// `--cost KIND=SECONDS` items: per keyword (upper-cased) or `run:` category.
    static func costOverrides(_ list: [String]) throws -> [String: Double] {
        var out: [String: Double] = [:]
        for (k, v) in try pairs(list, "--cost") {
            guard let s = Double(v), s >= 0 else { throw CommandError("--cost: '\(v)' is not a number of seconds") }
            out[k.hasPrefix("run:") ? k : k.uppercased()] = s
        }
        return out
    }

    /// `--builder` of a command that simulates a builder's cache.
    static func simulatedBuilder(_ name: String) throws -> BuilderKind {
        guard let kind = BuilderKind.named(name) else { throw CommandError("--builder: \(BuilderKind.expected())") }
        return kind
    }

    /// `--engine` and `--ci-cache`, else the `engine` / `ci-cache` keys of the configuration
    /// (`.dockerlint.yaml` found as for lint, `DOCKERLINT_ENGINE`, `DOCKERLINT_CI_CACHE`).
    static func applyCacheModel(engine: String?, ciCache: String?, configFor path: String?, explicitConfig: String? = nil,
                                into release: inout EngineRelease, _ mode: inout CICacheMode) throws {
        let config = try CacheModelConfiguration.load(near: path, explicit: explicitConfig)
        if let e = engine {
            guard let r = EngineRelease(argument: e) else { throw CommandError("--engine: \(EngineRelease.expected), not '\(e)'") }
            release = r
        } else if let r = config.engine {
            release = r
        }
        if let c = ciCache {
            guard let m = CICacheMode(rawValue: c) else { throw CommandError("--ci-cache: \(CICacheMode.expected), not '\(c)'") }
            mode = m
        } else if let m = config.ciCache {
            mode = m
        }
    }
}

extension SimulateOptions {
    /// The options `simulate` and `compare` share, as typed.
    public struct Arguments: Sendable {
        public var context: String?
        public var builder = "buildkit"
        public var changed: [String] = []
        public var buildArgs: [String] = []
        public var baseBuildArgs: [String] = []
        public var git: String?
        public var target: String?
        public var costs: String?
        public var cost: [String] = []
        public var format = "tty"
        public var noColor = false
        public var directoryMetadata = false
        public var engine: String?
        public var ciCache: String?
        public init() {}
    }

    public init(arguments a: Arguments) throws {
        self.init()
        context = a.context
        builder = try CommandLineValues.simulatedBuilder(a.builder)
        changed = a.changed
        buildArgs = try CommandLineValues.pairs(a.buildArgs, "--build-arg")
        baseBuildArgs = try CommandLineValues.pairs(a.baseBuildArgs, "--base-build-arg")
        git = a.git
        target = a.target
        costsFile = a.costs
        costOverrides.merge(try CommandLineValues.costOverrides(a.cost)) { _, new in new }
        guard let f = Format(rawValue: a.format) else { throw CommandError("--format: expected tty, json or markdown") }
        format = f
        noColor = a.noColor
        directoryMetadata = a.directoryMetadata
        try CommandLineValues.applyCacheModel(engine: a.engine, ciCache: a.ciCache, configFor: a.context, into: &release, &ciCache)
        try validateCICache()
    }
}

extension ReportRunner.Options {
    /// `--builder`, `--engine`, `--ci-cache` and `--build-arg` as typed. `dockerfile`,
    /// `context` and `configPath` are set first: the configuration found from them supplies
    /// the engine and CI cache the options do not name.
    public mutating func applyCommandLine(builder name: String, engine: String?, ciCache mode: String?,
                                          buildArgs list: [String]) throws {
        builder = try CommandLineValues.simulatedBuilder(name)
        var modelled = EngineRelease.docker20_10
        try CommandLineValues.applyCacheModel(engine: engine, ciCache: mode, configFor: context ?? dockerfile,
                                              explicitConfig: configPath, into: &modelled, &ciCache)
        // No --engine and no engine key: the release a --bench file detected stands.
        let configured = try CacheModelConfiguration.load(near: context ?? dockerfile, explicit: configPath).engine
        if engine != nil || configured != nil {
            release = modelled
        }
        if builder == .classic && ciCache != .local && ciCache != .none {
            throw CommandError("--ci-cache \(ciCache.rawValue): CI cache exports are BuildKit's; with --builder classic use local or none")
        }
        buildArgs = try CommandLineValues.pairs(list, "--build-arg")
    }
}

extension OptimizeOptions {
    /// `--builder`, `--build-arg` and `--cost` as typed.
    public mutating func applyCommandLine(builder name: String, buildArgs list: [String], cost: [String]) throws {
        guard let b = BuilderKind.named(name), b == .buildkit || b == .classic else {
            throw CommandError("--builder: expected buildkit or classic, not '\(name)'")
        }
        builder = b
        buildArgs = try CommandLineValues.pairs(list, "--build-arg")
        costOverrides.merge(try CommandLineValues.costOverrides(cost)) { _, new in new }
    }
}

extension BenchConfiguration {
    /// `--ci-cache`, `--engine` and `--builder` as typed; returns the builder to connect
    /// (`auto` means BuildKit when builds import and export a CI cache).
    public mutating func applyCommandLine(ciCache mode: String, engine: String?, builder: String) throws -> String {
        guard let m = CICacheMode(rawValue: mode) else {
            throw CommandError("--ci-cache: \(CICacheMode.expected), not '\(mode)'")
        }
        ciCache = m
        if let e = engine {
            guard let r = EngineRelease(argument: e) else { throw CommandError("--engine: \(EngineRelease.expected), not '\(e)'") }
            release = r
        }
        if m != .local && builder != "auto" && builder != "buildkit" {
            throw CommandError("--ci-cache \(m.rawValue): CI caches are BuildKit's (--builder buildkit)")
        }
        return m != .local && builder == "auto" ? "buildkit" : builder
    }

    /// CI caches are exported and imported through buildx.
    public var usesBuildx: Bool { ciCache != .local }
}

extension LintOptions {
    /// Sets a single-valued setting by its command-line option (`--builder`, `--history`).
    public mutating func set(_ option: String, value: String) { set(option, .value(value)) }

    /// Adds to a list setting by its command-line option (`--ignore`).
    public mutating func set(_ option: String, values: [String]) { set(option, .values(values)) }
}
