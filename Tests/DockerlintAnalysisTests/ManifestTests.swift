@testable import DockerlintAnalysis
import Foundation
import Testing

/// package.json and composer.json as the analysis reads them: a member of an unexpected type
/// counts as absent, and the rest of the file still counts.
@Suite struct ManifestTests {
    func decode<T: Decodable>(_ type: T.Type, _ json: String) -> T? { try? JSONDecoder().decode(type, from: Data(json.utf8)) }

    /// etherpad-lite's workspaces came out in another order on each run (a dictionary's
    /// values): the specs are read in the order of their names.
    @Test func dependencySpecsInTheOrderOfTheirNames() throws {
        let names = ["h", "c", "f", "a", "g", "b", "e", "d"]
        let deps = names.map { "\"\($0)\": \"link:./\($0)\"" }.joined(separator: ", ")
        let pkg = try #require(decode(PackageManifest.self, "{\"dependencies\": {\(deps)}, \"pnpm\": {\"patchedDependencies\": {\(deps)}}}"))
        #expect(pkg.dependencySpecs == names.sorted().map { "link:./" + $0 })
        #expect(pkg.patchFiles == names.sorted().map { "link:./" + $0 })
    }

    @Test func packageManifestKeepsWhatIsWellTyped() throws {
        let pkg = try #require(decode(PackageManifest.self, #"""
            {"dependencies": {"a": "file:../a", "b": 3}, "devDependencies": "oops", "overrides": {"c": "link:./c"},
             "pnpm": {"patchedDependencies": {"left-pad": "patches/lp.patch", "x": null}, "other": 1},
             "workspaces": {"packages": ["apps/*", "libs/*"]},
             "scripts": {"postinstall": "node tools/p.js", "prepare": 1, "build": "tsc"}}
            """#))
        #expect(Set(pkg.dependencySpecs) == ["file:../a", "link:./c"])
        #expect(pkg.patchFiles == ["patches/lp.patch"])
        #expect(pkg.workspaces == ["apps/*", "libs/*"])
        #expect(pkg.scripts == ["postinstall": "node tools/p.js", "build": "tsc"])
        #expect(decode(PackageManifest.self, #"{"workspaces": ["a", "b"]}"#)?.workspaces == ["a", "b"])
        // A list with a non-string is no list of workspaces (as before: all or nothing).
        #expect(decode(PackageManifest.self, #"{"workspaces": ["a", 1]}"#)?.workspaces == [])
        #expect(decode(PackageManifest.self, "[1, 2]") == nil)
        #expect(decode(PackageManifest.self, "{not json") == nil)
    }

    @Test func composerManifestReadsScriptsClassmapAndPathRepositories() throws {
        let c = try #require(decode(ComposerManifest.self, #"""
            {"scripts": {"post-install-cmd": null, "test": ["phpunit"]},
             "autoload": {"psr-4": {"App\\": "src/"}, "classmap": ["database/seeds", "lib"]},
             "repositories": [{"type": "path", "url": "packages/*"}, {"type": "vcs", "url": "https://x"}, "odd", {"type": "path"}]}
            """#))
        #expect(c.scripts == ["post-install-cmd", "test"])
        #expect(c.classmap == ["database/seeds", "lib"])
        #expect(c.pathRepositories == ["packages/*"])
        let bare = try #require(decode(ComposerManifest.self, #"{"repositories": {"a": {"type": "path", "url": "x"}}, "autoload": []}"#))
        #expect(bare.scripts.isEmpty && bare.classmap == nil && bare.pathRepositories.isEmpty)
        #expect(bare.allowPlugins == nil && bare.writesLock == nil && !bare.requiresSelfVersion)
    }

    @Test func composerManifestReadsAllowedPluginsLockAndRequirements() throws {
        let c = try #require(decode(ComposerManifest.self, #"""
            {"require": {"php": "^8.3", "ext-pdo": "*", "lib-icu": "*", "composer-runtime-api": "^2", "a/b": "^1", "c/d": "self.version"},
             "require-dev": {"e/f": "^2"},
             "config": {"lock": false, "allow-plugins": {"z/last": true, "a/first": true, "x/off": false, "odd": "yes"}}}
            """#))
        #expect(c.allowPlugins == .names(["a/first", "z/last"]))
        #expect(c.writesLock == false)
        #expect(c.requiresSelfVersion)
        #expect(c.requiredPackages == 2 && c.requiredDevPackages == 1)
        #expect(try #require(decode(ComposerManifest.self, #"{"config": {"allow-plugins": true}}"#)).allowPlugins == .every)
        #expect(try #require(decode(ComposerManifest.self, #"{"config": {"allow-plugins": false}}"#)).allowPlugins == .nothing)
    }

    /// A project's JSON files are decoded once per content and type: the same bytes give the
    /// same value, other bytes or another type their own, a file that is not JSON nil.
    @Test func decodedOncePerContentAndType() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("decoded-json-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lock = "{\"packages\": [{\"name\": \"a/b\", \"type\": \"composer-plugin\"}], \"packages-dev\": []}"
        try lock.write(toFile: dir + "/composer.lock", atomically: true, encoding: .utf8)
        try "{not json".write(toFile: dir + "/package.json", atomically: true, encoding: .utf8)
        for _ in 0..<2 {
            let files = DiskProjectFiles(root: dir)
            let decoded = try #require(files.decodeJSON(ComposerLock.self, "composer.lock"))
            #expect(decoded.packages.map(\.name) == ["a/b"] && decoded.packages.first?.type == "composer-plugin")
            #expect(files.decodeJSON(ComposerLock.self, "package.json") == nil)
            #expect(files.decodeJSON(PackageManifest.self, "composer.lock") != nil)
        }
        try lock.replacingOccurrences(of: "a/b", with: "c/d").write(toFile: dir + "/composer.lock", atomically: true, encoding: .utf8)
        #expect(DiskProjectFiles(root: dir).decodeJSON(ComposerLock.self, "composer.lock")?.packages.map(\.name) == ["c/d"])
    }
}
