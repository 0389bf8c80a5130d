import DockerlintCache
import DockerlintSupport
import Foundation
import Testing
@testable import DockerlintKit

/// `--engine` and `--ci-cache` on simulate, compare and report, the `engine` / `ci-cache`
/// configuration keys, and what the outputs say about the cache they assume.
@Suite("CI cache and engine options of simulate, compare and report", .enabled(if: GitReplay.gitAvailable, "needs git"))
struct CICacheCommandTests {
    /// The multi-stage history (scripts/make-multistage-history), made once.
    static let multistage: Result<URL, any Error> = Result {
        let dir = try CLI.tempDirectory().appendingPathComponent("history")
        let r = try CLI.run(CLI.packageRoot.appendingPathComponent("scripts/make-multistage-history").path, [dir.path])
        guard r.status == 0 else { throw ReportFixture.FixtureError(message: "make-multistage-history failed: \(r.stderr)") }
        return dir
    }

    func simulate(_ extra: [String], cwd: URL? = nil) throws -> CLI.Result {
        let dir = try cwd ?? Self.multistage.get()
        return try CLI.run(["simulate", "multistage/Dockerfile", "--context", "multistage", "--git", "HEAD~7..HEAD"] + extra, cwd: dir.path)
    }

    @Test func badValuesAreOneLineUsageErrors() throws {
        for (args, text) in [(["--ci-cache", "sometimes"], "--ci-cache: expected local, none, inline, registry-min or registry-max, not 'sometimes'"),
                             (["--engine", "docker-27"], "--engine: expected docker-20.10 or docker-26, not 'docker-27'"),
                             (["--builder", "classic", "--ci-cache", "inline"], "CI cache exports are BuildKit's")] {
            let r = try simulate(args)
            #expect(r.status == 2, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(text), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(r.stdout.isEmpty)
        }
    }

    /// Fresh runners with inline / mode=min caches rebuild the whole builder stage whenever the
    /// final image needs its output; a local cache does not.
    @Test func ciCacheChangesThePredictionAndSaysSo() throws {
        let local = try simulate(["--engine", "docker-26", "-f", "json"])
        let min = try simulate(["--engine", "docker-26", "--ci-cache", "registry-min", "-f", "json"])
        #expect(local.status == 0 && min.status == 0, "\(local.stderr) \(min.stderr)")
        func misses(_ json: String) throws -> Int {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let builds = try #require(o["builds"] as? [[String: Any]])
            return builds.dropFirst().reduce(0) { n, b in n + ((b["steps"] as? [[String: Any]]) ?? []).filter { $0["status"] as? String == "miss" }.count }
        }
        #expect(try misses(min.stdout) > misses(local.stdout))
        #expect(min.stdout.contains("\"ciCache\":\"registry-min\"") && min.stdout.contains("\"engine\":\"docker-26\""))
        #expect(min.stdout.contains("key-without-layers"))
        let schema = try SimulateRunnerTests().validate(min.stdout, schema: "simulate-output.schema.json")
        #expect(schema == "ok", "\(schema)")
        let tty = try simulate(["--engine", "docker-26", "--ci-cache", "registry-min"])
        #expect(tty.stdout.contains("with buildkit, docker-26, cache: registry-min"))
        #expect(tty.stdout.contains("Every build starts on fresh CI runners importing the previous build's registry cache (mode=min)."))
    }

