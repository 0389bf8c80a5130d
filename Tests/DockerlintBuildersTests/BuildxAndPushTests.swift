import Foundation
import Testing
@testable import DockerlintBuilders

@Suite("buildx raw progress and pushes (captured output)")
struct BuildxAndPushTests {
    @Test func splitterHandlesPrettyAndCompactObjectsAcrossChunks() {
        let text = "noise before\n{\n  \"a\": \"x}{\\\"\",\n  \"b\": {\"c\": 1}\n}\n{\"d\":2}{\"e\":[{}]}\ntrailing ERROR: x\n"
        var s = JSONObjectSplitter()
        var objects: [String] = []
        // One byte at a time: braces inside strings and escapes must not confuse it.
        for b in Array(text.utf8) { objects += s.feed([b]).map { String(decoding: $0, as: UTF8.self) } }
        #expect(objects.count == 3)
        #expect(objects[0].hasPrefix("{\n  \"a\""))
        #expect(objects[1] == "{\"d\":2}")
        #expect(objects[2] == "{\"e\":[{}]}")
        #expect(objects.allSatisfy { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) != nil })
    }

    @Test func rfc3339WithNanosecondsAndOffsets() throws {
        let t = try #require(TraceStatus.rfc3339("2026-12-06T18:10:59.139516608Z"))
        #expect(abs(t - 1796580659.139516608) < 1e-6)
        #expect(TraceStatus.rfc3339("2026-12-06T19:10:59+01:00") == 1796580659)
        #expect(TraceStatus.rfc3339("yesterday") == nil)
    }

    /// A fresh runner importing a `mode=max` registry cache: steps that are restored and then
    /// downloaded, or restored and never loaded, are hits; the steps that ran are misses.
    @Test func restoredStepsAreHitsEvenWhenTheirDownloadRestartsThem() throws {
        var splitter = JSONObjectSplitter()
        var acc = BuildKitTraceAccumulator()
        for obj in splitter.feed(Array(buildxRawJSONRegistryMax.utf8)) { acc.add(try TraceStatus.decode(rawJSON: obj)) }
        let steps = Dictionary(acc.steps.map { ("\($0.stage ?? "") \($0.index)", $0) }, uniquingKeysWith: { a, _ in a })
        for hit in ["deps 2", "deps 3", "deps 4", "build 2", "build 3"] {
            #expect(steps[hit]?.status == .hit, "\(hit): \(String(describing: steps[hit]))")
        }
        for miss in ["build 4", "build 5", "stage-2 2", "stage-2 3"] {
            #expect(steps[miss]?.status == .miss, "\(miss): \(String(describing: steps[miss]))")
        }
        // The base image is resolved locally, not pulled: `resolve …` is not a transfer.
        #expect(steps["deps 1"]?.status == .hit)
        #expect(steps["build 5"]?.seconds ?? 0 > 1, "the RUN sleeps a second")
        #expect(steps["build 3"]?.instruction == "COPY --from=deps /deps/installed.txt ./")
    }

    @Test func buildxArgumentsCarryCacheOptionsAndLabels() {
        let b = BuildxBuilder(cli: URL(fileURLWithPath: "/opt/docker26/usr/bin/docker"), dockerConfig: "/opt/docker26/config",
                              client: EngineClient(endpoint: .unix(path: "/var/run/docker26.sock")))
        let cache = BuildCacheOptions(cacheFrom: ["type=registry,ref=r:5000/x:cache"], cacheTo: ["type=registry,ref=r:5000/x:cache,mode=max"])
        let o = BuildRequest(runID: "run1", buildArgs: ["V": "2"], target: "build", cache: cache)
        let a = b.buildArguments(context: URL(fileURLWithPath: "/ctx"), request: o, tag: "t:1", metadataFile: "/m.json")
        #expect(Array(a.prefix(4)) == ["-H", "unix:///var/run/docker26.sock", "buildx", "build"])
        #expect(a.contains("--progress=rawjson"))
        #expect(a.joined(separator: " ").contains("--cache-from type=registry,ref=r:5000/x:cache --cache-to type=registry,ref=r:5000/x:cache,mode=max"))
        #expect(a.joined(separator: " ").contains("--label dev.dockerlint.bench=run1"))
        #expect(a.joined(separator: " ").contains("--target build"))
        #expect(a.last == "/ctx")
        #expect(!a.contains("--push"))
    }

    @Test func engineAPIAndCLIBuildersRejectCacheOptions() throws {
        let o = BuildRequest(runID: "x", cache: BuildCacheOptions(cacheTo: ["type=inline"]))
        let dir = try makeTempDir("cacheopts")
        #expect(throws: BuilderError.self) {
            try EngineClient(endpoint: .unix(path: "/nonexistent/dockerlint.sock")).build(context: dir, mode: .buildkit, request: o)
        }
    }

    /// Push streams as Docker 20.10 and Docker 26 (containerd store) print them.
    @Test func pushStreamsOfBothEngines() {
        var old = PushStreamParser()
        for l in [#"{"status":"The push refers to repository [127.0.0.1:5000/p/bb]"}"#,
                  #"{"status":"Preparing","progressDetail":{},"id":"eaa792c82f1d"}"#,
                  #"{"status":"Pushing","progressDetail":{"current":19968,"total":1984172},"id":"eaa792c82f1d"}"#,
                  #"{"status":"Pushed","progressDetail":{},"id":"eaa792c82f1d"}"#,
                  #"{"status":"Layer already exists","progressDetail":{},"id":"0123456789ab"}"#,
                  #"{"status":"1: digest: sha256:f5242c1c7ad1d11cddf11f01b3bfa0a877499590734e71de2cf2bb863bce3f7b size: 527"}"#,
                  #"{"progressDetail":{},"aux":{"Tag":"1","Digest":"sha256:f5242c1c7ad1d11cddf11f01b3bfa0a877499590734e71de2cf2bb863bce3f7b","Size":527}}"#] {
            old.feed(line: Array(l.utf8))
        }
        #expect(old.statuses == ["eaa792c82f1d": .uploaded, "0123456789ab": .existing])
        #expect(old.digest == "sha256:f5242c1c7ad1d11cddf11f01b3bfa0a877499590734e71de2cf2bb863bce3f7b")
        var new = PushStreamParser()
        for l in [#"{"status":"The push refers to repository [127.0.0.1:5000/p/bb26]"}"#,
                  #"{"status":"Mounted from exp/x1v-15271","progressDetail":{},"id":"355908a4275b"}"#,
                  #"{"status":"1: digest: sha256:4d2c89783415d0644da0918cad6be6f7db323fb856ad211d79f83be63db3e5c2 size: 405"}"#] {
            new.feed(line: Array(l.utf8))
        }
        #expect(new.statuses == ["355908a4275b": .mounted])
        #expect(new.digest == "sha256:4d2c89783415d0644da0918cad6be6f7db323fb856ad211d79f83be63db3e5c2")
        var failed = PushStreamParser()
        failed.feed(line: Array(#"{"errorDetail":{"message":"denied"},"error":"denied"}"#.utf8))
        #expect(failed.error == "denied")
    }
}