    @Test func configurationKeysSetTheDefaults() throws {
        let dir = try CLI.tempDirectory()
        let hist = dir.appendingPathComponent("h")
        let made = try CLI.run(CLI.packageRoot.appendingPathComponent("scripts/make-multistage-history").path, [hist.path])
        #expect(made.status == 0)
        try CLI.write("ci-cache: inline\nengine: docker-26\n", to: hist.appendingPathComponent("multistage/.dockerlint.yaml"))
        let r = try simulate(["-f", "json"], cwd: hist)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"ciCache\":\"inline\"") && r.stdout.contains("\"engine\":\"docker-26\""))
        // The command line wins over the file; the environment over the file too.
        #expect(try simulate(["-f", "json", "--ci-cache", "local"], cwd: hist).stdout.contains("\"ciCache\":\"local\""))
        let env = try CLI.run(["simulate", "multistage/Dockerfile", "--context", "multistage", "--git", "HEAD~7..HEAD", "-f", "json"],
                              environment: ["DOCKERLINT_CI_CACHE": "none"], cwd: hist.path)
        #expect(env.stdout.contains("\"ciCache\":\"none\""), "\(env.stderr)")
        // A bad value is an error at its position.
        try CLI.write("ci-cache: sometimes\n", to: hist.appendingPathComponent("multistage/.dockerlint.yaml"))
        let bad = try simulate([], cwd: hist)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("multistage/.dockerlint.yaml:1:11: error: ci-cache: expected local, none, inline, registry-min or registry-max"), "\(bad.stderr)")
    }

    /// Without `--engine`, the report models the release a `--bench` file detected.
    @Test func reportTakesTheEngineFromABench() throws {
        let bench = ReportFixture.benchJSON.replacingOccurrences(
            of: #""runs":1,"#,
            with: #""runs":1,"engine":{"version":"26.1.5+dfsg1","apiVersion":"1.45","release":"docker-26","exact":true,"summary":"Docker 26.1.5+dfsg1 (API 1.45), modelled as docker-26 (BuildKit v0.13)"},"ciCache":"local","registry":null,"#)
        #expect(bench.contains("\"release\":\"docker-26\""))
        let file = try CLI.tempDirectory().appendingPathComponent("bench.json")
        try CLI.write(bench, to: file)
        let r = try ReportFixture.report(["--bench", file.path, "-f", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"engine\":\"docker-26\""))
        #expect(r.stdout.contains("modelled as docker-26"))
        let forced = try ReportFixture.report(["--bench", file.path, "--engine", "docker-20.10", "-f", "json"])
        #expect(forced.stdout.contains("\"engine\":\"docker-20.10\""))
    }

    @Test func reportStatesTheCacheAndShowsEveryModeSideBySide() throws {
        let dir = try Self.multistage.get()
        let md = try CLI.run(["report", "multistage/Dockerfile", "--context", "multistage", "--git", "HEAD~7..HEAD",
                              "--engine", "docker-26", "--ci-cache", "registry-max", "-f", "markdown"], cwd: dir.path)
        #expect(md.status == 0, "\(md.stderr)")
        #expect(md.stdout.contains("| Cache assumed | fresh CI runners importing the previous build's registry cache (mode=max) (engine model docker-26, BuildKit v0.13) |"))
        #expect(md.stdout.contains("### Local cache vs CI caches"))
        for m in CICacheMode.allCases { #expect(md.stdout.contains("| `\(m.rawValue)`")) }
        #expect(md.stdout.contains("`registry-max` (assumed)"))
        let json = try CLI.run(["report", "multistage/Dockerfile", "--context", "multistage", "--git", "HEAD~7..HEAD",
                                "--engine", "docker-26", "--ci-cache", "registry-max", "-f", "json"], cwd: dir.path)
        #expect(json.status == 0)
        let o = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(o["ciCache"] as? String == "registry-max")
        let modes = try #require(o["cacheModes"] as? [[String: Any]])
        #expect(modes.count == 5)
        let eff = Dictionary(uniqueKeysWithValues: modes.map { ($0["mode"] as! String, ($0["efficiency"] as! NSNumber).doubleValue) })
        // No cache reuses nothing; mode=min rebuilds builder stages the local cache keeps.
        #expect(eff["none"] == 0)
        #expect(eff["registry-min"]! < eff["local"]!)
        #expect(modes.filter { $0["assumed"] as? Bool == true }.map { $0["mode"] as? String } == ["registry-max"])
        let html = try CLI.run(["report", "multistage/Dockerfile", "--context", "multistage", "--git", "HEAD~7..HEAD",
                                "--ci-cache", "inline", "-f", "html"], cwd: dir.path)
        #expect(html.stdout.contains("id=\"cache-modes-table\"") && html.stdout.contains("cache assumed: fresh CI runners importing the previous image"))
    }
}
